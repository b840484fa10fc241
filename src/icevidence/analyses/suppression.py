"""Small-cell suppression, in one place: which counts a report hides, and how a hidden cell reads.

A count below `min_cell` (other than 0) is hidden (primary suppression). So that no row or
column total lets a reader recover it, every row and column holding a hidden cell then gets a
second hidden cell (complementary suppression): the smallest visible positive count of that
line, or a visible zero where there is none. Margins (Total, Overall) are ordinary cells of their
lines, so they are protected the same way. Every output of a result object (tables, figures,
drill-down, CSV, XLSX) takes its mask from here, decided once on the counts.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def hidden_label(min_cell: int) -> str:
    """How a hidden count reads in every table: '<k'."""
    return f"<{min_cell}"


def primary_mask(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Cells whose count is positive and below min_cell."""
    values = counts.fillna(0).to_numpy(dtype=float)
    hidden = (values > 0) & (values < min_cell) if min_cell > 1 else np.zeros(values.shape, dtype=bool)
    return pd.DataFrame(hidden, index=counts.index, columns=counts.columns)


def suppression_mask(counts: pd.DataFrame, min_cell: int, force: pd.DataFrame | None = None) -> pd.DataFrame:
    """The boolean mask of cells to hide: small counts, forced cells, and their complements.

    `force` marks cells that must be hidden whatever their value (for example a group size hidden
    in another table of the same report). No row or column of two or more cells is left with
    exactly one hidden cell.
    """
    hidden = primary_mask(counts, min_cell).to_numpy().copy()
    if force is not None:
        hidden |= force.reindex(index=counts.index, columns=counts.columns, fill_value=False).to_numpy(dtype=bool)
    if not hidden.any():
        return pd.DataFrame(hidden, index=counts.index, columns=counts.columns)
    values = counts.fillna(0).to_numpy(dtype=float)
    complement(hidden, values)
    return pd.DataFrame(hidden, index=counts.index, columns=counts.columns)


def complement(hidden: np.ndarray, values: np.ndarray) -> None:
    """Hide further cells, in place, until no line has a lone hidden cell."""
    lines = [[(i, j) for j in range(values.shape[1])] for i in range(values.shape[0])]
    lines += [[(i, j) for i in range(values.shape[0])] for j in range(values.shape[1])]
    lines = [line for line in lines if len(line) > 1]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[c] for c in line) == 1:
                hidden[partner(line, hidden, values)] = True
                changed = True


def partner(line: list[tuple[int, int]], hidden: np.ndarray, values: np.ndarray) -> tuple[int, int]:
    """The visible cell to hide beside a lone hidden one: the smallest positive, else a zero."""
    visible = [c for c in line if not hidden[c]]
    positive = [c for c in visible if values[c] > 0]
    return min(positive, key=lambda c: values[c]) if positive else visible[0]


def suppression_note(min_cell: int, hidden: int | None = None) -> str:
    """The one sentence every suppressed table, figure and caption carries ('' when nothing is suppressed)."""
    if min_cell <= 1:
        return ""
    if hidden == 0:
        return f"No count is below {min_cell}, so none is hidden."
    count = "" if hidden is None else f" {hidden} cell{'s' if hidden != 1 else ''} hidden."
    return (f"Counts from 1 to {min_cell - 1} are shown as {hidden_label(min_cell)}; further cells are hidden so "
            f"that no row or column total recovers them (complementary suppression).{count}")


def hide(counts: pd.DataFrame, min_cell: int, force: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts ready to show (hidden cells '<k') and the mask that hid them, decided once."""
    mask = suppression_mask(counts, min_cell, force)
    return apply_mask(counts, mask, min_cell), mask


def apply_mask(table: pd.DataFrame, mask: pd.DataFrame, min_cell: int, prefix: str = "") -> pd.DataFrame:
    """The table with every masked cell replaced by '<k' (an object table); ``prefix`` 'n' marks a percentage
    hidden because its count is ('n<k')."""
    aligned = mask.reindex(index=table.index, columns=table.columns, fill_value=False)
    return table.astype(object).where(~aligned, prefix + hidden_label(min_cell))


def suppress_counts(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Counts ready to show: hidden cells read '<k', the others keep their value."""
    return apply_mask(counts, suppression_mask(counts, min_cell), min_cell)
