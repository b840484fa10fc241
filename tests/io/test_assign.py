"""The shared last step of every importer: participants, tiers and sites from study.yml, nothing guessed."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icevidence.io.assign import build_study
from icevidence.model.errors import ConfigError, DataValidationError

SOURCE = Path("export.qdpx")


def codes() -> pd.DataFrame:
    return pd.DataFrame({"code_id": ["t", "m", "s", "s2"], "parent_id": [None, "t", "m", "s"],
                         "name": ["Theme", "Main", "Sub", "Subsub"], "description": [None, "about m", None, None]})


def codings(**overrides) -> pd.DataFrame:
    base = {"segment_id": ["c1", "c2", "c3"], "document": ["P01 interview", "P02 interview", "notes"],
            "case": ["Alice", "Bob", None], "code_id": ["m", "s", "s2"], "text": ["one", "two", "three"],
            "start": [0, 4, None], "end": [3, 7, None], "note": [None, None, None]}
    base.update(overrides)
    return pd.DataFrame(base)


def attributes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["owner_kind", "owner", "variable", "value"])


def test_without_config_the_case_is_the_participant():
    study = build_study("s", codes(), codings(), None, None, SOURCE)
    assert study.segments["participant_id"].tolist()[:2] == ["Alice", "Bob"]
    assert sorted(study.participants["participant_id"]) == ["Alice", "Bob"]


def test_without_config_a_case_variable_named_tier_or_site_fills_them():
    attrs = attributes([("case", "Alice", "Tier", "Micro"), ("case", "Alice", "SITE", "Leeds"),
                        ("case", "Bob", "tier", "meso")])
    study = build_study("s", codes(), codings(), attrs, None, SOURCE)
    people = study.participants.set_index("participant_id")
    assert people.loc["Alice", ["tier", "site"]].tolist() == ["micro", "Leeds"]
    assert study.segments.set_index("segment_id").loc["c2", "tier"] == "meso"


def test_a_document_variable_named_site_fills_the_site():
    attrs = attributes([("document", "P01 interview", "Site", "Bexley")])
    study = build_study("s", codes(), codings(), attrs, None, SOURCE)
    assert study.participants.set_index("participant_id").loc["Alice", "site"] == "Bexley"


def test_participant_from_document_name_by_pattern():
    config = {"participants": {"from": "document", "pattern": r"^(P\d+)"}}
    study = build_study("s", codes(), codings(), None, config, SOURCE)
    assert study.segments["participant_id"].fillna("").tolist() == ["P01", "P02", ""]
    assert study.segments["attribution_raw"].tolist() == ["P01 interview", "P02 interview", "notes"]


def test_participant_from_a_case_variable_else_a_document_variable():
    attrs = attributes([("case", "Alice", "Participant", "A-1"), ("document", "P02 interview", "participant", "B-2")])
    study = build_study("s", codes(), codings(), attrs, {"participants": {"from": "variable", "name": "Participant"}},
                        SOURCE)
    assert study.segments["participant_id"].fillna("").tolist() == ["A-1", "B-2", ""]


def test_rules_are_tried_in_order():
    config = {"participants": [{"from": "case", "pattern": "^B.*"}, {"from": "document", "pattern": r"^(P\d+)"}]}
    study = build_study("s", codes(), codings(), None, config, SOURCE)
    assert study.segments["participant_id"].fillna("").tolist() == ["P01", "Bob", ""]


def test_unmatched_codings_are_kept_with_participant_missing_and_listed():
    study = build_study("s", codes(), codings(), None, {"participants": {"from": "case"}}, SOURCE)
    segment = study.segments.set_index("segment_id").loc["c3"]
    assert pd.isna(segment["participant_id"]) and segment["attribution_status"] == "missing"
    assert study.meta["unmatched"] == [{"document": "notes", "segment_id": "c3"}]


def test_skipped_items_are_kept_in_meta():
    skipped = [{"file": "x", "place": "row 3", "problem": "bad", "document": None, "segment_id": "c9"}]
    study = build_study("s", codes(), codings(), None, None, SOURCE, skipped)
    assert study.meta["skipped"] == skipped


def test_level_is_derived_from_depth():
    study = build_study("s", codes(), codings(), None, None, SOURCE)
    assert study.codes["level"].tolist() == ["overarching", "main", "sub", "sub"]
    assert study.codes.set_index("code_id").loc["s2", "path"] == "Theme > Main > Sub > Subsub"


def test_location_is_document_and_range():
    study = build_study("s", codes(), codings(), None, None, SOURCE)
    assert study.segments["location"].tolist() == ["P01 interview:0-3", "P02 interview:4-7", "notes"]


def test_study_yml_mapping_maps_tier_from_a_variable_column():
    attrs = attributes([("case", "Alice", "Role", "GP"), ("case", "Bob", "Role", "Commissioner")])
    config = {"mapping": {"tier": [{"field": "Role", "pattern": "^GP$", "value": "micro"},
                                   {"field": "Role", "pattern": "Commission", "value": "macro"}]}}
    study = build_study("s", codes(), codings(), attrs, config, SOURCE)
    assert study.participants.set_index("participant_id")["tier"].to_dict() == {"Alice": "micro", "Bob": "macro"}


def test_cases_without_codings_are_listed_as_participants():
    attrs = attributes([("case", "Carol", None, None)])
    study = build_study("s", codes(), codings(), attrs, None, SOURCE)
    assert "Carol" in set(study.participants["participant_id"])


def test_unknown_rule_source_is_a_config_error():
    with pytest.raises(ConfigError, match=r"participants\.from.*must be one of"):
        build_study("s", codes(), codings(), None, {"participants": {"from": "guess"}}, SOURCE)


def test_bad_pattern_is_a_config_error():
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        build_study("s", codes(), codings(), None, {"participants": {"from": "case", "pattern": "("}}, SOURCE)


def test_config_id_must_match_the_study_id():
    with pytest.raises(ConfigError, match="differs from the study id"):
        build_study("s", codes(), codings(), None, {"id": "other"}, SOURCE)


def test_validation_errors_name_the_export_file():
    bad = codings(code_id=["m", "nope", "s"])
    with pytest.raises(DataValidationError, match=r"export\.qdpx \(segments\).*'nope'"):
        build_study("s", codes(), bad, None, None, SOURCE)


def test_documents_give_their_full_lengths_to_the_study():
    lengths = pd.DataFrame({"document": ["P01 interview", "P02 interview"], "characters": [120, 80],
                            "source": ["export.qdpx: text", "export.qdpx: text"]})
    study = build_study("s", codes(), codings(), None, None, SOURCE, documents=lengths)
    assert study.document_lengths.to_dict() == {"P01 interview": 120, "P02 interview": 80}


def test_documents_sharing_a_name_keep_no_length_and_are_named_in_a_warning():
    lengths = pd.DataFrame({"document": ["P01 interview", "P01 interview", "P02 interview"],
                            "characters": [120, 90, 80], "source": ["a", "b", "c"]})
    study = build_study("s", codes(), codings(), None, None, SOURCE, documents=lengths)
    assert study.document_lengths.to_dict() == {"P02 interview": 80}
    assert any("'P01 interview'" in w and "not kept" in w for w in study.meta["warnings"])
