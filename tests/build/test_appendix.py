"""The appendix of tracy2025: captions in order, TOC, XLSX styles, identical bytes on a rebuild."""
from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from appendix_helpers import docx_captions, docx_text, pdf_text, svg_labels

from icevidence.build.appendix import build_appendix
from icevidence.model.study import load_study
from icevidence.present.appendix import appendix_document

STUDY = "tracy2025"


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Path, Path]:
    """Two builds of the same appendix into different folders."""
    first = tmp_path_factory.mktemp("first") / STUDY
    second = tmp_path_factory.mktemp("second") / STUDY
    build_appendix(STUDY, min_cell=0, out=first, review=True)
    build_appendix(STUDY, min_cell=0, out=second, review=True)
    return first, second


@pytest.fixture(scope="module")
def appendix():
    """The numbered content of the same appendix, to compare the files against."""
    return appendix_document(load_study(STUDY), min_cell=0, review=True)


def test_build_writes_docx_pdf_xlsx_and_every_figure_in_three_formats(builds, appendix):
    folder = builds[0]
    for name in (f"{STUDY}-appendix.docx", f"{STUDY}-appendix.pdf", f"{STUDY}-tables.xlsx"):
        assert (folder / name).stat().st_size > 0
    figures = sorted(p.name for p in (folder / "figures").iterdir())
    expected = sorted(f"{appendix.number(f)}.{ext}" for f in appendix.figures for ext in ("svg", "pdf", "png"))
    assert figures == expected


def test_two_builds_give_identical_bytes(builds):
    first, second = builds
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    differ = [str(n) for n in names if (first / n).read_bytes() != (second / n).read_bytes()]
    assert differ == []


def test_docx_captions_are_numbered_in_order_with_seq_fields(builds, appendix):
    captions = docx_captions(builds[0] / f"{STUDY}-appendix.docx")
    tables = [c for c in captions if c[0] == "Table"]
    figures = [c for c in captions if c[0] == "Figure"]
    assert [c[1] for c in tables] == [f"S{i}" for i in range(1, len(appendix.tables) + 1)]
    assert [c[1] for c in figures] == [f"S{i}" for i in range(1, len(appendix.figures) + 1)]
    assert {c[2] for c in tables} == {r"SEQ Table \* ARABIC"}
    assert {c[2] for c in figures} == {r"SEQ Figure \* ARABIC"}


def test_docx_has_heading_styles_a_toc_field_and_real_tables(builds, appendix):
    import docx
    path = builds[0] / f"{STUDY}-appendix.docx"
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name in ("Heading 1", "Heading 2")]
    assert headings == [s.title for s in appendix.sections]
    assert "TOC \\o" in document.element.xml
    assert len(document.tables) == len(appendix.tables)
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == [str(c) for c in appendix.tables[0].printed.columns]


def test_docx_header_rows_repeat_on_each_page(builds):
    import docx
    from docx.oxml.ns import qn
    document = docx.Document(str(builds[0] / f"{STUDY}-appendix.docx"))
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)


def test_pdf_has_contents_page_numbers_and_every_caption(builds, appendix):
    text = pdf_text(builds[0] / f"{STUDY}-appendix.pdf")
    assert "Contents" in text
    for section in appendix.sections:
        assert re.search(re.escape(section.title) + r"\s*\.[ .]*\d+", text), section.title
    flat = re.sub(r"\s+", " ", text)
    for item in [*appendix.tables, *appendix.figures]:
        assert f"{appendix.label(item)}. {item.title}" in flat, appendix.label(item)


def test_pdf_long_table_repeats_its_header_on_the_next_page(builds):
    import pdfplumber
    with pdfplumber.open(str(builds[0] / f"{STUDY}-appendix.pdf")) as pdf:
        pages = [page.extract_text() or "" for page in pdf.pages]
    quote_pages = [t for t in pages if "Theme Tier Attribution Quote Location" in t.replace("\xa0", " ")]
    assert len(quote_pages) >= 2


def test_xlsx_has_readme_then_one_styled_sheet_per_table(builds, appendix):
    book = openpyxl.load_workbook(builds[0] / f"{STUDY}-tables.xlsx")
    assert [s for s in book.sheetnames if s != "Fields"] == ["README", *[appendix.number(t) for t in appendix.tables]]
    for table in appendix.tables:
        sheet = book[appendix.number(table)]
        assert sheet["A1"].value == table.caption and sheet.freeze_panes == "A4"  # caption, blank row, header
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A3:")
        assert all(cell.font.bold for cell in sheet[3])
        assert sheet.column_dimensions["A"].width > 0
    readme = [c.value for c in book["README"]["B"] if c.value]
    assert all(any(str(v).startswith(f"{appendix.label(t)}. ") for v in readme) for t in appendix.tables)


def test_xlsx_counts_are_stored_as_numbers(builds, appendix):
    book = openpyxl.load_workbook(builds[0] / f"{STUDY}-tables.xlsx")
    matrix = next(t for t in appendix.tables if t.key == "matrix-main-participants")
    sheet = book[appendix.number(matrix)]
    values = [c.value for row in sheet.iter_rows(min_row=4, max_row=3 + len(matrix.frame), min_col=2) for c in row]
    assert values and all(isinstance(v, int) for v in values)


def test_every_caption_says_unit_suppression_and_source(appendix):
    for item in [*appendix.tables, *appendix.figures]:
        assert "unit:" in item.caption and "Source:" in item.caption and "suppress" in item.caption.lower(), item.key


def test_title_page_names_source_doi_licence_and_the_compendium(builds):
    text = docx_text(builds[0] / f"{STUDY}-appendix.docx")
    assert "10.1192/bjo.2025.10841" in text and "CC BY 4.0" in text and "icevidence" in text


def test_svg_figures_keep_their_labels_as_text(builds):
    labels = svg_labels(builds[0] / "figures" / "S1.svg")
    assert "micro" in labels and "Participants (n)" in labels


def test_xlsx_headers_are_in_words_with_field_names_on_their_own_sheet(builds, appendix):
    book = openpyxl.load_workbook(builds[0] / f"{STUDY}-tables.xlsx")
    headers = [c.value for name in book.sheetnames if name.startswith("S") for c in book[name][3] if c.value]
    assert not {"segment_id", "attribution_raw", "participant_id", "row"} & set(headers)
    fields = [row for row in book["Fields"].iter_rows(min_row=2, values_only=True)]
    assert fields and all(label != field for _sheet, label, field in fields)
