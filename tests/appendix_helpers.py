"""Readers shared by the appendix tests: the text of each output file."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

CAPTION = re.compile(r"Supplementary (Table|Figure)\s+(S\d+)")


def docx_captions(path: Path) -> list[tuple[str, str, str]]:
    """(kind, number, SEQ instruction) of every Caption-style paragraph, in document order."""
    import docx
    from docx.oxml.ns import qn
    document = docx.Document(str(path))
    found = []
    for paragraph in document.paragraphs:
        if paragraph.style.name != "Caption":
            continue
        fields = paragraph._p.findall(qn("w:fldSimple"))
        instruction = fields[0].get(qn("w:instr")).strip() if fields else ""
        match = CAPTION.match(paragraph_text(paragraph))
        found.append((match.group(1), match.group(2), instruction) if match else ("", "", instruction))
    return found


def paragraph_text(paragraph) -> str:
    """A paragraph's text including the text shown by simple fields (python-docx skips those)."""
    return "".join(node.text or "" for node in paragraph._p.iter() if node.tag.endswith("}t"))


def docx_text(path: Path) -> str:
    """All text of a DOCX: paragraphs and table cells."""
    import docx
    document = docx.Document(str(path))
    parts = [paragraph_text(p) for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def docx_tables(path: Path) -> list[list[list[str]]]:
    """Every Word table as rows of cell texts."""
    import docx
    return [[[c.text for c in row.cells] for row in table.rows] for table in docx.Document(str(path)).tables]


def pdf_text(path: Path) -> str:
    """The text of every page of a PDF (pdfplumber), non-breaking spaces as spaces."""
    import pdfplumber
    with pdfplumber.open(str(path)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages).replace("\xa0", " ")


def svg_labels(path: Path) -> list[str]:
    """The text elements of an SVG figure."""
    from lxml import etree
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return [("".join(t.itertext())).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")]


def xlsx_members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def docx_text_before(path: Path, heading: str) -> str:
    """The text of a DOCX's paragraphs and table cells, in body order, up to the level-1 heading named."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    document = docx.Document(str(path))
    parts = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.style.name == "Heading 1" and block.text == heading:
                break
            parts.append(paragraph_text(block))
        elif isinstance(block, Table):
            parts += [cell.text for row in block.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text_before(path: Path, heading: str) -> str:
    """The text of a PDF up to the last occurrence of a heading (the contents page names it too)."""
    text = pdf_text(path)
    return text[:text.rfind(heading)] if heading in text else text
