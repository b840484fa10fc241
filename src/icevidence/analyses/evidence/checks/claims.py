"""Claims: both verdicts on every statement in claims.yml about who said what, as findings.

Per claim: its topic finding (unsupported, a named group without evidence, or uncheckable), its
content finding (cited quotes that do not state it, or state part of it), or one info row when it
is supported, about the study, or about the cited literature. Each row carries the sentence and the
quotes the paper offers for it in full.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.study import Study
from ..claims import CLAIMS_FILE, read_claims
from ..findings import as_findings, finding
from ..quotes import cited_quotes, printed_quotes
from ..registry import Check, register_check
from ..verdicts import (
    ABOUT_THE_LITERATURE,
    ABOUT_THE_STUDY,
    KIND_OF_TOPIC,
    SUPPORTED,
    TOPIC_EVIDENCED,
    check_claims,
    content_verdict,
)

CHECK = "claims"
INFO_KINDS = {SUPPORTED: "supported claim", TOPIC_EVIDENCED: "topic evidenced, content not judged",
              ABOUT_THE_STUDY: "claim about the study", ABOUT_THE_LITERATURE: "claim about the cited literature"}


def claim_findings(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Per claim: its topic finding, its content finding, or one info row."""
    claims = read_claims(study) if claims is None else claims
    by_id = {c["id"]: c for c in claims}
    quotes = printed_quotes(study)
    rows = []
    for checked in check_claims(study, claims).itertuples(index=False):
        rows += claim_rows(study, checked, by_id[checked.id], quotes)
    return as_findings(rows)


def claim_rows(study: Study, checked: Any, claim: dict[str, Any], quotes: pd.DataFrame) -> list[dict[str, str]]:
    """The findings on one checked claim: topic and content apart, or one info row."""
    evidence = "; ".join(filter(None, [checked.id, checked.quotes]))
    text, cited = str(claim.get("text", "")), cited_quotes(quotes, claim.get("quotes") or [])

    def row(kind: str, severity: str, detail: str) -> dict[str, str]:
        return finding(study.id, CHECK, kind, severity, checked.location, f"{checked.id}: {detail}", evidence,
                       claim=text, quotes=cited)

    rows = []
    if checked.topic in KIND_OF_TOPIC:
        rows.append(row(KIND_OF_TOPIC[checked.topic], checked.topic_severity,
                        f"topic {checked.topic}: {checked.topic_reason}"))
    content = content_verdict(claim)
    if content and checked.verdict not in (ABOUT_THE_STUDY, ABOUT_THE_LITERATURE):
        rows.append(row(content["kind"], content["severity"], f"content {checked.content}: {content['reason']}"))
    if not rows:
        detail = f"{checked.verdict}: {checked.topic_reason}" + (f"; content: {checked.content_reason}"
                                                                  if checked.content_reason else "")
        rows.append(row(INFO_KINDS.get(checked.verdict, "supported claim"), "info", detail))
    return rows


register_check(Check(CHECK, claim_findings, "each claim's topic (who is quoted, enough speakers for its quantifier) "
                     "and content (do its quotes say it)", needs=(CLAIMS_FILE,),
                     why="no claims.yml: there is no paper whose statements could be checked", order=30))
