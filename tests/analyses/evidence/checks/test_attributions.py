"""Attributions: every printed ID read against the scheme, after the ledger of damage and the authors' labels."""
from __future__ import annotations

import pytest
from evidence_helpers import with_file, with_segments

from icevidence.analyses.evidence.checks import attributions as at
from icevidence.model.errors import ConfigError


def test_well_formed_attributions_of_listed_participants_give_no_finding(mini):
    found = at.check_attributions(mini)
    flagged = set(found["evidence"].str.split("; ").explode())
    assert not flagged & {"S1", "S2", "S3", "S7"}


def test_garbled_and_missing_attributions_are_listed_with_quote_and_location(mini):
    found = at.check_attributions(mini).set_index("evidence")
    assert found.at["S5", "kind"] == "malformed attribution" and "GTP2" in found.at["S5", "detail"]
    assert found.at["S5", "location"] == "Results" and "fifth quote" in found.at["S5", "detail"]
    assert found.at["S6", "kind"] == "missing attribution"


def test_id_of_a_participant_or_group_the_sample_lacks_is_impossible(mini_copy):
    study = with_segments(mini_copy, "S8,G1P9,a.y,eighth quote,Results,G1P9,valid,,\n"
                                     "S9,,a.y,ninth quote,Results,G4P1,malformed,,\n")
    found = at.check_attributions(study).set_index("evidence")
    assert found.at["S8", "kind"] == "impossible attribution" and found.at["S8", "severity"] == "high"
    assert found.at["S9", "kind"] == "impossible attribution"


def test_id_naming_only_a_group_is_ambiguous(mini_copy):
    study = with_segments(mini_copy, "S8,,a.y,eighth quote,Table 1,G1P,malformed,micro,number cut off\n")
    found = at.check_attributions(study).set_index("evidence")
    assert found.at["S8", "kind"] == "ambiguous attribution"


def test_misprinted_attribution_read_with_certainty_is_low():
    result = at.classify_attribution("Operational health, area 3, interview a", "O-H-3a", "malformed", True,
                                     r"^O-H-[1-3][a-z]$", {"O-H-3a"}, {"A-A-9a"}, {"O-H-9a"})
    assert result[:2] == ("misprinted attribution", "low")
    assert at.classify_attribution("O-H-3a", "O-H-3a", "valid", True, r"^O-H-[1-3][a-z]$",
                                   {"O-H-3a"}, {"A-A-9a"}, {"O-H-9a"}) is None


def test_ids_of_a_form_the_table_does_not_use_are_summarised_once(mini):
    found = at.check_attributions(mini)
    unlinkable = found[found["kind"] == "unlinkable IDs"]
    assert len(unlinkable) == 1 and "G1PL" in unlinkable.iloc[0]["detail"]


def test_attribution_pattern_runs_on_the_safe_regex_engine():
    # RE2 (linear time) refuses a backreference that Python's backtracking engine would run
    with pytest.raises(ConfigError, match="attribution_pattern"):
        at.classify_attribution("(P1)", "P1", "valid", True, r"^(P)\1$", {"P1"}, {"P0"}, {"P0"})


# Tracy 2025, Table 1, ICS relationships: "...till after vou're married ... (GTP2)" — the row's letters are
# misread in our copy ('vou're'), so the ID's 'T' is our copy's damage, not the paper's misprint.
def test_attribution_damaged_in_our_copy_is_info_and_not_charged_to_the_authors(mini_copy):
    study = with_file(mini_copy, "transcription.csv", "item,field,ours,printed,reason\n"
                      "S5,attribution_raw,GTP2,,the row reads 'vou're' for 'you're' in our copy\n")
    found = at.check_attributions(study).set_index("evidence")
    assert found.at["S5", "severity"] == "info"
    assert found.at["S5", "kind"] == "text damaged in our copy — check the published PDF"
    assert "malformed attribution" in found.at["S5", "detail"] and "vou're" in found.at["S5", "detail"]


# Tracy 2025, Results, Adopters' characteristics para 7: "healthcare's 'deficits-based model'" is named by
# the authors themselves in the Discussion: "The 'deficits (but evidence)-based' model of healthcare ...".
def test_quoted_phrase_the_authors_use_in_their_own_voice_is_a_label_not_a_missing_attribution(mini_copy):
    study = with_file(mini_copy, "labels.csv", "item,own_voice_location,own_voice_text,reason\n"
                      "S6,\"seed 000, Discussion, para 11\",The 'sixth quote' is ours,the authors' term\n")
    found = at.check_attributions(study).set_index("evidence")
    assert found.at["S6", "kind"] == "authors' label, not a quote" and found.at["S6", "severity"] == "info"
    assert "Discussion, paragraph 11" in found.at["S6", "detail"] and "seed" not in found.at["S6", "detail"]
