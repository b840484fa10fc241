"""Contradictions: an 'only' claim beside a claim naming a group it rules out."""
from __future__ import annotations

from evidence_helpers import claim

from icevidence.analyses.evidence.checks import contradictions as ct


# Tracy 2025, Results: Adopters' characteristics, para 6: "Only the meso and micro groups discussed leadership
# attributes" against Discussion, para 9: "All three groups in our data emphasised the need for good ... leaders".
def test_only_claim_and_an_all_groups_claim_on_the_same_code_contradict(mini):
    claims = [claim(id="C-1", quantifier="only", scope="groups", groups=["micro"]),
              claim(id="C-2", quantifier="all", scope="groups", groups=["micro", "meso"], location="Discussion")]
    found = ct.contradictory_claims(mini, claims)
    assert len(found) == 1 and found.iloc[0]["evidence"] == "C-1; C-2" and found.iloc[0]["severity"] == "high"


def test_claims_on_other_codes_do_not_contradict(mini):
    claims = [claim(id="C-1", quantifier="only", groups=["micro"]),
              claim(id="C-2", quantifier="all", groups=["meso"], codes=["b.z"])]
    assert ct.contradictory_claims(mini, claims).empty


def test_a_claim_about_the_literature_is_not_compared(mini):
    claims = [claim(id="C-1", quantifier="only", groups=["micro"]),
              claim(id="C-2", quantifier="all", scope="literature")]
    assert ct.contradictory_claims(mini, claims).empty
