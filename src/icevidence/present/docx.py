"""The one DOCX renderer: a document as Word, with real tables, heading styles, a TOC field and numbered captions."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from ..analyses.result import Figure, Table
from .document import FIGURE_LABEL, TABLE_LABEL, Document
from .page import MARGIN_IN, PAGE_HEIGHT_IN, PAGE_WIDTH_IN, column_widths, fitted
from .stable import normalise_zip
from .text import cell_text, is_numeric

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text Word can hold: characters XML 1.0 forbids (control characters) are dropped."""
    return NOT_XML.sub("", str(value))


TABLE_FONT = Pt(8)


def docx_bytes(document: Document, figures: dict[str, Path]) -> bytes:
    """Render a document to DOCX bytes (figures: each figure's PNG by number); equal content gives equal bytes."""
    doc = new_document()
    set_layout(doc)
    write_title_page(doc, document)
    for section in document.sections:
        doc.add_heading(xml_text(section.title), level=section.level)
        for text in section.paragraphs:
            doc.add_paragraph(xml_text(text))
        for item in section.items:
            if isinstance(item, Table):
                write_table(doc, item, document.number(item))
            else:
                write_figure(doc, item, document.number(item), figures[document.number(item)])
    fix_properties(doc, document)
    buffer = io.BytesIO()
    doc.save(buffer)
    return normalise_zip(buffer.getvalue())


def set_layout(doc) -> None:
    """A4, 2 cm margins, compact body text, and Word asked to refresh fields (the TOC) on opening."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(PAGE_WIDTH_IN), Inches(PAGE_HEIGHT_IN)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(MARGIN_IN))
    doc.styles["Normal"].font.size = Pt(9)
    doc.styles["Normal"].paragraph_format.space_after = Pt(4)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)


def write_title_page(doc, document: Document) -> None:
    """Title, the source and the compendium citation, then a table-of-contents field."""
    doc.add_heading(xml_text(document.title), level=0)
    for label, text in document.front:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"{xml_text(label)}: ").bold = True
        paragraph.add_run(xml_text(text))
    doc.add_paragraph("Contents", style="TOC Heading" if "TOC Heading" in [s.name for s in doc.styles] else None)
    entries = [("    " * (s.level - 1)) + xml_text(s.title) for s in document.sections] or ["(no sections)"]
    paragraphs = [doc.add_paragraph() for _ in entries]
    add_field(paragraphs, 'TOC \\o "1-2" \\h \\z \\u', entries)
    doc.add_page_break()


def add_field(paragraphs: list, instruction: str, shown: list[str]) -> None:
    """A complex field (begin, instruction, separate, shown text, end) spanning paragraphs, one shown line
    each: readers see the shown text (the contents) without updating fields; Word may refresh it."""
    def run_with(tag: str, **attrs: str):
        run = OxmlElement("w:r")
        child = OxmlElement(tag)
        for key, value in attrs.items():
            child.set(qn(key), value)
        run.append(child)
        return run, child
    begin, _ = run_with("w:fldChar", **{"w:fldCharType": "begin"})
    instr, text = run_with("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate, _ = run_with("w:fldChar", **{"w:fldCharType": "separate"})
    end, _ = run_with("w:fldChar", **{"w:fldCharType": "end"})
    for run in (begin, instr, separate):
        paragraphs[0]._p.append(run)
    for paragraph, line in zip(paragraphs, shown):
        run, text = run_with("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = line
        paragraph._p.append(run)
    paragraphs[-1]._p.append(end)


def add_caption(doc, label: str, number: str, caption: str) -> None:
    """'Supplementary Table S1. …' in the Caption style, the number a SEQ field Word renumbers."""
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.paragraph_format.keep_with_next = label == TABLE_LABEL  # a table's caption stays with the table
    paragraph.add_run(f"{label} S").bold = True
    sequence = "Table" if label == TABLE_LABEL else "Figure"
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" SEQ {sequence} \\* ARABIC ")
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    props.append(OxmlElement("w:b"))
    run.append(props)
    text = OxmlElement("w:t")
    text.text = number.removeprefix("S")
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(". ").bold = True
    paragraph.add_run(xml_text(caption))


def write_table(doc, table: Table, number: str) -> None:
    """A captioned Word table: column widths from the content, numbers right-aligned, text wrapped at line
    breaks, a bold header row repeated on every page."""
    add_caption(doc, TABLE_LABEL, number, table.caption)
    frame = table.printed
    columns = [str(c) for c in frame.columns]
    rows = [[xml_text(cell_text(v, c)) for v, c in zip(row, columns)]
            for row in frame.itertuples(index=False, name=None)]
    right = [is_numeric(frame.iloc[:, j]) for j in range(len(columns))]
    grid = doc.add_table(rows=len(rows) + 1, cols=len(columns))
    grid.style = "Table Grid"
    grid.autofit = False
    set_widths(grid, column_widths(columns, rows, prose=tuple(map(str, table.prose))))
    cells, width = grid._cells, len(columns)
    for i, values in enumerate([[xml_text(c) for c in columns], *rows]):
        for j, value in enumerate(values):
            fill_cell(cells[i * width + j], value, bold=i == 0, right=right[j] and i > 0)
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    doc.add_paragraph()


def set_widths(grid, widths: list[float]) -> None:
    """Fixed column widths (inches) in the grid and in every cell, so Word and LibreOffice lay out alike."""
    for column, width in zip(grid.columns, widths):
        column.width = Inches(width)
    cells = grid._cells
    for k, cell in enumerate(cells):
        cell.width = Inches(widths[k % len(widths)])


def fill_cell(cell, value: str, bold: bool, right: bool) -> None:
    """A cell's text in the table font, each line break a real break, numbers aligned right."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for k, line in enumerate(value.replace("\r\n", "\n").split("\n")):
        if k:
            paragraph.add_run().add_break()
        run = paragraph.add_run(line)
        run.font.size = TABLE_FONT
        run.bold = bold or None


def write_figure(doc, figure: Figure, number: str, png: Path) -> None:
    """The figure's 300-dpi PNG scaled to fit the text block with its caption, the two kept on one page."""
    width, height = fitted(*png_inches(png))
    doc.add_picture(str(png), width=Inches(width), height=Inches(height))
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    add_caption(doc, FIGURE_LABEL, number, figure.caption)


def png_inches(png: Path) -> tuple[float, float]:
    """A PNG's size in inches at the dpi it was saved with (300 when it records none)."""
    from PIL import Image
    with Image.open(png) as image:
        dpi = image.info.get("dpi", (300, 300))[0] or 300
        return image.width / dpi, image.height / dpi


def fix_properties(doc, document: Document) -> None:
    """Core properties with fixed dates, so two builds give the same bytes."""
    props = doc.core_properties
    props.title = xml_text(document.title)[:250]
    props.author = "icevidence"
    props.last_modified_by = "icevidence"
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED_TIME.replace(tzinfo=None)
