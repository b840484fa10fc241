"""The one XLSX writer: result tables as sheets fit to paste, formulas neutralised, equal content equal bytes.

Every sheet: the caption in its first row, a bold frozen header with filters, numbers as numbers
(a column whose label ends in '%' holds percentages 0–100 and is written as a fraction with a %
format, so every workbook reads 42.4% alike), running text wrapped in wide columns that share a
landscape page between them (a sheet of running text prints fit to the page's width), the notes
below. Text cells are neutralised (a leading apostrophe before a formula start) and typed as
strings, never formulas; characters XML cannot hold are dropped.
"""
from __future__ import annotations

import io
import math
import numbers
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from ..analyses.result import Table
from ..model.atomic import write_bytes
from .escape import neutralise
from .stable import FIXED_TIME, normalise_zip
from .text import column_label

PERCENT_SUFFIX = "%"
MAX_WIDTH = 60
PROSE_WIDTH = 80
PAGE_WIDTH = 140            # characters of column width a landscape A4 page prints at 100%
MIN_PROSE_WIDTH = 30
WIDTH_SAMPLE = 2000
MAX_SHEET_ROWS = 100_000    # beyond this a sheet points to the CSV beside it (Excel stops at 1,048,576 rows)
CELL_LIMIT = 32_767         # Excel's most characters in one cell
CUT_NOTE = " … [cut: see the CSV for the rest]"
ILLEGAL = {c for c in range(32) if c not in (9, 10, 13)}
ILLEGAL_TABLE = dict.fromkeys(ILLEGAL)


def workbook_bytes(tables: Sequence[Table], names: Sequence[str] | None = None,
                   readme: Sequence[Sequence[object]] | None = None) -> bytes:
    """Render tables as sheets (named by ``names`` or their keys), after an optional README sheet of rows."""
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "icevidence"
    if readme is not None:
        fill_readme(book.create_sheet("README"), readme)
    fields: list[list[object]] = []
    for position, table in enumerate(tables):
        sheet = book.create_sheet(unique_sheet_name(book, names[position] if names else table.key))
        fields += [[sheet.title, label, name] for label, name in fill_sheet(sheet, table) if label != name]
    if fields:
        fill_readme(book.create_sheet(unique_sheet_name(book, "Fields")),
                    [["Sheet", "Column", "Field name (in the CSV and the data)"], *fields])
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def write_workbook(path: Path, tables: Sequence[Table], names: Sequence[str] | None = None,
                   readme: Sequence[Sequence[object]] | None = None) -> Path:
    """Write tables as one XLSX workbook, atomically."""
    return write_bytes(path, workbook_bytes(tables, names, readme))


def frame_table(df: pd.DataFrame, key: str, caption: str | None = None, note: str | None = None,
                index: bool = True, prose: tuple[str, ...] = ()) -> Table:
    """A bare DataFrame as a table to write (its caption and note as given)."""
    return Table(key, caption or "", df, notes=[note] if note else [], index=index, prose=prose)


def fill_readme(sheet, rows: Sequence[Sequence[object]]) -> None:
    """The README sheet: one row per line, the first bold; wide columns."""
    from openpyxl.styles import Font
    for row in rows:
        sheet.append([cell_value(v) for v in row])
    if rows:
        sheet["A1"].font = Font(bold=True, size=13)
    for letter, width in zip("ABC", (24, 100, 50)):
        sheet.column_dimensions[letter].width = width


def fill_sheet(sheet, table: Table) -> list[tuple[str, str]]:
    """Caption row, bold frozen header in readers' words with autofilter, typed cells, wrapped prose, widths and
    the notes; returns each column's (label, field name)."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    frame = as_columns(table.spreadsheet, table.index)
    if len(frame) > MAX_SHEET_ROWS:
        frame = pd.DataFrame({"note": [f"{len(frame)} rows: too many for a workbook; see {table.key}.csv beside it"]})
    top = 1
    if table.title:
        put(sheet.cell(row=1, column=1), table.caption).font = Font(bold=True, size=12)
        top = 3
    labels = [(column_label(c), str(c)) for c in frame.columns]
    for j, (label, _name) in enumerate(labels, start=1):
        put(sheet.cell(row=top, column=j), label).font = Font(bold=True)
    percent = [str(c).endswith(PERCENT_SUFFIX) for c in frame.columns]
    prose = [str(c) in table.prose for c in frame.columns]
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(frame.itertuples(index=False), start=top + 1):
        for j, value in enumerate(row, start=1):
            cell = put(sheet.cell(row=i, column=j), value)
            if percent[j - 1] and isinstance(cell.value, float):
                cell.value = cell.value / 100
                cell.number_format = "0.0%"
            elif prose[j - 1]:
                cell.alignment = wrap
    last_row = top + len(frame)
    if len(frame.columns):
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(frame.columns))}{max(last_row, top)}"
    for offset, note in enumerate(table.notes, start=2):
        put(sheet.cell(row=last_row + offset, column=1), note).font = Font(italic=True)
    widest = prose_width(sum(prose))
    for j, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(j)].width = column_width(frame.iloc[:, j - 1], str(column),
                                                                           prose[j - 1], widest)
    if any(prose):
        fit_to_page_width(sheet)
    return labels


def prose_width(columns: int) -> int:
    """How wide a running-text column may be: the page shared between the sheet's running-text columns."""
    return max(MIN_PROSE_WIDTH, min(PROSE_WIDTH, PAGE_WIDTH // max(columns, 1)))


def fit_to_page_width(sheet) -> None:
    """Print the sheet landscape, scaled to the page's width (as many pages down as it needs)."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def column_width(values: pd.Series, name: str, prose: bool, widest: int = PROSE_WIDTH) -> float:
    """A column's width from its longest label or value (first rows only), up to ``widest`` for running text."""
    longest = max([len(name)] + [len(str(v)) for v in values.head(WIDTH_SAMPLE) if v is not None])
    return min(widest if prose else MAX_WIDTH, max(8, longest + 2))


def as_columns(df: pd.DataFrame, index: bool) -> pd.DataFrame:
    """The table with a meaningful index turned into leading columns, and no stray row-number column."""
    frame = df.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        frame.columns = [" ".join(str(p) for p in c if str(p)) for c in frame.columns]
    if index and not (isinstance(frame.index, pd.RangeIndex) and frame.index.name is None):
        names = [n if n is not None else ("" if i else "row") for i, n in enumerate(frame.index.names)]
        frame.index = frame.index.set_names(names)
        frame = frame.reset_index()
    return frame.reset_index(drop=True)


def cell_value(value: object) -> object:
    """A value as a spreadsheet holds it: numbers as numbers, missing as empty, anything else as safe text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return None if math.isnan(float(value)) else float(value)
    return safe_text(value)


def safe_text(value: object) -> str:
    """Text a spreadsheet shows as text: formula starts neutralised, characters XML forbids dropped, and
    cut (saying so) beyond the most a cell holds."""
    text = neutralise(str(value).translate(ILLEGAL_TABLE))
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE


def put(cell, value: object):
    """Set a cell from a value (see cell_value); text is typed as a string, never a formula."""
    cell.value = cell_value(value)
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def unique_sheet_name(book, name: str) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\) not yet used in the book."""
    base = safe_sheet_name(name)
    candidate, n = base, 2
    while candidate in book.sheetnames:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    return candidate


def safe_sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(name))
    return cleaned[:31] or "Sheet"
