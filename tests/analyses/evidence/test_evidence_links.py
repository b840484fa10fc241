"""Quote-to-claim links and the content verdict: a claim cites only the quotes its own sentence offers.

The rule (data/README.md, claims.yml): an inline quote belongs to the sentence it is printed in; a
block quote to the sentence just before it, ending with a colon or closing its paragraph. The paper
tests read the seed papers in ../shared/seeds (000 Tracy et al. 2025, 003 Mitchell et al. 2020, 004
Mitchell et al. 2023) and skip when they are absent.
"""
from __future__ import annotations

import pytest
from evidence_helpers import SEEDS, seed_text

from icevidence import load_study
from icevidence.analyses.evidence import quote_links as ql
from icevidence.analyses.evidence.checks.claims import claim_findings
from icevidence.analyses.evidence.claims import CONTENT_VALUES, NOT_APPLICABLE, read_claims
from icevidence.analyses.evidence.verdicts import SUPPORTED, check_claims

STUDIES = list(SEEDS)

PARAGRAPH = ("Staff liked the idea. Several said it was hard: \n\n"
             "\u201cIt was hard, really hard to do.\u201d (A1)\n\n"
             "\u201cWe never had the time for it.\u201d (A2)\n\n"
             "Managers said 'we listen to everyone here' (B1). A new paragraph ends here.\n\n"
             "\u201cNobody listens to the frontline at all.\u201d (C1)\n")


def claims_of(study: str) -> list[dict]:
    return read_claims(load_study(study))


# --- the rule on a constructed paragraph ----------------------------------------------------

def test_block_quote_belongs_to_the_sentence_ending_with_a_colon():
    paper = ql.tokenise(PARAGRAPH)
    assert ql.cites_correctly(paper, "Several said it was hard:", "It was hard, really hard to do.")


def test_earlier_sentence_of_the_paragraph_does_not_cite_the_block_quote():
    paper = ql.tokenise(PARAGRAPH)
    assert not ql.cites_correctly(paper, "Staff liked the idea.", "It was hard, really hard to do.")


def test_block_quotes_printed_in_a_row_share_the_introducing_sentence():
    paper = ql.tokenise(PARAGRAPH)
    assert ql.cites_correctly(paper, "Several said it was hard:", "We never had the time for it.")


def test_inline_quote_belongs_to_its_own_sentence_only():
    paper = ql.tokenise(PARAGRAPH)
    assert ql.cites_correctly(paper, "Managers said 'we listen to everyone here' (B1).", "we listen to everyone here")
    assert not ql.cites_correctly(paper, "Several said it was hard:", "we listen to everyone here")


def test_last_sentence_of_a_paragraph_introduces_the_block_quote_after_it():
    paper = ql.tokenise(PARAGRAPH)
    assert ql.cites_correctly(paper, "A new paragraph ends here.", "Nobody listens to the frontline at all.")
    assert not ql.cites_correctly(paper, "Several said it was hard:", "Nobody listens to the frontline at all.")


# --- the links in claims.yml against the papers ---------------------------------------------

@pytest.mark.parametrize("study", STUDIES)
def test_every_cited_quote_is_offered_by_the_claims_own_sentence(study):
    paper = ql.tokenise(seed_text(study))
    texts = load_study(study).segments.set_index("segment_id")["text"]
    wrong = [(c["id"], q) for c in claims_of(study) for q in c["quotes"]
             if not ql.cites_correctly(paper, c["text"], texts[q])]
    assert wrong == []


@pytest.mark.parametrize("study", STUDIES)
def test_no_quote_is_cited_by_two_different_sentences(study):
    citing: dict[str, set[str]] = {}
    for claim in claims_of(study):
        for quote in claim["quotes"]:
            citing.setdefault(quote, set()).add(" ".join(str(claim["text"]).split()))
    assert {q: s for q, s in citing.items() if len(s) > 1} == {}


# Mitchell 2020, Findings: Vision and leadership, para 7 ends "Several perceived a disconnect between
# what leaders in the partnership organisation said about distributed leadership and the implementation
# of it:" and the quote after it is "(Operational health, area 1, interviewee a)" (R-004).
def test_mitchell2020_r004_is_cited_by_the_disconnect_sentence_only():
    claims = {c["id"]: c for c in claims_of("mitchell2020")}
    assert "R-004" not in claims["C-016"]["quotes"] and "R-004" not in claims["C-017"]["quotes"]
    assert claims["C-019"]["quotes"] == ["R-004"]


def test_mitchell2020_strategic_claims_are_no_longer_high_findings():
    found = claim_findings(load_study("mitchell2020"))
    strategic = found[found["evidence"].str.split("; ").str[0].isin(["C-016", "C-017"])]
    assert len(strategic) and not (strategic["severity"] == "high").any()
    assert not strategic["evidence"].str.contains("R-004").any() and not strategic["quotes"].str.contains("R-004").any()


# --- content verdicts -----------------------------------------------------------------------

@pytest.mark.parametrize("study", STUDIES)
def test_every_claim_has_a_content_judgement_with_a_reason(study):
    claims = claims_of(study)
    assert all(c["content"] in CONTENT_VALUES and str(c["content_reason"]).strip() for c in claims)
    uncited = [c for c in claims if not c["quotes"] and c["content"] != NOT_APPLICABLE]
    assert all(str(c["content_reason"]).startswith("No quote cited;") for c in uncited)


# Tracy 2025, Results para 1: "few were happy with the contemporary health- and social care system" —
# no quote is offered, and none of the quotes on prior conditions is from anyone happy with it.
def test_tracy_c002_few_were_happy_is_a_content_finding_not_supported():
    study = load_study("tracy2025")
    found = claim_findings(study)
    c002 = found[found["evidence"].str.split("; ").str[0] == "C-002"]
    assert "supported claim" not in set(c002["kind"])
    assert c002["kind"].isin(["published quotes state part of the claim", "no published quote states the claim"]).any()
    assert check_claims(study).set_index("id").at["C-002", "verdict"] != SUPPORTED


def test_claim_findings_carry_the_claim_and_its_quotes_in_full():
    found = claim_findings(load_study("mitchell2020"))
    c034 = found[found["evidence"].str.startswith("C-034")].iloc[0]
    assert c034["claim"].startswith("Staff clearly had concerns that working closely together")
    assert "they all have different policies, different procedures." in c034["quotes"]
    assert "seed" not in c034["location"] and "seed" not in c034["source"]
