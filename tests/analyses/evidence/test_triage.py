"""Triage: each paper's uncheckable claims folded into one row, the list under it."""
from __future__ import annotations

from icevidence.analyses.evidence.findings import as_findings, finding
from icevidence.analyses.evidence.triage import fold_uncheckable


def test_uncheckable_claims_become_one_row_per_study_with_the_list_folded():
    rows = [finding("a", "claims", "uncheckable claim", "medium", "Results, para 1", "C-1: every interviewee"),
            finding("a", "claims", "uncheckable claim", "low", "Discussion, para 2", "C-2: the majority"),
            finding("a", "claims", "named group without evidence", "medium", "Results, para 3", "C-3"),
            finding("b", "claims", "uncheckable claim", "low", "Results, para 1", "C-9: many")]
    folded = fold_uncheckable(as_findings(rows, checks=["claims"]))
    summary = folded[folded["kind"] == "uncheckable claims"].set_index("study")
    assert len(folded) == 3 and summary.at["a", "severity"] == "medium" and summary.at["b", "severity"] == "low"
    assert summary.at["a", "detail"].startswith("2 claims") and "C-2: the majority" in summary.at["a", "listed"]


def test_findings_without_uncheckable_claims_are_unchanged():
    found = as_findings([finding("a", "claims", "supported claim", "info", "x", "d")], checks=["claims"])
    assert fold_uncheckable(found).equals(found)
