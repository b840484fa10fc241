"""Claim findings: topic and content findings per claim, each with the sentence and its quotes in full."""
from __future__ import annotations

from evidence_helpers import claim

from icevidence.analyses.evidence.checks import claims as cf


def test_a_supported_claim_is_one_info_row(mini):
    found = cf.claim_findings(mini, [claim(groups=["micro"], quotes=["S1"])])
    assert found[["kind", "severity"]].values.tolist() == [["supported claim", "info"]]


def test_cited_quotes_that_do_not_state_the_claim_are_medium_and_high_only_when_contradicting(mini):
    base = claim(groups=["micro"], quotes=["S1"], content="does not state", content_reason="why")
    plain = cf.claim_findings(mini, [base])
    contradicted = cf.claim_findings(mini, [{**base, "content_contradicts": True}])
    kind = "cited quotes do not state the claim"
    assert plain.loc[plain["kind"] == kind, "severity"].tolist() == ["medium"]
    assert contradicted.loc[contradicted["kind"] == kind, "severity"].tolist() == ["high"]


def test_a_named_group_without_evidence_is_a_medium_finding_naming_the_group(mini):
    found = cf.claim_findings(mini, [claim(scope="groups", groups=["meso", "micro"], quotes=["S3"])])
    row = found[found["kind"] == "named group without evidence"].iloc[0]
    assert row["severity"] == "medium" and "none from tier = micro" in row["detail"]


def test_findings_carry_the_claim_and_its_quotes_in_full(mini):
    found = cf.claim_findings(mini, [claim(text="Micro staff said so at length.", groups=["micro"], quotes=["S1"])])
    assert found.iloc[0]["claim"] == "Micro staff said so at length."
    assert found.iloc[0]["quotes"] == "S1 (G1P1): 'first quote'"


def test_a_claim_about_the_literature_gets_an_info_row_and_no_content_finding(mini):
    record = claim(quantifier="all", scope="literature", content="partly", content_reason="No quote cited; x")
    found = cf.claim_findings(mini, [record])
    assert found[["kind", "severity"]].values.tolist() == [["claim about the cited literature", "info"]]
