"""Clashing quantifiers and rankings: statements about one matter whose counts cannot all hold.

* Quantifiers: claims sharing a `topic` that say both 'all' and a share below all ('every
  interviewee' against 'the majority') — medium; when the share is a hedge ('generally', 'largely'),
  low, since a hedge is wording, not a count.
* Rankings: a claim ranking its topic first (`ranking: first`, 'the issue raised most frequently')
  while its own topic is put below all ('the majority') and another topic on the same codes (the
  ranking ranks the issues of its theme) is said to be raised by every participant: the ranked issue
  cannot be the most frequent. Medium.

Only claims about participants are compared; claims about sites or the literature count other things.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.codes import descendants_with_self
from ....model.study import Study
from ..claims import CLAIMS_FILE, HEDGES, SHARE_BELOW_ALL, UNIVERSAL, read_claims
from ..findings import as_findings, finding, location_in_paper
from ..registry import Check, register_check
from .contradictions import codes_overlap

CHECK = "quantifiers"


def about_participants(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims whose quantifier counts participants."""
    return [c for c in claims if c.get("scope", "participants") == "participants"]


def by_topic(claims: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Claims grouped by their recorded topic (claims without one left out)."""
    topics: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.get("topic"):
            topics.setdefault(str(claim["topic"]), []).append(claim)
    return topics


def said(claims: list[dict[str, Any]]) -> str:
    """'C-1 says 'every' (Results, paragraph 4); ...' for a finding's detail."""
    return "; ".join(f"{c['id']} says {c['quantifier']!r} ({location_in_paper(c['location'])[0]})" for c in claims)


def clashing_quantifiers(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Claims sharing a topic that say both 'all' and a share below all: one finding per topic."""
    claims = about_participants(read_claims(study) if claims is None else claims)
    rows = []
    for topic, group in by_topic(claims).items():
        universal = [c for c in group if c["quantifier"] in UNIVERSAL]
        partial = [c for c in group if c["quantifier"] in SHARE_BELOW_ALL]
        if not (universal and partial):
            continue
        both = [*universal, *partial]
        hedged = all(c["quantifier"] in HEDGES for c in partial)
        kind, severity = ("hedged wording beside a universal claim", "low") if hedged else \
            ("clashing quantifiers", "medium")
        why = ("a hedge ('generally', 'largely') beside 'all' is loose wording rather than a second count" if hedged
               else "'all' and a share below all cannot both be the count")
        rows.append(finding(study.id, CHECK, kind, severity, "; ".join(dict.fromkeys(c["location"] for c in both)),
                            f"on {topic}: {said(both)}; {why}", "; ".join(c["id"] for c in both),
                            claim="\n".join(f"{c['id']}: {c['text']}" for c in both)))
    return as_findings(rows)


def clashing_rankings(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """A topic ranked first but put below all, beside another topic every participant raised."""
    claims = about_participants(read_claims(study) if claims is None else claims)
    topics, below = by_topic(claims), descendants_with_self(study.codes)
    rows = []
    for ranked in (c for c in claims if c.get("ranking") == "first" and c.get("topic")):
        own = topics[str(ranked["topic"])]
        if any(c["quantifier"] in UNIVERSAL for c in own):
            continue  # the ranked issue is itself said to be raised by everyone: a tie is possible
        below_all = [c for c in own if c["quantifier"] in SHARE_BELOW_ALL and c is not ranked]
        beaten = [c for c in claims if c.get("topic") and c["topic"] != ranked["topic"] and c["quantifier"] in UNIVERSAL
                  and not c.get("groups") and codes_overlap(c, ranked, below)]
        if below_all and beaten:
            rows.append(ranking_row(study, ranked, below_all, beaten))
    return as_findings(rows)


def ranking_row(study: Study, ranked: dict[str, Any], below_all: list[dict[str, Any]],
                beaten: list[dict[str, Any]]) -> dict[str, str]:
    """The finding for one ranking that another claim's 'every' outranks."""
    involved = [ranked, *below_all, *beaten]
    return finding(study.id, "rankings", "clashing ranking", "medium",
                   "; ".join(dict.fromkeys(c["location"] for c in involved)),
                   f"{ranked['id']} ranks {ranked['topic']} as the issue raised most frequently, and "
                   f"{said(below_all)}; but {said(beaten)} about "
                   f"{', '.join(dict.fromkeys(str(c['topic']) for c in beaten))}: an issue every participant raised is "
                   "raised more often than one a majority raised, so the ranking cannot hold",
                   "; ".join(c["id"] for c in involved), claim="\n".join(f"{c['id']}: {c['text']}" for c in involved))


register_check(Check(CHECK, clashing_quantifiers, "claims about one topic saying both 'all' and a share below all",
                     needs=(CLAIMS_FILE,), why="no claims.yml: no statements to compare", order=32))
register_check(Check("rankings", clashing_rankings, "an issue ranked most frequent beside another that every "
                     "participant raised", needs=(CLAIMS_FILE,), why="no claims.yml: no statements to compare",
                     order=33))
