"""Loading a study: mapping tiers and sites, code paths, ordered bands, clear errors."""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence import load_study
from icevidence.model.errors import ConfigError, DataValidationError


def test_load_returns_the_three_tables_with_canonical_columns(mini):
    assert {"study", "participant_id", "tier", "site", "gender"} <= set(mini.participants.columns)
    assert {"study", "code_id", "parent_id", "name", "level", "framework", "path"} <= set(mini.codes.columns)
    assert {"study", "segment_id", "participant_id", "code_id", "text", "location",
            "attribution_raw", "attribution_status"} <= set(mini.segments.columns)
    assert (len(mini.participants), len(mini.codes), len(mini.segments)) == (7, 7, 7)


def test_tier_and_site_come_from_the_declared_mapping(mini):
    people = mini.participants.set_index("participant_id")
    assert people.loc["G1P1", ["tier", "site"]].tolist() == ["micro", "Southtown"]
    assert people.loc["G3P1", ["tier", "site"]].tolist() == ["macro", "Northtown"]


def test_segment_with_unknown_participant_gets_tier_from_its_id(mini):
    segment = mini.segments.set_index("segment_id").loc["S4"]
    assert (segment["participant_id"], segment["tier"]) == ("G1PL", "micro")


def test_malformed_attribution_keeps_tier_missing(mini):
    segment = mini.segments.set_index("segment_id").loc["S5"]
    assert pd.isna(segment["tier"]) and segment["attribution_status"] == "malformed"


def test_code_path_joins_names_from_the_root(mini):
    paths = mini.codes.set_index("code_id")["path"]
    assert paths["a.x.2"] == "Theme A > Main X > Sub X2"


def test_bands_are_ordered_as_declared(mini):
    bands = mini.participants["years_of_service"]
    assert bands.cat.ordered and list(bands.cat.categories) == ["<5", "5-10", "11-20", ">20"]


def test_bad_values_in_several_files_are_all_listed_in_one_error(mini_copy):
    people = (mini_copy / "participants.csv").read_text().replace("G2P2,", "G2P1,")
    (mini_copy / "participants.csv").write_text(people)
    segments = (mini_copy / "segments.csv").read_text().replace("S7,G3P1,b.z", "S7,G3P1,nope")
    (mini_copy / "segments.csv").write_text(segments.replace(",malformed,", ",garbled,"))
    with pytest.raises(DataValidationError) as caught:
        load_study("mini", root=mini_copy.parent)
    failures = caught.value.failures
    assert set(zip(failures["file"].str.rsplit("/", n=1).str[-1], failures["column"])) >= {
        ("participants.csv", "participant_id"), ("segments.csv", "code_id"),
        ("segments.csv", "attribution_status")}
    message = str(caught.value)
    assert "row 6" in message and "'nope'" in message and "'garbled'" in message and "What to do" in message


def test_missing_required_column_is_named(mini_copy):
    codes = pd.read_csv(mini_copy / "codes.csv").drop(columns=["level"])
    codes.to_csv(mini_copy / "codes.csv", index=False)
    with pytest.raises(DataValidationError, match="column 'level'.*required column is missing"):
        load_study("mini", root=mini_copy.parent)


def test_band_value_not_declared_is_a_config_error(mini_copy):
    people = (mini_copy / "participants.csv").read_text().replace("Nurse,<5", "Nurse,0-4")
    (mini_copy / "participants.csv").write_text(people)
    with pytest.raises(ConfigError, match=r"bands.years_of_service.*'0-4'"):
        load_study("mini", root=mini_copy.parent)


def test_unknown_study_says_where_studies_live(tmp_path):
    with pytest.raises(ConfigError, match="no study.yml"):
        load_study("nosuch", root=tmp_path)


def test_a_mapping_pattern_with_a_group_raises_no_python_warning():
    import warnings as _warnings

    import pandas as _pd

    from icevidence.model.study import map_column
    frame = _pd.DataFrame({"participant_id": _pd.array(["P1", "Q2"], dtype="string")})
    with _warnings.catch_warnings():
        _warnings.simplefilter("error")
        mapped = map_column(frame, [{"field": "participant_id", "pattern": "^(P)[0-9]+$", "value": "micro"}])
    assert mapped.tolist()[0] == "micro" and _pd.isna(mapped.tolist()[1])


def test_short_name_is_the_first_author_et_al_and_year_of_the_citation():
    assert load_study("tracy2025").short_name == "Tracy et al. 2025"


def test_a_cycle_in_codes_csv_is_refused_naming_the_file(mini_copy):
    from icevidence.model.codes import CodeTreeError
    codes = pd.read_csv(mini_copy / "codes.csv", dtype=str, keep_default_na=False)
    codes.loc[codes["code_id"] == "a", "parent_id"] = "a.x.1"
    codes.to_csv(mini_copy / "codes.csv", index=False)
    with pytest.raises(CodeTreeError, match=r"codes.csv, column parent_id: the parent links form a cycle: a > a.x.1"):
        load_study("mini", root=mini_copy.parent)


def test_a_byte_order_mark_at_the_start_of_a_table_is_dropped(mini_copy):
    path = mini_copy / "participants.csv"
    path.write_bytes("\ufeff".encode("utf-8") + path.read_bytes())
    assert "participant_id" in load_study("mini", root=mini_copy.parent).participants.columns


def test_a_study_without_documents_csv_knows_no_document_length(mini):
    assert mini.documents.empty and mini.document_lengths.empty


def test_documents_csv_gives_each_documents_full_length(mini_copy):
    (mini_copy / "documents.csv").write_text("document,characters,source\nint-1,1200,test\nint-2,800,test\n")
    study = load_study("mini", root=mini_copy.parent)
    assert study.document_lengths.to_dict() == {"int-1": 1200, "int-2": 800}
    assert mini_copy / "documents.csv" in study.inputs


def test_a_length_that_is_not_a_whole_number_is_named_with_its_row(mini_copy):
    (mini_copy / "documents.csv").write_text("document,characters,source\nint-1,1200,test\nint-2,12.5,test\n")
    with pytest.raises(DataValidationError, match=r"documents.csv.*row 3.*'12.5'.*not a whole number"):
        load_study("mini", root=mini_copy.parent)


def test_a_document_shorter_than_a_segment_coded_in_it_is_refused(mini_copy):
    segments = pd.read_csv(mini_copy / "segments.csv", dtype=str, keep_default_na=False)
    segments.loc[0, ["document", "start", "end"]] = ["int-1", "10", "500"]
    segments.to_csv(mini_copy / "segments.csv", index=False)
    (mini_copy / "documents.csv").write_text("document,characters,source\nint-1,400,test\n")
    with pytest.raises(DataValidationError, match=r"'400'.*shorter than segment 'S1'.*ends at character 500"):
        load_study("mini", root=mini_copy.parent)


def test_a_declared_grouping_is_used(mini):
    assert mini.meta["group_by"] == "tier" and mini.group_by == "tier"


def test_without_a_declared_grouping_tier_is_used_only_when_recorded(mini):
    from dataclasses import replace
    undeclared = {k: v for k, v in mini.meta.items() if k != "group_by"}
    assert replace(mini, meta=undeclared).group_by == "tier"
    no_tier = replace(mini, meta=undeclared, participants=mini.participants.assign(tier=pd.NA))
    assert no_tier.group_by == "site"
    no_groups = replace(no_tier, participants=no_tier.participants.assign(site=pd.NA))
    assert no_groups.group_by == "participant_id"  # no empty tier columns for a study without tiers


def test_no_data_table_prints_a_source_number_or_a_data_path():
    """Locations, sources and notes read in the paper's terms: no 'seed 000' (the compendium's own number for
    its copy of a paper) and no data/raw/ path, which would leak into every report, table and appendix."""
    import re

    from fixture_paths import PROJECT
    internal = re.compile(r"\bseed\s+\d{3}\b|data/raw/", re.IGNORECASE)
    files = sorted((PROJECT / "data" / "raw").glob("*/*.csv")) + sorted((PROJECT / "data").glob("*.csv")) \
        + sorted((PROJECT / "data" / "crosswalk").glob("*.csv"))
    found = [(path.relative_to(PROJECT).as_posix(), column, value) for path in files
             for column, values in pd.read_csv(path, dtype=str, keep_default_na=False).items()
             for value in values if internal.search(value)]
    studies = sorted((PROJECT / "data" / "raw").glob("*/*.yml"))
    readings = [(path.relative_to(PROJECT).as_posix(), line) for path in studies
                for line in path.read_text(encoding="utf-8").splitlines()
                if internal.search(line) and not line.startswith("source: ")]  # study.yml cites its copy once
    assert files and found == [] and readings == []


def test_counts_of_people_are_upper_bounds_when_a_quoted_id_is_not_a_participant(mini):
    # mini: S4 is attributed to G1PL, a letter ID with no row in participants.csv
    assert mini.unlinked_speakers == ["G1PL"]
    assert mini.upper_bound_clause().startswith("counts are upper bounds: 1 quoted ID (G1PL) is not in the")


def test_an_alias_that_links_every_quoted_id_leaves_no_upper_bound():
    from fixture_paths import FIXTURES
    study = load_study("readings", root=FIXTURES / "studies")
    assert study.unlinked_speakers == [] and study.upper_bound_clause() == ""


def test_the_study_as_printed_keeps_the_spellings_and_ids_before_the_readings():
    from fixture_paths import FIXTURES

    from icevidence.model.study import as_printed
    study = load_study("readings", root=FIXTURES / "studies")
    printed = as_printed(study)
    assert "15-20" in set(printed.participants["years_of_service"]) and "PA" in set(printed.segments["participant_id"])
    assert "15-20" not in set(study.participants["years_of_service"].astype(str))
