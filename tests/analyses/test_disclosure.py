"""k-anonymity of participant tables, and the finding for a paper whose table singles people out."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from fixture_paths import FIXTURES

from icevidence.analyses.disclosure import (
    anonymity_statement,
    identifiability_findings,
    k_anonymity,
    participant_release,
    study_anonymity,
)
from icevidence.analyses.evidence.findings import FINDING_COLUMNS
from icevidence.model.study import load_study


def table(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["participant_id", "gender", "age_band"]).astype("string")


def test_k_is_the_smallest_equivalence_class():
    people = table([("a", "F", "30-35"), ("b", "F", "30-35"), ("c", "M", "30-35"), ("d", "M", "30-35"),
                    ("e", "M", "30-35")])
    result = k_anonymity(people, ["gender", "age_band"])
    assert (result.k, result.unique, sorted(result.class_sizes)) == (2, 0, [2, 3])


def test_a_participant_alone_in_a_class_gives_k_1_and_counts_as_unique():
    people = table([("a", "F", "30-35"), ("b", "F", "30-35"), ("c", "M", "60-65")])
    result = k_anonymity(people, ["gender", "age_band"])
    assert (result.k, result.unique) == (1, 1)


def test_missing_values_form_their_own_class():
    people = table([("a", None, "30-35"), ("b", None, "30-35"), ("c", "F", "30-35")])
    result = k_anonymity(people, ["gender", "age_band"])
    assert sorted(result.class_sizes) == [1, 2]


def test_columns_with_no_value_are_not_quasi_identifiers():
    people = table([("a", None, "30-35"), ("b", None, "30-35")])
    assert k_anonymity(people, ["gender", "age_band"]).quasi_identifiers == ["age_band"]


def test_tracy_table_2_is_1_anonymous_with_29_of_33_participants_unique():
    """Hand count from Tracy et al. 2025, Table 2 (seed 000) on group, professional group, years of
    service, gender, age and ethnicity: the only shared rows are group 2 P8 and P9 (Medical, >30, M,
    55-60, White British) and group 3 P1 and P3 (Medical, >30, F, 50-55, White British); the other
    33 - 4 = 29 rows are unique."""
    result = study_anonymity(load_study("tracy2025"))
    assert (result.k, result.unique, result.participants) == (1, 29, 33)
    assert sorted(result.class_sizes.tolist()) == [1] * 29 + [2, 2]


def test_tracy_finding_cites_table_2_and_names_the_unique_participants():
    findings = identifiability_findings(load_study("tracy2025"))
    assert list(findings.columns) == FINDING_COLUMNS
    row = findings.iloc[0]
    assert row["location"] == "Table 2"
    assert row["severity"] == "medium" and row["check"] == "sample"
    assert row["detail"].startswith("29 of 33 participants")
    assert "with the title column, 33 of 33" in row["detail"]
    named = row["evidence"].split(", ")
    assert len(named) == 29 and not {"G2P8", "G2P9", "G3P1", "G3P3"} & set(named)


@pytest.mark.parametrize("study", ["mitchell2020", "mitchell2023"])
def test_no_finding_where_the_paper_prints_no_participant_level_table(study):
    """Mitchell 2020's rows are built from Table 1 cells and Mitchell 2023's from the Methods: no printed row each."""
    assert identifiability_findings(load_study(study)).empty


def test_statement_says_k_and_compares_it_with_min_cell():
    text = anonymity_statement(load_study("tracy2025"), min_cell=5)
    assert "1-anonymous" in text and "29 of 33" in text and "below the minimum cell size of 5" in text


# --- the rule for printing a participant-level table (fixture study 'readings') -------------------

def readings_study():
    return load_study("readings", root=FIXTURES / "studies")


def test_participant_table_is_printed_when_k_is_at_least_2_and_min_cell():
    release = participant_release(readings_study(), min_cell=2)
    assert release.printed and "k = 2" in release.reason


def test_participant_table_is_withheld_when_k_is_below_min_cell():
    release = participant_release(readings_study(), min_cell=5)
    assert not release.printed and "not printed" in release.reason


def test_participant_table_is_withheld_at_k_1_even_without_min_cell():
    study = readings_study()
    alone = replace(study, participants=study.participants[study.participants["participant_id"] != "P2"])
    release = participant_release(alone, min_cell=0)
    assert not release.printed and "k = 1" in release.reason


def test_participant_table_the_paper_printed_is_reproduced_and_says_so():
    study = readings_study()
    published = replace(study, meta={**study.meta, "published_tables": {"participants": "Table 2"}})
    release = participant_release(published, min_cell=5)
    assert release.printed and "reproduced from the paper's Table 2, already public" in release.reason
