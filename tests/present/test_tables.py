"""Appendix tables: CSV and XLSX, byte-identical for identical content."""
from __future__ import annotations

import pandas as pd

from icevidence.present.tables import write_table, xlsx_bytes


def test_same_table_gives_identical_xlsx_bytes_a_second_later():
    import time
    df = pd.DataFrame({"n": [1, 2]}, index=["a", "b"])
    first = xlsx_bytes({"t": df})
    time.sleep(1.1)  # openpyxl stamps the save time, to the second
    assert xlsx_bytes({"t": df}) == first


def test_write_table_writes_csv_and_xlsx_that_read_back(tmp_path):
    df = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="k"))
    csv, xlsx = write_table(df, tmp_path, "t")
    assert pd.read_csv(csv, index_col="k").equals(df)
    assert pd.read_excel(xlsx, index_col="k").equals(df)


def test_long_sheet_names_are_cut_to_excel_limit(tmp_path):
    df = pd.DataFrame({"n": [1]})
    _, xlsx = write_table(df, tmp_path, "x" * 40)
    assert list(pd.read_excel(xlsx, sheet_name=None)) == ["x" * 31]


def test_written_tables_are_readable_by_everyone_and_leave_no_temporary(tmp_path):
    paths = write_table(pd.DataFrame({"n": [1]}), tmp_path, "t")
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {oct(0o644)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.xlsx"]
