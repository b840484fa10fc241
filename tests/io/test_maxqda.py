"""MAXQDA coded-segments tables (xls/xlsx/csv, any interface language) and .mex exchange databases."""
from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixture_paths import FIXTURES as TEST_FIXTURES

from icevidence.io import read_export
from icevidence.io.detect import detect_format
from icevidence.io.errors import ExportWarning, MalformedExportError
from icevidence.io.headers import MissingColumnError
from icevidence.io.maxqda import read_maxqda_segments, read_mex, sniff_segments

FIXTURES = TEST_FIXTURES / "spreadsheets"
BY_DOCUMENT = {"participants": {"from": "document", "pattern": r"^(P\d+)"}}
POLISH = ("Color;Komentarz;Grupa dokumentów;Nazwa dokumentu;Kod;Początek;Koniec;Waga;Fragment\n"
          "●;;Lekarze;P01 wywiad;Bariery > Finanse;3;4;0;Nie ma pieniędzy.\n"
          "●;ważne;Lekarze;P01 wywiad;Bariery;7;7;0;Brak rozmów.\n"
          "●;;Pielęgniarki;P02 wywiad;Ułatwienia;1;1;0;Wspólne biuro.\n")


def write_text(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def make_mex(tmp_path: Path, codings: list[tuple], encrypted: bool = True, words: list[tuple] | None = None) -> Path:
    """A minimal .mex: two documents in a group, a parent code with a child, codings with previews."""
    path = tmp_path / "project.mex"
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE sys_Setup (Key TEXT, Value TEXT, Data BLOB);
        CREATE TABLE Textgroups (ID INTEGER, Name TEXT);
        CREATE TABLE Texts (ID INTEGER, Idx INTEGER, GroupID INTEGER, Name TEXT, Text TEXT);
        CREATE TABLE Texts_PlainTextWin_BLOBS (ID INTEGER, Value BLOB);
        CREATE TABLE Codewords (ID INTEGER, Idx INTEGER, WordID INTEGER, Name TEXT);
        CREATE TABLE Codings (ID INTEGER, TextID INTEGER, WordID INTEGER, Preview TEXT, SegPos1X INTEGER,
                              SegPos2X INTEGER, CommentL TEXT);
    """)
    con.execute("INSERT INTO sys_Setup VALUES ('APP', 'MAXQDA 12', NULL)")
    con.execute("INSERT INTO Textgroups VALUES (1, 'Nurses')")
    con.executemany("INSERT INTO Texts VALUES (?, ?, ?, ?, 'BLOB')", [(2, 0, 1, "P01"), (3, 1, 0, "P02")])
    blob = b"*ENC*\x8a\x01\xff" if encrypted else "plain text".encode("utf-16-le")
    con.executemany("INSERT INTO Texts_PlainTextWin_BLOBS VALUES (?, ?)", [(2, blob), (3, blob)])
    con.executemany("INSERT INTO Codewords VALUES (?, ?, ?, ?)",
                    words or [(5, 1, 0, "Barriers"), (6, 0, 5, "Money"), (7, 0, 0, "Enablers")])
    con.executemany("INSERT INTO Codings VALUES (?, ?, ?, ?, ?, ?, ?)", codings)
    con.commit()
    con.close()
    return path


ONE_CODING = [(1, 2, 6, "We have no money.", 10, 27, "")]


def test_polish_semicolon_csv_is_imported(tmp_path: Path) -> None:
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH), BY_DOCUMENT)
    assert len(study.segments) == 3 and study.segments["text"].tolist()[0] == "Nie ma pieniędzy."
    assert study.segments["participant_id"].tolist() == ["P01", "P01", "P02"]


def test_english_comma_separated_csv_is_imported(tmp_path: Path) -> None:
    text = ('Color,Document group,Document name,Code,Beginning,End,Weight score,Segment\n'
            '●,,P01 interview,Barriers,2,2,0,"Money, money."\n')
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", text))
    assert study.segments.iloc[0]["text"] == "Money, money." and study.segments.iloc[0]["document"] == "P01 interview"


def test_german_xlsx_is_imported(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Farbe", "Dokumentname", "Code", "Gewicht", "Segment", "Dokumentgruppe", "Anfang", "Ende"])
    workbook.active.append(["●", "P03", "Finanzierung", 0, "Getrennte Budgets.", None, 5, 6])
    path = tmp_path / "segmente.xlsx"
    workbook.save(path)
    study = read_maxqda_segments(path)
    assert study.segments.iloc[0][["document", "code_id", "note"]].tolist() == \
        ["P03", "Finanzierung", "paragraphs 5-6"]


def test_legacy_xls_is_imported() -> None:
    study = read_maxqda_segments(FIXTURES / "maxqda_segments_de.xls", BY_DOCUMENT)
    assert len(study.segments) == 3 and set(study.participants["participant_id"]) == {"P01", "P02"}


def test_code_paths_joined_by_gt_become_a_code_tree(tmp_path: Path) -> None:
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH))
    codes = study.codes.set_index("code_id")
    assert codes.loc["Bariery > Finanse", "parent_id"] == "Bariery"
    assert codes.loc["Bariery > Finanse", "level"] == "main" and codes.loc["Bariery", "level"] == "overarching"
    assert list(codes.index) == ["Bariery", "Bariery > Finanse", "Ułatwienia"]


def test_beginning_and_end_are_paragraphs_kept_in_the_note_not_as_offsets(tmp_path: Path) -> None:
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH))
    first = study.segments.iloc[0]
    assert first["note"] == "paragraphs 3-4" and pd.isna(first["start"]) and pd.isna(first["end"])


def test_the_comment_is_kept_in_the_note(tmp_path: Path) -> None:
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH))
    assert study.segments.iloc[1]["note"] == "paragraphs 7-7; comment: ważne"


def test_the_document_group_can_name_the_participant(tmp_path: Path) -> None:
    config = {"participants": {"from": "document_variable", "name": "Document group"}}
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH), config)
    assert study.segments["participant_id"].tolist() == ["Lekarze", "Lekarze", "Pielęgniarki"]


def test_a_bom_and_crlf_do_not_disturb_the_headers(tmp_path: Path) -> None:
    path = write_text(tmp_path, "segments.csv", "\ufeff" + POLISH.replace("\n", "\r\n"))
    assert len(read_maxqda_segments(path).segments) == 3


def test_a_missing_code_column_is_named_with_the_headers_seen(tmp_path: Path) -> None:
    path = write_text(tmp_path, "segments.csv", "Nazwa dokumentu;Fragment\nP01;tekst\n")
    with pytest.raises(MissingColumnError, match=r"segments\.csv, column 'code': no column for the code found.*"
                                                 r"pl: Kod.*'Nazwa dokumentu', 'Fragment'"):
        read_maxqda_segments(path)


def test_an_unknown_language_still_finds_segment_and_paragraphs_by_content(tmp_path: Path) -> None:
    text = "Documento;Código;Inicio del párrafo;Fin del párrafo;Texto codificado\nP01;A;2;3;una cita larga\n"
    study = read_maxqda_segments(write_text(tmp_path, "segmentos.csv", text))
    assert study.segments.iloc[0][["text", "note"]].tolist() == ["una cita larga", "paragraphs 2-3"]


def test_a_bad_paragraph_number_names_the_row_and_column(tmp_path: Path) -> None:
    bad = POLISH.replace(";7;7;", ";siedem;7;")
    with pytest.raises(MalformedExportError, match=r"row 3, column 'Początek': 'siedem' is not a paragraph number"):
        read_maxqda_segments(write_text(tmp_path, "segments.csv", bad))


def test_skip_invalid_skips_and_lists_bad_rows(tmp_path: Path) -> None:
    bad = POLISH.replace(";Bariery;7;7;", ";;7;7;")
    study = read_maxqda_segments(write_text(tmp_path, "segments.csv", bad), skip_invalid=True)
    assert len(study.segments) == 2
    assert [(s["row"], s["column"], s["problem"]) for s in study.meta["skipped"]] == [(3, "Kod", "the code is empty")]


def test_an_end_before_the_beginning_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MalformedExportError, match="row 2, column 'Koniec'"):
        read_maxqda_segments(write_text(tmp_path, "segments.csv", POLISH.replace(";3;4;", ";4;3;")))


def test_the_sniffer_recognises_segment_headers_in_three_languages() -> None:
    assert sniff_segments(["Nazwa dokumentu", "Kod", "Fragment"])
    assert sniff_segments(["Dokumentname", "Code", "Segment"])
    assert sniff_segments(["Document name", "Code", "Segment"])
    assert not sniff_segments(["File", "Coded", "Codename"])


def test_detection_routes_a_segments_table_to_this_reader(tmp_path: Path) -> None:
    path = write_text(tmp_path, "segments.csv", POLISH)
    assert detect_format(path) == "maxqda-segments"
    assert len(read_export(path).segments) == 3


def test_mex_segment_text_is_the_preview_and_a_warning_says_texts_are_encrypted(tmp_path: Path) -> None:
    with pytest.warns(ExportWarning, match=r"encrypted \('\*ENC\*'\).*previews"):
        study = read_mex(make_mex(tmp_path, ONE_CODING))
    assert study.segments.iloc[0]["text"] == "We have no money."
    assert "encrypted" in study.meta["warnings"][0]


def test_mex_keeps_character_offsets(tmp_path: Path) -> None:
    with pytest.warns(ExportWarning):
        first = read_mex(make_mex(tmp_path, ONE_CODING)).segments.iloc[0]
    assert (first["start"], first["end"], first["location"]) == (10, 27, "P01:10-27")


def test_mex_flags_a_preview_cut_at_63_characters(tmp_path: Path) -> None:
    long_preview = "x" * 63
    with pytest.warns(ExportWarning, match="1 of 2 truncated"):
        study = read_mex(make_mex(tmp_path, [(1, 2, 6, long_preview, 0, 100, ""), (2, 3, 7, "y" * 63, 0, 63, "")]))
    assert study.segments["note"].tolist() == [
        "text is MAXQDA's preview (truncated at 63 characters; the segment has 100)", "text is MAXQDA's preview"]


def test_mex_code_tree_follows_wordid_parents(tmp_path: Path) -> None:
    with pytest.warns(ExportWarning):
        codes = read_mex(make_mex(tmp_path, ONE_CODING)).codes
    assert codes[["name", "path", "level"]].values.tolist() == [
        ["Enablers", "Enablers", "overarching"], ["Barriers", "Barriers", "overarching"],
        ["Money", "Barriers > Money", "main"]]


def test_mex_document_groups_become_a_document_variable(tmp_path: Path) -> None:
    config = {"participants": {"from": "document_variable", "name": "Document group"}}
    with pytest.warns(ExportWarning):
        study = read_mex(make_mex(tmp_path, ONE_CODING), config)
    assert study.segments.iloc[0]["participant_id"] == "Nurses"


def test_mex_without_encryption_does_not_claim_it(tmp_path: Path) -> None:
    with pytest.warns(ExportWarning) as caught:
        read_mex(make_mex(tmp_path, ONE_CODING, encrypted=False))
    assert "encrypted" not in str(caught[0].message)


def test_mex_coding_of_an_unknown_code_is_named(tmp_path: Path) -> None:
    with pytest.raises(MalformedExportError, match=r"table Codings, ID 1: coding 1 refers to code 99"):
        read_mex(make_mex(tmp_path, [(1, 2, 99, "x", 0, 1, "")]))


def test_mex_coding_of_an_unknown_code_is_listed_when_skipping(tmp_path: Path) -> None:
    with pytest.warns(ExportWarning):
        study = read_mex(make_mex(tmp_path, [*ONE_CODING, (2, 2, 99, "x", 0, 1, "")]), skip_invalid=True)
    assert len(study.segments) == 1 and study.meta["skipped"][0]["place"] == "table Codings, ID 2"


def test_an_sqlite_file_without_maxqda_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.mex"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(MalformedExportError, match="not a MAXQDA exchange file"):
        read_mex(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MalformedExportError, match="not a readable SQLite database"):
        read_mex(write_text(tmp_path, "fake.mex", "hello" * 100))


def test_detection_routes_a_mex_to_its_reader(tmp_path: Path) -> None:
    assert detect_format(make_mex(tmp_path, ONE_CODING)) == "mex"


def test_real_xls_has_402_segments_39_documents_7_codes(real_exports: Path) -> None:
    study = read_maxqda_segments(real_exports / "maxqda" / "test.xls")
    assert (len(study.segments), study.segments["document"].nunique(), len(study.codes)) == (402, 39, 7)
    assert Counter(study.segments["code_id"]) == {"ROLE": 98, "PERSON": 93, "LOCAL": 75, "TYPE": 39, "MISC": 38,
                                                  "DATE": 35, "INSTITUTION": 24}


def test_real_xlsx_has_130_segments_46_documents_1_code(real_exports: Path) -> None:
    study = read_maxqda_segments(real_exports / "maxqda" / "ESTHER ROLE.xlsx")
    assert (len(study.segments), study.segments["document"].nunique(), list(study.codes["code_id"])) == \
        (130, 46, ["ROLE"])


def test_real_mex_has_402_codings_39_documents_7_codes_17_previews_at_the_limit(real_exports: Path) -> None:
    with pytest.warns(ExportWarning, match="encrypted"):
        study = read_mex(real_exports / "maxqda" / "test.mex")
    assert (len(study.segments), study.segments["document"].nunique(), len(study.codes)) == (402, 39, 7)
    assert (study.segments["text"].str.len() == 63).sum() == 17


def test_real_mex_previews_line_up_with_the_xls_fragments(real_exports: Path) -> None:
    xls = read_maxqda_segments(real_exports / "maxqda" / "test.xls").segments
    with pytest.warns(ExportWarning):
        mex = read_mex(real_exports / "maxqda" / "test.mex")
    names = dict(zip(mex.codes["code_id"], mex.codes["name"]))
    from_mex = Counter(zip(mex.segments["document"], mex.segments["code_id"].map(names),
                           mex.segments["text"].str.strip()))
    from_xls = Counter(zip(xls["document"], xls["code_id"], xls["text"].str.strip().str[:63].str.strip()))
    assert from_mex == from_xls


def test_mex_with_more_codings_than_the_row_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from icevidence.io import sqlite
    from icevidence.io.errors import UnsafeInputError
    monkeypatch.setattr(sqlite, "MAX_ROWS", 3)
    codings = [(i, 2, 6, "x", 0, 1, "") for i in range(1, 5)]
    with pytest.raises(UnsafeInputError, match="table Codings: 4 rows; at most 3 allowed"):
        read_mex(make_mex(tmp_path, codings))


def test_a_maxqda_project_file_with_the_exchange_layout_is_read_as_mex(real_exports, tmp_path):
    import shutil

    from icevidence.io import read_export
    copy = tmp_path / "project.mx24"
    shutil.copyfile(real_exports / "maxqda" / "test.mex", copy)
    assert len(read_export(copy).segments) == len(read_export(real_exports / "maxqda" / "test.mex").segments) > 0


def test_a_maxqda_project_file_of_unknown_layout_says_how_to_export_it(tmp_path):
    import sqlite3

    from icevidence.io.detect import detect_format
    from icevidence.io.errors import UnknownFormatError
    path = tmp_path / "project.mx22"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE something_else (x)")
    with pytest.raises(UnknownFormatError, match=r"(?s)MAXQDA project file.*REFI-QDA \(\.qdpx\)"):
        detect_format(path)
