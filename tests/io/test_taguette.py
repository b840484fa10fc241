"""Taguette highlights and codebook exports (csv/xlsx) and project databases (.sqlite3)."""
from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from icevidence.io import read_export
from icevidence.io.detect import detect_format
from icevidence.io.errors import MalformedExportError
from icevidence.io.taguette import (
    html_text,
    read_taguette_codebook,
    read_taguette_highlights,
    read_taguette_sqlite,
    sniff_codebook,
    sniff_highlights,
)

HIGHLIGHTS = ("id,document,tag,content\r\n"
              "7,P01.odt,Silos,We never talk.\r\n"
              "7,P01.odt,Money,We never talk.\r\n"
              '8,P02.odt,Money,"<p>Budgets &amp; staff</p>\n<p>differ.</p>"\r\n'
              "9,P02.odt,Silos,particulate matter <10um\r\n")
CODEBOOK = ('tag,description,number of highlights\r\n'
            'Money,"Funding, budgets",2\r\nSilos,Working apart,2\r\nUnused,Never applied,0\r\n')
BY_DOCUMENT = {"participants": {"from": "document", "pattern": r"^(P\d+)"}}
DOCUMENT_HTML = "<p>Café &amp; crème — 😀 start</p>\n<p>Second para</p>"
DOCUMENT_TEXT = "Café & crème — 😀 start\nSecond para"


def write_text(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def byte_span(text: str, part: str) -> tuple[int, int]:
    """UTF-8 byte offsets of a part of the text, as Taguette stores them."""
    start = len(text[:text.index(part)].encode("utf-8"))
    return start, start + len(part.encode("utf-8"))


def make_database(tmp_path: Path, highlights: list[tuple], links: list[tuple], projects: int = 1) -> Path:
    path = tmp_path / "project.sqlite3"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE projects (id INTEGER, name TEXT, description TEXT, created TEXT);
        CREATE TABLE documents (id INTEGER, name TEXT, description TEXT, filename TEXT, created TEXT,
                                project_id INTEGER, text_direction TEXT, contents TEXT);
        CREATE TABLE tags (id INTEGER, project_id INTEGER, path TEXT, description TEXT);
        CREATE TABLE highlights (id INTEGER, document_id INTEGER, start_offset INTEGER, end_offset INTEGER,
                                 snippet TEXT);
        CREATE TABLE highlight_tags (highlight_id INTEGER, tag_id INTEGER);
    """)
    for p in range(1, projects + 1):
        con.execute("INSERT INTO projects VALUES (?, 'Study', '', '2022-02-03')", (p,))
        con.execute("INSERT INTO documents VALUES (?, ?, 'nurse', 'p.odt', '', ?, 'LEFT_TO_RIGHT', ?)",
                    (p, f"P0{p}.odt", p, DOCUMENT_HTML))
    con.executemany("INSERT INTO tags VALUES (?, 1, ?, ?)", [(1, "Money", "Funding"), (2, "Silos", "Apart")])
    con.executemany("INSERT INTO highlights VALUES (?, ?, ?, ?, ?)", highlights)
    con.executemany("INSERT INTO highlight_tags VALUES (?, ?)", links)
    con.commit()
    con.close()
    return path


def crème_highlight() -> tuple:
    start, end = byte_span(DOCUMENT_TEXT, "crème — 😀 start\nSecond")
    return (1, 1, start, end, "<p>crème — 😀 start</p>\n<p>Second</p>")


def test_each_row_of_a_highlight_is_one_coding(tmp_path: Path) -> None:
    study = read_taguette_highlights(write_text(tmp_path, "h.csv", HIGHLIGHTS), BY_DOCUMENT)
    assert study.segments["segment_id"].tolist() == ["7/Silos", "7/Money", "8/Money", "9/Silos"]
    assert study.segments["participant_id"].tolist() == ["P01", "P01", "P02", "P02"]


def test_an_html_snippet_is_reduced_to_its_text(tmp_path: Path) -> None:
    study = read_taguette_highlights(write_text(tmp_path, "h.csv", HIGHLIGHTS))
    assert study.segments.iloc[2]["text"] == "Budgets & staff\ndiffer."


def test_plain_text_with_an_angle_bracket_is_kept(tmp_path: Path) -> None:
    study = read_taguette_highlights(write_text(tmp_path, "h.csv", HIGHLIGHTS))
    assert study.segments.iloc[3]["text"] == "particulate matter <10um"


def test_a_codebook_gives_code_order_and_descriptions(tmp_path: Path) -> None:
    study = read_taguette_highlights(write_text(tmp_path, "h.csv", HIGHLIGHTS),
                                     codebook=write_text(tmp_path, "c.csv", CODEBOOK))
    assert study.codes[["code_id", "description"]].values.tolist() == [
        ["Money", "Funding, budgets"], ["Silos", "Working apart"], ["Unused", "Never applied"]]


def test_a_codebook_alone_is_a_study_of_flat_codes(tmp_path: Path) -> None:
    study = read_taguette_codebook(write_text(tmp_path, "c.csv", CODEBOOK))
    assert (len(study.codes), len(study.segments), set(study.codes["level"])) == (3, 0, {"overarching"})


def test_an_xlsx_highlights_export_is_imported(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["id", "document", "tag", "content"])
    workbook.active.append([3, "P07.odt", "Money", "Cash."])
    path = tmp_path / "h.xlsx"
    workbook.save(path)
    assert read_taguette_highlights(path).segments.iloc[0][["segment_id", "text"]].tolist() == ["3/Money", "Cash."]


def test_the_same_tag_twice_on_one_highlight_names_the_rows(tmp_path: Path) -> None:
    text = HIGHLIGHTS + "7,P01.odt,Silos,We never talk.\r\n"
    with pytest.raises(MalformedExportError,
                       match=r"row 6, column 'tag': highlight 7 has tag 'Silos' already in row 2"):
        read_taguette_highlights(write_text(tmp_path, "h.csv", text))


def test_skip_invalid_lists_a_row_without_tag(tmp_path: Path) -> None:
    study = read_taguette_highlights(write_text(tmp_path, "h.csv", HIGHLIGHTS + "10,P03.odt,,x\r\n"),
                                     skip_invalid=True)
    assert len(study.segments) == 4 and study.meta["skipped"][0]["place"] == "row 6, column 'tag'"


def test_database_byte_offsets_become_character_offsets_into_the_text(tmp_path: Path) -> None:
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1)]))
    first = study.segments.iloc[0]
    assert (first["start"], first["end"]) == (7, 29)
    assert DOCUMENT_TEXT[first["start"]:first["end"]] == first["text"] == "crème — 😀 start\nSecond"


def test_database_documents_keep_the_length_of_their_text_in_characters(tmp_path: Path) -> None:
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1)]))
    assert study.documents[["document", "characters"]].values.tolist() == [["P01.odt", len(DOCUMENT_TEXT)]]


def test_html_text_decodes_entities_and_keeps_leading_newlines() -> None:
    assert html_text("\n<p>  a &amp; b</p>") == "\n  a & b"


def test_database_tags_are_codes_with_their_descriptions(tmp_path: Path) -> None:
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1)]))
    assert study.codes[["name", "description"]].values.tolist() == [["Money", "Funding"], ["Silos", "Apart"]]


def test_a_highlight_with_two_tags_is_two_codings(tmp_path: Path) -> None:
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1), (1, 2)]))
    assert study.segments["segment_id"].tolist() == ["1/tag1", "1/tag2"]


def test_an_untagged_highlight_is_listed_not_dropped_silently(tmp_path: Path) -> None:
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], []))
    assert len(study.segments) == 0
    assert study.meta["skipped"][0]["problem"] == "highlight 1 has no tag, so it is no coding"


def test_offsets_that_do_not_match_the_snippet_are_an_error(tmp_path: Path) -> None:
    wrong = (1, 1, 0, 4, "<p>crème</p>")
    with pytest.raises(MalformedExportError, match=r"table highlights, id 1: highlight 1: the text at bytes 0-4"):
        read_taguette_sqlite(make_database(tmp_path, [wrong], [(1, 1)]))


def test_offsets_that_do_not_match_are_listed_when_skipping(tmp_path: Path) -> None:
    wrong = (2, 1, 0, 4, "<p>crème</p>")
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight(), wrong], [(1, 1), (2, 1)]),
                                 skip_invalid=True)
    assert len(study.segments) == 1 and "differs from its snippet" in study.meta["skipped"][0]["problem"]


def test_the_document_description_can_name_the_participant(tmp_path: Path) -> None:
    config = {"participants": {"from": "document_variable", "name": "Description"}}
    study = read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1)]), config)
    assert study.segments.iloc[0]["participant_id"] == "nurse"


def test_a_database_with_several_projects_asks_which(tmp_path: Path) -> None:
    path = make_database(tmp_path, [crème_highlight()], [(1, 1)], projects=2)
    with pytest.raises(MalformedExportError, match=r"holds projects \[1, 2\]"):
        read_taguette_sqlite(path)
    assert len(read_taguette_sqlite(path, project=1).segments) == 1


def test_a_database_without_taguette_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE documents (id)").connection.close()
    with pytest.raises(MalformedExportError, match="not a Taguette project database"):
        read_taguette_sqlite(path)


def test_the_sniffers_and_detection_recognise_each_export(tmp_path: Path) -> None:
    assert sniff_highlights(["id", "document", "tag", "content"]) and not sniff_codebook(["id", "document", "tag"])
    assert sniff_codebook(["tag", "description", "number of highlights"])
    assert detect_format(write_text(tmp_path, "h.csv", HIGHLIGHTS)) == "taguette-highlights"
    assert detect_format(write_text(tmp_path, "c.csv", CODEBOOK)) == "taguette-codebook"
    database = make_database(tmp_path, [crème_highlight()], [(1, 1)])
    assert detect_format(database) == "taguette-sqlite" and len(read_export(database).segments) == 1


def test_real_database_has_17_documents_22_tags_1930_codings_of_1793_tagged_highlights(real_exports: Path) -> None:
    study = read_taguette_sqlite(real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3")
    segments = study.segments
    assert (segments["document"].nunique(), len(study.codes), len(segments)) == (17, 22, 1930)
    assert segments["note"].nunique() == 1793
    assert [s["place"] for s in study.meta["skipped"]] == ["table highlights, id 1630"]


def test_real_database_offsets_slice_the_document_text_to_the_snippet(real_exports: Path) -> None:
    path = real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3"
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as con:
        texts = {name: html_text(html) for name, html in con.execute("SELECT name, contents FROM documents")}
    segments = read_taguette_sqlite(path).segments
    assert all(texts[d][s:e] == t for d, s, e, t in zip(segments["document"], segments["start"], segments["end"],
                                                          segments["text"]))


def test_real_highlights_csv_has_1930_rows_17_documents_22_tags(real_exports: Path) -> None:
    segments = read_taguette_highlights(real_exports / "taguette" / "all_tags_20220303.csv").segments
    assert (len(segments), segments["document"].nunique(), segments["code_id"].nunique()) == (1930, 17, 22)
    assert segments["note"].nunique() == 1793


def test_real_highlights_csv_and_database_quote_the_same_texts(real_exports: Path) -> None:
    folder = real_exports / "taguette"
    csv_segments = read_taguette_highlights(folder / "all_tags_20220303.csv").segments
    database = read_taguette_sqlite(folder / "SERDIF_P2_ThematicAnalysis.sqlite3")
    names = dict(zip(database.codes["code_id"], database.codes["name"]))
    squeeze = " ".join
    from_csv = Counter(zip(csv_segments["document"], csv_segments["code_id"],
                           csv_segments["text"].str.split().map(squeeze)))
    from_db = Counter(zip(database.segments["document"], database.segments["code_id"].map(names),
                          database.segments["text"].str.split().map(squeeze)))
    assert from_csv == from_db


@pytest.mark.parametrize(("name", "tags", "links"), [("codebook.csv", 3, 3), ("codebook_20220303_8.csv", 22, 1930),
                                                      ("codebook_20220223_0.csv", 120, 2170)])
def test_real_codebooks_have_their_tags(real_exports: Path, name: str, tags: int, links: int) -> None:
    path = real_exports / "taguette" / name
    assert len(read_taguette_codebook(path).codes) == tags
    from icevidence.io.spreadsheet import read_sheet
    assert read_sheet(path)["number of highlights"].astype(int).sum() == links


def test_a_snippet_longer_than_the_cap_is_refused_as_unsafe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from icevidence.io import sqlite
    from icevidence.io.errors import UnsafeInputError
    monkeypatch.setattr(sqlite, "MAX_FIELD_CHARS", 10)
    with pytest.raises(UnsafeInputError, match="table highlights, rowid 1, column snippet: a value of"):
        read_taguette_sqlite(make_database(tmp_path, [crème_highlight()], [(1, 1)]))
