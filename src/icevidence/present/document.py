"""A document a renderer writes (an appendix): sections of numbered tables and figures, each with its caption."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..analyses.result import Figure, Table
from ..analyses.suppression import suppression_note

TABLE_LABEL = "Supplementary Table"
FIGURE_LABEL = "Supplementary Figure"


@dataclass
class Section:
    """A heading (level 1 or 2), its paragraphs and its tables and figures, in reading order."""

    title: str
    level: int = 1
    paragraphs: list[str] = field(default_factory=list)
    items: list[Table | Figure] = field(default_factory=list)


@dataclass
class Document:
    """A whole document: title, front matter lines, sections, and the parameters it was built with."""

    key: str
    title: str
    front: list[tuple[str, str]]
    sections: list[Section]
    parameters: dict[str, Any]
    numbers: dict[int, str] = field(default_factory=dict, repr=False)

    @property
    def tables(self) -> list[Table]:
        return [i for s in self.sections for i in s.items if isinstance(i, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [i for s in self.sections for i in s.items if isinstance(i, Figure)]

    def number(self, item: Table | Figure) -> str:
        """An item's number in reading order: S1, S2, … (tables and figures counted apart)."""
        return self.numbers[id(item)]

    def label(self, item: Table | Figure) -> str:
        """'Supplementary Table S1' or 'Supplementary Figure S2'."""
        return f"{TABLE_LABEL if isinstance(item, Table) else FIGURE_LABEL} {self.number(item)}"


def numbered(document: Document) -> Document:
    """Number the document's tables S1, S2, … and its figures S1, S2, … in reading order."""
    document.numbers = {id(t): f"S{i}" for i, t in enumerate(document.tables, start=1)}
    document.numbers |= {id(f): f"S{i}" for i, f in enumerate(document.figures, start=1)}
    return document


def stating_suppression(item: Table | Figure, min_cell: int) -> Table | Figure:
    """An item whose caption says, when no count is suppressed, that none is (every appendix caption says)."""
    if not item.suppression:
        item.suppression = suppression_note(min_cell) or "No counts suppressed (min_cell = 0)."
    return item
