"""Capped previews of large tables: the head of a table in HTML, with a note naming the file that holds it whole.

So a 1M-coding study still gives a small report: the QDA matrix views show previews and write
every table whole as CSV (the framework matrix also as XLSX with wrapped text).
"""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..analyses.result import TOTAL, Table
from .html import table_html

MAX_ROWS = 60
MAX_COLUMNS = 40
MAX_PAIRS = 50
MAX_FRAMEWORK_ROWS = 30
MAX_CELL_CHARS = 400


def cap(table: pd.DataFrame, rows: int = MAX_ROWS, columns: int = MAX_COLUMNS,
        keep: tuple[str, ...] = (TOTAL,), full: str = "the CSV listed at the end") -> tuple[pd.DataFrame, str | None]:
    """The first rows and columns of a table (kept columns such as total stay), and a note when cut."""
    shown_columns = list(table.columns[:columns]) + [c for c in keep if c in table.columns
                                                      and c not in table.columns[:columns]]
    shown = table.iloc[:rows][shown_columns]
    if shown.shape == table.shape:
        return table, None
    return shown, (f"showing {len(shown)} of {len(table)} rows and {len(shown.columns)} of {len(table.columns)} "
                   f"columns; the full table is in {full}")


def cut_cells(frame: pd.DataFrame, chars: int = MAX_CELL_CHARS) -> tuple[pd.DataFrame, str | None]:
    """Each text cell cut to ``chars`` characters (saying how many more there are), and a note when any was."""
    cut = frame.map(lambda v: v if len(v) <= chars else v[:chars] + f" … [{len(v) - chars} more characters]")
    if not (cut != frame).any().any():
        return frame, None
    return cut, f"long cells are cut at {chars} characters; the XLSX holds them whole"


KEPT = (TOTAL, f"{TOTAL} %")  # a row's total stays in view however many columns are cut


def capped(table: Table, rows: int | None = None, columns: int | None = None, keep: tuple[str, ...] = KEPT,
           full: str | None = None, chars: int | None = None) -> Table:
    """A table's preview: its first rows and columns (by default MAX_ROWS and MAX_COLUMNS; with ``chars``, its
    cells cut too), the notes saying so and naming the file that holds it whole."""
    where = f"{full or table.key + '.csv'}, listed at the end"
    shown, note = cap(table.frame, MAX_ROWS if rows is None else rows, MAX_COLUMNS if columns is None else columns,
                      keep, where)
    notes = [note] if note else []
    if chars is not None:
        shown, cut = cut_cells(shown, chars)
        notes += [cut] if cut else []
    mask = None if table.mask is None else table.mask.reindex(index=shown.index, columns=shown.columns)
    return replace(table, frame=shown, mask=mask, notes=[*notes, *table.notes])


def capped_html(table: Table, empty: str = "none", **limits) -> str:
    """A table's capped preview as escaped HTML, with its caption and notes; an empty table as one sentence
    (its title and ``empty``: with nothing counted, the rest of its caption says nothing)."""
    if table.frame.empty:
        return table_html(replace(table, counted="", unit="", source="", suppression="", notes=[]), empty=empty)
    return table_html(capped(table, **limits), empty=empty)
