"""The evidence review: does each paper's coded evidence support what its text says?

`review(study)` runs every registered check family (registry, checks/) that applies to the study and
returns a `Review`: the findings most serious first (`findings`, a DataFrame), the rule deciding each
severity, every claim with both verdicts, which checks ran or were skipped and why, and how many
block quotes a recorded claim cites. `review([a, b])` adds the checks across papers (evidence
reused, interviews shared); `review([a, b], across_only=True)` keeps only those. Uncheckable claims
are folded into one row per paper (triage).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ...model.errors import ConfigError
from ...model.study import Study, as_printed, as_study
from ..result import Figure, Result, Table
from .checks.coverage import block_quote_coverage
from .claims import read_claims
from .findings import SEVERITIES, SEVERITY_RULES, combined, severity_counts, summarise
from .registry import across_run, check_names, checks_run, registered_checks
from .triage import fold_uncheckable
from .verdicts import VERDICTS, check_claims

SOURCE = "icevidence evidence review of the published evidence"


@dataclass
class Review(Result):
    """A review of one or more papers: findings most serious first, claims, checks run, block-quote coverage."""

    studies: list[Study]
    findings: pd.DataFrame
    claims: pd.DataFrame
    checks: pd.DataFrame
    block_quotes: pd.DataFrame
    across_only: bool = False
    own_findings: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    min_cell: int = 0

    @property
    def title(self) -> str:
        """The review's name for captions."""
        names = ", ".join(s.short_name for s in self.studies)
        return f"Evidence across {names}" if self.across_only else f"Evidence review of {names}"

    @property
    def high(self) -> int:
        """How many high findings the review has."""
        return int((self.findings["severity"] == "high").sum())

    def attention(self) -> pd.DataFrame:
        """The findings a reviewer should act on: high and medium, most serious first."""
        return self.findings[self.findings["severity"].isin(["high", "medium"])].reset_index(drop=True)

    def severity_rules(self) -> pd.DataFrame:
        """Each severity and the rule that decides it."""
        return pd.DataFrame({"severity": SEVERITIES, "rule": [SEVERITY_RULES[s] for s in SEVERITIES]})

    def coverage(self) -> pd.DataFrame:
        """Per study: block quotes, how many a recorded claim cites, and those none cites."""
        rows = []
        for study in self.studies:
            table = self.block_quotes[self.block_quotes["study"] == study.id]
            rows.append({"study": study.id, "block quotes": len(table), "cited by a claim": int(table["cited"].sum()),
                         "cited by none": "; ".join(table.loc[~table["cited"], "segment_ids"]) or "none"})
        return pd.DataFrame(rows, columns=["study", "block quotes", "cited by a claim", "cited by none"])

    def verdicts(self) -> pd.DataFrame:
        """How many claims of each study got each verdict."""
        if self.claims.empty:
            return pd.DataFrame(columns=["study", *VERDICTS, "claims"])
        counts = pd.crosstab(self.claims["study"], self.claims["verdict"]).reindex(columns=VERDICTS, fill_value=0)
        counts["claims"] = counts.sum(axis=1)
        counts.columns.name = None
        return counts.reset_index()

    def tables(self) -> list[Table]:
        """Findings (full texts), per kind, per severity, the rules, claims, verdicts, checks, block quotes."""
        unit = "findings"
        return [Table("findings", f"{self.title}: every finding, most serious first", self.findings,
                      "One row per finding", unit, SOURCE, prose=("detail", "claim", "quotes", "listed")),
                Table("summary", f"{self.title}: findings per kind", summarise(self.findings),
                      "Findings per study and kind, by severity; kinds with high findings first", unit, SOURCE),
                Table("severity", f"{self.title}: findings by severity", severity_counts(self.findings),
                      "Findings per severity and study", unit, SOURCE),
                Table("rules", "The rule deciding each severity", self.severity_rules(), prose=("rule",)),
                Table("claims", f"{self.title}: every claim with both verdicts", self.claims,
                      "One row per statement about who said what", "claims", SOURCE,
                      prose=("text", "topic_reason", "content_reason", "reason")),
                Table("verdicts", f"{self.title}: claims by verdict", self.verdicts(), "Claims per overall verdict",
                      "claims", SOURCE),
                Table("checks", f"{self.title}: checks run, run in part or skipped", self.checks),
                Table("block-quotes", f"{self.title}: block quotes cited by a recorded claim", self.coverage(),
                      "Block quotes per study and how many the claims cite (goal: all)", "block quotes", SOURCE)]

    def figures(self) -> list[Figure]:
        """Findings per severity, most serious at the top, each bar labelled with its count."""
        counts = self.findings["severity"].astype(str).value_counts().reindex(SEVERITIES, fill_value=0)
        data = pd.DataFrame({"findings": counts})
        return [Figure("severity", f"{self.title}: findings by severity", "severity", data,
                       value_label="findings", counted="Findings per severity, most serious first", unit="findings",
                       source=SOURCE, alt=", ".join(f"{n} {s}" for s, n in counts.items()))]


def review(study: Study | str | Sequence[Study | str], across_only: bool = False) -> Review:
    """The review of a study (id or Study), or of several plus the checks across them."""
    loaded = [as_printed(as_study(study))] if isinstance(study, (str, Study)) else \
        [as_printed(as_study(s)) for s in study]
    own = [review_findings(s) for s in loaded]
    across = [across_findings(loaded)] if len(loaded) > 1 else []
    findings = combined(across if across_only else [*own, *across])
    checks = pd.concat([*(checks_run(s) for s in loaded), *([across_run(loaded)] if across else [])],
                       ignore_index=True)
    if across_only:
        checks = checks[checks["check"].isin([c.name for c in registered_checks(across=True)])]
    return Review(loaded, findings, claims_table(loaded), checks.reset_index(drop=True), block_quote_table(loaded),
                  across_only, combined(own) if across_only else None)


def review_findings(study: Study | str) -> pd.DataFrame:
    """Every per-study check that applies, as one findings table, uncheckable claims folded (triage)."""
    study = as_printed(as_study(study))
    runs = checks_run(study).set_index("check")["status"]
    parts = [c.run(study) for c in registered_checks(across=False) if runs[c.name] != "skipped"]
    return combined([fold_uncheckable(combined(parts))])


def across_findings(studies: Sequence[Study]) -> pd.DataFrame:
    """The findings that exist across papers: evidence reused, interviews shared."""
    printed = [as_printed(s) for s in studies]
    return combined([c.run(printed) for c in registered_checks(across=True)])


def review_across(studies: Sequence[Study | str]) -> Review:
    """Only the findings that exist across papers (evidence shared between them), not the per-study ones."""
    return review(studies, across_only=True)


def claims_table(studies: Sequence[Study | str]) -> pd.DataFrame:
    """Every claim of every study with its verdicts, for one table in a report."""
    tables = [check_claims(s).assign(study=s.id) for s in map(as_study, studies) if read_claims(s)]
    if not tables:
        from .verdicts import CLAIM_COLUMNS
        return pd.DataFrame(columns=["study", *CLAIM_COLUMNS])
    table = pd.concat(tables, ignore_index=True)
    return table[["study", *[c for c in table.columns if c != "study"]]]


def block_quote_table(studies: Sequence[Study]) -> pd.DataFrame:
    """Every block quote of every study with recorded claims, with the claims citing it (an imported export has
    no paper, so no claims and no block quotes to link)."""
    tables = [block_quote_coverage(s).assign(study=s.id) for s in studies if read_claims(s)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["study", "segment_ids", "cited"])


def findings_of(findings: pd.DataFrame, check: str) -> pd.DataFrame:
    """The findings of one check, without the check column."""
    if check not in check_names():
        raise ConfigError("evidence review", "check", f"unknown check {check!r}", remedy=f"use one of {check_names()}.")
    return findings[findings["check"] == check].drop(columns="check").reset_index(drop=True)
