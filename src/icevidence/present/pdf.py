"""The one PDF renderer: a document typeset by typst from a fixed template; every string is data."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..analyses.result import Figure, Table
from . import APPENDIX_TEMPLATE as TEMPLATE
from .document import Document
from .page import MARGIN_IN, column_widths, fitted
from .text import cell_text, is_numeric


def pdf_bytes(document: Document, figures: dict[str, Path]) -> bytes:
    """Typeset the appendix: data.json (all text) + the template + the figures' SVGs, compiled by typst."""
    import typst
    with tempfile.TemporaryDirectory(prefix="icevidence-typst-") as tmp:
        folder = Path(tmp)
        (folder / "figures").mkdir()
        for number, svg in figures.items():
            shutil.copyfile(svg, folder / "figures" / f"{number}.svg")
        sizes = {number: svg_inches(svg) for number, svg in figures.items()}
        (folder / "data.json").write_text(json.dumps(document_data(document, sizes), ensure_ascii=False),
                                          encoding="utf-8")
        main = folder / "main.typ"
        shutil.copyfile(TEMPLATE, main)
        return typst.compile(str(main), root=str(folder), format="pdf")


def document_data(document: Document, sizes: dict[str, tuple[float, float]] | None = None) -> dict:
    """Everything the template prints, as JSON-ready data (figure sizes: each figure's drawn size in inches)."""
    sizes = sizes or {}
    return {"title": document.title, "front": [list(pair) for pair in document.front], "margin_in": MARGIN_IN,
            "sections": [{"title": s.title, "level": s.level, "paragraphs": list(s.paragraphs),
                          "items": [item_data(i, document.number(i), sizes) for i in s.items]}
                         for s in document.sections]}


def item_data(item: Table | Figure, number: str, sizes: dict[str, tuple[float, float]]) -> dict:
    """A table's header, rows, column widths and alignment, or a figure's SVG path and printed size, with its
    number and caption."""
    base = {"number": number, "caption": item.caption}
    if isinstance(item, Figure):
        width, height = fitted(*sizes.get(number, (6.0, 4.0)))
        return {**base, "kind": "figure", "path": f"figures/{number}.svg", "alt": item.alt or item.title,
                "width_in": round(width, 3), "height_in": round(height, 3)}
    frame = item.printed
    columns = [str(c) for c in frame.columns]
    rows = [[cell_text(v, c) for v, c in zip(row, columns)] for row in frame.itertuples(index=False, name=None)]
    return {**base, "kind": "table", "columns": columns, "rows": rows,
            "widths": [round(w, 3) for w in column_widths(columns, rows, prose=tuple(map(str, item.prose)))],
            "align": ["right" if is_numeric(frame[c]) else "left" for c in frame.columns]}


def svg_inches(path: Path) -> tuple[float, float]:
    """An SVG's width and height in inches, from its root's width/height in points (matplotlib writes 'pt')."""
    from lxml import etree
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True)).getroot()
    return tuple(float(str(root.get(side, "432pt")).removesuffix("pt")) / 72 for side in ("width", "height"))
