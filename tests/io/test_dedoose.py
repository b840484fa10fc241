"""Dedoose excerpt exports: one segment per code applied, child codes under parents, cp1252 read, descriptors kept."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from icevidence.io import read_export
from icevidence.io.dedoose import code_table, excerpt_range, sniff
from icevidence.io.detect import detect_format

EXPORT = Path(__file__).parents[1] / "fixtures" / "dedoose" / "excerpts_cp1252.csv"


def test_an_excerpt_export_is_recognised_by_its_header():
    assert detect_format(EXPORT) == "dedoose-excerpts"
    assert not sniff(["Media Title", "Excerpt Copy"])  # no code column: not an excerpt export


def test_each_code_applied_to_an_excerpt_is_one_segment():
    study = read_export(EXPORT, config={"id": "dd"})
    assert sorted(study.segments["code_id"]) == ["Barriers\\Funding", "Barriers\\Funding", "Trust", "Trust"]
    assert set(study.segments["document"]) == {"Interview 01", "Interview 02"}


def test_a_windows_1252_file_is_read_with_its_characters_and_a_warning():
    study = read_export(EXPORT, config={"id": "dd"})
    assert "We didn’t trust the new panel at first – nobody knew who decided." in set(study.segments["text"])
    assert any("cp1252" in w for w in study.meta["warnings"])


def test_child_codes_sit_under_their_parent():
    codes = code_table(["Trust", "Barriers\\Funding"]).set_index("code_id")
    assert codes.loc["Barriers\\Funding", "parent_id"] == "Barriers" and codes.loc["Barriers\\Funding", "name"] == "Funding"
    assert pd.isna(codes.loc["Barriers", "parent_id"])


def test_the_excerpt_range_gives_start_and_end():
    assert excerpt_range("10-62") == (10, 62)
    assert excerpt_range("") == (None, None) and excerpt_range("62-10") == (None, None)


def test_descriptor_fields_are_kept_as_variables_for_participant_rules():
    config = {"id": "dd", "participants": {"from": "document"},
              "mapping": {"site": [{"field": "Role", "pattern": "^Manager$", "value": "management"}]}}
    study = read_export(EXPORT, config=config)
    assert study.participants.set_index("participant_id").loc["Interview 01", "site"] == "management"
