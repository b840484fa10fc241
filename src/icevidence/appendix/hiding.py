"""Which counts an appendix hides: every suppression of the appendix goes through `_mask`."""
from __future__ import annotations

import pandas as pd


def _mask(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """True where a count is hidden: below min_cell (not 0), plus complementary cells.

    The single place the appendix decides suppression (today icevidence.sample.suppress; to be
    re-pointed at the shared suppression module), so tables, figures, quotes and captions agree.
    """
    from ..sample import suppress
    return suppress(counts.fillna(0).astype(int), min_cell)


def hidden_text(min_cell: int) -> str:
    """How a hidden count prints."""
    return f"<{min_cell}"


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
