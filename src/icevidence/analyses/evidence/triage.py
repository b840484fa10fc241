"""Triage: the claims no published quote can check, folded into one row per paper.

Universal and proportional claims ('every interviewee', 'the majority') are common in qualitative
papers and rarely checkable from the few quotes a paper prints; listed one by one they bury the
findings a reviewer acts on. Triage replaces a paper's 'uncheckable claim' rows with one row: how
many there are, the most serious severity among them, and the list folded under the row (each claim,
its quantifier, what it needs and what the quotes show). The claims table keeps every verdict.
"""
from __future__ import annotations

import pandas as pd

from .findings import SEVERITIES, finding

UNCHECKABLE = "uncheckable claim"
FOLDED = "uncheckable claims"


def fold_uncheckable(findings: pd.DataFrame) -> pd.DataFrame:
    """The findings with each study's uncheckable-claim rows replaced by one summary row (rows as records)."""
    uncheckable = findings["kind"] == UNCHECKABLE
    if not uncheckable.any():
        return findings
    rows = [summary_row(study, group) for study, group in findings[uncheckable].groupby("study", sort=False)]
    kept = findings[~uncheckable].astype({"severity": str, "check": str})
    return pd.concat([kept, pd.DataFrame(rows)], ignore_index=True)


def summary_row(study: str, rows: pd.DataFrame) -> dict[str, str]:
    """One row standing for a study's uncheckable claims, the list folded under it."""
    severity = min(rows["severity"].astype(str), key=SEVERITIES.index)
    universal = int((rows["severity"].astype(str) == "medium").sum())
    listed = "\n".join(f"{loc}: {detail}" for loc, detail in zip(rows["location"], rows["detail"]))
    detail = (f"{len(rows)} claims state a quantity or name a group the published quotes cannot check "
              f"({universal} of them universal: 'all', 'every', 'unanimity'); each needs more speakers than the "
              "paper quotes on its codes, or names a group the participant table does not record. Ask the authors "
              "for the counts behind them; the list is folded below and every verdict is in the claims table")
    sections = dict.fromkeys(str(loc).split(":")[0].split(",")[0].strip() for loc in rows["location"])
    return finding(study, "claims", FOLDED, severity, f"throughout: {', '.join(sections)}", detail,
        "; ".join(str(e).split("; ")[0] for e in rows["evidence"]), listed=listed)
