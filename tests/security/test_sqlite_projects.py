"""SQLite projects (QualCoder, Taguette, MAXQDA .mex): typed, bounded, walked once, logs read, links refused."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from icevidence.build.cli import main

from .hostile import assert_one_line_refusal, run_measured

QUALCODER = """
CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT, fulltext TEXT);
CREATE TABLE code_cat (catid INTEGER PRIMARY KEY, name TEXT, memo TEXT, supercatid INTEGER);
CREATE TABLE code_name (cid INTEGER PRIMARY KEY, name TEXT, memo TEXT, catid INTEGER);
CREATE TABLE code_text (ctid INTEGER PRIMARY KEY, cid INTEGER, fid INTEGER, {seltext}, pos0 INTEGER,
                        pos1 INTEGER, owner TEXT, memo TEXT);
CREATE TABLE cases (caseid INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE case_text (id INTEGER PRIMARY KEY, caseid INTEGER, fid INTEGER, pos0 INTEGER, pos1 INTEGER);
CREATE TABLE attribute (attrid INTEGER PRIMARY KEY, name TEXT, attr_type TEXT, value TEXT, id INTEGER);
INSERT INTO source VALUES (1, 'P1.txt', 'P1: money is short.');
INSERT INTO code_cat VALUES (1, 'Barriers', NULL, NULL);
INSERT INTO code_name VALUES (1, 'Money', NULL, 1);
INSERT INTO cases VALUES (1, 'P1');
INSERT INTO case_text VALUES (1, 1, 1, NULL, NULL);
"""
CODING = "INSERT INTO code_text (ctid, cid, fid, {columns}pos0, pos1, owner) VALUES (?, 1, 1, {values}4, 19, 'ann')"
HUGE = "printf('%.*c', 300000000, 'x')"  # 300 MB when computed; a few bytes on disk


def qualcoder_project(folder: Path, *, seltext: str = "seltext TEXT", codings: int = 1, sql: str = "") -> Path:
    """A QualCoder project folder whose data.qda holds one source, category, code and case, and `codings` codings."""
    folder.mkdir(parents=True)
    with sqlite3.connect(folder / "data.qda") as db:
        db.executescript(QUALCODER.format(seltext=seltext))
        stored = "GENERATED" not in seltext
        insert = CODING.format(columns="seltext, " if stored else "", values="'money is short.', " if stored else "")
        db.executemany(insert, [(i,) for i in range(1, codings + 1)])
        db.executescript(sql)
    db.close()
    return folder


def refused(capsys, *args: str) -> str:
    """Run the import and return its one-line refusal."""
    code = main(["import", *args, "--study", "x", "--out", str(Path(args[0]).parent / "out")])
    err = capsys.readouterr().err
    assert_one_line_refusal(code, err)
    assert not (Path(args[0]).parent / "out").exists()
    return err


def test_text_in_an_integer_column_names_table_row_and_column(tmp_path, capsys):
    project = qualcoder_project(tmp_path / "p.qda", sql="UPDATE code_text SET pos0 = 'four' WHERE ctid = 1;")
    err = refused(capsys, str(project))
    assert "table code_text, rowid 1, column pos0: holds text where QualCoder writes a whole number" in err


def test_an_empty_coding_id_is_refused_naming_the_column(tmp_path, capsys):
    project = qualcoder_project(tmp_path / "p.qda", sql="UPDATE code_text SET cid = NULL;")
    assert "table code_text, rowid 1, column cid: holds nothing" in refused(capsys, str(project))


def test_taguette_text_offsets_are_refused(tmp_path, capsys):
    path = tmp_path / "t.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE projects (id INTEGER, name TEXT);
            CREATE TABLE documents (id INTEGER, project_id INTEGER, name TEXT, description TEXT, contents TEXT);
            CREATE TABLE tags (id INTEGER, project_id INTEGER, path TEXT, description TEXT);
            CREATE TABLE highlights (id INTEGER, document_id INTEGER, start_offset INTEGER, end_offset INTEGER,
                                     snippet TEXT);
            CREATE TABLE highlight_tags (highlight_id INTEGER, tag_id INTEGER);
            INSERT INTO projects VALUES (1, 'p');
            INSERT INTO documents VALUES (1, 1, 'P1', '', '<p>money</p>');
            INSERT INTO highlights VALUES (1, 1, 'zero', 5, 'money');
        """)
    db.close()
    assert "table highlights, rowid 1, column start_offset: holds text" in refused(capsys, str(path))


def test_a_generated_column_of_300_mb_is_refused_without_computing_it(tmp_path):
    project = qualcoder_project(tmp_path / "p.qda", seltext=f"seltext TEXT GENERATED ALWAYS AS ({HUGE}) VIRTUAL",
                                codings=5)
    assert (project / "data.qda").stat().st_size < 100_000
    code, err, peak_mb = run_measured(["import", str(project), "--study", "x", "--out", str(tmp_path / "out")])
    assert_one_line_refusal(code, err, "table code_text, column seltext", "generated column")
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    assert not (tmp_path / "out").exists()


def test_a_text_beyond_the_cap_is_refused_naming_its_row(tmp_path, capsys, monkeypatch):
    from icevidence.io import sqlite
    monkeypatch.setattr(sqlite, "MAX_FIELD_CHARS", 5)
    project = qualcoder_project(tmp_path / "p.qda")
    assert "table code_cat, rowid 1, column name: a value of 8 characters" in refused(capsys, str(project))


def deep_categories(depth: int) -> str:
    """SQL for a chain of `depth` categories, each below the previous one."""
    return (f"WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < {depth}) "
            "INSERT INTO code_cat SELECT i, 'c' || i, NULL, i - 1 FROM n;")


def test_a_category_chain_100000_deep_is_refused_not_walked_per_code(tmp_path):
    project = qualcoder_project(tmp_path / "p.qda", sql=deep_categories(100_000))
    code, err, peak_mb = run_measured(["import", str(project), "--study", "x", "--out", str(tmp_path / "out")])
    assert_one_line_refusal(code, err, "table code_cat, column supercatid", "more than 100 levels")
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"


def test_a_cycle_of_categories_is_reported_as_a_cycle(tmp_path, capsys):
    project = qualcoder_project(tmp_path / "p.qda", sql="INSERT INTO code_cat VALUES (2, 'A', NULL, 3);"
                                                        "INSERT INTO code_cat VALUES (3, 'B', NULL, 2);")
    assert "the parent links form a cycle: 2 > 3 > 2" in refused(capsys, str(project))


def test_a_cycle_of_mex_codes_is_reported_as_a_cycle(tmp_path, capsys):
    path = tmp_path / "p.mex"
    with sqlite3.connect(path) as db:
        db.executescript("""
            CREATE TABLE sys_Setup (Key TEXT, Value TEXT);
            CREATE TABLE Texts (ID INTEGER, Idx INTEGER, GroupID INTEGER, Name TEXT);
            CREATE TABLE Codewords (ID INTEGER, Idx INTEGER, WordID INTEGER, Name TEXT);
            CREATE TABLE Codings (ID INTEGER, TextID INTEGER, WordID INTEGER, Preview TEXT, SegPos1X INTEGER,
                                  SegPos2X INTEGER, CommentL TEXT);
            INSERT INTO Texts VALUES (1, 0, 0, 'P1');
            INSERT INTO Codewords VALUES (5, 0, 6, 'A'), (6, 1, 5, 'B');
            INSERT INTO Codings VALUES (1, 1, 5, 'money', 0, 5, '');
        """)
    db.close()
    err = refused(capsys, str(path))
    assert "table Codewords, column WordID" in err and "cycle: 5 > 6 > 5" in err


def wal_project(folder: Path) -> Path:
    """A QualCoder project as a crash leaves it: the second coding is only in data.qda-wal."""
    live = qualcoder_project(folder.parent / "live.qda")
    writer = sqlite3.connect(live / "data.qda")
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner) "
                   "VALUES (2, 1, 1, 'P1: money', 0, 9, 'bob')")
    writer.commit()
    folder.mkdir()
    for name in ("data.qda", "data.qda-wal"):
        shutil.copyfile(live / name, folder / name)
    writer.close()
    return folder


def test_codings_only_in_the_write_ahead_log_are_imported(tmp_path, capsys):
    project = wal_project(tmp_path / "crashed.qda")
    before = {p.name: p.read_bytes() for p in project.iterdir()}
    assert main(["import", str(project), "--study", "x", "--out", str(tmp_path / "out")]) == 0, capsys.readouterr()
    segments = (tmp_path / "out" / "segments.csv").read_text()
    assert "P1: money" in segments and "money is short." in segments
    assert {p.name: p.read_bytes() for p in project.iterdir()} == before


def test_a_database_that_is_a_symlink_into_another_project_is_refused(tmp_path, capsys):
    other = qualcoder_project(tmp_path / "other.qda")
    mine = tmp_path / "mine.qda"
    mine.mkdir()
    (mine / "data.qda").symlink_to(other / "data.qda")
    err = refused(capsys, str(mine))
    assert "symbolic link" in err and "data.qda" in err


def test_a_write_ahead_log_that_is_a_symlink_is_refused(tmp_path, capsys):
    project = qualcoder_project(tmp_path / "p.qda")
    (project / "data.qda-wal").symlink_to(tmp_path / "elsewhere-wal")
    (tmp_path / "elsewhere-wal").write_bytes(b"x" * 100)
    assert "log is a symbolic link" in refused(capsys, str(project))


def test_a_data_qda_symlink_named_directly_is_refused(tmp_path, capsys):
    other = qualcoder_project(tmp_path / "other.qda")
    mine = tmp_path / "mine.qda"
    mine.mkdir()
    (mine / "data.qda").symlink_to(other / "data.qda")
    assert "symbolic link" in refused(capsys, str(mine / "data.qda"))
