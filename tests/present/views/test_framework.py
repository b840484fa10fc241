"""The framework-matrix view: quotes as readable prose (left, wrapped, line breaks kept), tables split to fit a
page, capped in HTML; the whole as CSV, the tables as a workbook with wrapped text."""
from __future__ import annotations

import openpyxl
import pandas as pd

from icevidence import FrameworkMatrix, framework_matrix
from icevidence.present.views import framework as view


def two_quotes(mini):
    """The mini study with G1P1 quoted twice under Main X."""
    mini.segments.loc[mini.segments["segment_id"] == "S2", "participant_id"] = "G1P1"
    return mini


def test_quotes_are_left_aligned_wrapped_and_keep_their_line_breaks(mini):
    page = FrameworkMatrix(two_quotes(mini), "main")._repr_html_()
    cell = page[page.index("first quote") - 200:page.index("second quote") + 30]
    assert "text-align:left;white-space:pre-wrap" in cell and "first quote [Table 1]\n\nsecond quote" in cell
    assert "\\n" not in page


def test_a_wide_matrix_shows_one_table_per_code_group(mini):
    page = FrameworkMatrix(mini, "main", width=2)._repr_html_()
    assert page.count("<table") == 3 and "under Theme A (table 1 of 3)" in page
    assert "under Theme B (table 3 of 3)" in page
    heads = [part[:part.index("</thead>")] for part in page.split("<table")[1:]]
    assert all(head.count("<th ") <= 3 for head in heads)


def test_long_cells_are_cut_for_display_with_a_note_naming_the_workbook(mini, monkeypatch):
    mini.segments.loc[mini.segments["segment_id"] == "S1", "text"] = "x" * 900
    page = FrameworkMatrix(mini, "main")._repr_html_()
    assert "x" * 400 + " … [" in page and "x" * 401 not in page and "the XLSX holds them whole" in page


def test_rows_are_capped_with_a_note_naming_the_csv(mini, monkeypatch):
    monkeypatch.setattr(view, "MAX_FRAMEWORK_ROWS", 2)
    page = FrameworkMatrix(mini, "main")._repr_html_()
    assert "showing 2 of 9 rows" in page and "framework_matrix.csv, listed at the end" in page


def test_the_workbook_wraps_text_and_neutralises_formulas(mini, tmp_path):
    mini.segments.loc[mini.segments["segment_id"] == "S1", "text"] = "=HYPERLINK(\"http://x\")"
    csv, path = FrameworkMatrix(mini, "main").write(tmp_path)
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[3]]
    assert header[:2] == ["Participant", "Theme A (not further coded)"] and "framework matrix" in sheet["A1"].value
    cell = sheet.cell(row=4, column=header.index("Main X") + 1)
    assert cell.value.startswith("'=HYPERLINK") and cell.data_type == "s" and cell.alignment.wrap_text
    assert (path.stat().st_mode & 0o777) == 0o644 and csv.name == "framework_matrix.csv"


def test_the_workbook_has_one_sheet_per_table_named_by_its_code_group(mini, tmp_path):
    _, path = FrameworkMatrix(mini, "main", width=2).write(tmp_path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Theme A", "Theme A (2)", "Theme B", "Fields"]
    assert all(book[name].page_setup.orientation == "landscape" for name in book.sheetnames[:-1])


def test_the_csv_holds_the_whole_matrix_with_its_line_breaks(mini, tmp_path):
    csv, _ = FrameworkMatrix(two_quotes(mini), "main", width=2).write(tmp_path)
    whole = pd.read_csv(csv, index_col=0, keep_default_na=False)
    assert whole.shape == framework_matrix(mini, "main").shape
    assert whole.at["G1P1", "Main X"] == "first quote [Table 1]\n\nsecond quote [Table 1]"


def test_the_workbook_is_byte_identical_for_the_same_matrix(mini, tmp_path):
    first = FrameworkMatrix(mini, "main").write(tmp_path / "a")[1].read_bytes()
    assert FrameworkMatrix(mini, "main").write(tmp_path / "b")[1].read_bytes() == first


def test_a_framework_too_large_for_a_workbook_points_to_the_csv(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(view, "XLSX_FRAMEWORK_CHARS", 10)
    csv, path = FrameworkMatrix(mini, "main").write(tmp_path)
    sheet = openpyxl.load_workbook(path).active
    assert "see framework_matrix.csv" in sheet.cell(row=4, column=2).value
    assert pd.read_csv(csv, index_col=0).shape == framework_matrix(mini, "main").shape


def test_html_shows_tables_up_to_the_column_cap_and_says_where_the_others_are(mini, monkeypatch):
    monkeypatch.setattr(view, "MAX_COLUMNS", 2)
    page = FrameworkMatrix(mini, "main", width=2)._repr_html_()
    assert page.count("<table") == 1 and "2 more table(s) of this matrix are not shown here" in page
    assert "every table is a sheet of framework_matrix.xlsx" in page
