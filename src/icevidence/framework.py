"""Framework matrix: participants (or any group) × themes, each cell the quotes behind it.

What NVivo calls a framework matrix and MAXQDA a Summary Grid: one row per participant, one
column per theme at the chosen level, and in each cell that participant's quotes on that theme
(each with its location), for reading across a case or down a theme. Written to XLSX with wrapped
text; every cell starting with = + - @ or a tab/CR is prefixed with ' so no spreadsheet runs it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .atomic import write_bytes
from .matrix import TOTAL, UNKNOWN, as_study, evidence, group_columns
from .present.tables import neutralise, normalise_zip
from .study import Study

QUOTE_SEPARATOR = "\n\n"
XLSX_CELL_LIMIT = 32_767          # Excel's maximum characters in one cell
COLUMN_WIDTH = 60


def framework_matrix(study: Study | str, level: str = "main", group_by: str = "participant_id") -> pd.DataFrame:
    """Rows: groups (every participant by default, in sample order, then unknown); columns: themes at
    ``level`` with quotes, in codebook order; cells: the quotes, each followed by its location in
    brackets, separated by a blank line."""
    study = as_study(study)
    coded = evidence(study, level, group_by)
    coded["quote"] = coded["text"].astype(str) + " [" + coded["location"].astype(str) + "]"
    coded = coded.sort_values(["row", "group", "segment_id"], kind="stable")
    cells = coded.groupby(["group", "row"], observed=True, sort=False)["quote"].agg(QUOTE_SEPARATOR.join)
    themes = [t for t in coded["row"].cat.categories if t in set(coded["row"].dropna())]
    present = set(coded["group"])
    groups = [g for g in group_columns(study, group_by, coded["group"]) if g != TOTAL and (g != UNKNOWN or g in present)]
    matrix = cells.unstack("row").reindex(index=groups, columns=themes).fillna("")
    matrix.index.name, matrix.columns.name = group_by, f"{level} code"
    return matrix


def clip(value: object) -> object:
    """Text without the control characters XLSX cannot hold, cut (saying so) beyond an Excel cell's size."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, str) and len(value) > XLSX_CELL_LIMIT:
        note = " … [cut: see the CSV for the rest]"
        return value[:XLSX_CELL_LIMIT - len(note)] + note
    return value


def write_framework_xlsx(matrix: pd.DataFrame, path: Path) -> Path:
    """Write the framework matrix as one XLSX sheet with wrapped, top-aligned text, atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    sheet = book.active
    sheet.title = "framework matrix"
    sheet.append([clip(neutralise(str(matrix.index.name or ""))), *(clip(neutralise(str(c))) for c in matrix.columns)])
    for group, row in matrix.iterrows():
        sheet.append([clip(neutralise(str(group))), *(clip(neutralise(v)) for v in row.tolist())])
    wrap = Alignment(wrap_text=True, vertical="top")
    for line in sheet.iter_rows():
        for cell in line:
            cell.alignment = wrap
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = COLUMN_WIDTH
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return write_bytes(Path(path), normalise_zip(buffer.getvalue()))
