"""Detect an export's format from its content (never from the extension alone) and find its reader.

Other importers register themselves by adding entries here only:

* ``REGISTRY``: format name -> ``'module:function'``, a reader ``fn(path, config=None,
  skip_invalid=False) -> Study``;
* ``SNIFFERS``: spreadsheet format name -> ``'module:function'``, a ``sniff(columns: list[str]) -> bool``
  that says whether a header row belongs to that format; tried in order, first True wins;
* ``SQLITE_TABLES``: SQLite format name -> the tables that identify it.

Modules are imported lazily: a missing module is reported among what was tried, never a crash.
"""
from __future__ import annotations

import codecs
import csv
import importlib
import io
import re
import zipfile
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from lxml import etree

from .errors import ExportError, MalformedExportError, UnknownFormatError
from .safety import iter_member_names, open_zip, read_text, refuse_doctype

REGISTRY: dict[str, str] = {
    "qdpx": "icevidence.io.refi_qda:read_qdpx",
    "qde": "icevidence.io.refi_qda:read_qde",
    "qdc": "icevidence.io.refi_qda:read_qdc_study",
    "maxqda-segments": "icevidence.io.maxqda:read_maxqda_segments",
    "mex": "icevidence.io.maxqda:read_mex",
    "atlasti-quotations": "icevidence.io.atlasti:read_atlasti_quotations",
    "atlasti-codes": "icevidence.io.atlasti:read_atlasti_codebook",
    "nvivo-classification": "icevidence.io.nvivo_classification:read_classification_study",
    "qualcoder-csv": "icevidence.io.qualcoder:read_qualcoder",
    "taguette-highlights": "icevidence.io.taguette:read_taguette_highlights",
    "taguette-codebook": "icevidence.io.taguette:read_taguette_codebook",
    "taguette-sqlite": "icevidence.io.taguette:read_taguette_sqlite",
    "qualcoder-project": "icevidence.io.qualcoder_project:read_qualcoder_project",
    "dedoose-excerpts": "icevidence.io.dedoose:read_dedoose",
}

SNIFFERS: dict[str, str] = {
    "maxqda-segments": "icevidence.io.maxqda:sniff_segments",
    "atlasti-quotations": "icevidence.io.atlasti:sniff_quotations",
    "atlasti-codes": "icevidence.io.atlasti:sniff_codes",
    "nvivo-classification": "icevidence.io.nvivo_classification:sniff_classification",
    "qualcoder-csv": "icevidence.io.qualcoder:sniff",
    "dedoose-excerpts": "icevidence.io.dedoose:sniff",
    "taguette-highlights": "icevidence.io.taguette:sniff_highlights",
    "taguette-codebook": "icevidence.io.taguette:sniff_codebook",
}

SQLITE_TABLES: dict[str, set[str]] = {
    "mex": {"Codings", "Codewords", "Texts", "sys_Setup"},
    "taguette-sqlite": {"highlights", "highlight_tags", "documents", "tags", "projects"},
    "qualcoder-project": {"code_cat", "code_name", "code_text", "source", "cases", "case_text"},
}

REFI_ROOTS = {
    ("urn:QDA-XML:project:1.0", "Project"): "qde",
    ("urn:QDA-XML:codebook:1.0", "CodeBook"): "qdc",
}

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
SQLITE_MAGIC = b"SQLite format 3\x00"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEAD_BYTES = 65536
MAXQDA_PROJECT = re.compile(r"^\.mx[0-9]{2}$", re.IGNORECASE)


# What an unrecognised spreadsheet's headers look like: (words in a header, the tool, what to export instead).
# Tried in order; the first tool any header names is the one the refusal names.
LOOKS_LIKE: list[tuple[tuple[str, ...], str, str]] = [
    (("excerpt", "media title", "descriptor"), "Dedoose",
     "in Dedoose, export the excerpts (Excerpts workspace > Export, with codes as columns) as .xlsx or .csv"),
    (("quotation", "zitat", "cytat"), "ATLAS.ti",
     "in ATLAS.ti, export the quotations (Quotation Manager > Export > Excel, with document, codes and content), "
     "or the project as REFI-QDA (.qdpx)"),
    (("node", "coverage", "aggregate"), "NVivo",
     "NVivo's node or coding summaries are reports, not codings: export the project as REFI-QDA (.qdpx: File > "
     "Export > Export Project), or a case classification sheet with the coded text"),
    (("document group", "code system", "segment", "dokumentgruppe"), "MAXQDA",
     "in MAXQDA, export the coded segments (Reports > Export > Coded Segments, as .xlsx) or the project as "
     "REFI-QDA (.qdpx)"),
    (("codename", "coded memo", "ctid"), "QualCoder",
     "in QualCoder, export a coding report (Reports > Coding reports > export as CSV) or import the project folder"),
    (("highlight", "tag"), "Taguette",
     "in Taguette, export all highlights (Export > Highlights as CSV) or import the project's .sqlite3 database"),
    (("frequency", "count", "totals", "grounded", "density"), "a summary table",
     "this looks like counts per code, not codings: export the coded segments (one row per coding) instead"),
]


def looks_like(columns: list[str]) -> tuple[str, str] | None:
    """(tool, what to export instead) for the first tool whose words a header contains, or None."""
    headers = [str(c).casefold() for c in columns]
    for words, tool, remedy in LOOKS_LIKE:
        if any(word in header for word in words for header in headers):
            return tool, remedy
    return None


def article(tool: str) -> str:
    """'an' before a vowel sound, else 'a' (an NVivo file, a MAXQDA file); '' before 'a summary table'."""
    return "" if tool.startswith("a ") else ("an" if tool[0] in "AEINOU" else "a")


def detect_format(path: Path) -> str:
    """Name the export's format from its bytes, or raise UnknownFormatError listing what was tried."""
    path = Path(path)
    if path.is_dir():
        return detect_folder(path)
    if not path.is_file():
        raise MalformedExportError(str(path), "", "no such file", remedy="check the path and import again.")
    head = read_head(path)
    tried: list[str] = []
    headers: list[str] = []
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        found = detect_zip(path, tried, headers)
    elif head.startswith(SQLITE_MAGIC):
        found = detect_sqlite(path, tried)
    elif head.startswith(OLE2_MAGIC):
        found = detect_spreadsheet(path, read_xls_header, tried, headers)
    elif looks_like_xml(head):
        found = detect_xml(path, head, tried)
    else:
        found = detect_spreadsheet(path, read_csv_header, tried, headers)
    if found is None:
        if MAXQDA_PROJECT.match(path.suffix):
            raise UnknownFormatError(str(path), "", "a MAXQDA project file (.mx12 to .mx24) whose layout icevidence "
                                     "does not know; tried: " + "; ".join(tried),
                                     remedy="in MAXQDA, export the project as REFI-QDA (.qdpx), or the coded "
                                            "segments as .xlsx, or an exchange file (.mex), and import that.")
        guess = looks_like(headers)
        if guess is not None:
            tool = " ".join(filter(None, [article(guess[0]), guess[0]]))
            raise UnknownFormatError(str(path), "", f"its headers look like {tool} file, not one icevidence "
                                     "reads (it needs one row per coding); tried: " + "; ".join(tried),
                                     remedy=guess[1] + ", and import that.")
        raise UnknownFormatError(str(path), "", "not a recognised QDA export; tried: " + "; ".join(tried))
    return found


def detect_folder(path: Path) -> str:
    """'qualcoder-project' for a QualCoder project folder (holding data.qda); any other folder is refused."""
    if (path / "data.qda").is_file():
        return "qualcoder-project"
    raise UnknownFormatError(str(path), "", "a folder, not an export file, and not a QualCoder project "
                             "(a QualCoder project folder, name.qda, holds the database data.qda)",
                             remedy="pass the export file itself (.qdpx, .csv, .xlsx, .sqlite3, ...) or a QualCoder "
                                    "project folder.")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The file's first bytes."""
    with open(path, "rb") as handle:
        return handle.read(size)


def looks_like_xml(head: bytes) -> bool:
    """True when the text starts (after a BOM and blanks) with '<'."""
    text = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return text.startswith(b"<") or text.startswith(b"\xff\xfe<") or text.startswith(b"\xfe\xff\x00<")


def detect_zip(path: Path, tried: list[str], headers: list[str] | None = None) -> str | None:
    """'qdpx' for a zip holding a .qde file; spreadsheets (xlsx) are sniffed by header."""
    with open_zip(path) as archive:
        names = iter_member_names(archive)
    tried.append("zip with a .qde member (REFI-QDA project)")
    if any(n.lower().endswith(".qde") for n in names):
        return "qdpx"
    tried.append("xlsx workbook")
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return detect_spreadsheet(path, read_xlsx_header, tried, headers)
    return None


def detect_xml(path: Path, head: bytes, tried: list[str]) -> str | None:
    """'qde' or 'qdc' for XML whose root is a REFI Project or CodeBook in the REFI namespaces."""
    tried.append("XML with root Project (urn:QDA-XML:project:1.0) or CodeBook (urn:QDA-XML:codebook:1.0)")
    root = xml_root_name(path, head)
    return REFI_ROOTS.get(root) if root else None


def xml_root_name(path: Path, head: bytes) -> tuple[str, str] | None:
    """(namespace, local name) of the document's root element, reading only its start tag."""
    refuse_doctype(head, str(path))
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True, load_dtd=False)
    try:
        parser.feed(head)
        for _, element in parser.read_events():
            qname = etree.QName(element)
            return qname.namespace or "", qname.localname
    except etree.XMLSyntaxError:
        return None
    return None


def detect_sqlite(path: Path, tried: list[str]) -> str | None:
    """'mex' or 'taguette-sqlite' by the tables the database holds."""
    tables = sqlite_tables(path)
    for name, needed in SQLITE_TABLES.items():
        tried.append(f"SQLite database with tables {sorted(needed)} ({name})")
        if needed <= tables:
            return name
    return None


def sqlite_tables(path: Path) -> set[str]:
    """Names of the tables in a SQLite file, opened read-only."""
    from .sqlite import open_database, table_names
    with closing(open_database(path, [], "SQLite database", MalformedExportError.remedy)) as connection:
        return table_names(connection)


def detect_spreadsheet(path: Path, read_header: Callable[[Path], list[str]], tried: list[str],
                       headers: list[str] | None = None) -> str | None:
    """Ask each registered sniffer whether the header row is its format; the first yes wins."""
    try:
        columns = read_header(path)
    except ExportError:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure means "not this kind of file"
        tried.append(f"spreadsheet header ({type(exc).__name__}: {exc})")
        return None
    (headers if headers is not None else []).extend(columns)  # kept for the refusal: which tool the file looks like
    for name, target in SNIFFERS.items():
        sniff = load_callable(target)
        if sniff is None:
            tried.append(f"{name} (its module is not installed)")
            continue
        tried.append(f"{name} header")
        if sniff(columns):
            return name
    return None


def read_csv_header(path: Path) -> list[str]:
    """The header row of a CSV/TSV file (UTF-8, BOM dropped; delimiter sniffed among , ; and tab)."""
    raw = read_head(path).split(b"\n", 1)[0]
    try:
        first = read_text(raw, str(path), "header row").rstrip("\r")
    except MalformedExportError:  # Windows "ANSI" CSV (Dedoose, Excel's plain CSV): read it to tell the format
        first = raw.decode("cp1252", errors="replace").rstrip("\r")
    delimiter = max([",", ";", "\t"], key=first.count)
    return [c.strip() for c in next(csv.reader(io.StringIO(first), delimiter=delimiter), [])]


def read_xlsx_header(path: Path) -> list[str]:
    """The first row of the first sheet of an .xlsx workbook."""
    import openpyxl
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for row in workbook.worksheets[0].iter_rows(max_row=1, values_only=True):
            return ["" if v is None else str(v).strip() for v in row]
        return []
    finally:
        workbook.close()


def read_xls_header(path: Path) -> list[str]:
    """The first row of the first sheet of a legacy .xls workbook."""
    import xlrd
    book = xlrd.open_workbook(str(path), on_demand=True)
    sheet = book.sheet_by_index(0)
    return [str(v).strip() for v in sheet.row_values(0)] if sheet.nrows else []


def load_callable(target: str) -> Callable[..., Any] | None:
    """Import 'module:function' lazily; None when the module or function does not exist."""
    module_name, _, function = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, function, None)


def reader_for(fmt: str, path: Path) -> Callable[..., Any]:
    """The registered reader of a format, or UnknownFormatError when none is installed."""
    target = REGISTRY.get(fmt)
    reader = load_callable(target) if target else None
    if reader is None:
        raise UnknownFormatError(str(path), "", f"recognised as '{fmt}', but no reader for it is installed",
                                 remedy="export in another supported format (REFI-QDA .qdpx works everywhere).")
    return reader


def is_zip(path: Path) -> bool:
    """True when the file is a zip archive by its magic bytes."""
    return read_head(path, 4) in (ZIP_MAGIC, EMPTY_ZIP_MAGIC) or zipfile.is_zipfile(path)
