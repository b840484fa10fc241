"""Framework matrix (NVivo framework matrix / MAXQDA Summary Grid): participants × themes, quotes in cells."""
from __future__ import annotations

import openpyxl

from icevidence import framework_matrix
from icevidence.framework import write_framework_xlsx


def test_each_cell_holds_the_participants_quotes_on_the_theme(mini):
    matrix = framework_matrix(mini, level="main")
    assert matrix.at["G1P1", "Main X"] == "first quote [Table 1]"
    assert matrix.at["G1PL", "Main Y"] == "fourth quote [Results]"
    assert matrix.at["G1P1", "Main Z"] == ""


def test_quotes_without_a_participant_are_kept_in_an_unknown_row(mini):
    matrix = framework_matrix(mini, level="main")
    assert matrix.index[-1] == "unknown"
    assert matrix.at["unknown", "Main Z"] == "fifth quote [Results]"


def test_several_quotes_in_one_cell_are_separated_by_a_blank_line(mini):
    mini.segments.loc[mini.segments["segment_id"] == "S2", "participant_id"] = "G1P1"
    matrix = framework_matrix(mini, level="main")
    assert matrix.at["G1P1", "Main X"] == "first quote [Table 1]\n\nsecond quote [Table 1]"


def test_any_participant_column_can_be_the_rows(mini):
    matrix = framework_matrix(mini, level="overarching", group_by="tier")
    assert "micro" in matrix.index and "Theme A" in matrix.columns


def test_the_workbook_wraps_text_and_neutralises_formulas(mini, tmp_path):
    mini.segments.loc[mini.segments["segment_id"] == "S1", "text"] = "=HYPERLINK(\"http://x\")"
    path = write_framework_xlsx(framework_matrix(mini, level="main"), tmp_path / "framework.xlsx")
    sheet = openpyxl.load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["participant_id", "Theme A (not further coded)"]
    cell = sheet.cell(row=2, column=header.index("Main X") + 1)
    assert cell.value.startswith("'=HYPERLINK") and cell.data_type == "s" and cell.alignment.wrap_text
    assert (path.stat().st_mode & 0o777) == 0o644


def test_the_workbook_is_byte_identical_for_the_same_matrix(mini, tmp_path):
    matrix = framework_matrix(mini, level="main")
    first = write_framework_xlsx(matrix, tmp_path / "a.xlsx").read_bytes()
    assert write_framework_xlsx(matrix, tmp_path / "b.xlsx").read_bytes() == first
