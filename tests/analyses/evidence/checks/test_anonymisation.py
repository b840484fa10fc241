"""Anonymisation the paper states, against its quotes and IDs (Tracy et al. 2025; Mitchell et al. 2023)."""
from __future__ import annotations

from evidence_helpers import with_file, with_segments

from icevidence.analyses.evidence.checks import anonymisation as an


# Tracy 2025: the Method places the micro group in "a borough in south London", and Table 1 prints "We are ahead of
# the curve here in Bexley" (G1P1).
def test_a_withheld_site_named_in_a_quote_is_found(mini_copy):
    with_segments(mini_copy, "S8,G1P1,a.y,We are ahead of the curve here in Southtown,Table 1,G1P1,valid,,\n")
    study = with_file(mini_copy, "conduct.yml", {"anonymisation": [
        {"id": "N-1", "location": "seed 000, Method, para 1", "text": "a borough in south London",
         "withholds": "site", "names": ["Southtown"]}]})
    found = an.check_anonymisation(study)
    assert found[["kind", "severity", "evidence"]].values.tolist() == [["withheld site named in quotes", "medium",
                                                                        "S8"]]
    assert "Method, paragraph 1" in found.iloc[0]["detail"] and "seed" not in found.iloc[0]["detail"]


# Mitchell 2023, Methods: "Professions not identified to preserve anonymity", yet "...for us [community nurses]
# working in the community the GP is at the heart of everything" (19A); "they'd [the GPs] got scheduled
# patients" (15B) names others, not the speaker.
def test_an_insertion_naming_the_speakers_own_profession_is_found_and_one_naming_others_is_not(mini_copy):
    with_segments(mini_copy, "S8,G1P1,a.y,for us [community nurses] working in the community,Results,G1P1,valid,,\n"
                             "S9,G1P2,a.y,they'd [the GPs] got scheduled patients,Results,G1P2,valid,,\n")
    study = with_file(mini_copy, "conduct.yml", {"anonymisation": [
        {"id": "N-1", "location": "Methods", "text": "Professions not identified", "withholds": "profession",
         "names": ["community nurses", "GPs"]}]})
    found = an.check_anonymisation(study)
    assert found["evidence"].tolist() == ["S8"] and "'[community nurses]'" in found.iloc[0]["detail"]


# Tracy 2025, Results, para 3: quotes carry IDs that capture "the group but not the participant number", yet
# Table 1 prints G1P8, G2P12 ... — rows of Table 2.
def test_quote_ids_that_are_participant_rows_are_found_when_the_paper_says_they_are_not(mini_copy):
    study = with_file(mini_copy, "conduct.yml", {"anonymisation": [
        {"id": "N-2", "location": "Results, para 3", "text": "cannot be linked with any particular participant",
         "withholds": "participant"}]})
    found = an.check_anonymisation(study)
    assert found.iloc[0]["kind"] == "quote IDs link to the participant table"
    assert set(found.iloc[0]["evidence"].split("; ")) == {"S1", "S2", "S3", "S7"}


def test_a_study_that_states_no_anonymisation_has_no_finding(mini):
    assert an.check_anonymisation(mini).empty
