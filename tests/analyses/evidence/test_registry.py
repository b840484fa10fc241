"""The registry of check families: which checks run on a study, which are skipped and why; a new family registers."""
from __future__ import annotations

from icevidence import load_study
from icevidence.analyses.evidence import registry as rg
from icevidence.analyses.evidence.findings import as_findings, finding
from icevidence.analyses.evidence.review import review


def test_study_without_claims_or_stated_counts_skips_those_checks_and_says_why(mini_copy):
    for name in ("claims.yml", "reported_counts.csv"):
        (mini_copy / name).unlink(missing_ok=True)
    study = load_study("mini", root=mini_copy.parent)
    runs = rg.checks_run(study).set_index("check")
    assert runs.at["claims", "status"] == "skipped" and "claims.yml" in runs.at["claims", "reason"]
    assert runs.at["sample", "status"] == "run in part" and "bands only" in runs.at["sample", "reason"]
    assert (runs.loc[["attributions", "reuse", "coverage"], "status"] == "run").all()
    assert "claims" not in set(review(study).findings["check"].astype(str))


def test_a_registered_check_runs_in_every_review(mini):
    extra = rg.Check("extra", lambda study: as_findings(
        [finding(study.id, "extra", "identifiable", "medium", "Table 2", "a rare combination")]))
    try:
        rg.register_check(extra)
        assert (review(mini).findings["kind"] == "identifiable").sum() == 1
        assert "extra" in rg.checks_run(mini)["check"].tolist()
    finally:
        rg.unregister_check("extra")


def test_every_family_describes_what_it_looks_for():
    assert all(c.describes for c in rg.registered_checks())
    assert {"attributions", "claims", "sections", "anonymisation", "reuse across papers"} <= set(rg.check_names())
