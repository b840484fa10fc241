"""Capped previews: the head of a large table with a note naming the file that holds it whole, escaped HTML."""
from __future__ import annotations

import pandas as pd

from icevidence.analyses.result import Table
from icevidence.present import preview as qm


def test_a_large_table_is_cut_with_a_note_and_keeps_its_total():
    table = pd.DataFrame({f"P{i}": range(100) for i in range(50)}).assign(total=1)
    shown, note = qm.cap(table, rows=10, columns=5)
    assert shown.shape == (10, 6) and shown.columns[-1] == "total"
    assert note.startswith("showing 10 of 100 rows and 6 of 51 columns")


def test_a_small_table_is_shown_whole_without_a_note():
    table = pd.DataFrame({"a": [1]})
    assert qm.cap(table) == (table, None)


def test_a_capped_table_names_the_file_holding_it_whole():
    table = Table("codes_by_cases", "T", pd.DataFrame({f"P{i}": range(100) for i in range(50)}))
    shown = qm.capped(table, rows=10, columns=5)
    assert shown.frame.shape == (10, 5)
    assert "the full table is in codes_by_cases.csv, listed at the end" in shown.notes[0]
    assert table.frame.shape == (100, 50)


def test_cells_are_cut_for_display_only():
    matrix = pd.DataFrame({"Theme": ["x" * 500, "short"]}, index=["P1", "P2"])
    shown, note = qm.cut_cells(matrix, chars=100)
    assert shown.at["P1", "Theme"].startswith("x" * 100) and "400 more characters" in shown.at["P1", "Theme"]
    assert shown.at["P2", "Theme"] == "short" and "XLSX" in note and matrix.at["P1", "Theme"] == "x" * 500


def test_capped_html_escapes_names_cells_captions_and_notes():
    table = Table("t", "caption <i>", pd.DataFrame({"<b>code</b>": ["<script>x</script>"]}), notes=["n & m"])
    out = qm.capped_html(table)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&lt;b&gt;code" in out
    assert "caption &lt;i&gt;" in out and "n &amp; m" in out
    empty = Table("t", "c", pd.DataFrame({"a": []}))
    assert qm.capped_html(empty, "none <here>") == "<p><strong>c:</strong> none &lt;here&gt;.</p>"
