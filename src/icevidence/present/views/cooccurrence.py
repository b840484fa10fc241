"""How code co-occurrence reads: the strongest pairs (capped) and the c-coefficient square; the pairs written
whole as CSV."""
from __future__ import annotations

from pathlib import Path

from ...analyses.cooccurrence import Cooccurrence
from ...analyses.result import collected, register_view
from ..csv import write_csv
from ..html import notes_html
from ..preview import MAX_PAIRS, capped_html
from .base import View

NONE = "none: no passage carries two codes at this level"


class CooccurrenceView(View):
    """Co-occurring pairs, strongest first and capped, then the square among the codes of the strongest pairs."""

    title = "Code co-occurrence"

    def html(self, result: Cooccurrence, keys: list[str] | None = None, **options) -> str:
        """The pairs (capped) and the square, a sentence for either when it is empty, then the notes."""
        with collected(result.notes):
            parts = [capped_html(t, NONE, rows=MAX_PAIRS, keep=()) if t.key == "cooccurrence" else
                     capped_html(t, NONE) for t in self.shown(result, keys)]
        return "\n".join(parts) + notes_html(result.notes)

    def spreadsheets(self, result: Cooccurrence):
        """The pairs; the square is derived from them."""
        return [result.pairs_table()]

    def write(self, result: Cooccurrence, folder: Path, figures: Path | None = None,
              name: str | None = None) -> list[Path]:
        """Every pair, as one CSV."""
        return [write_csv(t.spreadsheet, folder / f"{t.key}.csv", index=t.index) for t in self.spreadsheets(result)]


register_view(Cooccurrence, CooccurrenceView())
