"""Clashing quantifiers and rankings, on sentences of Mitchell et al. 2020 and Tracy et al. 2025."""
from __future__ import annotations

from evidence_helpers import claim

from icevidence.analyses.evidence.checks import quantifiers as qt

# Mitchell 2020, Findings: Organisational level integration, para 4, and Discussion, para 4.
EVERY = claim(id="C-035", quantifier="every", codes=["a.x"], topic="information systems",
              text="Inadequate information systems were raised as problematic by every interviewee")
MAJORITY = claim(id="C-069", quantifier="majority", codes=["a.x"], topic="information systems",
                 text="... and was flagged by the majority of our interviewees as a barrier.")


def test_every_and_the_majority_about_one_topic_clash(mini):
    found = qt.clashing_quantifiers(mini, [EVERY, MAJORITY])
    assert found[["kind", "severity", "evidence"]].values.tolist() == [["clashing quantifiers", "medium",
                                                                        "C-035; C-069"]]


# Tracy 2025: "there was unanimity on the subsequent theme of 'persuasion'" (Results) against "staff generally
# support the drivers for greater integration" (Abstract): a hedge beside 'unanimity', not a second count.
def test_a_hedge_beside_a_universal_claim_is_low(mini):
    hedged = {**MAJORITY, "quantifier": "generally"}
    found = qt.clashing_quantifiers(mini, [EVERY, hedged])
    assert found[["kind", "severity"]].values.tolist() == [["hedged wording beside a universal claim", "low"]]


def test_claims_about_sites_are_not_compared_with_claims_about_people(mini):
    assert qt.clashing_quantifiers(mini, [EVERY, {**MAJORITY, "scope": "sites"}]).empty


# Mitchell 2020, Findings: Organisational level integration, para 1: "The issue raised most frequently related to a
# perceived lack of operational detail in integration planning ... the majority reported a concern at the lack of
# detailed planning" — while information systems were raised "by every interviewee".
RANKED = claim(id="C-029", codes=["a.x"], topic="operational detail", ranking="first",
               text="The issue raised most frequently related to a perceived lack of operational detail")
RANKED_COUNT = claim(id="C-030", quantifier="majority", codes=["a.x"], topic="operational detail",
                     text="the majority reported a concern at the lack of detailed planning")


def test_a_ranking_below_all_beside_an_issue_everyone_raised_cannot_hold(mini):
    found = qt.clashing_rankings(mini, [RANKED, RANKED_COUNT, EVERY])
    assert found[["kind", "severity", "evidence"]].values.tolist() == [["clashing ranking", "medium",
                                                                        "C-029; C-030; C-035"]]


def test_a_ranking_beside_an_issue_of_another_theme_is_not_compared(mini):
    assert qt.clashing_rankings(mini, [RANKED, RANKED_COUNT, {**EVERY, "codes": ["b.z"]}]).empty


def test_a_ranked_issue_everyone_raised_may_tie(mini):
    assert qt.clashing_rankings(mini, [RANKED, {**RANKED_COUNT, "quantifier": "all"}, EVERY]).empty
