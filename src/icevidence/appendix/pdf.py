"""The appendix as a typeset PDF (typst): the layout is a fixed template, every string is data."""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from .model import Appendix, Figure, Table, cell_text

TEMPLATE = Path(__file__).with_name("appendix.typ")


def pdf_bytes(appendix: Appendix, figures: dict[str, Path]) -> bytes:
    """Typeset the appendix: data.json (all text) + the template + the figures' SVGs, compiled by typst."""
    import typst
    with tempfile.TemporaryDirectory(prefix="icevidence-typst-") as tmp:
        folder = Path(tmp)
        (folder / "figures").mkdir()
        for number, svg in figures.items():
            shutil.copyfile(svg, folder / "figures" / f"{number}.svg")
        (folder / "data.json").write_text(json.dumps(document_data(appendix), ensure_ascii=False), encoding="utf-8")
        main = folder / "main.typ"
        shutil.copyfile(TEMPLATE, main)
        return typst.compile(str(main), root=str(folder), format="pdf")


def document_data(appendix: Appendix) -> dict:
    """Everything the template prints, as JSON-ready data."""
    return {"title": appendix.title, "front": [list(pair) for pair in appendix.front],
            "sections": [{"title": s.title, "level": s.level, "paragraphs": list(s.paragraphs),
                          "items": [item_data(i) for i in s.items]} for s in appendix.sections]}


def item_data(item: Table | Figure) -> dict:
    """A table's header, rows and column alignment, or a figure's SVG path, with label and caption."""
    base = {"number": item.number, "caption": item.caption}
    if isinstance(item, Figure):
        return {**base, "kind": "figure", "path": f"figures/{item.number}.svg", "alt": item.alt or item.title}
    frame = item.frame
    numeric = [bool(len(frame)) and all(isinstance(v, (int, float)) or str(v).startswith("<") or v == ""
                                         for v in frame[c].tolist()) for c in frame.columns]
    return {**base, "kind": "table", "columns": [str(c) for c in frame.columns],
            "align": ["right" if n else "left" for n in numeric],
            "rows": [[cell_text(v) for v in row] for row in frame.itertuples(index=False, name=None)]}
