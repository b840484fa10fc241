"""An appendix with min_cell=5 hides the same cells in every file: tables, figures, quotes, captions."""
from __future__ import annotations

import re
from pathlib import Path

import appendix_helpers as helpers
import openpyxl
import pytest

from icevidence.analyses.theme_matrix import theme_matrix
from icevidence.build.appendix import build_appendix
from icevidence.model.study import load_study
from icevidence.present.appendix import appendix_document

STUDY, K = "tracy2025", 5
HIDDEN = {str(n) for n in range(1, K)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("min5") / STUDY
    build_appendix(STUDY, min_cell=K, out=out)
    return out


@pytest.fixture(scope="module")
def appendix():
    return appendix_document(load_study(STUDY), min_cell=K)


def count_tables(appendix):
    """The tables whose cells are counts of participants or segments (sample and theme matrices)."""
    return [t for t in appendix.tables if t.key.startswith(("sample-", "matrix-", "comparison"))]


def count_cells(rows: list[list[str]], skip: int) -> list[str]:
    """Cells of the count columns: every column after the first `skip` label columns, % columns left out."""
    header, body = rows[0], rows[1:]
    keep = [j for j, name in enumerate(header) if j >= skip and not name.endswith("%")]
    return [row[j] for row in body for j in keep]


def label_columns(table) -> int:
    return 2 if table.key == "sample-attributes" else 1


def test_small_counts_exist_to_hide():
    """The check below is not vacuous: Tracy's main-theme matrix has counts from 1 to 4."""
    matrix = theme_matrix(load_study(STUDY), "main", "participants")
    assert ((matrix > 0) & (matrix < K)).to_numpy().any()


def test_docx_count_tables_show_no_count_below_k(folder, appendix):
    tables = helpers.docx_tables(folder / f"{STUDY}-appendix.docx")
    for spec in count_tables(appendix):
        rows = tables[appendix.tables.index(spec)]
        cells = count_cells(rows, label_columns(spec))
        assert not HIDDEN & set(cells), appendix.number(spec)
        assert f"<{K}" in cells or spec.key == "sample-n", appendix.number(spec)


def test_xlsx_count_sheets_hold_no_count_below_k(folder, appendix):
    book = openpyxl.load_workbook(folder / f"{STUDY}-tables.xlsx")
    for spec in count_tables(appendix):
        rows = [["" if c is None else str(c) for c in row] for row in book[appendix.number(spec)].iter_rows(values_only=True)]
        rows = rows[2:]  # the caption row and the blank row above the header
        assert not HIDDEN & set(count_cells(rows, label_columns(spec))), appendix.number(spec)


def test_pdf_matrix_rows_show_no_count_below_k(folder, appendix):
    text = helpers.pdf_text(folder / f"{STUDY}-appendix.pdf")
    themes = {str(v) for t in appendix.tables if t.key.startswith("matrix-") for v in t.printed["Theme"]}
    row = re.compile(r"^(?P<theme>.+?)((?:\s+(?:<\d+|\d+))+)$")
    checked = 0
    for line in text.splitlines():
        match = row.match(line.strip())
        if match and match.group("theme") in themes:
            checked += 1
            assert not HIDDEN & set(match.group(2).split()), line
    assert checked >= len(themes)


def test_svg_heatmaps_leave_hidden_cells_blank(folder, appendix):
    for figure in appendix.figures:
        labels = helpers.svg_labels(folder / "figures" / f"{appendix.number(figure)}.svg")
        assert not HIDDEN & set(labels), appendix.number(figure)


def test_no_quote_is_listed_for_a_hidden_cell(appendix):
    quotes = next(t for t in appendix.tables if t.key == "quotes")
    matrix = next(t for t in appendix.tables if t.key == "matrix-main-participants").printed.set_index("Theme")
    for row in quotes.frame.itertuples(index=False):
        theme, group = row[0], row[1]
        if group in matrix.columns and str(matrix.at[theme, group]).startswith("<"):
            assert row.Quote.startswith("quotes withheld") and row.Attribution == "", (theme, group)


def test_participant_level_table_the_paper_printed_is_reproduced_and_captioned_so(folder, appendix):
    """k = 1 is below min_cell, but study.yml records that Table 2 prints every participant: already public."""
    [table] = [t for t in appendix.tables if t.key == "participants"]
    assert "reproduced from the paper's Table 2, already public" in table.caption
    text = helpers.docx_text(folder / f"{STUDY}-appendix.docx")
    assert "1-anonymous" in text and "reproduced from the paper's Table 2, already public" in text


def test_heatmap_of_all_hidden_cells_has_no_number_but_zero(tmp_path):
    """A matrix whose every non-zero cell is hidden: no annotation, and the colour bar shows 0 only."""
    import pandas as pd

    from icevidence.analyses.result import Figure
    from icevidence.present.figures import draw, save
    counts = pd.DataFrame({"a": [1, 0], "b": [3, 2]}, index=["x", "y"])
    mask = counts.gt(0)
    svg = save(draw(Figure("h", "All hidden", "heatmap", counts, mask, "participants", hidden_label="<5", min_cell=5)), tmp_path,
               "S1")[0]
    numbers = [t for t in helpers.svg_labels(svg) if t.replace(".", "").isdigit()]
    assert numbers and set(numbers) == {"0"}
