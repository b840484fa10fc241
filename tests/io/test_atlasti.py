"""ATLAS.ti quotation manager and code manager exports (xlsx/csv)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixture_paths import FIXTURES as TEST_FIXTURES

from icevidence.io import read_export
from icevidence.io.atlasti import (
    read_atlasti_codebook,
    read_atlasti_codes,
    read_atlasti_quotations,
    sniff_codes,
    sniff_quotations,
    split_codes,
)
from icevidence.io.detect import detect_format
from icevidence.io.errors import MalformedExportError

FIXTURES = TEST_FIXTURES / "atlasti"
THIN = "\u2009"
HEADER = ("Number;Reference;Name;Text Content;Document;Codes;Number of Codes;Comment;Initial Position;"
          "Final Position;Extensão;Creation Date ;Modification Date\n")
QUOTATIONS = HEADER + (
    f'1:1;¶{THIN}4;;"""We never talk to the council.""";P01 interview;'
    f'"T1. Barriers, Walls & Silos: Communication, T2. Money: Budgets";2;F001;4;4;1;3/25/25;9/14/25\n'
    f'1:2;¶{THIN}6;;"""The shared office helps.""";P01 interview;'
    f'"""The shared office helps."", T3. Enablers: Co-location";2;;6;7;2;3/25/25;9/14/25\n'
    f'2:1;¶{THIN}2;;"""Budgets are separate.""";P02 interview;T2. Money: Budgets;1;;2;2;1;3/25/25;9/14/25\n'
)
BY_DOCUMENT = {"participants": {"from": "document", "pattern": r"^(P\d+)"}}


def write_text(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def quotations(tmp_path: Path, text: str = QUOTATIONS, **kwargs: object):
    return read_atlasti_quotations(write_text(tmp_path, "quotations.csv", text), BY_DOCUMENT, **kwargs)


def test_each_code_of_a_quotation_is_one_coding(tmp_path: Path) -> None:
    study = quotations(tmp_path)
    assert study.segments["segment_id"].tolist() == ["1:1/1", "1:1/2", "1:2/1", "1:2/2", "2:1/1"]


def test_the_quotes_wrapping_the_quotation_text_are_removed(tmp_path: Path) -> None:
    assert quotations(tmp_path).segments.iloc[0]["text"] == "We never talk to the council."


def test_the_thin_space_paragraph_reference_becomes_a_paragraph_range_in_the_note(tmp_path: Path) -> None:
    study = quotations(tmp_path)
    assert study.segments["note"].tolist()[:3] == [
        "quotation 1:1; paragraphs 4-4; comment: F001", "quotation 1:1; paragraphs 4-4; comment: F001",
        "quotation 1:2; paragraphs 6-7"]
    assert study.segments["start"].isna().all()


def test_the_reference_gives_the_paragraph_when_positions_are_absent(tmp_path: Path) -> None:
    text = f'ID;Reference;Quotation Content;Document;Codes\n3:1;¶{THIN}12;"""Text.""";P03;A\n'
    assert quotations(tmp_path, text).segments.iloc[0]["note"] == "quotation 3:1; paragraphs 12-12"


def test_theme_sub_names_become_a_code_under_its_theme(tmp_path: Path) -> None:
    codes = quotations(tmp_path).codes.set_index("code_id")
    assert codes.loc["T2. Money: Budgets", ["parent_id", "name", "path"]].tolist() == \
        ["T2. Money", "Budgets", "T2. Money > Budgets"]
    assert codes.loc["T2. Money", "level"] == "overarching"


def test_a_code_list_is_split_even_where_names_contain_commas(tmp_path: Path) -> None:
    assert quotations(tmp_path).segments["code_id"].tolist()[:2] == [
        "T1. Barriers, Walls & Silos: Communication", "T2. Money: Budgets"]


def test_an_in_vivo_code_is_a_top_level_code(tmp_path: Path) -> None:
    codes = quotations(tmp_path).codes.set_index("code_id")
    assert pd.isna(codes.loc['"The shared office helps."', "parent_id"])


def test_participants_come_from_the_document_name(tmp_path: Path) -> None:
    assert quotations(tmp_path).segments["participant_id"].tolist() == ["P01", "P01", "P01", "P01", "P02"]


def test_codes_on_separate_lines_in_xlsx_need_no_guessing(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["ID", "Name", "Quotation Content", "Document", "Codes", "Comment"])
    workbook.active.append(["1:1", None, "Money, money.", "P01", "A, B: c\nD", None])
    path = tmp_path / "quotations.xlsx"
    workbook.save(path)
    assert read_atlasti_quotations(path).segments["code_id"].tolist() == ["A, B: c", "D"]


def test_a_codebook_resolves_a_split_the_file_alone_cannot(tmp_path: Path) -> None:
    text = HEADER + '1:1;¶ 1;;"""x""";P01;"Alpha, Beta, Gamma";2;;1;1;1;;\n'
    with pytest.raises(MalformedExportError):
        quotations(tmp_path, text)
    book = write_text(tmp_path, "codes.csv", "Code;Comment;Code Group 1\nAlpha, Beta;;\nGamma;;\n")
    assert quotations(tmp_path, text, codebook=book).segments["code_id"].tolist() == ["Alpha, Beta", "Gamma"]


def test_an_unsplittable_codes_cell_names_the_row_column_and_remedy(tmp_path: Path) -> None:
    text = HEADER + '1:1;¶ 1;;"""x""";P01;"Alpha, Beta, Gamma";2;;1;1;1;;\n'
    with pytest.raises(MalformedExportError, match=r"quotations\.csv, row 2, column 'Codes': cannot split") as caught:
        quotations(tmp_path, text)
    assert "codebook=" in str(caught.value)


def test_skip_invalid_lists_the_unsplittable_row_and_keeps_the_rest(tmp_path: Path) -> None:
    text = QUOTATIONS + '3:1;¶ 1;;"""x""";P03;"Alpha, Beta, Gamma";2;;1;1;1;;\n'
    study = quotations(tmp_path, text, skip_invalid=True)
    assert len(study.segments) == 5 and study.meta["skipped"][0]["row"] == 5


def test_a_quotation_without_document_is_an_error(tmp_path: Path) -> None:
    text = HEADER + '1:1;¶ 1;;"""x""";;A;1;;1;1;1;;\n'
    with pytest.raises(MalformedExportError, match="row 2, column 'Document': the document is empty"):
        quotations(tmp_path, text)


def test_split_codes_prefers_known_names() -> None:
    known = {"T2. Security, Privacy & Trust: Access", "T1. Edge: Protocol"}
    assert split_codes("T1. Edge: Protocol, T2. Security, Privacy & Trust: Access", 2, known) == \
        ["T1. Edge: Protocol", "T2. Security, Privacy & Trust: Access"]


def test_portuguese_headers_are_read(tmp_path: Path) -> None:
    text = "ID;Referência;Conteúdo do texto;Documento;Códigos;Comentário\n1:1;¶ 2;\"\"\"Olá.\"\"\";P01;A;\n"
    assert quotations(tmp_path, text).segments.iloc[0]["text"] == "Olá."


def test_code_manager_export_with_subcodes_in_the_second_column(tmp_path: Path) -> None:
    text = ("Code;;Magnitude Degree;Density\n● T1. Barriers;;3;0\n;● Money;2;0\n;● Time;1;0\n"
            "● T2. Enablers;;0;0\n")
    codes = read_atlasti_codes(write_text(tmp_path, "codes.csv", text))
    assert codes[["code_id", "parent_id", "name"]].fillna("").values.tolist() == [
        ["T1. Barriers", "", "T1. Barriers"], ["T1. Barriers: Money", "T1. Barriers", "Money"],
        ["T1. Barriers: Time", "T1. Barriers", "Time"], ["T2. Enablers", "", "T2. Enablers"]]


def test_codebook_comments_become_descriptions(tmp_path: Path) -> None:
    text = "Code;Comment;Code Group 1\nT1. Barriers;Things in the way;Themes\nT1. Barriers: Money;;\n"
    codes = read_atlasti_codes(write_text(tmp_path, "codes.csv", text))
    assert codes["description"].tolist()[0] == "Things in the way"


def test_a_codebook_alone_is_a_study_with_codes_and_no_segments(tmp_path: Path) -> None:
    study = read_atlasti_codebook(write_text(tmp_path, "codes.csv", "Code;Comment;Code Group 1\nA;;\nA: b;;\n"))
    assert (len(study.codes), len(study.segments)) == (2, 0)


def test_the_sniffers_tell_quotations_from_codebooks() -> None:
    quotation_header = HEADER.strip().split(";")
    assert sniff_quotations(quotation_header) and not sniff_codes(quotation_header)
    assert sniff_codes(["Code", "Comment", "Code Group 1"]) and not sniff_quotations(["Code", "Comment"])
    assert sniff_codes(["Code", "Magnitude Degree |", "Density"])


def test_detection_routes_quotations_and_codebooks(tmp_path: Path) -> None:
    path = write_text(tmp_path, "quotations.csv", QUOTATIONS)
    assert detect_format(path) == "atlasti-quotations" and len(read_export(path).segments) == 5
    assert detect_format(FIXTURES / "20250914_codebook_full.csv") == "atlasti-codes"


def test_real_quotation_export_has_394_quotations_1465_codings_436_codes_1_document() -> None:
    study = read_atlasti_quotations(FIXTURES / "20250914_quotation_export.csv")
    segments = study.segments
    assert (segments["note"].str.extract(r"quotation (\S+?);")[0].nunique(), len(segments)) == (394, 1465)
    assert (segments["code_id"].nunique(), segments["document"].nunique()) == (436, 1)
    # 436 applied codes and the 18 themes their 'Theme: Sub' names imply
    assert len(study.codes) == 454 and (study.codes["level"] == "overarching").sum() == 19


def test_real_codings_per_quotation_equal_its_number_of_codes() -> None:
    path = FIXTURES / "20250914_quotation_export.csv"
    raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    study = read_atlasti_quotations(path)
    per_quotation = study.segments["segment_id"].str.split("/").str[0].value_counts()
    assert per_quotation.to_dict() == dict(zip(raw["Number"], raw["Number of Codes"].astype(int)))


def test_real_split_without_codebook_equals_split_with_it() -> None:
    alone = read_atlasti_quotations(FIXTURES / "20250914_quotation_export.csv").segments
    with_book = read_atlasti_quotations(FIXTURES / "20250914_quotation_export.csv",
                                        codebook=FIXTURES / "20250914_codebook_full.csv")
    assert alone["code_id"].tolist() == with_book.segments["code_id"].tolist()
    assert len(with_book.codes) == 466  # the 465 of the codebook and one in-vivo code it lacks


def test_real_quotation_text_lines_up_with_its_in_vivo_code() -> None:
    segments = read_atlasti_quotations(FIXTURES / "20250914_quotation_export.csv").segments
    in_vivo = segments[segments["code_id"].str.startswith('"')].iloc[0]
    assert in_vivo["code_id"] == f'"{in_vivo["text"]}"' and in_vivo["segment_id"] == "1:1/1"


def test_real_codebook_has_465_codes_18_themes() -> None:
    codes = read_atlasti_codes(FIXTURES / "20250914_codebook_full.csv")
    assert (len(codes), codes["parent_id"].isna().sum()) == (465, 18)


def test_real_code_list_gives_the_same_tree_as_the_codebook() -> None:
    by_column = read_atlasti_codes(FIXTURES / "20250914_code_list_frequencies.csv")
    by_name = read_atlasti_codes(FIXTURES / "20250914_codebook_full.csv")
    assert by_column[["code_id", "parent_id"]].fillna("").values.tolist() == \
        by_name[["code_id", "parent_id"]].fillna("").values.tolist()


def test_real_theme_list_has_18_themes() -> None:
    assert len(read_atlasti_codes(FIXTURES / "20250914_theme_frequencies.csv")) == 18


def test_real_files_in_shared_are_the_copies_tested_here(real_exports: Path) -> None:
    names = ["20250914_quotation_export.csv", "20250914_codebook_full.csv", "20250914_code_list_frequencies.csv",
             "20250914_theme_frequencies.csv"]
    assert all((real_exports / "atlasti" / n).read_bytes() == (FIXTURES / n).read_bytes() for n in names)


def test_real_code_cooccurrence_workbook_is_not_taken_for_a_codings_export(real_exports: Path) -> None:
    from icevidence.io.errors import UnknownFormatError
    with pytest.raises(UnknownFormatError):
        detect_format(real_exports / "atlasti" / "20250914_code_coocurrrence.xlsx")


def test_counter_of_codes_matches_number_of_code_applications() -> None:
    segments = read_atlasti_quotations(FIXTURES / "20250914_quotation_export.csv").segments
    assert sum(Counter(segments["code_id"]).values()) == 1465


def test_import_cli_takes_the_code_manager_export_as_codebook(tmp_path, capsys):
    from icevidence import load_study
    from icevidence.build.cli import main
    code = main(["import", str(FIXTURES / "20250914_quotation_export.csv"), "--study", "at", "--out",
                 str(tmp_path / "at"), "--codebook", str(FIXTURES / "20250914_codebook_full.csv")])
    assert code == 0
    study = load_study("at", root=tmp_path)
    book = read_atlasti_codes(FIXTURES / "20250914_codebook_full.csv")
    assert set(book["code_id"]) <= set(study.codes["code_id"])
    assert len(study.segments) == 1465


def test_a_codebook_with_another_format_is_refused(tmp_path):
    from icevidence.io import read_export
    from icevidence.io.errors import ExportError
    with pytest.raises(ExportError, match="only with an ATLAS.ti quotation manager export"):
        read_export(FIXTURES / "20250914_codebook_full.csv", codebook=FIXTURES / "20250914_codebook_full.csv")


def test_without_a_count_adjacent_parts_join_into_the_longest_known_name() -> None:
    known = {"A, B", "A, B, C", "Z"}
    assert split_codes("A, B, C, A, B, D", None, known) == ["A, B, C", "A, B", "D"]


def test_without_a_count_an_in_vivo_quote_keeps_its_commas() -> None:
    assert split_codes('"yes, we, can", X', None, set()) == ['"yes, we, can"', "X"]


def test_a_known_name_wider_than_the_cap_is_never_joined_from_a_list() -> None:
    from icevidence.io.atlasti import MAX_NAME_PARTS
    wide = ", ".join(f"p{i}" for i in range(MAX_NAME_PARTS + 1))
    assert len(split_codes(wide, None, {wide})) == MAX_NAME_PARTS + 1
