"""Sample arithmetic: every count the paper states recomputed, breakdowns that do not add up, bands.

Stated counts (reported_counts.csv) against the participant table, breakdowns against the totals
they break down, the same count stated differently in two places, and banded attributes whose
bands are inverted, overlap or share a boundary.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence

import pandas as pd

from ....model.schema import PARTICIPANT_ATTRIBUTES
from ....model.study import Study
from ...stated_counts import check_arithmetic, check_reported_counts, common_location, read_reported_counts
from ..findings import as_findings, finding
from ..registry import Check, register_check

CHECK = "sample"
BAND = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")
OPEN_BAND = re.compile(r"(<=|≤|>=|≥|<|>)\s*(\d+)|(\d+)\s*\+")


def check_sample(study: Study) -> pd.DataFrame:
    """Stated counts against the data, breakdowns against totals, repeated counts, and bands."""
    rows = count_findings(study) + arithmetic_findings(study) + conflicting_counts(study) + band_findings(study)
    return as_findings(rows)


def count_findings(study: Study) -> list[dict[str, str]]:
    """Stated counts that differ from the participant table, or that it cannot recompute."""
    rows = []
    for check in check_reported_counts(study).to_dict("records"):
        if check["status"] == "DIFFERS":
            rows.append(finding(study.id, CHECK, "count differs from the data", "high", check["location"],
                                f"'{check['statement']}' is stated as {check['stated']}; the participant table "
                                f"gives {check['from data']}", check["statement"]))
        elif check["status"].startswith("not recomputable"):
            rows.append(finding(study.id, CHECK, "count not recomputable", "info", check["location"],
                                f"'{check['statement']}' ({check['stated']}): the participant table does not "
                                "record the attribute for every participant concerned", check["statement"]))
    return rows


def arithmetic_findings(study: Study) -> list[dict[str, str]]:
    """Breakdowns the paper states whose parts do not add up to the n it states."""
    rows = []
    for sums in check_arithmetic(study).to_dict("records"):
        if sums["status"] != "adds up":
            rows.append(finding(study.id, CHECK, "breakdown does not add up", "high",
                                f"{sums['breakdown stated at']}; {sums['stated n at']}",
                                f"{sums['attribute']} figures for {sums['group']} add up to {sums['sum of parts']}, "
                                f"but the paper states n = {sums['stated n']}",
                                f"{sums['group']} by {sums['attribute']}"))
    return rows


def conflicting_counts(study: Study) -> list[dict[str, str]]:
    """The same count stated with different values in two places (text against a table)."""
    stated = read_reported_counts(study)
    keys = ["group_field", "group_value", "attribute", "attribute_value"]
    rows = []
    for _, group in stated.groupby(keys, dropna=False, sort=False):
        if group["count"].nunique() > 1:
            values = "; ".join(f"{c} at {loc}" for c, loc in zip(group["count"], group["location"]))
            rows.append(finding(study.id, CHECK, "stated counts disagree", "high",
                                "; ".join(dict.fromkeys(group["location"])),
                                f"the same count is stated differently: {values}",
                                "; ".join(dict.fromkeys(group["statement"]))))
    return rows


def parse_band(text: str) -> tuple[float, float] | None:
    """A printed band as an inclusive whole-number range: '5-10' -> (5, 10), '<5' -> (-inf, 4)."""
    text = str(text).strip()
    closed = BAND.fullmatch(text)
    if closed:
        return float(closed.group(1)), float(closed.group(2))
    open_ = OPEN_BAND.fullmatch(text)
    if not open_:
        return None
    if open_.group(3):
        return float(open_.group(3)), math.inf
    sign, n = open_.group(1), float(open_.group(2))
    return {"<": (-math.inf, n - 1), "<=": (-math.inf, n), "≤": (-math.inf, n),
            ">": (n + 1, math.inf), ">=": (n, math.inf), "≥": (n, math.inf)}[sign]


def band_problems(values: Sequence[str]) -> list[tuple[str, str, list[str], str]]:
    """(kind, severity, bands, reason) for inverted, duplicated, overlapping or touching bands."""
    ranges = {v: parse_band(v) for v in values}
    problems = [("inverted band", "medium", [v], f"'{v}' runs from {r[0]:g} down to {r[1]:g}")
                for v, r in ranges.items() if r and r[0] > r[1]]
    sound = {v: r for v, r in ranges.items() if r and r[0] <= r[1]}
    for (a, ra), (b, rb) in itertools.combinations(sound.items(), 2):
        low, high = max(ra[0], rb[0]), min(ra[1], rb[1])
        if ra == rb:
            problems.append(("band printed two ways", "low", [a, b], f"'{a}' and '{b}' are the same range"))
        elif low < high:
            problems.append(("overlapping bands", "medium", [a, b], f"'{a}' and '{b}' overlap ({low:g} to {high:g})"))
        elif low == high:
            problems.append(("bands share a boundary", "low", [a, b], f"'{a}' and '{b}' both include {low:g}"))
    return problems


def banded_columns(study: Study) -> list[str]:
    """Columns study.yml declares banded, plus attributes whose every value reads as a band."""
    declared = list((study.meta.get("bands") or {}).keys())
    found = [c for c in PARTICIPANT_ATTRIBUTES if c not in declared and all_bands(study.participants[c])]
    return [c for c in [*declared, *found] if c in study.participants.columns]


def all_bands(column: pd.Series) -> bool:
    """Whether every value of a column reads as a band (and at least one is a closed range)."""
    values = column.dropna().astype(str).unique()
    return len(values) >= 2 and all(parse_band(v) for v in values) and any(BAND.fullmatch(v.strip()) for v in values)


def band_findings(study: Study) -> list[dict[str, str]]:
    """Findings for the bands printed in each banded column; touching bands summed per column."""
    rows = []
    people = study.participants
    for column in banded_columns(study):
        values = sorted(dict.fromkeys(people[column].dropna().astype(str)),
                        key=lambda v: parse_band(v) or (math.inf, math.inf))
        problems = band_problems(values)
        touching = [p for p in problems if p[0] == "bands share a boundary"]
        for kind, severity, bands, reason in [p for p in problems if p not in touching]:
            rows.append(band_finding(study, column, kind, severity, bands, reason))
        if touching:
            bands = list(dict.fromkeys(b for p in touching for b in p[2]))
            reason = "; ".join(p[3] for p in touching)
            rows.append(band_finding(study, column, "bands share a boundary", "low", bands, reason))
    return rows


def band_finding(study: Study, column: str, kind: str, severity: str, bands: list[str], reason: str) -> dict[str, str]:
    """A band finding located where the bands are printed, naming the participants holding them."""
    people = study.participants[study.participants[column].astype(str).isin(bands)]
    sources = people["source"].dropna()
    location = common_location(sources) if len(sources) else "the participant table"
    holders = "; ".join(f"{b}: {', '.join(people.loc[people[column].astype(str) == b, 'participant_id'])}"
                        for b in bands)
    return finding(study.id, CHECK, kind, severity, location, f"{column}: {reason}", holders)


register_check(Check(CHECK, check_sample, "stated counts recomputed, breakdowns added up, bands read",
                     needs=("reported_counts.csv",), partial="bands only",
                     why="no reported_counts.csv: the study states no sample counts to recompute", order=20))
