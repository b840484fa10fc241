"""Sampling aim against the split achieved (Mitchell et al. 2023 and 2020, Methods)."""
from __future__ import annotations

from evidence_helpers import with_file

from icevidence.analyses.evidence.checks import sampling_aims as sa

# Mitchell 2023, Methods, para 1: "... to ensure an even number of people in health and social care ..." and
# "(19 from social care, 33 from healthcare ...)".
AIM = {"id": "A-1", "location": "seed 004, Methods, para 1", "attribute": "gender", "values": ["Female", "Male"],
       "aim": "equal", "text": "to ensure an even number of people in health and social care"}


def test_an_even_split_aimed_at_and_missed_is_medium(mini_copy):
    study = with_file(mini_copy, "conduct.yml", {"sampling_aims": [AIM]})
    found = sa.check_aims(study)
    assert found[["kind", "severity"]].values.tolist() == [["sampling aim not met", "medium"]]
    assert "the split achieved is 4 Female, 2 Male" in found.iloc[0]["detail"]


# Mitchell 2020, Methods, para 1: "equal numbers of health and social care informants"; Table 1: 12 and 12.
def test_an_aim_met_is_recorded_at_info(mini_copy):
    study = with_file(mini_copy, "conduct.yml", {"sampling_aims": [{**AIM, "values": ["Nurse", "Director"],
                                                                    "attribute": "professional_group"}]})
    assert sa.check_aims(study)[["kind", "severity"]].values.tolist() == [["sampling aim met", "info"]]


def test_the_split_the_paper_states_is_read_as_an_attribute_or_as_a_group(mini_copy):
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Abstract,women,gender,Female,,,5\nAbstract,men,,,gender,Male,3\n")
    study = with_file(mini_copy, "conduct.yml", {"sampling_aims": [AIM]})
    assert {k: v[0] for k, v in sa.stated_split(study, "gender", ["Female", "Male"]).items()} == {"Female": 5,
                                                                                                  "Male": 3}
