"""Contradictions: an 'only' claim beside another claim on the same codes that names a group it rules out.

'Only the meso and micro groups discussed leadership' cannot hold beside 'all three groups
emphasised the need for good leaders'. One finding per 'only' claim, naming every claim it clashes
with. Claims about the literature, sites or the study are not compared.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.codes import descendants_with_self
from ....model.study import Study
from ..claims import CLAIMS_FILE, UNIVERSAL, named_groups, read_claims
from ..findings import as_findings, finding
from ..registry import Check, register_check

CHECK = "contradictions"
COMPARED = ("participants", "groups")


def contradictory_claims(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One finding per 'only' claim, listing every claim on the same codes naming a group it rules out."""
    claims = read_claims(study) if claims is None else claims
    below = descendants_with_self(study.codes)
    compared = [c for c in claims if c.get("scope", "participants") in COMPARED]
    rows = []
    for only in (c for c in compared if c["quantifier"] == "only"):
        named = {(g.column, v) for g in named_groups(study, only)[0] for v in g.values}
        clashes = [(other, extra) for other in compared if other is not only
                   for extra in [ruled_out(study, named, other, only, below)] if extra is not None]
        if clashes:
            rows.append(contradiction(study, only, clashes))
    return as_findings(rows)


def contradiction(study: Study, only: dict[str, Any], clashes: list[tuple[dict[str, Any], list[str]]]) -> dict:
    """The finding for one 'only' claim and the claims it clashes with."""
    others = "; ".join(f"{o['id']} says {o['quantifier']!r} of "
                       f"{', '.join(o.get('groups') or []) or 'the whole sample'} did, which includes "
                       f"{', '.join(extra) or 'every group'}" for o, extra in clashes)
    locations = "; ".join(dict.fromkeys([only["location"], *(o["location"] for o, _ in clashes)]))
    texts = dict.fromkeys(str(c["text"]) for c in [only, *(o for o, _ in clashes)])
    return finding(study.id, CHECK, "contradictory claims", "high", locations,
                   f"{only['id']} says only {', '.join(only.get('groups') or [])} did; {others}",
                   "; ".join([only["id"], *(o["id"] for o, _ in clashes)]), claim="\n".join(texts))


def ruled_out(study: Study, named: set, other: dict[str, Any], only: dict[str, Any],
              below: dict[str, set[str]]) -> list[str] | None:
    """The groups another claim on the same codes names that the 'only' claim excludes (None: no clash)."""
    if other["quantifier"] == "none" or not codes_overlap(only, other, below):
        return None
    columns = {c for c, _ in named}
    theirs = {(g.column, v) for g in named_groups(study, other)[0] for v in g.values}
    extra = sorted(f"{c} = {v}" for c, v in theirs if c in columns and (c, v) not in named)
    whole = not other.get("groups") and other["quantifier"] in UNIVERSAL
    return extra if extra or whole else None


def codes_overlap(a: dict[str, Any], b: dict[str, Any], below: dict[str, set[str]]) -> bool:
    """Whether two claims share a code (or one's code lies below the other's)."""
    mine = set().union(*(below.get(c, {c}) for c in a.get("codes") or []))
    theirs = set().union(*(below.get(c, {c}) for c in b.get("codes") or []))
    return bool(mine & theirs)


register_check(Check(CHECK, contradictory_claims, "'only' claims beside claims naming a group they rule out",
                     needs=(CLAIMS_FILE,), why="no claims.yml: no statements to compare", order=31))
