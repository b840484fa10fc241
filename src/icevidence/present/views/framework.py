"""How the framework matrix reads: one table per code group, quotes left-aligned and wrapped with their line
breaks kept, each table capped; written whole as CSV and as a workbook of the same tables, text wrapped.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analyses.framework import FrameworkMatrix
from ...analyses.result import Table, collected, register_view
from ..csv import write_csv
from ..html import notes_html
from ..preview import MAX_CELL_CHARS, MAX_COLUMNS, MAX_FRAMEWORK_ROWS, capped_html
from ..xlsx import write_workbook
from .base import View

XLSX_FRAMEWORK_CHARS = 20_000_000   # beyond this the workbook points to the CSV (openpyxl is slow on huge text)
WHOLE = "framework_matrix"


class FrameworkView(View):
    """The framework matrix split to fit a page: capped previews in HTML; the whole as CSV, the tables as XLSX."""

    title = "Framework matrix"

    def html(self, result: FrameworkMatrix, keys: list[str] | None = None, **options) -> str:
        """Each table (default all; at most MAX_COLUMNS theme columns in all) capped in rows and cell length, then
        the result's notes."""
        with collected(result.notes):
            tables, left = first_columns(self.shown(result, keys), MAX_COLUMNS)
            parts = [capped_html(t, rows=MAX_FRAMEWORK_ROWS, columns=MAX_COLUMNS, keep=(), full=f"{WHOLE}.csv",
                                 chars=MAX_CELL_CHARS) for t in tables]
        more = [f"{left} more table(s) of this matrix are not shown here; every table is a sheet of {WHOLE}.xlsx "
                f"and the whole matrix is in {WHOLE}.csv, listed at the end."] if left else []
        return "\n".join(parts) + notes_html([*more, *result.notes])

    def spreadsheets(self, result: FrameworkMatrix) -> list[Table]:
        """The tables a reader reads, one sheet each (a note instead when the quotes are too many for a workbook)."""
        characters = int(result.matrix.map(len).to_numpy().sum()) if result.matrix.size else 0
        if characters <= XLSX_FRAMEWORK_CHARS:
            return result.tables()
        note = pd.DataFrame({"note": [f"{characters} characters of quotes: too many for a workbook; see "
                                      f"{WHOLE}.csv beside it"]},
                            index=pd.Index(["framework matrix"], name=result.matrix.index.name))
        return [Table(WHOLE, result.whole().title, note, index=True)]

    def write(self, result: FrameworkMatrix, folder: Path, figures: Path | None = None,
              name: str | None = None) -> list[Path]:
        """The whole matrix as CSV, and its tables as one XLSX workbook (wrapped text, one sheet per table)."""
        tables = self.spreadsheets(result)
        names = result.group_names() if len(tables) == len(result.parts) else None
        return [write_csv(result.matrix, folder / f"{WHOLE}.csv"),
                write_workbook(folder / f"{name or WHOLE}.xlsx", tables, names)]


def first_columns(tables: list[Table], limit: int) -> tuple[list[Table], int]:
    """The first tables holding at most ``limit`` columns in all (always the first), and how many are left out."""
    shown, columns = [], 0
    for table in tables:
        columns += len(table.frame.columns)
        if shown and columns > limit:
            break
        shown.append(table)
    return shown, len(tables) - len(shown)


register_view(FrameworkMatrix, FrameworkView())
