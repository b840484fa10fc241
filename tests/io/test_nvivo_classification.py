"""NVivo classification sheets (cases x attributes) and joining them to a Study from a .qdpx."""
from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from icevidence.io import read_export
from icevidence.io.assign import build_study
from icevidence.io.detect import detect_format
from icevidence.io.errors import ExportWarning, MalformedExportError
from icevidence.io.nvivo_classification import (
    join_classification,
    read_classification,
    read_classification_study,
    sniff_classification,
)

SHEET = ("Person,Gender,Tier,Age band,Site\r\n"
         "Cases\\\\Interviews\\\\P01,Female,Micro,Unassigned,Bexley\r\n"
         "P02,Not Applicable,meso,30-39,\r\n"
         "P03,Male,Unassigned,40-49,Bexley\r\n")


def write_text(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def values(table: pd.DataFrame, case: str) -> dict[str, object]:
    mine = table[(table["owner"] == case) & table["variable"].notna()]
    return {v: (None if pd.isna(x) else x) for v, x in zip(mine["variable"], mine["value"])}


def qdpx_like_study(cases: list[str], config: dict | None = None):
    """A Study as the REFI-QDA importer builds it: codings attributed to the participant of their case."""
    codes = pd.DataFrame({"code_id": ["c1"], "parent_id": [None], "name": ["Silos"], "description": [None]})
    codings = pd.DataFrame({"segment_id": [f"s{i}" for i in range(len(cases))], "document": "interviews.txt",
                            "case": cases, "code_id": "c1", "text": "quote", "start": None, "end": None, "note": None})
    return build_study("demo", codes, codings, None, config, Path("demo.qdpx"))


def test_the_sheet_becomes_a_long_table_of_case_attributes(tmp_path: Path) -> None:
    table = read_classification(write_text(tmp_path, "sheet.csv", SHEET))
    assert set(table["owner_kind"]) == {"case"}
    assert values(table, "P03") == {"Gender": "Male", "Tier": None, "Age band": "40-49", "Site": "Bexley"}


def test_unassigned_and_not_applicable_become_missing(tmp_path: Path) -> None:
    table = read_classification(write_text(tmp_path, "sheet.csv", SHEET))
    assert values(table, "P01")["Age band"] is None and values(table, "P02")["Gender"] is None


def test_german_placeholders_become_missing_too(tmp_path: Path) -> None:
    table = read_classification(write_text(tmp_path, "s.csv", "Fall,Geschlecht\nP01,Nicht zugewiesen\n"))
    assert values(table, "P01") == {"Geschlecht": None}


def test_a_hierarchical_case_name_keeps_its_last_part(tmp_path: Path) -> None:
    table = read_classification(write_text(tmp_path, "sheet.csv", SHEET))
    assert list(table["owner"].unique()) == ["P01", "P02", "P03"]


def test_cell_a1_is_the_classification_name(tmp_path: Path) -> None:
    assert read_classification(write_text(tmp_path, "sheet.csv", SHEET)).attrs["classification"] == "Person"


def test_a_tab_separated_text_export_is_read(tmp_path: Path) -> None:
    table = read_classification(write_text(tmp_path, "sheet.txt", "Name\tGender\r\nP01\tFemale\r\n"))
    assert values(table, "P01") == {"Gender": "Female"}


def test_an_xlsx_sheet_is_read(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Interviewee", "Years of service", "Gender"])
    workbook.active.append(["P01", 12, "Not Applicable"])
    path = tmp_path / "sheet.xlsx"
    workbook.save(path)
    assert values(read_classification(path), "P01") == {"Years of service": "12", "Gender": None}


def test_a_repeated_case_names_both_rows(tmp_path: Path) -> None:
    with pytest.raises(MalformedExportError, match=r"row 5, column 'Person': case 'P01' already occurs in row 2"):
        read_classification(write_text(tmp_path, "sheet.csv", SHEET + "P01,Female,,,\r\n"))


def test_a_repeated_case_is_listed_when_skipping(tmp_path: Path) -> None:
    skipped: list[dict] = []
    read_classification(write_text(tmp_path, "sheet.csv", SHEET + "P01,Female,,,\r\n"), skipped=skipped)
    assert skipped[0]["row"] == 5


def test_a_sheet_alone_gives_its_cases_as_participants(tmp_path: Path) -> None:
    study = read_classification_study(write_text(tmp_path, "sheet.csv", SHEET))
    people = study.participants.set_index("participant_id")
    assert list(people.index) == ["P01", "P02", "P03"]
    assert people.loc["P01", "tier"] == "micro" and people.loc["P02", "age_band"] == "30-39"


def test_joining_fills_the_participants_of_a_qdpx_study(tmp_path: Path) -> None:
    joined = join_classification(qdpx_like_study(["P01", "P02"]), write_text(tmp_path, "sheet.csv", SHEET))
    people = joined.participants.set_index("participant_id")
    assert people.loc["P01", ["gender", "tier", "site"]].tolist() == ["Female", "micro", "Bexley"]
    assert joined.segments.set_index("participant_id").loc["P02", "tier"] == "meso"


def test_joining_adds_classified_cases_without_codings(tmp_path: Path) -> None:
    joined = join_classification(qdpx_like_study(["P01"]), write_text(tmp_path, "sheet.csv", SHEET))
    people = joined.participants.set_index("participant_id")
    assert list(people.index) == ["P01", "P02", "P03"] and people.loc["P03", "source"] == "sheet.csv: case 'P03'"


def test_joining_matches_cases_by_the_participant_pattern(tmp_path: Path) -> None:
    config = {"participants": {"from": "case", "pattern": r"^(P\d+)"}}
    study = qdpx_like_study(["P01 nurse"], config)
    sheet = write_text(tmp_path, "sheet.csv", "Person,Gender\r\nP01 nurse,Female\r\n")
    assert join_classification(study, sheet).participants.iloc[0][["participant_id", "gender"]].tolist() == \
        ["P01", "Female"]


def test_joining_keeps_an_imported_value_and_warns_on_a_different_one(tmp_path: Path) -> None:
    study = join_classification(qdpx_like_study(["P01"]), write_text(tmp_path, "a.csv", "Person,Gender\nP01,Female\n"))
    with pytest.warns(ExportWarning, match="value 'Male' differs from 'Female'"):
        joined = join_classification(study, write_text(tmp_path, "b.csv", "Person,Gender\nP01,Male\n"))
    assert joined.participants.iloc[0]["gender"] == "Female" and "differs" in joined.meta["warnings"][0]


def test_joining_keeps_every_attribute_in_the_metadata(tmp_path: Path) -> None:
    sheet = write_text(tmp_path, "sheet.csv", "Person,Favourite colour\nP01,green\n")
    joined = join_classification(qdpx_like_study(["P01"]), sheet)
    assert {"owner_kind": "case", "owner": "P01", "variable": "Favourite colour", "value": "green"} in \
        joined.meta["case_attributes"]


def test_the_sniffer_and_detection_recognise_a_sheet_with_a_case_header(tmp_path: Path) -> None:
    assert sniff_classification(["Name", "Gender"]) and not sniff_classification(["Name"])
    assert not sniff_classification(["File", "Coder", "Coded"])
    path = write_text(tmp_path, "sheet.csv", "Case,Gender\r\nP01,Female\r\n")
    assert detect_format(path) == "nvivo-classification"
    assert read_export(path).participants["participant_id"].tolist() == ["P01"]
