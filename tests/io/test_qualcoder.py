"""QualCoder coding reports (csv/xlsx)."""
from __future__ import annotations

import codecs
import csv
from pathlib import Path

import openpyxl
import pytest

from icevidence.io import read_export
from icevidence.io.detect import detect_format
from icevidence.io.errors import MalformedExportError
from icevidence.io.headers import MissingColumnError
from icevidence.io.qualcoder import read_qualcoder, sniff

HEADER = '"File","Coder","Coded","Id","Codename","Coded_Memo","Category"\r\n'
ROWS = [
    '"P01 interview.docx","Ana","P1: We never talk.\u2029P1: Never.","ctid:11","Silos","","Barriers"\r\n',
    '"P01 interview.docx","Ana","P1: The office helps.","ctid:12","Co-location","Ana 19/01\n\nnot sure","Enablers"\r\n',
    '"P02 interview.docx","Ana","P2: Budgets differ.","ctid:13","Silos","","Money"\r\n',
]
BY_FILE = {"participants": {"from": "document", "pattern": r"^(P\d+)"}}


def write_report(tmp_path: Path, rows: list[str] = ROWS, header: str = HEADER) -> Path:
    path = tmp_path / "report.csv"
    path.write_bytes(codecs.BOM_UTF8 + (header + "".join(rows)).encode("utf-8"))
    return path


def test_a_bom_crlf_fully_quoted_report_is_imported(tmp_path: Path) -> None:
    study = read_qualcoder(write_report(tmp_path), BY_FILE)
    assert len(study.segments) == 3 and study.segments["participant_id"].tolist() == ["P01", "P01", "P02"]


def test_the_ctid_is_the_segment_id(tmp_path: Path) -> None:
    assert read_qualcoder(write_report(tmp_path)).segments["segment_id"].tolist() == ["ctid:11", "ctid:12", "ctid:13"]


def test_paragraph_separators_become_line_breaks(tmp_path: Path) -> None:
    assert read_qualcoder(write_report(tmp_path)).segments.iloc[0]["text"] == "P1: We never talk.\nP1: Never."


def test_coder_and_memo_with_line_breaks_go_to_the_note(tmp_path: Path) -> None:
    notes = read_qualcoder(write_report(tmp_path)).segments["note"].tolist()
    assert notes[:2] == ["coder: Ana", "coder: Ana; memo: Ana 19/01\n\nnot sure"]


def test_categories_become_parent_codes(tmp_path: Path) -> None:
    codes = read_qualcoder(write_report(tmp_path)).codes
    assert codes[["name", "path", "level"]].values.tolist()[:2] == [
        ["Barriers", "Barriers", "overarching"], ["Silos", "Barriers > Silos", "main"]]


def test_one_code_name_in_two_categories_gives_two_codes(tmp_path: Path) -> None:
    segments = read_qualcoder(write_report(tmp_path)).segments
    assert segments["code_id"].tolist()[0] != segments["code_id"].tolist()[2]


def test_a_code_without_category_is_top_level(tmp_path: Path) -> None:
    rows = ['"P03.docx","Ana","Text","ctid:20","Loose","",""\r\n']
    codes = read_qualcoder(write_report(tmp_path, rows)).codes
    assert codes[["name", "level"]].values.tolist() == [["Loose", "overarching"]]


def test_an_xlsx_report_is_imported(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["File", "Coder", "Coded", "Id", "Codename", "Coded_Memo", "Category"])
    workbook.active.append(["P04.docx", "Ana", "Quote", "ctid:5", "Code", None, "Cat"])
    path = tmp_path / "report.xlsx"
    workbook.save(path)
    assert read_qualcoder(path).segments.iloc[0][["segment_id", "text"]].tolist() == ["ctid:5", "Quote"]


def test_a_repeated_coding_id_names_both_rows(tmp_path: Path) -> None:
    rows = [*ROWS, ROWS[0].replace("P01 interview", "P09")]
    with pytest.raises(MalformedExportError, match=r"row 5, column 'Id': coding id 'ctid:11' already occurs in row 2"):
        read_qualcoder(write_report(tmp_path, rows))


def test_skip_invalid_lists_a_row_without_code_name(tmp_path: Path) -> None:
    rows = [*ROWS, '"P05.docx","Ana","Text","ctid:30","","","Cat"\r\n']
    study = read_qualcoder(write_report(tmp_path, rows), skip_invalid=True)
    assert len(study.segments) == 3
    assert study.meta["skipped"] == [{"file": str(tmp_path / "report.csv"), "row": 5, "column": "Codename",
                                      "place": "row 5, column 'Codename'", "problem": "the code name is empty"}]


def test_a_missing_code_name_column_is_named(tmp_path: Path) -> None:
    header = '"File","Coder","Coded","Id","Category"\r\n'
    with pytest.raises(MissingColumnError, match=r"column 'code name'.*en: Codename"):
        read_qualcoder(write_report(tmp_path, ['"a","b","c","ctid:1","d"\r\n'], header))


def test_the_sniffer_and_detection_recognise_a_report(tmp_path: Path) -> None:
    assert sniff(["File", "Coder", "Coded", "Id", "Codename", "Coded_Memo", "Category"])
    path = write_report(tmp_path)
    assert detect_format(path) == "qualcoder-csv" and len(read_export(path).segments) == 3


def raw_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_real_gf5_has_251_segments_49_codes_in_11_categories_1_file(real_exports: Path) -> None:
    # SOURCES.md says 50 codes and 10 categories; the file holds 49 distinct Codename values
    # in 11 distinct Category values (e.g. '99 Abrangência' and '99 Referências' both exist).
    study = read_qualcoder(real_exports / "qualcoder" / "GF5_tudo.csv")
    assert (len(study.segments), study.segments["document"].nunique()) == (251, 1)
    assert (study.codes["level"] == "main").sum() == 49 and (study.codes["level"] == "overarching").sum() == 11


def test_real_fg06_fg11_has_235_segments_11_codes_2_categories_2_files(real_exports: Path) -> None:
    study = read_qualcoder(real_exports / "qualcoder" / "cod_ingrid_FG06_e_FG11.csv")
    assert (len(study.segments), study.segments["document"].nunique()) == (235, 2)
    assert (study.codes["level"] == "main").sum() == 11 and (study.codes["level"] == "overarching").sum() == 2


@pytest.mark.parametrize(("name", "separators"), [("GF5_tudo.csv", 658), ("cod_ingrid_FG06_e_FG11.csv", 102)])
def test_real_coded_text_lines_up_with_the_file(real_exports: Path, name: str, separators: int) -> None:
    path = real_exports / "qualcoder" / name
    raw = raw_rows(path)
    segments = read_qualcoder(path).segments
    assert sum(r["Coded"].count("\u2029") for r in raw) == separators
    assert segments["text"].tolist() == [r["Coded"].replace("\u2029", "\n") for r in raw]
    assert segments["segment_id"].tolist() == [r["Id"] for r in raw]
