"""Which counts an appendix hides: every suppression of the appendix goes through `_mask`."""
from __future__ import annotations

import pandas as pd

from ..suppression import hidden_label, suppression_mask


def _mask(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """True where a count is hidden: below min_cell (not 0), plus complementary cells.

    The single place the appendix decides suppression (the shared icevidence.suppression rule), so
    tables, figures, quotes and captions agree.
    """
    return suppression_mask(counts.fillna(0).astype(int), min_cell)


def hidden_text(min_cell: int) -> str:
    """How a hidden count prints (the shared '<k')."""
    return hidden_label(min_cell)


def hide_counts(counts: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts with hidden cells replaced by '<k' (object dtype), and the mask used."""
    mask = _mask(counts, min_cell)
    shown = counts.astype(object).where(~mask, hidden_text(min_cell))
    return shown, mask


def suppression_note(min_cell: int, hidden: int) -> str:
    """The caption's sentence on suppression."""
    if min_cell <= 1:
        return "No counts suppressed (min_cell = 0)."
    return (f"Counts below {min_cell} (other than 0) are shown as {hidden_text(min_cell)}, with further cells "
            f"hidden so that totals cannot recover them; {hidden} cell{'s' if hidden != 1 else ''} hidden.")
