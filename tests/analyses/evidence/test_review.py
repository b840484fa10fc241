"""The review as a result: findings most serious first, claims, checks run, block-quote coverage, tables, figure."""
from __future__ import annotations

import pandas as pd
import pytest
from evidence_helpers import claim, second_study, with_file

from icevidence.analyses.evidence import review as rv
from icevidence.analyses.result import Result
from icevidence.model.errors import ConfigError

TEXT = "the whole system is so hospital centric that people in the community are forgotten by everyone"


def test_review_returns_a_result_whose_findings_are_most_serious_first(mini):
    result = rv.review(mini)
    assert isinstance(result, Result) and isinstance(result.findings, pd.DataFrame)
    assert {"study", "kind", "severity", "location", "detail"} <= set(result.findings.columns)
    ranks = result.findings["severity"].cat.codes.tolist()
    assert ranks == sorted(ranks) and result.findings.iloc[0]["severity"] == "high"


def test_review_of_several_studies_adds_the_cross_paper_findings(tmp_path):
    mine = second_study(tmp_path, "mine", f"T1,G1P1,a.x,{TEXT},Table 1,G1P1,valid,,\n")
    other = second_study(tmp_path, "other", f"T1,G2P1,a.x,{TEXT},Results,G2P1,valid,,\n")
    assert {"mine", "other", "mine + other"} == set(rv.review([mine, other]).findings["study"])
    across = rv.review_across([mine, other])
    assert set(across.findings["study"]) == {"mine + other"} and set(across.own_findings["study"]) == {"mine", "other"}


def test_the_review_lists_its_tables_and_draws_its_severity_figure(mini):
    result = rv.review(mini)
    assert [t.key for t in result.tables()] == ["findings", "summary", "severity", "rules", "claims", "verdicts",
                                                 "checks", "block-quotes"]
    [figure] = result.figures()
    assert figure.kind == "severity" and figure.data["findings"].sum() == len(result.findings)


def test_the_review_counts_block_quotes_cited_by_a_claim(mini_copy):
    (mini_copy / "segments.csv").write_text((mini_copy / "segments.csv").read_text().replace(
        "S1,G1P1,a.x.1,first quote,Table 1", 'S1,G1P1,a.x.1,first quote,"Results, para 1 (block quote)"'))
    study = with_file(mini_copy, "claims.yml", [claim(quotes=["S1"])])
    coverage = rv.review(study).coverage()
    assert coverage[["block quotes", "cited by a claim", "cited by none"]].values.tolist() == [[1, 1, "none"]]


def test_the_review_keeps_every_claim_with_both_verdicts_and_counts_them(mini_copy):
    study = with_file(mini_copy, "claims.yml", [claim(groups=["micro"], quotes=["S1"]), claim(id="C-2", codes=[])])
    result = rv.review(study)
    assert result.claims[["id", "verdict"]].values.tolist() == [["C-1", "supported"], ["C-2", "about the study"]]
    assert result.verdicts().iloc[0]["claims"] == 2


def test_findings_of_one_check_and_an_unknown_check_refused(mini):
    found = rv.review(mini).findings
    assert len(rv.findings_of(found, "attributions")) == (found["check"] == "attributions").sum()
    with pytest.raises(ConfigError):
        rv.findings_of(found, "spelling")
