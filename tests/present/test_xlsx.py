"""The one XLSX writer: sheets fit to paste, byte-identical for identical content, formulas neutralised."""
from __future__ import annotations

import datetime
import time
import zipfile
from types import SimpleNamespace

import openpyxl
import openpyxl.writer.excel
import pandas as pd

from icevidence.analyses.result import Table
from icevidence.present.xlsx import MAX_SHEET_ROWS, frame_table, workbook_bytes, write_workbook


def saved_at(monkeypatch, when: datetime.datetime, stamped: list) -> None:
    """Set the clock the libraries stamp a save with (openpyxl's modified date, zip members' times) to ``when``."""
    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            stamped.append(when)
            return when.replace(tzinfo=tz)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", SimpleNamespace(datetime=Clock, timezone=datetime.timezone))
    monkeypatch.setattr(zipfile, "time", SimpleNamespace(time=when.timestamp, localtime=time.localtime))


def test_same_table_gives_identical_xlsx_bytes_when_saved_later(monkeypatch):
    df = pd.DataFrame({"n": [1, 2]}, index=["a", "b"])
    stamped: list[datetime.datetime] = []
    times = [datetime.datetime(2026, 1, 1, 9, 0, 0), datetime.datetime(2026, 1, 2, 9, 0, 1)]
    saves = []
    for when in times:  # two saves a day and a second apart, by the clock the libraries read
        saved_at(monkeypatch, when, stamped)
        saves.append(workbook_bytes([frame_table(df, "t")]))
    assert stamped == times and saves[0] == saves[1]


def test_a_table_with_its_index_reads_back_as_written(tmp_path):
    df = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="k"))
    path = write_workbook(tmp_path / "t.xlsx", [frame_table(df, "t")])
    assert pd.read_excel(path, index_col="k").equals(df)


def test_long_sheet_names_are_cut_to_excel_limit(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [frame_table(pd.DataFrame({"n": [1]}), "x" * 40)])
    assert list(pd.read_excel(path, sheet_name=None)) == ["x" * 31]


def test_two_tables_whose_names_cut_alike_get_two_sheets(tmp_path):
    tables = [frame_table(pd.DataFrame({"n": [i]}), "x" * 40, index=False) for i in (1, 2)]
    book = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", tables))
    assert len(book.sheetnames) == 2 and [book[s]["A2"].value for s in book.sheetnames] == [1, 2]


def test_a_percent_column_is_stored_as_a_fraction_with_a_percent_format(tmp_path):
    df = pd.DataFrame({"micro n": [3], "micro %": [42.4]})
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [frame_table(df, "t", index=False)]))["t"]
    assert sheet["B2"].value == 0.424 and sheet["B2"].number_format == "0.0%"


def test_caption_row_heads_the_sheet_and_notes_follow_the_table(tmp_path):
    table = Table("t", "A title", pd.DataFrame({"n": [5]}), counted="What", unit="people", source="Paper",
                  notes=["A note."])
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table]))["t"]
    assert sheet["A1"].value == table.caption and sheet["A3"].value == "n" and sheet["A4"].value == 5
    assert sheet["A6"].value == "A note." and sheet.freeze_panes == "A4"


def test_running_text_columns_wrap(tmp_path):
    table = frame_table(pd.DataFrame({"Quote": ["a\nb"]}), "q", index=False, prose=("Quote",))
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table]))["q"]
    assert sheet["A2"].alignment.wrap_text and sheet["A2"].value == "a\nb"


def test_a_formula_is_text_and_a_control_character_is_dropped(tmp_path):
    table = frame_table(pd.DataFrame({"c": ['=HYPERLINK("x")', "bell\x07"]}), "t", index=False)
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table]))["t"]
    assert sheet["A2"].value == "'=HYPERLINK(\"x\")" and sheet["A2"].data_type == "s" and sheet["A3"].value == "bell"


def test_a_sheet_too_long_for_a_workbook_points_to_its_csv(tmp_path, monkeypatch):
    from icevidence.present import xlsx
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 2)
    table = frame_table(pd.DataFrame({"n": [1, 2, 3]}), "quotes", index=False)
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table]))["quotes"]
    assert sheet["A2"].value == "3 rows: too many for a workbook; see quotes.csv beside it" and MAX_SHEET_ROWS > 2


def test_written_workbooks_are_readable_by_everyone_and_leave_no_temporary(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [frame_table(pd.DataFrame({"n": [1]}), "t")])
    assert oct(path.stat().st_mode & 0o777) == oct(0o644) and sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]


def test_running_text_columns_share_a_landscape_page_that_prints_fit_to_its_width(tmp_path):
    frame = pd.DataFrame({name: ["word " * 60] for name in "ABCD"})
    table = frame_table(frame, "q", index=False, prose=tuple("ABCD"))
    sheet = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [table]))["q"]
    assert [sheet.column_dimensions[c].width for c in "ABCD"] == [35] * 4
    assert sheet.page_setup.orientation == "landscape" and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_one_running_text_column_stays_wide_and_a_sheet_of_numbers_keeps_its_page(tmp_path):
    quotes = frame_table(pd.DataFrame({"Quote": ["word " * 60]}), "q", index=False, prose=("Quote",))
    numbers = frame_table(pd.DataFrame({"n": [1]}), "n", index=False)
    book = openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx", [quotes, numbers]))
    assert book["q"].column_dimensions["A"].width == 80 and book["n"].page_setup.orientation is None
