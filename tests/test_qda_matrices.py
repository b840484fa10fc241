"""The QDA matrices report's helpers: capped display with a note, escaped HTML, full tables written."""
from __future__ import annotations

import pandas as pd

from icevidence import config, qda_matrices as qm


def test_a_large_table_is_cut_with_a_note_and_keeps_its_total():
    table = pd.DataFrame({f"P{i}": range(100) for i in range(50)}).assign(total=1)
    shown, note = qm.cap(table, rows=10, columns=5)
    assert shown.shape == (10, 6) and shown.columns[-1] == "total"
    assert note.startswith("showing 10 of 100 rows and 6 of 51 columns")


def test_a_small_table_is_shown_whole_without_a_note():
    table = pd.DataFrame({"a": [1]})
    assert qm.cap(table) == (table, None)


def test_framework_cells_are_cut_for_display_only():
    matrix = pd.DataFrame({"Theme": ["x" * 500, "short"]}, index=["P1", "P2"])
    shown, note = qm.framework_preview(matrix, chars=100)
    assert shown.at["P1", "Theme"].startswith("x" * 100) and "400 more characters" in shown.at["P1", "Theme"]
    assert shown.at["P2", "Theme"] == "short" and "XLSX" in note


def test_table_html_escapes_names_and_cells():
    table = pd.DataFrame({"<b>code</b>": ["<script>x</script>"]})
    out = qm.table_html(table, "caption <i>", note="n & m")
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;code" in out
    assert "caption &lt;i&gt;" in out and "n &amp; m" in out
    assert qm.table_html(table.iloc[:0], "c", empty="none <here>") == "<p><strong>c:</strong> none &lt;here&gt;.</p>"


def test_the_full_tables_are_written(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "TABLES", tmp_path)
    cases = qm.codes_by_cases(mini, "main", "references", "participant_id")
    paths = qm.write_qda_tables(cases, qm.top_pairs(mini, "main", "references"),
                                qm.framework_matrix(mini, "main"), "r")
    assert [p.name for p in paths] == ["codes_by_cases.csv", "cooccurrence.csv", "framework_matrix.csv",
                                       "framework_matrix.xlsx"]
    assert pd.read_csv(paths[0], index_col=0).loc["Main X", "G1P1"] == 1


def test_a_framework_too_large_for_a_workbook_points_to_the_csv(mini, tmp_path, monkeypatch):
    import openpyxl
    monkeypatch.setattr(config, "TABLES", tmp_path)
    monkeypatch.setattr(qm, "XLSX_FRAMEWORK_CHARS", 10)
    frame = qm.framework_matrix(mini, "main")
    paths = qm.write_qda_tables(pd.DataFrame(), qm.top_pairs(mini, "main", "references"), frame, "r")
    sheet = openpyxl.load_workbook(paths[-1]).active
    assert "see framework_matrix.csv" in sheet.cell(row=2, column=2).value
    assert pd.read_csv(paths[2], index_col=0).shape == frame.shape
