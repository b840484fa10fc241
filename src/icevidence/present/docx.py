"""The one DOCX renderer: a document as Word, with real tables, heading styles, a TOC field and numbered captions."""
from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt

from ..analyses.result import Figure, Table
from .document import FIGURE_LABEL, TABLE_LABEL, Document
from .stable import normalise_zip
from .text import cell_text

FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text Word can hold: characters XML 1.0 forbids (control characters) are dropped."""
    return NOT_XML.sub("", str(value))
FIGURE_WIDTH = Inches(6.0)


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
    section.page_width, section.page_height = Inches(8.27), Inches(11.69)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(0.79))
    doc.styles["Normal"].font.size = Pt(10)
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
    add_field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', "Right-click and choose Update Field to build the "
              "table of contents.")
    doc.add_page_break()


def add_field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (begin, instruction, separate, shown text, end) that Word updates."""
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
    shown, shown_text = run_with("w:t")
    shown_text.text = placeholder
    end, _ = run_with("w:fldChar", **{"w:fldCharType": "end"})
    for run in (begin, instr, separate, shown, end):
        paragraph._p.append(run)


def add_caption(doc, label: str, number: str, caption: str) -> None:
    """'Supplementary Table S1. …' in the Caption style, the number a SEQ field Word renumbers."""
    paragraph = doc.add_paragraph(style="Caption")
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
    """A captioned Word table with a bold header row repeated on every page."""
    add_caption(doc, TABLE_LABEL, number, table.caption)
    frame = table.printed
    columns = [str(c) for c in frame.columns]
    grid = doc.add_table(rows=len(frame) + 1, cols=len(columns))
    grid.style = "Table Grid"
    cells = grid._cells
    width = len(columns)
    for j, name in enumerate(columns):
        cells[j].text = xml_text(name)
        for run in cells[j].paragraphs[0].runs:
            run.bold = True
    header = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for i, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        for j, value in enumerate(row):
            cells[i * width + j].text = xml_text(cell_text(value, columns[j]))
    doc.add_paragraph()


def write_figure(doc, figure: Figure, number: str, png: Path) -> None:
    """The figure's 300-dpi PNG, then its caption."""
    doc.add_picture(str(png), width=FIGURE_WIDTH)
    add_caption(doc, FIGURE_LABEL, number, figure.caption)


def fix_properties(doc, document: Document) -> None:
    """Core properties with fixed dates, so two builds give the same bytes."""
    props = doc.core_properties
    props.title = xml_text(document.title)[:250]
    props.author = "icevidence"
    props.last_modified_by = "icevidence"
    props.revision = 1
    props.created = props.modified = props.last_printed = FIXED_TIME.replace(tzinfo=None)
