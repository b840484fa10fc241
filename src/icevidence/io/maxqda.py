"""MAXQDA imports: the 'Coded Segments' table (xls, xlsx, csv) and the .mex exchange database.

Coded segments: headers are in the interface language (English, German, Polish, Portuguese are known;
others are found by content where possible); code paths are joined by ' > '; Beginning/End are
paragraph numbers, not characters, so they go to the segment's note and start/end stay empty.

.mex: an SQLite database. MAXQDA stores document and segment texts obfuscated (``*ENC*`` blobs), so
only each coding's preview (at most 63 characters) and its character offsets are readable: the
segment text is the preview, truncated previews are flagged in the note, and a warning says so.
"""
from __future__ import annotations

import sqlite3
import warnings
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.codes import tree_depths
from ..model.study import Study
from .assign import CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .errors import ExportWarning, MalformedExportError
from .headers import MAXQDA_SEGMENTS, find_columns, matches_by_name
from .spreadsheet import iter_records, read_sheet, reject_row, whole_number
from .sqlite import check_columns, open_database

PATH_SEPARATOR = " > "
PREVIEW_CHARS = 63
ENCRYPTED_PREFIX = b"*ENC*"
MEX_TABLES = ("Texts", "Codewords", "Codings")
MEX_SCHEMA = {  # what is read, and the type MAXQDA writes: "id" a whole number, "integer" one or empty
    "Texts": {"ID": "id", "Idx": "integer", "GroupID": "integer", "Name": "text"},
    "Textgroups": {"ID": "id", "Name": "text"},
    "Codewords": {"ID": "id", "WordID": "integer", "Name": "text", "Idx": "integer"},
    "Codings": {"ID": "id", "TextID": "integer", "WordID": "id", "Preview": "text", "SegPos1X": "integer",
                "SegPos2X": "integer", "CommentL": "text", "Author": "text"},
}
MEX_OPTIONAL = ("Textgroups", "Codings.Author")  # older layouts lack them


def sniff_segments(columns: list[str]) -> bool:
    """True when a header row names a MAXQDA coded-segments table (document, code, segment) in a known language."""
    return matches_by_name(columns, MAXQDA_SEGMENTS)


def read_maxqda_segments(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                         encoding: str | None = None, sheet: str | int | None = None) -> Study:
    """Import a MAXQDA 'Coded Segments' export (xls, xlsx or csv) as a Study."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    frame = read_sheet(path, sheet=sheet, encoding=encoding, skipped=skipped)
    columns = find_columns(frame.columns, MAXQDA_SEGMENTS, str(path), sample=frame.head(500))
    codings, groups = [], []
    for number, record in iter_records(frame, columns):
        coding = segment_coding(record, number, columns, str(path), skipped)
        if coding is None:
            continue
        codings.append(coding)
        if record["document_group"]:
            groups.append(("document", record["document"], "Document group", record["document_group"]))
    codes = codes_from_paths(c["code_id"] for c in codings)
    attributes = pd.DataFrame(list(dict.fromkeys(groups)), columns=["owner_kind", "owner", "variable", "value"])
    return build_study(study_id_for(path, config), codes, pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS),
                       attributes, config, path, skipped=skipped)


def segment_coding(record: dict[str, str | None], number: int, columns: dict[str, str | None], file: str,
                   skipped: list[dict] | None) -> dict[str, Any] | None:
    """One coding from one row, or None (row listed as skipped) when the row is invalid."""
    for key in ("document", "code"):
        if not record[key] or not record[key].strip():
            reject_row(skipped, file, number, columns[key], f"the {key} is empty")
            return None
    start, end = paragraph(record["start"]), paragraph(record["end"])
    for key, value in (("start", start), ("end", end)):
        if record[key] and value is None:
            reject_row(skipped, file, number, columns[key],
                       f"{record[key]!r} is not a paragraph number (a whole number of at least 1)")
            return None
    if start is not None and end is not None and end < start:
        reject_row(skipped, file, number, columns["end"], f"the segment ends (paragraph {end}) before it "
                                                          f"begins (paragraph {start})")
        return None
    return {"segment_id": f"row-{number}", "document": record["document"].strip(), "case": None,
            "code_id": code_path(record["code"]), "text": record["text"] or "", "start": None, "end": None,
            "note": segment_note(start, end, record["comment"]), "coder": (record["author"] or "").strip() or None}


def paragraph(value: str | None) -> int | None:
    """A paragraph number from a cell ('3', '3.0'), or None when empty or not a whole number >= 1."""
    return whole_number(value, minimum=1)


def segment_note(start: int | None, end: int | None, comment: str | None) -> str | None:
    """The note of a segment: its paragraph range (MAXQDA counts paragraphs) and its comment."""
    parts = []
    if start is not None:
        parts.append(f"paragraphs {start}-{end if end is not None else start}")
    if comment and comment.strip():
        parts.append(f"comment: {comment.strip()}")
    return "; ".join(parts) or None


def code_path(value: str) -> str:
    """A code path with single spaces around each ' > ' and no blanks at the ends."""
    return PATH_SEPARATOR.join(part.strip() for part in value.split(PATH_SEPARATOR) if part.strip())


def codes_from_paths(paths: Any) -> pd.DataFrame:
    """The code tree implied by code paths ('A > B'), each prefix a code, in order of first appearance."""
    rows: dict[str, dict[str, Any]] = {}
    for path in paths:
        parts = path.split(PATH_SEPARATOR)
        for depth in range(1, len(parts) + 1):
            code_id = PATH_SEPARATOR.join(parts[:depth])
            if code_id not in rows:
                parent = PATH_SEPARATOR.join(parts[:depth - 1]) or None
                rows[code_id] = {"code_id": code_id, "parent_id": parent, "name": parts[depth - 1],
                                 "description": None}
    return pd.DataFrame(list(rows.values()), columns=CODE_INPUT_COLUMNS)


def read_mex(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Import a MAXQDA .mex exchange file; texts are encrypted, so segment text is MAXQDA's preview."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    with closing(open_mex(path)) as connection:
        check_columns(connection, str(path), MEX_SCHEMA, "MAXQDA", optional=MEX_OPTIONAL)
        texts = query(connection, "SELECT ID, GroupID, Name FROM Texts ORDER BY Idx, ID", path)
        groups = optional_query(connection, "SELECT ID, Name FROM Textgroups")
        words = query(connection, "SELECT ID, WordID, Name, Idx FROM Codewords", path)
        author = "Author" if "Author" in optional_query(connection, "SELECT * FROM Codings LIMIT 0").columns \
            else "NULL AS Author"  # the coder; older layouts lack the column
        codings = query(connection, "SELECT ID, TextID, WordID, Preview, SegPos1X, SegPos2X, CommentL, "
                                    f"{author} FROM Codings ORDER BY ID", path)
        encrypted = texts_encrypted(connection)
    codes = mex_codes(words, path)
    documents = dict(zip(texts["ID"], texts["Name"]))
    rows = [mex_coding(r, documents, set(codes["code_id"]), str(path), skipped) for r in codings.itertuples()]
    rows = [r for r in rows if r is not None]
    warning = warn_previews(path, rows, encrypted)
    attributes = mex_group_attributes(texts, groups)
    study = build_study(study_id_for(path, config), codes, pd.DataFrame(rows, columns=CODING_INPUT_COLUMNS), attributes,
                        config, path, skipped=skipped)
    study.meta.setdefault("warnings", []).append(str(warning))
    return study


def open_mex(path: Path) -> sqlite3.Connection:
    """Open the .mex read-only, checking it is an SQLite database with MAXQDA's tables."""
    return open_database(path, MEX_TABLES, "MAXQDA exchange file",
                       remedy="export the project again from MAXQDA as an exchange file (.mex).")


def query(connection: sqlite3.Connection, sql: str, path: Path) -> pd.DataFrame:
    """Run a query, naming the file and the query's table when a column is missing."""
    try:
        return pd.read_sql_query(sql, connection)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        table = sql.split(" FROM ")[1].split()[0]
        raise MalformedExportError(str(path), f"table {table}", f"cannot be read ({exc})",
                                   remedy="this MAXQDA version's layout is not known; export Coded Segments "
                                          "as Excel and import that.") from exc


def optional_query(connection: sqlite3.Connection, sql: str) -> pd.DataFrame:
    """Run a query whose table may be absent; an empty frame then."""
    try:
        return pd.read_sql_query(sql, connection)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError):
        return pd.DataFrame()


def texts_encrypted(connection: sqlite3.Connection) -> bool:
    """True when any stored document or segment text is an obfuscated '*ENC*' blob."""
    for table in ("Texts_PlainTextWin_BLOBS", "Texts_Text_BLOBS", "Codings_Text_BLOBS"):
        try:
            row = connection.execute(f'SELECT 1 FROM "{table}" WHERE substr(Value, 1, 5) = ? LIMIT 1',
                                     (ENCRYPTED_PREFIX,)).fetchone()
        except sqlite3.DatabaseError:
            continue
        if row:
            return True
    return False


def mex_codes(words: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """The code tree from Codewords (WordID is the parent, 0 for none), depth-first in MAXQDA's order.

    A cycle of parent links (or a chain beyond the depth cap) is refused naming its codes.
    """
    words = words.assign(WordID=words["WordID"].fillna(0).astype(int)).sort_values(["Idx", "ID"])
    tree_depths(dict(zip(words["ID"].astype(int), words["WordID"])), str(path or "the .mex"),
                "table Codewords, column WordID (codes by ID)")
    children: dict[int, list[Any]] = {}
    for row in words.itertuples():
        children.setdefault(int(row.WordID or 0), []).append(row)
    rows: list[dict[str, Any]] = []
    known = set(words["ID"].astype(int))
    roots = [p for p in children if p == 0 or p not in known]
    stack = [w for p in sorted(roots) for w in reversed(children[p])]
    seen: set[int] = set()
    while stack:
        word = stack.pop()
        if int(word.ID) in seen:
            continue
        seen.add(int(word.ID))
        parent = int(word.WordID or 0)
        rows.append({"code_id": f"mx{int(word.ID)}", "parent_id": f"mx{parent}" if parent in known else None,
                     "name": str(word.Name), "description": None})
        stack.extend(reversed(children.get(int(word.ID), [])))
    return pd.DataFrame(rows, columns=CODE_INPUT_COLUMNS)


def mex_coding(row: Any, documents: dict[Any, str], codes: set[str], file: str,
               skipped: list[dict] | None) -> dict[str, Any] | None:
    """One coding from a Codings row, or None (listed) when its document or code is unknown."""
    code_id = f"mx{int(row.WordID)}"
    if row.TextID not in documents:
        reject_row(skipped, file, None, None, f"coding {row.ID} refers to document {row.TextID}, "
                                              "which is not in table Texts", place=f"table Codings, ID {row.ID}")
        return None
    if code_id not in codes:
        reject_row(skipped, file, None, None, f"coding {row.ID} refers to code {row.WordID}, "
                                              "which is not in table Codewords", place=f"table Codings, ID {row.ID}")
        return None
    preview = "" if row.Preview is None else str(row.Preview)
    start, end = optional_int(row.SegPos1X), optional_int(row.SegPos2X)
    return {"segment_id": f"mx{int(row.ID)}", "document": documents[row.TextID], "case": None,
            "code_id": code_id, "text": preview, "start": start, "end": end,
            "note": preview_note(preview, start, end, row.CommentL),
            "coder": None if pd.isna(row.Author) else (str(row.Author).strip() or None)}


def optional_int(value: Any) -> int | None:
    """An int, or None for a missing or negative position."""
    if value is None or pd.isna(value):
        return None
    number = int(value)
    return number if number >= 0 else None


def preview_note(preview: str, start: int | None, end: int | None, comment: Any) -> str:
    """Say the text is MAXQDA's preview, whether it is truncated, and the coding's comment."""
    note = "text is MAXQDA's preview"
    length = end - start if start is not None and end is not None else None
    if len(preview) >= PREVIEW_CHARS and (length is None or length > len(preview)):
        note += f" (truncated at {PREVIEW_CHARS} characters" + (f"; the segment has {length})" if length else ")")
    if isinstance(comment, str) and comment.strip():
        note += f"; comment: {comment.strip()}"
    return note


def warn_previews(path: Path, rows: list[dict[str, Any]], encrypted: bool) -> ExportWarning:
    """Warn that segment texts are previews (how many truncated, and whether texts are encrypted); return it."""
    truncated = sum("truncated" in r["note"] for r in rows)
    why = "document texts are encrypted ('*ENC*'), so " if encrypted else ""
    warning = ExportWarning(str(path), "table Codings",
                            f"{why}segment texts are MAXQDA's previews (at most {PREVIEW_CHARS} characters; "
                            f"{truncated} of {len(rows)} truncated); start/end are character offsets")
    warnings.warn(warning, stacklevel=3)
    return warning


def mex_group_attributes(texts: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Each document's group as the document variable 'Document group'."""
    names = dict(zip(groups["ID"], groups["Name"])) if len(groups) else {}
    rows = [("document", name, "Document group", names[group])
            for name, group in zip(texts["Name"], texts["GroupID"]) if group in names]
    return pd.DataFrame(rows, columns=["owner_kind", "owner", "variable", "value"])
