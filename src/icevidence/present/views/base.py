"""The view every result has unless its analysis needs more: its tables and figures, in every format."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analyses.result import Figure, Result, Table, collected
from ...model.study import Study
from ..csv import write_csv
from ..document import Section
from ..figures import Chart, chart
from ..html import notes_html, table_html
from ..xlsx import frame_table, write_workbook


class View:
    """Renders a result: HTML for a notebook or report, a chart per figure, CSV/XLSX/figure files, appendix sections."""

    title = "Results"
    order = 100  # where the view's sections stand in an appendix (lower first)

    def shown(self, result: Result, keys: list[str] | None = None) -> list[Table]:
        """The tables a display shows: the named ones, or every table."""
        return [t for t in result.tables() if keys is None or t.key in keys]

    def html(self, result: Result, keys: list[str] | None = None, **options) -> str:
        """The tables (the named ones, default all) as escaped HTML, then the result's notes."""
        with collected(result.notes):
            tables = [table_html(t) for t in self.shown(result, keys)]
        return "\n".join(tables) + notes_html(result.notes)

    def chart(self, result: Result, key: str | None = None) -> Chart:
        """The named figure (default: the first), drawn with its caption (warnings become the result's notes)."""
        with collected(result.notes):
            return chart(figure_of(result, key))

    def spreadsheets(self, result: Result) -> list[Table]:
        """The tables a workbook holds (by default every table of the result)."""
        return result.tables()

    def write(self, result: Result, folder: Path, figures: Path | None = None, name: str | None = None) -> list[Path]:
        """Each table as CSV, all of them as one XLSX named for the report, and each figure as SVG/PDF/PNG."""
        tables = self.spreadsheets(result)
        paths = [write_csv(t.spreadsheet, folder / f"{t.key}.csv", index=t.index) for t in tables]
        paths.append(write_workbook(folder / f"{name or 'tables'}.xlsx", tables))
        if figures is not None:
            for figure in result.figures():
                paths += chart(figure).save(figures, figure.key)
        return paths

    def sections(self, result: Result) -> list[Section]:
        """One section holding the result's tables and figures."""
        return [Section(self.title, items=[*result.tables(), *result.figures()])]

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """What this analysis adds to a study's appendix (nothing unless the view says so)."""
        return []


def write_frames(frames: dict[str, pd.DataFrame], folder: Path, name: str, indexed: set[str] | None = None,
                 prose: dict[str, tuple[str, ...]] | None = None) -> list[Path]:
    """Write named DataFrames as one CSV each and all of them as one XLSX workbook (index kept for `indexed`)."""
    indexed = indexed or set()
    tables = [frame_table(df, key, index=key in indexed, prose=(prose or {}).get(key, ()))
              for key, df in frames.items()]
    paths = [write_csv(t.frame, Path(folder) / f"{t.key}.csv", index=t.index) for t in tables]
    paths.append(write_workbook(Path(folder) / f"{name}.xlsx", tables))
    return paths


def figure_of(result: Result, key: str | None) -> Figure:
    """A result's figure by key, or its first."""
    figures = result.figures()
    if not figures:
        raise LookupError(f"{type(result).__name__} has no figure")
    found = {f.key: f for f in figures}
    if key is not None and key not in found:
        raise KeyError(f"{type(result).__name__} has no figure {key!r}; it has {sorted(found)}")
    return found[key] if key is not None else figures[0]
