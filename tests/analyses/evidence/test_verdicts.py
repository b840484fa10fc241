"""Both verdicts on a claim: the topic read for its scope, per named group, and the content judged by hand."""
from __future__ import annotations

import pandas as pd
import pytest
from evidence_helpers import claim

from icevidence.analyses.evidence import verdicts as vd
from icevidence.model.study import Study


def verdict_of(study: Study, record: dict) -> dict:
    """The checked claim as a dict (verdict, severity, reason)."""
    return vd.check_claims(study, [record]).iloc[0].to_dict()


def test_claim_about_a_group_with_a_quote_from_that_group_is_supported(mini):
    assert verdict_of(mini, claim(groups=["micro"], quotes=["S1"]))["topic"] == vd.TOPIC_EVIDENCED


def test_claim_naming_one_group_with_a_quote_from_another_is_not_supported(mini):
    result = verdict_of(mini, claim(groups=["macro"], quotes=["S3"]))
    assert result["topic"] == vd.NOT_SUPPORTED and result["severity"] == "high"
    assert "S3 (G2P1)" in result["reason"]


def test_claim_about_every_interviewee_backed_by_a_few_quotes_is_not_checkable(mini):
    result = verdict_of(mini, claim(quantifier="every", quotes=["S1", "S2", "S3"]))
    assert result["topic"] == vd.NOT_CHECKABLE and result["severity"] == "medium"
    assert "needs 7 speakers" in result["reason"]


def test_claim_about_all_groups_is_supported_when_each_group_is_quoted(mini):
    record = claim(quantifier="all", scope="groups", groups=["micro", "meso"], text="All groups raised it.")
    assert verdict_of(mini, record)["topic"] == vd.TOPIC_EVIDENCED


def test_claim_naming_a_group_no_published_quote_comes_from_lacks_evidence_for_it(mini):
    result = verdict_of(mini, claim(groups=["macro"]))
    assert result["topic"] == vd.GROUP_WITHOUT_EVIDENCE and "tier = macro" in result["reason"]


def test_only_claim_contradicted_by_the_matrix_is_not_supported(mini):
    result = verdict_of(mini, claim(quantifier="only", scope="groups", groups=["micro"], quotes=["S1", "S2"]))
    assert result["topic"] == vd.NOT_SUPPORTED and "S3" in result["reason"]


def test_only_claim_with_no_evidence_from_other_groups_is_supported(mini):
    record = claim(quantifier="only", scope="groups", codes=["a.x.1"], groups=["micro"], quotes=["S1", "S2"])
    assert verdict_of(mini, record)["topic"] == vd.TOPIC_EVIDENCED


def test_claim_about_a_group_the_table_cannot_identify_is_not_checkable(mini):
    result = verdict_of(mini, claim(groups=["GPs"], quotes=["S1"]))
    assert result["topic"] == vd.NOT_CHECKABLE and "'GPs'" in result["reason"]


def test_claim_with_no_code_is_about_the_study_not_the_evidence(mini):
    result = verdict_of(mini, claim(codes=[]))
    assert (result["topic"], result["verdict"]) == (vd.ABOUT_THE_STUDY, vd.ABOUT_THE_STUDY)


def test_majority_claim_needs_more_than_half_the_group_as_distinct_speakers(mini):
    short = verdict_of(mini, claim(quantifier="majority", groups=["micro"], quotes=["S1"]))
    assert short["topic"] == vd.NOT_CHECKABLE and "needs 3 speakers" in short["reason"]
    whole = claim(quantifier="majority", groups=["macro"], codes=["b.z"], quotes=["S7"])
    assert verdict_of(mini, whole)["topic"] == vd.TOPIC_EVIDENCED


def test_quantifiers_need_the_stated_number_of_speakers():
    assert vd.needed_speakers("majority", 24) == 13 and vd.needed_speakers("every", 24) == 24
    assert vd.needed_speakers("some", 24) == 1 and vd.needed_speakers("many", 24) == 8


def test_ids_of_two_forms_count_once_at_least_and_separately_at_most():
    quotes = pd.DataFrame({"participant_id": ["G1P1", "G1PA", "G1PB", None], "attribution_raw": ["G1P1", "G1PA",
                           "G1PB", "GTP2"], "segment_id": ["s1", "s2", "s3", "s4"]})
    assert vd.speaker_bounds(quotes, {"G1P1"}) == (2, 4)


# --- scope: what the quantifier counts ------------------------------------------------------

# Mitchell 2023, Discussion, para 2: "One of the key facilitators to integration in all locations seems to be a
# common belief or shared vision about the purpose and benefit [20, 23, 24]" — 'all locations' of the cited
# studies: never checked as 'all 51 participants'.
def test_a_claim_about_the_cited_literature_is_not_checked_against_the_sample(mini):
    result = verdict_of(mini, claim(quantifier="all", scope="literature", text="in all locations [20, 23, 24]"))
    assert result["verdict"] == vd.ABOUT_THE_LITERATURE and result["severity"] == "info"
    assert "not checked against the sample" in result["reason"]


# Mitchell 2023, Results: Managerial information systems, para 5: "data sharing is a clear problem across all of
# our evaluations" — the evaluations are the localities, so each site needs a quote, not each of 51 people.
def test_a_claim_about_all_sites_needs_a_quote_from_each_site(mini):
    both = verdict_of(mini, claim(quantifier="all", scope="sites", codes=["a"]))
    assert both["topic"] == vd.TOPIC_EVIDENCED and "site = Southtown" in both["reason"]
    one = verdict_of(mini, claim(quantifier="all", scope="sites", codes=["a.x.1"]))
    assert one["topic"] == vd.GROUP_WITHOUT_EVIDENCE and "site = Northtown" in one["reason"]


# Tracy 2025, Discussion, para 1: "participants at different organisational levels support the principles of
# these moves" — at least two of the three levels, not all three.
def test_several_of_the_named_groups_needs_two_of_them_not_all(mini):
    record = claim(quantifier="several", scope="groups", groups=["micro", "meso", "macro"], codes=["a.x"])
    assert verdict_of(mini, record)["topic"] == vd.TOPIC_EVIDENCED
    assert verdict_of(mini, {**record, "quantifier": "all"})["topic"] == vd.GROUP_WITHOUT_EVIDENCE


# --- per-group evidence ---------------------------------------------------------------------

# Tracy 2025, Results: Communication behaviour, para 2: "The meso and micro groups also noted a failure to catch
# the successes of the programme, 'celebrating the things ... the messaging isn't strong' (G2PD)" — one meso
# quote for a view attributed to two groups.
def test_a_claim_naming_two_groups_needs_a_quote_from_each_and_lists_the_one_lacking(mini):
    result = verdict_of(mini, claim(scope="groups", groups=["meso", "micro"], quotes=["S3"]))
    assert result["topic"] == vd.GROUP_WITHOUT_EVIDENCE and result["severity"] == "medium"
    assert "come from tier = meso, none from tier = micro" in result["reason"]
    assert "quotes tier = micro on these codes elsewhere" in result["reason"]


# Tracy 2025, Results: Stage of innovation, para 1: "The leadership groups largely concurred, caveating that
# '...' (G2PN)" — the leadership groups pooled: a meso quote evidences them.
def test_a_pooled_group_is_evidenced_by_a_quote_from_either_member(mini):
    record = claim(scope="groups", groups=["meso or macro"], quotes=["S3"])
    assert verdict_of(mini, record)["topic"] == vd.TOPIC_EVIDENCED


@pytest.mark.parametrize("content, expected", [("states", vd.SUPPORTED), ("partly", vd.PART_EVIDENCED),
                                               ("does not state", vd.CONTENT_NOT_EVIDENCED)])
def test_claim_is_supported_only_when_topic_and_content_are_evidenced(mini, content, expected):
    record = claim(groups=["micro"], quotes=["S1"], content=content, content_reason="why")
    assert verdict_of(mini, record)["verdict"] == expected


def test_cited_quotes_that_do_not_state_the_claim_are_medium_and_high_only_when_contradicting():
    base = claim(quotes=["S1"], content="does not state", content_reason="why")
    assert vd.content_verdict(base)["severity"] == "medium"
    assert vd.content_verdict({**base, "content_contradicts": True})["severity"] == "high"
