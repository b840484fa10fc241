"""The shape every check reports in: one finding per problem, with a severity decided by one written rule.

A finding is a row: the study, the check family that found it, its kind, its severity, where it
stands in the paper (in the paper's own terms), why it is a finding, the evidence rows, and, where
they help the reader, the source file, the paper's sentence, the quotes the paper offers for it in
full and a list folded under the row (`listed`). SEVERITY_RULES is the one statement of what each
severity means; every check decides by it, and the report prints it next to the legend.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import pandas as pd

SEVERITIES = ["high", "medium", "low", "info"]
SEVERITY_RULES: dict[str, str] = {
    "high": "The paper's own evidence contradicts its text or cannot be the named speaker's: quotes from a group "
            "the sentence excludes, two statements that cannot both hold about who said something, one quote "
            "under two participants, a stated count the data or the paper's own arithmetic contradicts.",
    "medium": "A reader cannot verify the sentence from what the paper prints, or the paper disagrees with "
              "itself: cited quotes that do not state the claim, a named group with no evidence, an attribution "
              "the paper prints unreadable, sections or papers that disagree, an anonymisation the paper undoes, "
              "one row per paper for the claims whose quantifier the published quotes cannot show.",
    "low": "A weaker limit worth knowing: quotes stating part of a claim, 'many' or 'several' resting on one "
           "quote, hedged wording beside a universal claim, misprinted but readable IDs, quotes printed twice "
           "under one ID, framework elements with no quote, each uncheckable claim behind its summary row.",
    "info": "Recorded for completeness, never charged to the authors: supported claims, claims about the "
            "study or the literature, sampling aims met, text damaged in our copy of the paper (check the "
            "published PDF), the authors' own labels in quote marks.",
}
FINDING_COLUMNS = ["study", "check", "kind", "severity", "location", "detail", "evidence"]
# added after the stable seven: the data's source, the claim and quotes in full, a list folded under the row
EXTRA_COLUMNS = ["source", "claim", "quotes", "listed"]
ALL_COLUMNS = [*FINDING_COLUMNS, *EXTRA_COLUMNS]
SEED_TAG = re.compile(r"\bseed\s+(\d{3})\s*,?\s*")


def finding(study: str, check: str, kind: str, severity: str, location: object, detail: str,
            evidence: str = "", claim: str = "", quotes: str = "", listed: str = "") -> dict[str, str]:
    """One finding as a row, located in the paper's own terms, so every check reports in the same shape."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; use one of {SEVERITIES}")
    where, source = location_in_paper(location)
    return {"study": study, "check": check, "kind": kind, "severity": severity, "location": where,
            "detail": detail, "evidence": evidence, "source": source, "claim": claim, "quotes": quotes,
            "listed": listed}


def location_in_paper(location: object) -> tuple[str, str]:
    """(where in the paper, in its own terms; the seed files the data cite) for a recorded location.

    'seed 003, Findings: Vision and leadership, para 7' -> ('Findings: Vision and leadership,
    paragraph 7', 'seed 003'). Locations naming data files are kept as they are.
    """
    text = "" if location is None or (isinstance(location, float) and math.isnan(location)) else str(location)
    seeds = list(dict.fromkeys(SEED_TAG.findall(text)))
    where = SEED_TAG.sub("", text)
    where = re.sub(r"\bpara (\d+)", r"paragraph \1", where)
    return where.strip(" ,;|"), "; ".join(f"seed {s}" for s in seeds)


def as_findings(rows: Iterable[dict[str, str]], checks: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows as a findings table, most serious first; severity (and check, when the order is given) ordered."""
    table = pd.DataFrame(list(rows), columns=ALL_COLUMNS).fillna({c: "" for c in EXTRA_COLUMNS})
    table["severity"] = pd.Categorical(table["severity"], categories=SEVERITIES, ordered=True)
    if checks is None:
        from .registry import check_names
        checks = check_names()
    known = list(dict.fromkeys([*checks, *table["check"].astype(str)]))
    table["check"] = pd.Categorical(table["check"].astype(str), categories=known, ordered=True)
    return sort_findings(table)


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings grouped by study, most serious first, then by check, kind and location."""
    order = findings.sort_values(["study", "severity", "check", "kind", "location"], kind="stable")
    return order.reset_index(drop=True)


def most_serious_first(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings of every study together, most serious first (severity, then check, kind, study)."""
    order = findings.sort_values(["severity", "check", "kind", "study", "location"], kind="stable")
    return order.reset_index(drop=True)


def combined(parts: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Several findings tables as one, in the same order rules."""
    frames = [p for p in parts if len(p)]
    if not frames:
        return as_findings([])
    table = pd.concat([f.astype({"check": str, "severity": str}) for f in frames], ignore_index=True)
    return as_findings(table.to_dict("records"))


def quote_excerpt(text: object, width: int | None = None) -> str:
    """A quote in quote marks, whitespace joined; cut at a word boundary only when width is given."""
    text = "" if pd.isna(text) else " ".join(str(text).split())
    if width is None or len(text) <= width:
        return f"'{text}'"
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width]
    return f"'{cut.rstrip()}…'"


def summarise(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings per study and kind, one column per severity: kinds with high findings first."""
    if findings.empty:
        return pd.DataFrame(columns=["study", "check", "kind", *SEVERITIES, "total"])
    counts = pd.crosstab([findings["study"], findings["check"].astype(str), findings["kind"]],
                         findings["severity"].astype(str)).reindex(columns=SEVERITIES, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index().rename(columns={"row_0": "check"})
    counts.columns.name = None
    worst = counts[SEVERITIES].gt(0).to_numpy().argmax(axis=1)
    order = counts.assign(_worst=worst, _counts=[tuple(-v for v in r) for r in counts[SEVERITIES].to_numpy()])
    order = order.sort_values(["_worst", "_counts", "study"], kind="stable").drop(columns="_counts")
    return order.drop(columns="_worst").reset_index(drop=True)


def severity_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per severity (most serious first) and per study, with a total column."""
    table = pd.crosstab(findings["severity"].astype(str), findings["study"])
    table = table.reindex(SEVERITIES, fill_value=0)
    table.index.name = "severity"
    table.columns.name = None
    table["total"] = table.sum(axis=1)
    return table.reset_index()
