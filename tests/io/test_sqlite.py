"""Typed, bounded SQLite reading: what check_columns refuses, and how logs are read from a private copy."""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from icevidence.io.errors import MalformedExportError, UnsafeInputError
from icevidence.io.sqlite import check_columns, open_database

SCHEMA = {"t": {"id": "id", "n": "integer", "name": "text"}}


def database(tmp_path: Path, ddl: str, rows: str = "") -> Path:
    """A database file with table t built by the given SQL."""
    path = tmp_path / "d.sqlite"
    with closing(sqlite3.connect(path)) as db:
        db.executescript(ddl + rows)
        db.commit()
    return path


def check(path: Path, schema: dict = SCHEMA, **options) -> None:
    with closing(open_database(path, ["t"], "test database", "re-export")) as connection:
        check_columns(connection, str(path), schema, "TestQDA", **options)


def test_well_typed_rows_pass(tmp_path):
    check(database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER, name TEXT);",
                   "INSERT INTO t VALUES (1, NULL, 'a'), (2, 3, 4);"))


def test_a_real_number_in_an_integer_column_is_refused(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER, name TEXT);", "INSERT INTO t VALUES (1, 2.5, 'a');")
    with pytest.raises(MalformedExportError, match="table t, rowid 1, column n: holds real where TestQDA writes"):
        check(path)


def test_a_blob_in_a_text_column_is_refused(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER, name TEXT);", "INSERT INTO t VALUES (1, 2, x'00');")
    with pytest.raises(MalformedExportError, match="column name: holds blob"):
        check(path)


def test_a_stored_generated_column_is_refused(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER, name TEXT GENERATED ALWAYS AS ('x') STORED);")
    with pytest.raises(UnsafeInputError, match="column name: a generated column"):
        check(path)


def test_a_missing_column_is_named(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER);")
    with pytest.raises(MalformedExportError, match="table t, column name: the column is missing"):
        check(path)


def test_an_optional_column_may_be_missing(tmp_path):
    check(database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER);"), optional={"t.name"})


def test_a_table_without_rowids_is_named_by_a_row(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, name TEXT) WITHOUT ROWID;",
                    "INSERT INTO t VALUES (1, 'x', 'a');")
    with pytest.raises(MalformedExportError, match="table t, a row, column n"):
        check(path)


def test_a_log_is_read_from_a_private_copy_removed_on_close(tmp_path):
    path = database(tmp_path, "CREATE TABLE t (id INTEGER, n INTEGER, name TEXT);")
    writer = sqlite3.connect(path)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO t VALUES (1, 1, 'only in the log')")
    writer.commit()
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for name in ("d.sqlite", "d.sqlite-wal"):
        (crashed / name).write_bytes((tmp_path / name).read_bytes())
    writer.close()
    connection = open_database(crashed / "d.sqlite", ["t"], "test database", "re-export")
    copy = Path(connection.folder)
    assert connection.execute("SELECT name FROM t").fetchall() == [("only in the log",)]
    connection.close()
    assert not copy.exists() and sorted(p.name for p in crashed.iterdir()) == ["d.sqlite", "d.sqlite-wal"]
