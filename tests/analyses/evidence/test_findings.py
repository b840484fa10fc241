"""The finding shape: located in the paper's terms, ordered most serious first, counted, with one written rule."""
from __future__ import annotations

import pytest

from icevidence.analyses.evidence import findings as fd


def test_locations_are_in_the_papers_terms_with_the_seed_apart():
    assert fd.location_in_paper("seed 003, Findings: Vision and leadership, para 7") == (
        "Findings: Vision and leadership, paragraph 7", "seed 003")
    assert fd.location_in_paper("data/raw/x/codes.csv") == ("data/raw/x/codes.csv", "")


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="critical"):
        fd.finding("s", "claims", "k", "critical", "x", "d")


def test_findings_are_ordered_most_serious_first():
    found = fd.as_findings([fd.finding("s", "claims", "k", s, "x", "d") for s in ("low", "info", "high", "medium")],
                           checks=["claims"])
    assert found["severity"].astype(str).tolist() == ["high", "medium", "low", "info"]


def test_summary_counts_findings_by_kind_and_severity_kinds_with_high_findings_first():
    found = fd.as_findings([fd.finding("a", "claims", "k-info", "info", "x", "d"),
                            fd.finding("b", "claims", "k-high", "high", "x", "d")], checks=["claims"])
    summary = fd.summarise(found)
    assert summary["kind"].tolist()[0] == "k-high" and summary["total"].sum() == len(found)
    assert list(summary.columns[-5:]) == [*fd.SEVERITIES, "total"]


def test_severity_counts_are_ordered_most_serious_first():
    found = fd.as_findings([fd.finding("s", "claims", "k", s, "x", "d") for s in ("low", "high")], checks=["claims"])
    table = fd.severity_counts(found)
    assert table["severity"].tolist() == fd.SEVERITIES and table["total"].tolist() == [1, 0, 1, 0]


def test_every_severity_has_its_rule_in_words():
    assert list(fd.SEVERITY_RULES) == fd.SEVERITIES and all(len(r) > 80 for r in fd.SEVERITY_RULES.values())
