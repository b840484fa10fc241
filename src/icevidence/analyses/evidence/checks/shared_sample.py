"""Papers that share a site's interviews: their sample arithmetic and their account of who interviewed.

A study's conduct.yml may say another study holds some of its interviews (`shares_interviews`: the
site, the `group` that picks those interviews out in its stated counts, and an `attribute` whose
`values` both papers count, spelt as the other paper spells them). Reviewed together:

* the two papers' counts of the shared interviews must agree (high when not);
* the split the other paper states for the shared interviews, taken from this paper's overall split,
  leaves a split for this paper's other interviews that must add up to their stated number (medium
  when not: it repeats, across papers, a discrepancy the paper may already show on its own);
* the interviewers each paper names for the shared interviews (`interviewers`) must be the same
  people (medium when not).
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import pandas as pd

from ....model.study import Study
from ...stated_counts import read_reported_counts
from ..conduct import read_conduct
from ..findings import as_findings, finding, location_in_paper
from ..registry import Check, register_check
from .sampling_aims import stated_split

CHECK = "shared interviews"


def check_shared(studies: Sequence[Study]) -> pd.DataFrame:
    """Findings for every pair of the studies where one declares it holds the other's interviews."""
    rows = []
    for mine, theirs in itertools.permutations(studies, 2):
        for share in read_conduct(mine)["shares_interviews"]:
            if share["study"] == theirs.id:
                rows += shared_counts(mine, theirs, share) + shared_interviewers(mine, theirs, share)
    return as_findings(rows)


def stated_total(study: Study, field: str = "", value: str = "") -> tuple[int, str] | None:
    """The number of interviews the paper states for a group (or in all), and where; None when it states none."""
    stated = read_reported_counts(study)
    rows = stated[(stated["group_field"].fillna("") == field) & (stated["group_value"].fillna("") == value)
                  & stated["attribute"].isna()]
    return (int(rows["count"].iloc[0]), str(rows["location"].iloc[0])) if len(rows) else None


def shared_counts(mine: Study, theirs: Study, share: dict[str, Any]) -> list[dict[str, str]]:
    """The shared interviews counted by both papers, and the split they leave for this paper's other interviews."""
    field, value = next(iter((share.get("group") or {"": ""}).items()))
    label = f"{mine.id} + {theirs.id}"
    here, there, total = stated_total(mine, field, value), stated_total(theirs), stated_total(mine)
    if not (here and there and total):
        return []
    rows = []
    if here[0] != there[0]:
        rows.append(finding(label, CHECK, "shared interviews counted differently", "high", f"{here[1]}; {there[1]}",
                            f"{mine.id} states {here[0]} interviews for {share['site']}; {theirs.id}, which holds the "
                            f"same interviews, states {there[0]}", share["study"]))
    if share.get("attribute"):
        rows += rest_split(mine, theirs, share, label, total[0] - here[0])
    return rows


def rest_split(mine: Study, theirs: Study, share: dict[str, Any], label: str, rest: int) -> list[dict[str, str]]:
    """This paper's split minus the other paper's split of the shared interviews: must add up to the rest."""
    values = {str(k): str(v) for k, v in share["values"].items()}
    overall = stated_split(mine, share["attribute"], list(values))
    shared = stated_split(theirs, share["attribute"], list(values.values()))
    if len(overall) < len(values) or len(shared) < len(values):
        return []
    left = {v: overall[v][0] - shared[values[v]][0] for v in values}
    if sum(left.values()) == rest:
        return []
    where = "; ".join(dict.fromkeys([*(loc for _, loc in overall.values()), *(loc for _, loc in shared.values())]))
    return [finding(label, CHECK, "counts across papers do not add up", "medium", where,
                    f"{theirs.id} splits the shared interviews of {share['site']} as "
                    f"{', '.join(f'{shared[t][0]} {t}' for t in values.values())}; {mine.id} splits all its interviews "
                    f"as {', '.join(f'{overall[v][0]} {v}' for v in values)}; that leaves "
                    f"{', '.join(f'{n} {v}' for v, n in left.items())} for its other interviews: {sum(left.values())}, "
                    f"but it states {rest}", share["study"])]


def interviewers_of(study: Study, site: str) -> list[dict[str, Any]]:
    """The paper's statements of who interviewed, for all its interviews or for the site."""
    return [r for r in read_conduct(study)["interviewers"] if r["covers"] in ("all", site)]


def shared_interviewers(mine: Study, theirs: Study, share: dict[str, Any]) -> list[dict[str, str]]:
    """One finding when the two papers name different interviewers for the shared interviews."""
    here, there = interviewers_of(mine, share["site"]), interviewers_of(theirs, "all")
    names_here = {frozenset(map(str, r["names"])) for r in here}
    names_there = {frozenset(map(str, r["names"])) for r in there}
    if not here or not there or names_here == names_there:
        return []
    said = [f"{s.id} ({location_in_paper(r['location'])[0]}): {', '.join(map(str, r['names']))}"
            for s, rs in ((mine, here), (theirs, there)) for r in rs]
    return [finding(f"{mine.id} + {theirs.id}", CHECK, "papers name different interviewers", "medium",
                    "; ".join(dict.fromkeys(r["location"] for r in [*here, *there])),
                    f"the interviews of {share['site']} are in both papers, but they name "
                    f"different interviewers — {'; '.join(said)}", share["study"],
                    claim="\n".join(dict.fromkeys(str(r["text"]) for r in [*here, *there])))]


register_check(Check(CHECK, check_shared, "papers sharing a site's interviews: their counts and their interviewers",
                     across=True, order=62))
