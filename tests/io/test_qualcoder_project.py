"""QualCoder project import: the name.qda folder or its data.qda (SQLite), built here with QualCoder's tables."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from icevidence.build.cli import main
from icevidence.io import read_export
from icevidence.io.detect import detect_format
from icevidence.io.errors import UnknownFormatError

# QualCoder's table layout (columns as in its project database, v3+); the content is invented.
SCHEMA = """
CREATE TABLE project (databaseversion TEXT, date TEXT, memo TEXT, about TEXT, bookmarkfile INTEGER,
                      bookmarkpos INTEGER, codername TEXT);
CREATE TABLE source (id INTEGER PRIMARY KEY, name TEXT, fulltext TEXT, mediapath TEXT, memo TEXT, owner TEXT,
                     date TEXT, av_text_id INTEGER, risid INTEGER, UNIQUE(name));
CREATE TABLE code_cat (catid INTEGER PRIMARY KEY, name TEXT, owner TEXT, date TEXT, memo TEXT, supercatid INTEGER,
                       UNIQUE(name));
CREATE TABLE code_name (cid INTEGER PRIMARY KEY, name TEXT, memo TEXT, catid INTEGER, owner TEXT, date TEXT,
                        color TEXT, UNIQUE(name));
CREATE TABLE code_text (ctid INTEGER PRIMARY KEY, cid INTEGER, fid INTEGER, seltext TEXT, pos0 INTEGER,
                        pos1 INTEGER, owner TEXT, date TEXT, memo TEXT, avid INTEGER, important INTEGER,
                        UNIQUE(cid, fid, pos0, pos1, owner));
CREATE TABLE code_av (avid INTEGER PRIMARY KEY, id INTEGER, pos0 INTEGER, pos1 INTEGER, cid INTEGER, memo TEXT,
                      date TEXT, owner TEXT, important INTEGER);
CREATE TABLE code_image (imid INTEGER PRIMARY KEY, id INTEGER, x1 INTEGER, y1 INTEGER, width INTEGER,
                         height INTEGER, cid INTEGER, memo TEXT, date TEXT, owner TEXT, important INTEGER);
CREATE TABLE cases (caseid INTEGER PRIMARY KEY, name TEXT, memo TEXT, owner TEXT, date TEXT,
                    CONSTRAINT ucm UNIQUE(name));
CREATE TABLE case_text (id INTEGER PRIMARY KEY, caseid INTEGER, fid INTEGER, pos0 INTEGER, pos1 INTEGER,
                        owner TEXT, date TEXT, memo TEXT);
CREATE TABLE attribute_type (name TEXT PRIMARY KEY, date TEXT, owner TEXT, memo TEXT, caseOrFile TEXT,
                             valuetype TEXT);
CREATE TABLE attribute (attrid INTEGER PRIMARY KEY, name TEXT, attr_type TEXT, value TEXT, id INTEGER, date TEXT,
                        owner TEXT, UNIQUE(name, attr_type, id));
"""
TEXT_1 = "Interviewer: hello. P1: Integration helps patients. 😀 Budgets are a barrier."
TEXT_2 = "P2: Leadership matters. Shared records help."


def span(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def build_project(folder: Path) -> Path:
    """A QualCoder project folder: two interviews, a category tree, two cases with a Tier attribute, two coders."""
    folder.mkdir(parents=True)
    with sqlite3.connect(folder / "data.qda") as db:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO project VALUES ('v7', '2024-01-01 10:00:00', '', 'QualCoder 3.5', 0, 0, 'alice')")
        db.executemany("INSERT INTO source (id, name, fulltext, owner, date) VALUES (?, ?, ?, 'alice', '2024')",
                       [(1, "interview_P1.txt", TEXT_1), (2, "interview_P2.txt", TEXT_2)])
        db.executemany("INSERT INTO code_cat (catid, name, owner, date, memo, supercatid) VALUES (?, ?, 'alice', "
                       "'2024', ?, ?)", [(1, "Enablers", "what helps", None), (2, "Barriers", None, None),
                                        (3, "People", None, 1)])
        db.executemany("INSERT INTO code_name (cid, name, memo, catid, owner, date, color) VALUES (?, ?, ?, ?, 'alice',"
                       " '2024', '#fff')", [(1, "Patient benefit", "benefit", 1), (2, "Money", None, 2),
                                            (3, "Leadership", None, 3), (4, "Records", None, 1),
                                            (5, "Uncategorised", None, None)])
        codings = [(1, 1, 1, "Integration helps patients.", "alice", None),
                   (2, 2, 1, "Budgets are a barrier.", "bob", "budget memo"),
                   (3, 3, 2, "Leadership matters.", "alice", None),
                   (4, 4, 2, "Shared records help.", "bob", None),
                   (5, 1, 2, "Shared records help.", "alice", None)]
        for ctid, cid, fid, text, owner, memo in codings:
            start, end = span(TEXT_1 if fid == 1 else TEXT_2, text)
            db.execute("INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner, date, memo, important) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, '2024', ?, NULL)", (ctid, cid, fid, text, start, end, owner, memo))
        db.execute("INSERT INTO code_av (avid, id, pos0, pos1, cid, owner) VALUES (1, 9, 0, 1000, 1, 'alice')")
        db.executemany("INSERT INTO cases (caseid, name, owner, date) VALUES (?, ?, 'alice', '2024')",
                       [(1, "P1"), (2, "P2"), (3, "P3 (no interview yet)")])
        db.executemany("INSERT INTO case_text (caseid, fid, pos0, pos1, owner, date) "
                       "VALUES (?, ?, ?, ?, 'alice', '2024')",
                       [(1, 1, span(TEXT_1, "P1:")[0], len(TEXT_1)), (2, 2, 0, len(TEXT_2))])
        db.executemany("INSERT INTO attribute_type VALUES (?, '2024', 'alice', '', ?, 'character')",
                       [("Tier", "case"), ("Site", "case"), ("Interview date", "file")])
        db.executemany("INSERT INTO attribute (name, attr_type, value, id, date, owner) VALUES (?, ?, ?, ?, '2024', "
                       "'alice')", [("Tier", "case", "micro", 1), ("Tier", "case", "Meso", 2),
                                    ("Site", "case", "Bexley", 1), ("Interview date", "file", "2024-02-01", 1)])
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return build_project(tmp_path / "interviews.qda")


def test_the_folder_and_its_database_are_detected_as_a_qualcoder_project(project):
    assert detect_format(project) == "qualcoder-project"
    assert detect_format(project / "data.qda") == "qualcoder-project"


def test_each_source_keeps_its_full_length_in_characters(project):
    lengths = read_export(project).documents.set_index("document")["characters"].to_dict()
    assert lengths == {"interview_P1.txt": len(TEXT_1), "interview_P2.txt": len(TEXT_2)}


def test_categories_and_codes_form_the_tree(project):
    codes = read_export(project).codes.set_index("code_id")
    assert codes.at["cat:3", "parent_id"] == "cat:1" and codes.at["code:3", "parent_id"] == "cat:3"
    assert codes.at["code:3", "path"] == "Enablers > People > Leadership"
    assert codes.at["cat:1", "level"] == "overarching" and codes.at["code:3", "level"] == "sub"
    assert codes.at["code:1", "description"] == "benefit" and pd.isna(codes.at["code:5", "parent_id"])


def test_codings_carry_their_text_positions_case_and_coder(project):
    segments = read_export(project).segments.set_index("segment_id")
    assert segments.at["ctid:2", "text"] == "Budgets are a barrier."
    assert (segments.at["ctid:2", "start"], segments.at["ctid:2", "end"]) == span(TEXT_1, "Budgets are a barrier.")
    assert segments.at["ctid:2", "participant_id"] == "P1" and segments.at["ctid:4", "participant_id"] == "P2"
    assert segments.at["ctid:2", "coder"] == "bob" and "memo: budget memo" in segments.at["ctid:2", "note"]


def test_a_coding_outside_every_case_span_has_no_participant(project):
    segments = read_export(project).segments.set_index("segment_id")
    assert segments["participant_id"].notna().all()   # every coding here lies inside a case's span
    with sqlite3.connect(project / "data.qda") as db:
        db.execute("INSERT INTO code_text (ctid, cid, fid, seltext, pos0, pos1, owner) "
                   "VALUES (9, 1, 1, 'Interviewer', 0, 11, 'alice')")
    again = read_export(project).segments.set_index("segment_id")
    assert again["participant_id"].isna().sum() == 1 and pd.isna(again.at["ctid:9", "participant_id"])


def test_case_attributes_give_tier_and_site_and_every_case_is_listed(project):
    people = read_export(project).participants.set_index("participant_id")
    assert people.at["P1", "tier"] == "micro" and people.at["P2", "tier"] == "meso"
    assert people.at["P1", "site"] == "Bexley"
    assert "P3 (no interview yet)" in people.index


def test_audio_video_and_image_codings_are_counted_in_a_warning(project):
    study = read_export(project)
    assert any("1 audio, video or image coding" in w for w in study.meta["warnings"])


def test_a_folder_that_is_not_a_qualcoder_project_gets_a_clear_message(tmp_path):
    (tmp_path / "just a folder").mkdir()
    with pytest.raises(UnknownFormatError, match="a folder, not an export file, and not a QualCoder project"):
        detect_format(tmp_path / "just a folder")


def test_import_cli_reads_the_project_folder(project, tmp_path, capsys):
    assert main(["import", str(project), "--study", "qc", "--out", str(tmp_path / "qc")]) == 0
    out = capsys.readouterr().out
    assert "imported 3 participants, 8 codes, 5 segments" in out
    assert main(["import", str(tmp_path / "qc"), "--study", "x", "--out", str(tmp_path / "x")]) == 2
    assert "not a QualCoder project" in capsys.readouterr().err
