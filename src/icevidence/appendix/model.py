"""What an appendix holds: sections of numbered tables and figures, each with its caption."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

TABLE_LABEL = "Supplementary Table"
FIGURE_LABEL = "Supplementary Figure"


@dataclass
class Table:
    """One supplementary table: display values (int, float or str) and what its caption must say."""

    key: str
    title: str
    counted: str
    unit: str
    source: str
    frame: pd.DataFrame
    suppression: str = ""
    number: str = ""

    @property
    def caption(self) -> str:
        """The caption after the label: title, what is counted, unit, suppression and source."""
        parts = [f"{self.title}.", f"{self.counted}; unit: {self.unit}."]
        if self.suppression:
            parts.append(self.suppression)
        parts.append(f"Source: {self.source}.")
        return " ".join(parts)

    @property
    def label(self) -> str:
        return f"{TABLE_LABEL} {self.number}"


@dataclass
class Figure:
    """One supplementary figure: a function drawing it and what its caption must say."""

    key: str
    title: str
    counted: str
    unit: str
    source: str
    draw: Callable[[], Any]
    suppression: str = ""
    number: str = ""
    alt: str = ""

    caption = Table.caption

    @property
    def label(self) -> str:
        return f"{FIGURE_LABEL} {self.number}"


@dataclass
class Section:
    """A heading (level 1 or 2), its paragraphs and its tables and figures, in reading order."""

    title: str
    level: int = 1
    paragraphs: list[str] = field(default_factory=list)
    items: list[Table | Figure] = field(default_factory=list)


@dataclass
class Appendix:
    """A whole appendix: front matter, sections, and the parameters it was built with."""

    study_id: str
    title: str
    front: list[tuple[str, str]]
    sections: list[Section]
    parameters: dict[str, Any]

    @property
    def tables(self) -> list[Table]:
        return [i for s in self.sections for i in s.items if isinstance(i, Table)]

    @property
    def figures(self) -> list[Figure]:
        return [i for s in self.sections for i in s.items if isinstance(i, Figure)]


def number_items(appendix: Appendix) -> Appendix:
    """Number tables S1, S2, … and figures S1, S2, … in reading order."""
    for i, table in enumerate(appendix.tables, start=1):
        table.number = f"S{i}"
    for i, figure in enumerate(appendix.figures, start=1):
        figure.number = f"S{i}"
    return appendix


def cell_text(value: Any) -> str:
    """A cell as printed text: whole numbers without decimals, missing as blank."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
