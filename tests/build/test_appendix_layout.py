"""Every study's appendix, at min_cell 0 and 5, as a journal's production office checks it: figures inside
the DOCX's usable area, no PDF character outside its page, Word column widths that follow the content,
numbers right-aligned, and no compendium-internal source number or data path outside the provenance annex."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from appendix_helpers import docx_text_before, pdf_text_before
from docx.shared import Inches

from icevidence.build.appendix import build_appendix
from icevidence.model.study import available_studies
from icevidence.present.page import CELL_PADDING_IN, CHAR_WIDTH_IN

EMU_PER_INCH = 914400
INTERNAL = re.compile(r"\bseed\s+\d{3}\b|data/raw/", re.IGNORECASE)
NUMBER = re.compile(r"<?-?[0-9][0-9.,]*( \([0-9.]+%\))?%?")
CASES = [(study, k) for study in available_studies() for k in (0, 5)]
PROVENANCE = "Provenance"


@pytest.fixture(scope="module", params=CASES, ids=[f"{s}-min{k}" for s, k in CASES])
def built(request, tmp_path_factory) -> tuple[str, Path]:
    """One study's appendix built at one min_cell."""
    study, k = request.param
    out = tmp_path_factory.mktemp(f"{study}-{k}") / study
    build_appendix(study, min_cell=k, out=out)
    return study, out


def word(built):
    import docx
    study, folder = built
    return docx.Document(str(folder / f"{study}-appendix.docx"))


def test_docx_figures_fit_the_usable_area_of_the_page(built):
    document = word(built)
    section = document.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    height = section.page_height - section.top_margin - section.bottom_margin
    shapes = list(document.inline_shapes)
    assert all(s.width <= width and s.height <= height for s in shapes), [(s.width / EMU_PER_INCH,
                                                                           s.height / EMU_PER_INCH) for s in shapes]


def test_no_pdf_character_lies_outside_its_page(built):
    import pdfplumber
    study, folder = built
    with pdfplumber.open(str(folder / f"{study}-appendix.pdf")) as pdf:
        outside = [(n, c["text"]) for n, page in enumerate(pdf.pages, start=1) for c in page.chars
                   if c["x0"] < 0 or c["top"] < 0 or c["x1"] > page.width or c["bottom"] > page.height]
    assert outside == []


def test_docx_column_widths_follow_the_content(built):
    """Columns differ in width where their content does, and no column is narrower than its longest word
    whenever the table's longest words fit the text width together (so no word breaks inside itself)."""
    document = word(built)
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in document.tables:
        widths = [c.width for c in table.columns]
        lengths = [max(len(cell.text) for cell in column.cells) for column in table.columns]
        if len(set(lengths)) > 1:
            assert len(set(widths)) > 1, lengths
        words = [max((len(w) for cell in column.cells for w in cell.text.split()), default=0)
                 for column in table.columns]
        needs = [Inches(n * CHAR_WIDTH_IN + CELL_PADDING_IN) for n in words]
        if sum(needs) <= text_width:
            assert all(w >= n - 2 for w, n in zip(widths, needs)), (words, widths)


def test_docx_numeric_cells_are_right_aligned(built):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    checked = 0
    for table in word(built).tables:
        for column in table.columns:
            body = [c for c in column.cells[1:] if c.text.strip()]
            if body and all(NUMBER.fullmatch(c.text.strip()) for c in body):
                assert all(c.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT for c in body), column.cells[0].text
                checked += 1
    assert checked


def test_no_source_number_or_data_path_outside_the_provenance_annex(built):
    study, folder = built
    assert INTERNAL.findall(docx_text_before(folder / f"{study}-appendix.docx", PROVENANCE)) == []
    assert INTERNAL.findall(pdf_text_before(folder / f"{study}-appendix.pdf", PROVENANCE)) == []
    book = openpyxl.load_workbook(folder / f"{study}-tables.xlsx", read_only=True)
    annex = {row[0] for row in book["README"].iter_rows(values_only=True) if row and len(row) > 2
             and row[2] == "icevidence build record"}
    found = [(sheet.title, value) for sheet in book.worksheets if sheet.title not in annex
             for row in sheet.iter_rows(values_only=True) for value in row
             if isinstance(value, str) and INTERNAL.search(value)]
    assert found == []
