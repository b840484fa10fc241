"""Typed, bounded reading of the SQLite projects QDA programs write (QualCoder, Taguette, MAXQDA .mex).

Before an importer reads a row, ``check_columns`` checks every table and column it will read:

* the table is a plain table (not a virtual one) with no more rows than the cap; the column is
  stored, never generated (a generated column's size is not known until it is computed);
* every value has the type the program writes: ``id`` a whole number, ``integer`` a whole number
  or empty, ``text`` anything but a blob; found with SQL's ``typeof()``, which never loads a value;
* no text is longer than its cap, found with SQL's ``length()`` one value at a time.

The first breach is refused in one line naming the table, the row (its rowid) and the column.

A database is opened read-only and never written. When a write-ahead log (``-wal``) or a hot
journal (``-journal``) lies beside it, holding changes not yet in the file, the database and its
log are copied into a private temporary folder and read there, so no coding is silently left out.
A log that is a symbolic link is refused, never followed.
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .errors import MalformedExportError, UnsafeInputError
from .safety import MAX_FIELD_CHARS, MAX_ROWS, MAX_TOTAL_BYTES

Schema = dict[str, dict[str, str]]  # table -> column -> kind ("id", "integer" or "text")
KINDS = {"id": ("integer",), "integer": ("integer", "null"), "text": ("text", "integer", "real", "null")}
WANTED = {"id": "a whole number", "integer": "a whole number or nothing", "text": "text"}
LOGS = ("-wal", "-journal")
GENERATED = {2: "a generated column (computed when read)", 3: "a generated column (computed when written)",
             1: "a hidden column of a virtual table"}


class PrivateCopy(sqlite3.Connection):
    """A connection to a private copy of a database and its log; closing it removes the copy."""

    folder: str | None = None

    def close(self) -> None:
        """Close the connection, then delete the private copy."""
        super().close()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def open_database(path: Path, tables: Iterable[str], kind: str, remedy: str) -> sqlite3.Connection:
    """Open an SQLite export read-only (from a private copy when a log holds unsaved changes), checking its tables."""
    path = Path(path)
    if not path.is_file():
        raise MalformedExportError(str(path), "", "no such file", remedy="check the path and import again.")
    logs = pending_logs(path)
    size = path.stat().st_size + sum(log.stat().st_size for log in logs)
    if size > MAX_TOTAL_BYTES:
        raise UnsafeInputError(str(path), "", f"{size} bytes; at most {MAX_TOTAL_BYTES} allowed",
                               remedy="check the file is a real export.")
    connection = private_copy(path, logs) if logs else read_only(path)
    try:
        found = table_names(connection)
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise MalformedExportError(str(path), "", f"not a readable SQLite database ({exc})", remedy=remedy) from exc
    missing = [t for t in tables if t not in found]
    if missing:
        connection.close()
        raise MalformedExportError(str(path), f"table {missing[0]}", f"not a {kind}: tables {missing} are missing",
                                   remedy=remedy)
    return connection


def pending_logs(path: Path) -> list[Path]:
    """The write-ahead log and hot journal beside a database that hold changes (non-empty); links refused."""
    logs = []
    for suffix in LOGS:
        log = path.with_name(path.name + suffix)
        if log.is_symlink():
            raise UnsafeInputError(str(log), "", "the database's log is a symbolic link; it is not followed",
                                   remedy="copy the project folder (with its real files) and import the copy.")
        if log.is_file() and log.stat().st_size > 0:
            logs.append(log)
    return logs


def read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that never writes beside the file (no log, no shared-memory file)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def private_copy(path: Path, logs: list[Path]) -> sqlite3.Connection:
    """A connection to a copy of the database and its logs in a private folder, where SQLite applies the logs."""
    folder = tempfile.mkdtemp(prefix="icevidence-sqlite-")
    try:
        copy = Path(folder) / "project.db"
        shutil.copyfile(path, copy)
        for log in logs:
            shutil.copyfile(log, copy.with_name(copy.name + log.name[len(path.name):]))
        connection = sqlite3.connect(str(copy), factory=PrivateCopy)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    connection.folder = folder
    return connection


def table_names(connection: sqlite3.Connection) -> set[str]:
    """The names of the database's tables."""
    return {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def check_columns(connection: sqlite3.Connection, file: str, schema: Schema, program: str, *,
                  max_rows: int | None = None, max_chars: dict[str, int] | None = None,
                  optional: Iterable[str] = ()) -> None:
    """Refuse, naming table, row and column, the first table, column or value the importer could not read safely."""
    optional = set(optional)
    max_rows = MAX_ROWS if max_rows is None else max_rows
    present = table_names(connection)
    for table, columns in schema.items():
        if table not in present and table in optional:
            continue
        stored = stored_columns(connection, file, table, program)
        check_row_count(connection, file, table, max_rows)
        for column, kind in columns.items():
            if column not in stored and f"{table}.{column}" in optional:
                continue
            check_stored(stored, file, table, column, program)
            check_types(connection, file, table, column, kind, program)
            if kind == "text":
                limit = (max_chars or {}).get(f"{table}.{column}", MAX_FIELD_CHARS)
                check_lengths(connection, file, table, column, limit)


def stored_columns(connection: sqlite3.Connection, file: str, table: str, program: str) -> dict[str, int]:
    """Each column of a plain table with its 'hidden' flag (0 stored, 2 or 3 generated); a virtual table is refused."""
    sql = run(connection, file, table, "SELECT sql FROM sqlite_master WHERE type='table' AND name=?", (table,))
    if sql and str(sql[0][0] or "").lstrip().upper().startswith("CREATE VIRTUAL"):
        raise UnsafeInputError(file, f"table {table}", f"a virtual table, which {program} never writes",
                               remedy="do not import this file; export the project again from " + program + ".")
    rows = run(connection, file, table, f'PRAGMA table_xinfo("{table}")')
    return {str(r[1]): int(r[6]) for r in rows}


def check_row_count(connection: sqlite3.Connection, file: str, table: str, max_rows: int) -> None:
    """Refuse a table with more rows than the cap."""
    count = run(connection, file, table, f'SELECT count(*) FROM "{table}"')[0][0]
    if count > max_rows:
        raise UnsafeInputError(file, f"table {table}", f"{count} rows; at most {max_rows} allowed",
                               remedy="check the file is a real export.")


def check_stored(stored: dict[str, int], file: str, table: str, column: str, program: str) -> None:
    """Refuse a missing column, or one whose values are computed rather than stored."""
    if column not in stored:
        raise MalformedExportError(file, f"table {table}, column {column}",
                                   f"the column is missing; this is not the layout {program} writes",
                                   remedy=f"export the project again from {program}.")
    if stored[column]:
        raise UnsafeInputError(file, f"table {table}, column {column}",
                               f"{GENERATED.get(stored[column], 'not a stored column')}, which {program} never writes",
                               remedy=f"do not import this file; export the project again from {program}.")


def check_types(connection: sqlite3.Connection, file: str, table: str, column: str, kind: str, program: str) -> None:
    """Refuse the first row whose value is not of the column's kind (typeof() reads no value)."""
    allowed = ", ".join(f"'{t}'" for t in KINDS[kind])
    found = first_row(connection, file, table, f'typeof("{column}")', f'typeof("{column}") NOT IN ({allowed})')
    if found is not None:
        rowid, found_type = found
        raise MalformedExportError(file, f"table {table}, {rowid}, column {column}",
                                   f"holds {'nothing' if found_type == 'null' else found_type} where {program} "
                                   f"writes {WANTED[kind]}",
                                   remedy=f"open the project in {program} and export it again; or correct that row.")


def check_lengths(connection: sqlite3.Connection, file: str, table: str, column: str, limit: int) -> None:
    """Refuse the first text longer than the cap (length() holds one value at a time)."""
    found = first_row(connection, file, table, f'length("{column}")', f'length("{column}") > {int(limit)}')
    if found is not None:
        rowid, length = found
        raise UnsafeInputError(file, f"table {table}, {rowid}, column {column}",
                               f"a value of {length} characters; at most {limit} allowed",
                               remedy="check the file is a real export.")


def first_row(connection: sqlite3.Connection, file: str, table: str, value: str,
              condition: str) -> tuple[str, object] | None:
    """('rowid N', value) of the first row meeting the condition, or None ('a row' in a table without rowids)."""
    try:
        row = connection.execute(f'SELECT rowid, {value} FROM "{table}" WHERE {condition} LIMIT 1').fetchone()
        return None if row is None else (f"rowid {row[0]}", row[1])
    except sqlite3.OperationalError:
        row = run(connection, file, table, f'SELECT {value} FROM "{table}" WHERE {condition} LIMIT 1')
        return ("a row", row[0][0]) if row else None


def run(connection: sqlite3.Connection, file: str, table: str, sql: str, parameters: tuple = ()) -> list[tuple]:
    """Run one checking query, naming the file and table when SQLite cannot."""
    try:
        return connection.execute(sql, parameters).fetchall()
    except sqlite3.DatabaseError as exc:
        raise MalformedExportError(file, f"table {table}", f"cannot be read ({exc})",
                                   remedy="check the file is a real, complete export.") from exc
