"""Write result tables as CSV and XLSX, fit to paste, formulas neutralised, byte-identical for equal content.

Formula injection (OWASP CSV injection advice): a text cell starting with '=', '+', '-', '@', a
tab or a carriage return gets a leading apostrophe, in CSV and XLSX alike, and XLSX cells are
written as strings, never formulas. Numbers stay numbers.
"""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from ..atomic import write_bytes

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = pd.Timestamp("2000-01-01T00:00:00")
DCTERMS = "http://purl.org/dc/terms/"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT_SUFFIX = "%"
MAX_WIDTH = 60


def neutralise(value: object) -> object:
    """A text value that a spreadsheet cannot run: a leading apostrophe before =, +, -, @, tab or CR."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell, index label and column label neutralised."""
    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            out[column] = neutralise_column(out[column])
    out.index = neutralise_index(out.index)
    out.columns = neutralise_index(out.columns)
    return out


def neutralise_column(column: pd.Series) -> pd.Series:
    """A column as objects with its risky text cells neutralised (vectorised: reports can hold 1M quotes)."""
    values = column.astype(object)
    try:
        risky = values.str.startswith(FORMULA_STARTS, na=False).astype(bool)
    except AttributeError:  # no text in the column
        return values
    if risky.any():
        values = values.copy()
        values[risky] = "'" + values[risky]
    return values


def neutralise_index(index: pd.Index) -> pd.Index:
    """An index whose text labels and names are neutralised."""
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(neutralise(v) for v in t) for t in index],
                                         names=[neutralise(n) for n in index.names])
    if pd.api.types.is_numeric_dtype(index):
        return index
    return pd.Index([neutralise(v) for v in index], name=neutralise(index.name), dtype=object)


def write_table(df: pd.DataFrame, folder: Path, name: str, index: bool = True, caption: str | None = None,
                note: str | None = None) -> list[Path]:
    """Write one table as <name>.csv and <name>.xlsx in folder; return both paths."""
    xlsx_path = write_bytes(folder / f"{name}.xlsx",
                            xlsx_bytes({name: df}, index=index, captions={name: caption}, notes={name: note}))
    return [write_csv(df, folder / f"{name}.csv", index=index), xlsx_path]


def write_csv(df: pd.DataFrame, path: Path, index: bool = True) -> Path:
    """Write a table as UTF-8 CSV with LF line ends, text cells neutralised and quoted.

    Every text cell is quoted: a bare carriage return inside an unquoted cell would start a new
    row (and a formula) in a spreadsheet.
    """
    text = neutralise_frame(df).to_csv(index=index, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)
    return write_bytes(path, text.encode("utf-8"))


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, index: bool = True,
                   captions: dict[str, str | None] | None = None, notes: dict[str, str | None] | None = None) -> Path:
    """Write several tables as sheets of one XLSX workbook."""
    return write_bytes(path, xlsx_bytes(sheets, index=index, captions=captions, notes=notes))


def xlsx_bytes(sheets: dict[str, pd.DataFrame], index: bool = True, captions: dict[str, str | None] | None = None,
               notes: dict[str, str | None] | None = None) -> bytes:
    """Render sheets to XLSX bytes with fixed timestamps, so equal tables give equal bytes."""
    from openpyxl import Workbook
    book = Workbook()
    book.remove(book.active)
    book.properties.created = FIXED_DOC_TIME.to_pydatetime()
    book.properties.modified = FIXED_DOC_TIME.to_pydatetime()
    for name, df in sheets.items():
        sheet = book.create_sheet(safe_sheet_name(name))
        fill_sheet(sheet, as_columns(df, index), (captions or {}).get(name), (notes or {}).get(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


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


def fill_sheet(sheet, frame: pd.DataFrame, caption: str | None, note: str | None) -> None:
    """Caption row, bold frozen header with autofilter, typed cells, column widths and a source note."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    top = 1
    if caption:
        put(sheet.cell(row=1, column=1), caption).font = Font(bold=True, size=12)
        top = 3
    for j, column in enumerate(frame.columns, start=1):
        put(sheet.cell(row=top, column=j), str(column)).font = Font(bold=True)
    percent = [str(c).endswith(PERCENT_SUFFIX) for c in frame.columns]
    for i, row in enumerate(frame.itertuples(index=False), start=top + 1):
        for j, value in enumerate(row, start=1):
            cell = put(sheet.cell(row=i, column=j), value)
            if percent[j - 1] and isinstance(cell.value, float):
                cell.value = cell.value / 100
                cell.number_format = "0.0%"
    last_row = top + len(frame)
    if len(frame.columns):
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1)
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(frame.columns))}{max(last_row, top)}"
    if note:
        put(sheet.cell(row=last_row + 2, column=1), note).font = Font(italic=True)
    for j, column in enumerate(frame.columns, start=1):
        longest = max([len(str(column))] + [len(str(v)) for v in frame.iloc[:, j - 1].head(2000) if v is not None])
        sheet.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, max(8, longest + 2))


def put(cell, value: object):
    """Set a cell: numbers as numbers, missing as empty, text neutralised and typed as a string."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        cell.value = None
    elif isinstance(value, (bool, np.bool_)):
        cell.value = bool(value)
    elif isinstance(value, (int, np.integer)):
        cell.value = int(value)
    elif isinstance(value, (float, np.floating)):
        cell.value = float(value)
    else:
        cell.value = neutralise(str(value))
        cell.data_type = "s"
    return cell


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps and sorted-stable order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            dst.writestr(fixed, fix_core_properties(data) if info.filename == "docProps/core.xml" else data)
    return out.getvalue()


def fix_core_properties(xml: bytes) -> bytes:
    """Set the workbook's created/modified stamps (openpyxl writes the save time) to a fixed date."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for name in ("created", "modified"):
        for element in root.iter(f"{{{DCTERMS}}}{name}"):
            element.text = "2000-01-01T00:00:00Z"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def safe_sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "Sheet"
