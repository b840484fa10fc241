"""Methods, Results and Discussion stating different things about one matter (Tracy et al. 2025)."""
from __future__ import annotations

from evidence_helpers import claim

from icevidence.analyses.evidence.checks import sections as sc

# Tracy 2025, Method: Procedure, para 4, and Results, para 2.
METHODS = claim(id="C-063", section="Methods", codes=[], scope="study", topic="how the themes were derived",
                asserts="main themes coded deductively on Rogers' framework",
                text="Data were first coded, by D.K.T., according to the overarching and main themes in Rogers' "
                     "Diffusion of Innovations framework.")
RESULTS = claim(id="C-064", section="Results", codes=[], scope="study", topic="how the themes were derived",
                asserts="themes and subthemes arose inductively from the data",
                text="Themes and subthemes arose inductively from the data and are an extension of Rogers' framework.")


def test_methods_and_results_asserting_different_things_about_one_topic_disagree(mini):
    found = sc.disagreeing_sections(mini, [METHODS, RESULTS])
    assert found[["kind", "severity", "evidence"]].values.tolist() == [["sections disagree", "medium",
                                                                        "C-063; C-064"]]
    assert "Methods and Results" in found.iloc[0]["detail"] and "deductively" in found.iloc[0]["detail"]


def test_sections_asserting_the_same_thing_agree(mini):
    assert sc.disagreeing_sections(mini, [METHODS, {**RESULTS, "asserts": METHODS["asserts"]}]).empty


def test_claims_without_an_assertion_are_not_compared(mini):
    assert sc.disagreeing_sections(mini, [METHODS, {k: v for k, v in RESULTS.items() if k != "asserts"}]).empty
