"""One shape for every analysis: a result owns its tables and figures, with their masks, notes and captions.

Like tableone's ``TableOne`` or great_tables' ``GT``: an analysis computes once and returns a
``Result``; every output (notebook display, HTML report, CSV, XLSX, DOCX, PDF, figures) is
rendered from it by ``present/``, so no output shows what another hides and the appendix never
recomputes an analysis.

A result is displayed or written through the view registered for its class. Views live in
``present/views/`` (a higher layer), so the registry is filled when that package is first
imported, the way pandas loads its plotting backend by name on first use: this module never
imports ``present``.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import pandas as pd

VIEWS_PACKAGE = "icevidence.present.views"
TOTAL = "total"  # the margin column (and row) of every matrix
_VIEWS: dict[type, Any] = {}


@dataclass
class Table:
    """One table of a result: display values (numbers stay numbers, hidden cells '<k') and its caption's parts."""

    key: str
    title: str
    frame: pd.DataFrame
    counted: str = ""
    unit: str = ""
    source: str = ""
    suppression: str = ""
    mask: pd.DataFrame | None = None
    prose: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)
    index: bool = False
    sheet: pd.DataFrame | None = None

    @property
    def printed(self) -> pd.DataFrame:
        """The table as a document prints it: a shown index becomes its leading column(s)."""
        return self.frame.reset_index() if self.index else self.frame

    @property
    def spreadsheet(self) -> pd.DataFrame:
        """The table as CSV and XLSX hold it: `sheet` (numbers in their own columns) where given, else `frame`."""
        return self.frame if self.sheet is None else self.sheet

    @property
    def caption(self) -> str:
        """Title, what a cell counts and in which unit, the suppression and the source, as one caption."""
        parts = [f"{self.title}."]
        if self.counted:
            parts.append(f"{self.counted}{f'; unit: {self.unit}' if self.unit else ''}.")
        if self.suppression:
            parts.append(self.suppression)
        if self.source:
            parts.append(f"Source: {self.source}.")
        return " ".join(parts)


@dataclass
class Figure:
    """One figure of a result: what to draw (its kind and data, hidden cells never drawn) and its caption's parts.

    kind: 'bars' (data: rows are colours, columns the x groups) or 'heatmap' (rows × columns);
    groups: an optional label per row of a heatmap, drawn as row groups.
    """

    key: str
    title: str
    kind: str
    data: pd.DataFrame
    mask: pd.DataFrame | None = None
    value_label: str = ""
    counted: str = ""
    unit: str = ""
    source: str = ""
    suppression: str = ""
    hidden_label: str = ""
    groups: pd.Series | None = None
    alt: str = ""
    min_cell: int = 0
    options: dict[str, Any] = field(default_factory=dict)

    caption = Table.caption


class Result:
    """The base of every analysis result: tables, figures and notes, shown and written by its view."""

    min_cell: int = 0
    notes: list[str]

    def tables(self) -> list[Table]:
        """Every table of the result, in reading order."""
        raise NotImplementedError

    def figures(self) -> list[Figure]:
        """Every figure of the result, in reading order."""
        return []

    def by_key(self, key: str) -> Table:
        """One table by its key."""
        found = {t.key: t for t in self.tables()}
        if key not in found:
            raise KeyError(f"{type(self).__name__} has no table {key!r}; it has {sorted(found)}")
        return found[key]

    def _repr_html_(self) -> str:
        """The whole result as escaped HTML, for a notebook."""
        return view_of(self).html(self)

    def show(self, keys: list[str] | None = None, **options: Any) -> None:
        """Display the named tables (default: what the view shows first) with their captions and notes."""
        from IPython.display import HTML, display
        display(HTML(view_of(self).html(self, keys, **options)))

    def figure(self, key: str | None = None):
        """The named figure (default: the first), as a chart a notebook shows and a report saves."""
        return view_of(self).chart(self, key)

    def write(self, folder: Path, figures: Path | None = None, name: str | None = None) -> list[Path]:
        """Write every table as CSV and all of them as one XLSX (and the figures, when a folder is given)."""
        return view_of(self).write(self, Path(folder), None if figures is None else Path(figures), name)


@contextmanager
def collected(notes: list[str]) -> Iterator[None]:
    """Run a block with Python warnings captured as one tidy note each, never printed into a report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for message in dict.fromkeys(str(w.message).splitlines()[0] for w in caught):
        note = f"Note from the software: {message}"
        if note not in notes:
            notes.append(note)


def register_view(result_class: type, view: Any) -> None:
    """Record the view that renders a result class (called by present/views when it is imported)."""
    _VIEWS[result_class] = view


def registered_views() -> dict[type, Any]:
    """Every registered view by the result class it renders, loading present/views on first use."""
    if not _VIEWS:
        import_module(VIEWS_PACKAGE)
    return dict(_VIEWS)


def view_of(result: Result) -> Any:
    """The view registered for the result's class (or its nearest base), loading present/views on first use."""
    registered_views()
    for cls in type(result).__mro__:
        if cls in _VIEWS:
            return _VIEWS[cls]
    raise LookupError(f"no view is registered for {type(result).__name__}")
