"""Methods, Results and Discussion: what the paper states about one matter in different places.

Claims carry their section (claims.yml `section`) and may record what they state about their topic
(`asserts`, a few words read from the sentence). Claims of one topic whose `asserts` differ
disagree: the Methods coding on a framework deductively while the Results say the themes arose
inductively; themes the Methods announce and the Results never report; the Methods saying every
interview was in person while the Limitations say many were by phone. One finding per topic, medium.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.study import Study
from ..claims import CLAIMS_FILE, read_claims
from ..findings import as_findings, finding
from ..registry import Check, register_check

CHECK = "sections"


def disagreeing_sections(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One finding per topic whose claims assert different things, naming each section and sentence."""
    claims = read_claims(study) if claims is None else claims
    topics: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.get("topic") and claim.get("asserts"):
            topics.setdefault(str(claim["topic"]), []).append(claim)
    rows = []
    for topic, group in topics.items():
        if len({str(c["asserts"]) for c in group}) < 2:
            continue
        sections = list(dict.fromkeys(c["section"] for c in group))
        kind = "sections disagree" if len(sections) > 1 else "statements disagree"
        stated = "; ".join(f"{c['section']} ({c['id']}): {c['asserts']}" for c in group)
        rows.append(finding(study.id, CHECK, kind, "medium", "; ".join(dict.fromkeys(c["location"] for c in group)),
                            f"on {topic}, {' and '.join(sections)} state different things — {stated}",
                            "; ".join(c["id"] for c in group),
                            claim="\n".join(f"{c['id']} ({c['section']}): {c['text']}" for c in group)))
    return as_findings(rows)


register_check(Check(CHECK, disagreeing_sections, "Methods, Results and Discussion stating different things "
                     "about one matter", needs=(CLAIMS_FILE,), why="no claims.yml: no statements to compare",
                     order=35))
