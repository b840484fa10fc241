"""The one PDF renderer: a document typeset by typst from a fixed template; every string is data."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from ..analyses.result import Figure, Table
from . import APPENDIX_TEMPLATE as TEMPLATE
from .document import Document
from .text import cell_text, is_numeric


def pdf_bytes(document: Document, figures: dict[str, Path]) -> bytes:
    """Typeset the appendix: data.json (all text) + the template + the figures' SVGs, compiled by typst."""
    import typst
    with tempfile.TemporaryDirectory(prefix="icevidence-typst-") as tmp:
        folder = Path(tmp)
        (folder / "figures").mkdir()
        for number, svg in figures.items():
            shutil.copyfile(svg, folder / "figures" / f"{number}.svg")
        (folder / "data.json").write_text(json.dumps(document_data(document), ensure_ascii=False), encoding="utf-8")
        main = folder / "main.typ"
        shutil.copyfile(TEMPLATE, main)
        return typst.compile(str(main), root=str(folder), format="pdf")


def document_data(document: Document) -> dict:
    """Everything the template prints, as JSON-ready data."""
    return {"title": document.title, "front": [list(pair) for pair in document.front],
            "sections": [{"title": s.title, "level": s.level, "paragraphs": list(s.paragraphs),
                          "items": [item_data(i, document.number(i)) for i in s.items]} for s in document.sections]}


def item_data(item: Table | Figure, number: str) -> dict:
    """A table's header, rows and column alignment, or a figure's SVG path, with its number and caption."""
    base = {"number": number, "caption": item.caption}
    if isinstance(item, Figure):
        return {**base, "kind": "figure", "path": f"figures/{number}.svg", "alt": item.alt or item.title}
    frame = item.printed
    columns = [str(c) for c in frame.columns]
    return {**base, "kind": "table", "columns": columns,
            "align": ["right" if is_numeric(frame[c]) else "left" for c in frame.columns],
            "rows": [[cell_text(v, c) for v, c in zip(row, columns)] for row in frame.itertuples(index=False, name=None)]}
