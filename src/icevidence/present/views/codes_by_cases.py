"""How codes × cases reads: the counts and their column percentages, each capped with a note saying where the
full table is; both written whole as CSV."""
from __future__ import annotations

from pathlib import Path

from ...analyses.codes_by_cases import CodesByCases
from ...analyses.result import collected, register_view
from ..csv import write_csv
from ..html import notes_html
from ..preview import capped_html
from .base import View


class CodesByCasesView(View):
    """Codes × cases: capped previews in HTML, every table whole in CSV."""

    title = "Codes by cases"

    def html(self, result: CodesByCases, keys: list[str] | None = None, **options) -> str:
        """The named tables (default both), each capped, then the result's notes."""
        with collected(result.notes):
            tables = [capped_html(t) for t in self.shown(result, keys)]
        return "\n".join(tables) + notes_html(result.notes)

    def write(self, result: CodesByCases, folder: Path, figures: Path | None = None,
              name: str | None = None) -> list[Path]:
        """The counts and the column percentages, each whole as one CSV named for its table."""
        return [write_csv(t.spreadsheet, folder / f"{t.key}.csv", index=t.index) for t in self.spreadsheets(result)]


register_view(CodesByCases, CodesByCasesView())
