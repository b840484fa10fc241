"""Read one sheet of a CSV, XLS or XLSX export as text, with row and cell caps and clear errors.

The kind of file is told by its first bytes, not its extension. CSV: UTF-8 (a BOM is dropped) or
UTF-16 with a BOM, the delimiter sniffed among ``;``, ``,`` and tab, CRLF or LF line ends; U+2029
inside a cell is kept (it is not a row end). Every cell comes back as text (whole numbers without
'.0'), empty cells as missing. The frame's index is the row number a spreadsheet program shows
(the header is the row before the first data row), so errors can name it.
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import MalformedExportError, UnsafeInputError
from .safety import (
    MAX_FIELD_CHARS,
    MAX_ROWS,
    MAX_TOTAL_BYTES,
    check_shared_strings,
    iter_member_names,
    open_zip,
    refuse_doctype,
)

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SNIFF_CHARS = 65536
MAX_COLUMNS = 16_384               # Excel's own limit
DELIMITERS = ";,\t"


def read_sheet(path: Path, *, sheet: str | int | None = None, encoding: str | None = None,
               max_rows: int = MAX_ROWS, max_field_chars: int = MAX_FIELD_CHARS,
               skipped: list[dict] | None = None) -> pd.DataFrame:
    """Read a CSV/XLS/XLSX sheet as text cells; with a `skipped` list, ragged CSV rows go there, not raise."""
    path = Path(path)
    if not path.is_file():
        raise MalformedExportError(str(path), "", "no such file", remedy="check the path and import again.")
    kind = sheet_kind(path)
    if kind == "xlsx":
        rows = iter_xlsx_rows(path, sheet)
    elif kind == "xls":
        rows = iter_xls_rows(path, sheet, max_rows)
    else:
        rows = iter_csv_rows(path, encoding, max_field_chars)
    frame = frame_from_rows(rows, str(path), max_rows, max_field_chars, skipped)
    frame.attrs["file"] = str(path)
    frame.attrs["kind"] = kind
    return frame


def sheet_kind(path: Path) -> str:
    """'xlsx', 'xls' or 'csv', told by the file's first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    return "csv"


def frame_from_rows(rows: Iterable[tuple[int, list[Any]]], file: str, max_rows: int, max_field_chars: int,
                    skipped: list[dict] | None) -> pd.DataFrame:
    """Build the text frame from (row number, cells), taking the first non-empty row as the header."""
    header: list[str] | None = None
    header_row = 0
    records: list[list[str | None]] = []
    numbers: list[int] = []
    for number, cells in rows:
        values = [cell_text(c) for c in cells]
        if all(v is None for v in values):
            continue
        if header is None:
            check_header(values, file, number, max_field_chars)
            header, header_row = header_names(values), number
            continue
        check_row_count(len(records), max_rows, file, number)
        check_cell_lengths(values, header, file, number, max_field_chars)
        if fits_header(values, header, file, number, skipped):
            records.append(values[:len(header)] + [None] * (len(header) - len(values)))
            numbers.append(number)
    if header is None:
        raise MalformedExportError(file, "", "the sheet is empty (no header row)",
                                   remedy="export the table again with its header row.")
    frame = pd.DataFrame(records, columns=header, index=pd.Index(numbers, name="row"), dtype="string")
    frame.attrs["header_row"] = header_row
    return drop_empty_unnamed(frame)


def check_header(values: list[str | None], file: str, number: int, max_field_chars: int) -> None:
    """Refuse a header row with more columns than Excel allows or a header cell beyond the cap."""
    named = [v for v in values if v is not None]
    if len(values) > MAX_COLUMNS and len(named) > MAX_COLUMNS:
        raise UnsafeInputError(file, f"row {number}", f"{len(named)} columns; at most {MAX_COLUMNS} allowed",
                               remedy="check the file is a real export.")
    check_cell_lengths(values, [f"column {i + 1}" for i in range(len(values))], file, number, max_field_chars)


def cell_text(value: Any) -> str | None:
    """A cell as text: None for empty, whole floats without '.0', dates in ISO form."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    text = str(value)
    return text if text.strip() != "" else None


def header_names(values: list[str | None]) -> list[str]:
    """Header cells as column names: an empty one becomes 'column N', a repeated one gets ' (2)'."""
    names: list[str] = []
    for i, value in enumerate(values, start=1):
        name = value if value is not None else f"column {i}"
        base, n = name, 2
        while name in names:
            name, n = f"{base} ({n})", n + 1
        names.append(name)
    return names


def drop_empty_unnamed(frame: pd.DataFrame) -> pd.DataFrame:
    """Drop trailing columns that have neither a header nor any value."""
    keep = list(frame.columns)
    while keep and keep[-1].startswith("column ") and frame[keep[-1]].isna().all():
        keep.pop()
    return frame[keep]


def check_row_count(count: int, max_rows: int, file: str, number: int) -> None:
    """Refuse a sheet with more data rows than the cap, naming the first row beyond it."""
    if count >= max_rows:
        raise UnsafeInputError(file, f"row {number}", f"more than {max_rows} data rows",
                               remedy="split the export into smaller files, or check it is the right file.")


def check_cell_lengths(values: list[str | None], header: list[str], file: str, number: int,
                       max_field_chars: int) -> None:
    """Refuse a cell longer than the cap, naming its row and column."""
    for i, value in enumerate(values):
        if value is not None and len(value) > max_field_chars:
            column = header[i] if i < len(header) else f"column {i + 1}"
            raise UnsafeInputError(file, f"row {number}, column '{column}'",
                                   f"a cell of {len(value)} characters; at most {max_field_chars} allowed",
                                   remedy="check the file is a real export; shorten the cell if it is.")


def fits_header(values: list[str | None], header: list[str], file: str, number: int,
                skipped: list[dict] | None) -> bool:
    """True when the row has no more non-empty cells than the header; else raise or list it as skipped."""
    extra = [v for v in values[len(header):] if v is not None]
    if not extra:
        return True
    problem = (f"the row has {len(header) + len(extra)} cells but the header has {len(header)} "
               "(a stray delimiter or an unclosed quote?)")
    if skipped is None:
        raise MalformedExportError(file, f"row {number}", problem,
                                   remedy="fix the quoting of that row (or pass skip_invalid=True to skip it).")
    skipped.append({"file": file, "row": number, "column": None, "place": f"row {number}", "problem": problem})
    return False


def iter_csv_rows(path: Path, encoding: str | None, max_field_chars: int) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of a delimited text file, decoding and sniffing the delimiter first."""
    text = decode_csv(path, encoding)
    delimiter = sniff_delimiter(text[:SNIFF_CHARS])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    with field_limit(max_field_chars + 1):
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise csv_error(exc, str(path), number + 1, reader.line_num, max_field_chars) from exc
            number += 1
            yield number, cells


def csv_error(exc: csv.Error, file: str, number: int, line: int, max_field_chars: int) -> Exception:
    """Turn a csv module error into one naming the row (and line) of the file."""
    place = f"row {number}" + (f" (line {line})" if line != number else "")
    if "field larger than field limit" in str(exc):
        return UnsafeInputError(file, place, f"a cell longer than {max_field_chars} characters",
                                remedy="check the file is a real export; shorten the cell if it is.")
    return MalformedExportError(file, place, f"not readable as CSV ({exc})",
                                remedy="check the quoting of that row and re-export as CSV.")


@contextlib.contextmanager
def field_limit(limit: int) -> Iterator[None]:
    """Set the csv module's cell size limit for the block, restoring it afterwards."""
    old = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def decode_csv(path: Path, encoding: str | None) -> str:
    """The file's text: UTF-8 (BOM dropped), UTF-16 with BOM, or the given encoding; else name the line."""
    if path.stat().st_size > MAX_TOTAL_BYTES:
        raise UnsafeInputError(str(path), "", f"larger than the cap of {MAX_TOTAL_BYTES} bytes")
    data = path.read_bytes()
    if encoding is None:
        encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise decode_error(exc, data, str(path), encoding) from exc


def decode_error(exc: Exception, data: bytes, file: str, encoding: str) -> MalformedExportError:
    """An error naming the row and byte where decoding failed, and how to fix it."""
    if not isinstance(exc, UnicodeDecodeError):
        return MalformedExportError(file, "", f"unknown encoding {encoding!r}",
                                    remedy="give a Python codec name such as 'cp1250' or 'latin-1'.")
    line = data[:exc.start].count(b"\n") + 1
    bad = data[exc.start:exc.start + 4]
    return MalformedExportError(
        file, f"line {line}, byte {exc.start}", f"not valid {encoding.upper()} text (bytes {bad!r}: {exc.reason})",
        remedy="export the file as UTF-8 (Excel: 'CSV UTF-8'), or pass its encoding (e.g. encoding='cp1250').")


def sniff_delimiter(sample: str) -> str:
    """The delimiter among ';', ',' and tab: csv.Sniffer on the sample, else the most frequent in the header."""
    first = sample.split("\n", 1)[0]
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        found = None
    if found and first.count(found):
        return found
    counts = {d: first.count(d) for d in DELIMITERS}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def iter_xlsx_rows(path: Path, sheet: str | int | None) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cells) of one worksheet of an .xlsx workbook, read-only and streaming."""
    import openpyxl
    check_xlsx_members(path)
    with open(path, "rb") as handle:
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
            raise MalformedExportError(str(path), "", f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})",
                                       remedy="open and save it again in a spreadsheet program, or re-export.") from exc
        try:
            worksheet = pick_sheet(workbook.worksheets, workbook.sheetnames, sheet, str(path))
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        except MalformedExportError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise MalformedExportError(str(path), "", f"the worksheet cannot be read ({type(exc).__name__}: {exc})",
                                       remedy="open and save it again in a spreadsheet program, or re-export.") from exc
        finally:
            workbook.close()


def check_xlsx_members(path: Path) -> None:
    """Refuse an .xlsx that is a zip bomb, escapes its folder, holds too many shared strings, or declares a
    DOCTYPE in any XML part."""
    with open_zip(path) as archive:
        check_shared_strings(archive, path)
        for name in iter_member_names(archive):
            if name.endswith((".xml", ".rels")):
                with archive.open(name) as member:
                    refuse_doctype(member.read(4096), f"{path} (member '{name}')")


def pick_sheet(sheets: list[Any], names: list[str], sheet: str | int | None, file: str) -> Any:
    """The requested sheet (by name or index), else the first; raise naming the sheets there are."""
    if sheet is None:
        sheet = 0
    if isinstance(sheet, int) and 0 <= sheet < len(sheets):
        return sheets[sheet]
    if isinstance(sheet, str) and sheet in names:
        return sheets[names.index(sheet)]
    raise MalformedExportError(file, f"sheet {sheet!r}", f"no such sheet; the workbook has {names}",
                               remedy="name one of the listed sheets.")


def iter_xls_rows(path: Path, sheet: str | int | None, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    """Yield (row number, cells) of one sheet of a legacy .xls workbook, dates as datetimes."""
    import xlrd
    if path.stat().st_size > MAX_TOTAL_BYTES:
        raise UnsafeInputError(str(path), "", f"larger than the cap of {MAX_TOTAL_BYTES} bytes")
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
        worksheet = pick_sheet([book.sheet_by_index(i) for i in range(book.nsheets)], book.sheet_names(),
                               sheet, str(path))
    except MalformedExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, struct errors ...
        raise MalformedExportError(str(path), "", f"not a readable .xls workbook ({type(exc).__name__}: {exc})",
                                   remedy="open and save it again in a spreadsheet program, or re-export.") from exc
    if worksheet.nrows > max_rows + 2:
        raise UnsafeInputError(str(path), f"row {max_rows + 2}", f"more than {max_rows} data rows",
                               remedy="split the export into smaller files, or check it is the right file.")
    for index in range(worksheet.nrows):
        yield index + 1, [xls_value(cell, book.datemode) for cell in worksheet.row(index)]


def xls_value(cell: Any, datemode: int) -> Any:
    """A Python value for one xlrd cell (dates converted, errors and blanks as None)."""
    import xlrd
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    return cell.value


def reject_row(skipped: list[dict] | None, file: str, row: int | None, column: str | None, problem: str,
               remedy: str = "correct the cell or re-export the file (or pass skip_invalid=True to skip the row).",
               place: str | None = None) -> None:
    """List a bad row in `skipped` when skipping invalid rows, else raise naming file, row (or place) and column."""
    where = place or ", ".join(p for p in (f"row {row}" if row is not None else "",
                                           f"column '{column}'" if column else "") if p)
    if skipped is not None:
        skipped.append({"file": file, "row": row, "column": column, "place": where, "problem": problem})
        return
    raise MalformedExportError(file, where, problem, remedy=remedy)


def iter_records(frame: pd.DataFrame, columns: dict[str, str | None]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """Yield (row number, {field: text or None}) for each row, reading the mapped columns."""
    fields = list(columns)
    present = {f: c for f, c in columns.items() if c is not None}
    values = [frame[c].tolist() for c in present.values()]
    for i, number in enumerate(frame.index):
        record: dict[str, str | None] = dict.fromkeys(fields)
        for f, column_values in zip(present, values):
            value = column_values[i]
            record[f] = None if value is None or value is pd.NA or (isinstance(value, float) and value != value) \
                else str(value)
        yield int(number), record


def whole_number(value: str | None, minimum: int = 0) -> int | None:
    """An int from a cell such as '3' or '3.0', or None when empty, not whole or below minimum."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return int(number) if number.is_integer() and number >= minimum else None
