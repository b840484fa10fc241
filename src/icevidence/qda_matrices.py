"""The QDA matrices report: codes × cases, code co-occurrence and the framework matrix, shown capped.

The HTML shows the head of each matrix (so a 1M-coding study still gives a small report) and
says where the full table is: every matrix is written whole as CSV, the framework matrix also as
an XLSX with wrapped text. All strings are escaped on output.
"""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from . import config
from .cooccurrence import cooccurrence, cooccurrence_matrix
from .framework import framework_matrix, write_framework_xlsx
from .matrix import TOTAL, UNITS, theme_matrix
from .present.tables import write_csv
from .study import Study

MAX_ROWS = 60
MAX_COLUMNS = 40
MAX_PAIRS = 50
MAX_HEATMAP_CODES = 30
MAX_FRAMEWORK_ROWS = 30
MAX_CELL_CHARS = 400
XLSX_FRAMEWORK_CHARS = 20_000_000   # beyond this the workbook points to the CSV (openpyxl is slow on huge text)


def codes_by_cases(study: Study, level: str, unit: str, group_by: str) -> pd.DataFrame:
    """The matrix coding query: codes at ``level`` by ``group_by`` (participant_id = cases), in ``unit``."""
    return theme_matrix(study, level=level, unit=unit if unit in UNITS else "references", group_by=group_by)


def cap(table: pd.DataFrame, rows: int = MAX_ROWS, columns: int = MAX_COLUMNS,
        keep: tuple[str, ...] = (TOTAL,)) -> tuple[pd.DataFrame, str | None]:
    """The first rows and columns of a table (kept columns such as total stay), and a note when cut."""
    shown_columns = list(table.columns[:columns]) + [c for c in keep if c in table.columns
                                                      and c not in table.columns[:columns]]
    shown = table.iloc[:rows][shown_columns]
    if shown.shape == table.shape:
        return table, None
    return shown, (f"showing {len(shown)} of {len(table)} rows and {len(shown.columns)} of {len(table.columns)} "
                   "columns; the full table is in the CSV listed at the end")


def framework_preview(matrix: pd.DataFrame, rows: int = MAX_FRAMEWORK_ROWS,
                      chars: int = MAX_CELL_CHARS) -> tuple[pd.DataFrame, str | None]:
    """The first rows of the framework matrix with each cell cut to ``chars`` characters."""
    shown, note = cap(matrix, rows=rows, columns=MAX_COLUMNS, keep=())
    cut = shown.map(lambda v: v if len(v) <= chars else v[:chars] + f" … [{len(v) - chars} more characters]")
    if (cut != shown).any().any():
        note = (note + "; " if note else "") + f"long cells are cut at {chars} characters; the XLSX holds them whole"
    return cut, note


def top_pairs(study: Study, level: str, unit: str) -> pd.DataFrame:
    """Every co-occurring pair (strongest first), in the report's unit where it applies."""
    return cooccurrence(study, level=level, unit=unit if unit == "participants" else "references")


def heatmap_codes(pairs: pd.DataFrame, limit: int = MAX_HEATMAP_CODES) -> pd.DataFrame:
    """The c-coefficient matrix over the codes of the strongest pairs (at most ``limit`` codes)."""
    codes: list[str] = []
    for a, b in zip(pairs["code_a"], pairs["code_b"]):
        for code in (a, b):
            if code not in codes and len(codes) < limit:
                codes.append(code)
    kept = pairs[pairs["code_a"].isin(codes) & pairs["code_b"].isin(codes)]
    return cooccurrence_matrix(kept, value="c")


def table_html(table: pd.DataFrame, caption: str, note: str | None = None, index: bool = True,
               empty: str = "none") -> str:
    """A table as escaped HTML with its caption and, when it was cut, the note saying so."""
    if table.empty:
        return f"<p><strong>{html.escape(caption)}:</strong> {html.escape(empty)}.</p>"
    body = table.to_html(escape=True, index=index, na_rep="", border=0, classes="icevidence-table")
    extra = f'<p class="icevidence-note"><em>{html.escape(note)}</em></p>' if note else ""
    return f"<p><strong>{html.escape(caption)}</strong></p>{body}{extra}"


def write_qda_tables(cases: pd.DataFrame, pairs: pd.DataFrame, framework: pd.DataFrame, report_id: str,
                     folder: Path | None = None) -> list[Path]:
    """Write every matrix whole: codes × cases and co-occurrence as CSV, the framework matrix as CSV and XLSX
    (into reports/tables/<report_id>/, or ``folder``)."""
    folder = Path(folder) if folder is not None else config.TABLES / report_id
    characters = int(framework.map(len).to_numpy().sum()) if framework.size else 0
    workbook = framework if characters <= XLSX_FRAMEWORK_CHARS else pd.DataFrame(
        {"note": [f"{characters} characters of quotes: too many for a workbook; see framework_matrix.csv beside it"]},
        index=pd.Index(["framework matrix"], name=framework.index.name))
    return [write_csv(cases, folder / "codes_by_cases.csv"),
            write_csv(pairs, folder / "cooccurrence.csv", index=False),
            write_csv(framework, folder / "framework_matrix.csv"),
            write_framework_xlsx(workbook, folder / "framework_matrix.xlsx")]


def write_all_matrices(study: Study, level: str = "main", unit: str = "references", group_by: str = "participant_id",
                       folder: Path | None = None) -> list[Path]:
    """Compute the three matrices of a study and write them whole (the `icevidence matrices` command)."""
    return write_qda_tables(codes_by_cases(study, level, unit, group_by), top_pairs(study, level, unit),
                            framework_matrix(study, level=level, group_by=group_by), f"{study.id}-qda-matrices",
                            folder)
