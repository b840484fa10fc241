"""The appendix's tables as one XLSX workbook: a README sheet, then one sheet per table (S1, S2, …)."""
from __future__ import annotations

import io
import math
import numbers

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from ..present.tables import FIXED_DOC_TIME, neutralise, normalise_zip
from .model import Appendix, Table

MAX_WIDTH = 60
ILLEGAL = {c for c in range(32) if c not in (9, 10, 13)}


def safe_text(value: object) -> str:
    """A string a spreadsheet shows as text: formula starts prefixed with ', control characters dropped."""
    return neutralise("".join(ch for ch in str(value) if ord(ch) not in ILLEGAL))


def cell_value(value: object) -> object:
    """Numbers stay numbers; everything else becomes neutralised text; missing stays empty."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return safe_text(value)
    if isinstance(value, numbers.Number):
        return None if isinstance(value, float) and math.isnan(value) else value
    return safe_text(value)


def xlsx_bytes(appendix: Appendix) -> bytes:
    """Render the workbook; equal content gives equal bytes."""
    book = Workbook()
    book.properties.created = book.properties.modified = FIXED_DOC_TIME.to_pydatetime()
    book.properties.creator = "icevidence"
    write_readme(book.active, appendix)
    for table in appendix.tables:
        write_sheet(book.create_sheet(table.number), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def write_readme(sheet, appendix: Appendix) -> None:
    """The README sheet: title, source, then each sheet's caption and source."""
    sheet.title = "README"
    sheet.append([safe_text(appendix.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    for label, text in appendix.front:
        sheet.append([safe_text(label), safe_text(text)])
    sheet.append([])
    sheet.append(["Sheet", "Caption", "Source"])
    header_row = sheet.max_row
    for table in appendix.tables:
        sheet.append([table.number, safe_text(f"{table.label}. {table.caption}"), safe_text(table.source)])
    sheet.append([])
    sheet.append(["Built with", safe_text(", ".join(f"{k}={v}" for k, v in appendix.parameters.items()))])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    sheet.column_dimensions["C"].width = 50


def write_sheet(sheet, table: Table) -> None:
    """One table: bold frozen header, autofilter, column widths, numbers as numbers."""
    columns = [str(c) for c in table.frame.columns]
    sheet.append([safe_text(c) for c in columns])
    for row in table.frame.itertuples(index=False, name=None):
        sheet.append([cell_value(v) for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.frame) + 1}"
    for j, name in enumerate(columns, start=1):
        longest = max([len(name), *(len(str(v)) for v in table.frame.iloc[:2000, j - 1].tolist())])
        sheet.column_dimensions[get_column_letter(j)].width = min(MAX_WIDTH, longest + 2)
