"""Defences against hostile or broken input: safe zips, XML without entities, size caps."""
from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pandas as pd
from lxml import etree

from ..model.characters import STRIPPED, clean_name, lookalikes, removed_from
from .errors import MalformedExportError, UnsafeInputError

MAX_TOTAL_BYTES = 2 * 1024**3      # uncompressed size of all members of one archive
MAX_RATIO = 200                    # uncompressed / compressed, per member and overall
MAX_MEMBERS = 100_000
RATIO_FLOOR_BYTES = 1024**2        # members smaller than this are never refused for their ratio
MAX_ROWS = 2_000_000               # rows in one spreadsheet or CSV
MAX_FIELD_CHARS = 1_000_000        # characters in one spreadsheet cell
MAX_SHARED_STRINGS = 1_500_000     # strings in one workbook's sharedStrings part (openpyxl holds them all)
SHARED_STRINGS_SLACK = 10_000      # strings allowed beyond the number of cells that can use them
MAX_SHARED_STRINGS_BYTES = 256 * 1024**2  # uncompressed size of sharedStrings (keeps a read under 1 GB)
# characters XML 1.0 (and so XLSX) cannot carry: C0 controls except tab, LF, CR; U+FFFE/U+FFFF; lone surrogates
UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def open_zip(path: Path, *, max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO,
             max_members: int = MAX_MEMBERS) -> zipfile.ZipFile:
    """Open a zip after refusing corrupt archives, unsafe member paths and zip bombs."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, OSError) as exc:
        raise MalformedExportError(str(path), "", f"not a readable zip archive (truncated or corrupt: {exc})") from exc
    try:
        check_zip_members(archive, path, max_total_bytes, max_ratio, max_members)
    except Exception:
        archive.close()
        raise
    return archive


def check_zip_members(archive: zipfile.ZipFile, path: Path, max_total_bytes: int, max_ratio: float,
                      max_members: int) -> None:
    """Raise on too many members, a path escaping the archive, or a size/ratio beyond the caps."""
    infos = archive.infolist()
    if len(infos) > max_members:
        raise UnsafeInputError(str(path), "", f"the archive has {len(infos)} members; at most {max_members} allowed")
    total = compressed = 0
    seen: set[str] = set()
    for info in infos:
        check_member_name(info.filename, path)
        normal = info.filename.replace("\\", "/")
        if normal in seen:
            raise UnsafeInputError(str(path), f"member '{info.filename}'",
                                   "the archive holds two members with this name; which one a reader takes is "
                                   "undefined (a tampered archive?)",
                                   remedy="export the project again from the QDA software; do not import this file.")
        seen.add(normal)
        total += info.file_size
        compressed += info.compress_size
        if total > max_total_bytes:
            raise UnsafeInputError(str(path), f"member '{info.filename}'",
                                   f"uncompressed size exceeds the cap of {max_total_bytes} bytes (zip bomb?)")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
            raise UnsafeInputError(str(path), f"member '{info.filename}'",
                                   f"compression ratio {info.file_size / max(info.compress_size, 1):.0f}:1 "
                                   f"exceeds the cap of {max_ratio:.0f}:1 (zip bomb?)")
    if total > RATIO_FLOOR_BYTES and total > max_ratio * max(compressed, 1):
        raise UnsafeInputError(str(path), "",
                               f"overall compression ratio exceeds the cap of {max_ratio:.0f}:1 (zip bomb?)")


def check_member_name(name: str, path: Path) -> None:
    """Refuse member names that are absolute, contain '..' or a drive letter (zip-slip)."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise UnsafeInputError(str(path), f"member '{name}'", "the member path escapes the archive (zip-slip)")


def read_member(archive: zipfile.ZipFile, name: str, path: Path, limit: int = MAX_TOTAL_BYTES) -> bytes:
    """Read one member, refusing more bytes than declared or than the limit and naming corrupt members."""
    try:
        with archive.open(name) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile) as exc:
        raise MalformedExportError(str(path), f"member '{name}'", f"cannot be read ({exc})") from exc
    if len(data) > limit:
        raise UnsafeInputError(str(path), f"member '{name}'", f"larger than the cap of {limit} bytes")
    return data


def xml_parser(**options: Any) -> etree.XMLParser:
    """An lxml parser that resolves no entities, loads no DTD and touches no network."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           dtd_validation=False, **options)


def iterparse(source: str | Path | IO[bytes], events: tuple[str, ...] = ("end",), **options: Any) -> Iterator[Any]:
    """Stream (event, element) pairs like lxml.etree.iterparse, with entities, DTDs and network off."""
    src = str(source) if isinstance(source, Path) else source
    return etree.iterparse(src, events=events, resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, dtd_validation=False, **options)


def refuse_doctype(head: bytes, file: str) -> None:
    """Refuse XML whose prolog declares a DOCTYPE or ENTITY (no REFI file needs one)."""
    probe = head[:4096].lstrip(codecs.BOM_UTF8).lower()
    if b"<!doctype" in probe or b"<!entity" in probe:
        raise UnsafeInputError(file, "DOCTYPE", "the XML declares a DOCTYPE or entities, which exports never need "
                                                "(XXE or entity-expansion attack?)")


def read_text(data: bytes, file: str, place: str = "") -> str:
    """Decode UTF-8 (dropping a leading BOM, also UTF-16 with its BOM) or raise naming the file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, data = "utf-16", data
    else:
        encoding, data = "utf-8", data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise MalformedExportError(
            file, place or f"byte {exc.start}", f"not valid {encoding.upper()} text ({exc.reason})",
            remedy="save or export the file as UTF-8 and import again.") from exc


def check_table_limits(df: pd.DataFrame, file: str, *, max_rows: int = MAX_ROWS,
                       max_field_chars: int = MAX_FIELD_CHARS) -> None:
    """Refuse a spreadsheet with more rows or longer cells than the caps, naming row and column."""
    if len(df) > max_rows:
        raise UnsafeInputError(file, f"row {max_rows + 2}", f"more than {max_rows} rows")
    for column in df.columns:
        values = df[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        lengths = values.astype("string").str.len()
        too_long = lengths > max_field_chars
        if too_long.any():
            first = too_long.to_numpy().nonzero()[0][0]
            raise UnsafeInputError(file, f"row {first + 2}, column '{column}'",
                                   f"a cell of {int(lengths.iloc[first])} characters; "
                                   f"at most {max_field_chars} allowed")


def iter_member_names(archive: zipfile.ZipFile) -> list[str]:
    """Names of the archive's files (not folders)."""
    return [i.filename for i in archive.infolist() if not i.is_dir()]


SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")
STRING_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*\bt\s*=\s*[\"']s[\"']")


def check_shared_strings(archive: zipfile.ZipFile, path: Path, *, max_count: int = MAX_SHARED_STRINGS,
                         max_bytes: int = MAX_SHARED_STRINGS_BYTES) -> int:
    """Refuse a workbook whose sharedStrings part is beyond the caps; return the number of strings.

    openpyxl reads every shared string (slowly, keeping a node per string) before the first row, so
    the part is checked first, in streamed byte scans that stop at the cap: its uncompressed size,
    the number of <si> entries (a hard cap), and that number against the string cells of the
    worksheets that could use them (a workbook of 35 M strings and one cell is refused in seconds).
    """
    parts = [i for i in archive.infolist() if i.filename.lower().endswith("sharedstrings.xml")]
    count = 0
    for info in parts:
        label = f"member '{info.filename}'"
        if info.file_size > max_bytes:
            raise UnsafeInputError(str(path), label, f"the shared strings take {info.file_size} bytes; at most "
                                   f"{max_bytes} allowed", remedy="split the workbook, or save the sheet as CSV and "
                                   "import that.")
        count += count_tags(archive, info, SHARED_STRING_TAG, max_count + 1 - count)
        if count > max_count:
            raise UnsafeInputError(str(path), label, f"more than {max_count} shared strings",
                                   remedy="split the workbook, or save the sheet as CSV and import that.")
    if count > SHARED_STRINGS_SLACK:
        sheets = [i for i in archive.infolist() if "worksheets/" in i.filename.lower() and i.filename.endswith(".xml")]
        cells = 0
        for info in sheets:
            cells += count_tags(archive, info, STRING_CELL, count - SHARED_STRINGS_SLACK - cells)
        if cells + SHARED_STRINGS_SLACK < count:
            raise UnsafeInputError(str(path), f"member '{parts[0].filename}'",
                                   f"{count} shared strings but only {cells} cells that can show one "
                                   "(a workbook built to exhaust memory?)",
                                   remedy="save the sheet again from a spreadsheet program, or as CSV, "
                                          "and import that.")
    return count


def count_tags(archive: zipfile.ZipFile, info: zipfile.ZipInfo, tag: re.Pattern, stop_after: int) -> int:
    """Occurrences of a tag pattern (starting with '<') in a member, streamed; stops once above stop_after."""
    count, tail = 0, b""
    with archive.open(info) as stream:
        for chunk in iter(lambda: stream.read(1 << 22), b""):
            data = tail + chunk
            cut = data.rfind(b"<")  # a tag starts with '<': keep the last one for the next chunk
            cut = len(data) if cut < 0 else cut
            count += len(tag.findall(data, 0, cut))
            tail = data[cut:]
            if count > stop_after:
                return count
    return count + len(tag.findall(tail))


def clean_uncarriable(frame: pd.DataFrame, file: str, key: str | None, kind: str) -> tuple[pd.DataFrame, list[dict]]:
    """Remove characters XML/XLSX cannot carry (NUL, other C0 controls) from text cells; list each cleaned cell.

    Vertical tab and form feed (Word's manual line and page breaks) become a line break; the rest
    are removed. Each cleaned cell is listed (file, place, problem) for skipped.csv and the screen.
    """
    cleaned: list[dict] = []
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype):
            continue
        if not UNCARRIABLE.search("".join(v for v in values.to_numpy() if isinstance(v, str))):
            continue  # the common case, checked in one C-speed scan
        text = values.astype("string")
        hits = text.str.contains(UNCARRIABLE, na=False)
        if not hits.any():
            continue
        fixed = text[hits].str.replace("[\x0b\x0c]", "\n", regex=True).str.replace(UNCARRIABLE, "", regex=True)
        for index, before in text[hits].items():
            owner = frame.at[index, key] if key and key in frame.columns else index
            cleaned.append({"file": file, "place": f"{kind} {owner!s}, column '{column}'", "document": None,
                            "segment_id": owner if kind == "segment" else None,
                            "problem": f"kept, cleaned: removed {len(UNCARRIABLE.findall(before))} control "
                                       "character(s) that XML/XLSX cannot carry (e.g. NUL)"})
        frame.loc[hits, column] = fixed.astype(object) if values.dtype == object else fixed
    return frame, cleaned


def clean_names(frame: pd.DataFrame, columns: list[str], file: str, key: str | None,
                kind: str) -> tuple[pd.DataFrame, list[dict]]:
    """Strip byte-order marks and zero-width characters from name columns (model.characters.clean_name); list each.

    They are invisible, so two names that look the same would count as two, and matplotlib's PDF
    backend fails on a byte-order mark; each cleaned cell is listed as "kept, cleaned".
    """
    cleaned: list[dict] = []
    frame = frame.copy()
    for column in [c for c in columns if c in frame.columns]:
        values = frame[column].astype(object)
        texts = [v for v in values.to_numpy() if isinstance(v, str)]
        if not any(STRIPPED.search(v) or v[:1] in "\u200c\u200d" or v[-1:] in "\u200c\u200d" for v in texts):
            continue  # the common case
        for index, value in values.items():
            if isinstance(value, str) and clean_name(value) != value:
                owner = frame.at[index, key] if key and key in frame.columns else index
                cleaned.append({"file": file, "place": f"{kind} {owner!s}, column '{column}'", "document": None,
                                "segment_id": owner if kind == "segment" else None,
                                "problem": "kept, cleaned: removed invisible character(s) from a name ("
                                           + ", ".join(removed_from(value)) + ")"})
                values.at[index] = clean_name(value)
        frame[column] = values
    return frame, cleaned


def lookalike_warnings(names: dict[str, list[str]]) -> list[str]:
    """One warning per group of distinct names (of one kind) that differ only by invisible characters."""
    lines = []
    for kind, values in names.items():
        for group in lookalikes(values):
            shown = " and ".join(repr(name) for name in group)
            lines.append(f"{kind} {shown} look alike: they differ only by invisible characters "
                         "(zero-width, byte-order mark or bidi controls); check they are meant to differ")
    return lines
