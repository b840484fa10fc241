"""Quantifiers resting on one quote: 'many' or 'several' people said it, and the sentence offers one speaker.

The sentence's own evidence is one person, however many the matrix may hold on its codes; low,
since one illustrative quote is common practice, but the count cannot be seen from what the
sentence offers.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.study import Study
from ..claims import CLAIMS_FILE, read_claims
from ..findings import as_findings, finding
from ..quotes import cited_quotes, printed_quotes
from ..registry import Check, register_check
from ..verdicts import speaker_bounds

CHECK = "single quote"
PLURAL = {"many", "several"}


def resting_on_one_quote(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One low finding per 'many'/'several' claim about participants whose cited quotes are one speaker's."""
    claims = read_claims(study) if claims is None else claims
    table_ids = set(study.participants["participant_id"].dropna())
    quotes = printed_quotes(study) if claims else None
    rows = []
    for claim in claims:
        if claim["quantifier"] not in PLURAL or claim.get("scope", "participants") != "participants":
            continue
        cited = study.segments[study.segments["segment_id"].isin(claim.get("quotes") or [])]
        if len(cited) and speaker_bounds(cited, table_ids)[1] == 1:
            who = ", ".join(dict.fromkeys(cited["attribution_raw"].fillna("no attribution")))
            rows.append(finding(study.id, CHECK, "quantifier resting on one quote", "low", claim["location"],
                                f"{claim['id']}: says {claim['quantifier']!r} and offers the words of one speaker "
                                f"({who}) for it", "; ".join([claim["id"], *claim["quotes"]]),
                                claim=str(claim["text"]), quotes=cited_quotes(quotes, claim["quotes"])))
    return as_findings(rows)


register_check(Check(CHECK, resting_on_one_quote, "'many' or 'several' resting on one speaker's quote",
                     needs=(CLAIMS_FILE,), why="no claims.yml: no statements to read", order=34))
