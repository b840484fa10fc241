"""'Many' or 'several' resting on one speaker's quote."""
from __future__ import annotations

from evidence_helpers import claim

from icevidence.analyses.evidence.checks import single_quote as sq


# Mitchell 2020, Findings: Vision and leadership, para 7: "Several perceived a disconnect between what leaders in the
# partnership organisation said about distributed leadership and the implementation of it:" — one quote follows.
def test_several_resting_on_one_quote_is_a_low_finding(mini):
    found = sq.resting_on_one_quote(mini, [claim(id="C-019", quantifier="several", quotes=["S1"])])
    assert found[["kind", "severity", "evidence"]].values.tolist() == [["quantifier resting on one quote", "low",
                                                                        "C-019; S1"]]


def test_several_with_quotes_from_two_speakers_is_no_finding(mini):
    assert sq.resting_on_one_quote(mini, [claim(quantifier="several", quotes=["S1", "S2"])]).empty


def test_many_with_no_quote_offered_is_not_this_finding(mini):
    assert sq.resting_on_one_quote(mini, [claim(quantifier="many")]).empty
