"""Sampling aim against the sample achieved: what the Methods say the sampling aimed at, and the split printed.

conduct.yml records each aim (`sampling_aims`: 'to ensure an even number of people in health and
social care' is `attribute: sector`, `values: [social care, healthcare]`, `aim: equal`); the split
achieved is the one the paper states (reported_counts.csv), else the participant table's. An equal
aim is met when the values differ by at most one. An aim not met, and not said to be, is medium; an
aim met is recorded (info).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.study import Study
from ...stated_counts import read_reported_counts
from ..conduct import CONDUCT_FILE, read_conduct
from ..findings import as_findings, finding
from ..registry import Check, register_check

CHECK = "sampling aims"


def stated_split(study: Study, attribute: str, values: list[str]) -> dict[str, tuple[int, str]]:
    """(count, where stated) per value of an attribute over the whole sample, as the paper states it.

    A paper's stated counts hold such a count either as an attribute with no group (19 from social
    care) or as a group with no attribute (Total interviewees, social care: 12).
    """
    stated = read_reported_counts(study).astype({"group_field": object, "group_value": object, "attribute": object,
                                                 "attribute_value": object})
    blank_group, blank_attribute = stated["group_field"].isna(), stated["attribute"].isna()
    as_attribute = blank_group & (stated["attribute"] == attribute) & stated["attribute_value"].isin(values)
    as_group = blank_attribute & (stated["group_field"] == attribute) & stated["group_value"].isin(values)
    picked = stated[as_attribute | as_group]
    named = picked["attribute_value"].where(as_attribute[picked.index], picked["group_value"])
    found: dict[str, tuple[int, str]] = {}
    for value, count, location in zip(named, picked["count"], picked["location"]):
        found.setdefault(str(value), (int(count), str(location)))
    return found


def achieved(study: Study, aim: dict[str, Any]) -> tuple[dict[str, int], str]:
    """The split achieved per value, and where it comes from (the paper's statement or the participant table)."""
    values = [str(v) for v in aim["values"]]
    split = stated_split(study, aim["attribute"], values)
    if len(split) == len(values):
        return {v: split[v][0] for v in values}, "as the paper states it (" + \
            "; ".join(dict.fromkeys(loc for _, loc in split.values())) + ")"
    column = study.participants.get(aim["attribute"], pd.Series(dtype=object))
    return {v: int((column == v).sum()) for v in values}, "from the participant table"


def check_aims(study: Study) -> pd.DataFrame:
    """Each recorded sampling aim against the split achieved."""
    rows = []
    for aim in read_conduct(study)["sampling_aims"]:
        split, source = achieved(study, aim)
        shown = ", ".join(f"{n} {v}" for v, n in split.items())
        met = max(split.values()) - min(split.values()) <= 1 if split else True
        kind, severity = ("sampling aim met", "info") if met else ("sampling aim not met", "medium")
        verdict = "which meets it" if met else "which does not: the paper does not say the aim was missed"
        rows.append(finding(study.id, CHECK, kind, severity, aim["location"],
                            f"{aim['id']}: the sampling aimed at equal numbers of "
                            f"{' and '.join(map(str, aim['values']))} ({aim['attribute']}); the split achieved is "
                            f"{shown}, {source}, {verdict}",
                            aim["id"], claim=str(aim["text"])))
    return as_findings(rows)


register_check(Check(CHECK, check_aims, "the sampling aim the Methods state against the split printed",
                     needs=(CONDUCT_FILE,), why="no conduct.yml: no sampling aim recorded", order=40))
