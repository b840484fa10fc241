"""Reused quotes: the same or nearly the same quote printed more than once, within a paper or across papers.

Each pair is listed with both attributions; one quote under two participants is the serious case,
and across papers, one speaker of one paper quoted under two speakers of the other. A pair resting
on an attribution our copy damaged (transcription.csv) is info, never charged to the authors.
"""
from __future__ import annotations

import itertools
from collections.abc import Sequence

import pandas as pd

from ....model.study import Study
from ..findings import as_findings, finding
from ..pairs import describe_overlap, pair_evidence, pair_quotes, quotes_for_reuse, reused_pairs
from ..quotes import id_form
from ..readings import DAMAGED, damage_to, ledger
from ..registry import Check, register_check

CHECK = "reuse"


def same_speaker(pair: pd.Series, table_ids: set[str]) -> tuple[str, str, str]:
    """(kind, severity, reading) for two attributions of one quote within a paper."""
    a, b = pair["participant_id_a"], pair["participant_id_b"]
    if pd.isna(a) or pd.isna(b):
        return "same quote, one attribution unreadable", "medium", "one attribution cannot be read, so the " \
                                                                     "quote may or may not be the same person's"
    if a == b:
        return "quote printed twice", "low", "both under the same participant"
    groups_differ = not (pd.isna(pair["tier_a"]) or pd.isna(pair["tier_b"])) and pair["tier_a"] != pair["tier_b"]
    comparable = id_form(a) == id_form(b) or (a in table_ids and b in table_ids)
    if groups_differ or comparable:
        return "one quote, two participants", "high", f"attributed to two different participants ({a}, {b})"
    return "one quote, two ID forms", "medium", f"IDs of two forms ({a}, {b}): one person if the paper's " \
                                                "anonymisation allows it, which then links the two IDs"


def check_reuse(study: Study) -> pd.DataFrame:
    """Quotes printed more than once within a paper, each pair with both attributions."""
    pairs = reused_pairs(quotes_for_reuse(study))
    table_ids, book = set(study.participants["participant_id"].dropna()), ledger(study)
    rows = []
    for _, pair in pairs.iterrows():
        kind, severity, reading = same_speaker(pair, table_ids)
        damage = damage_to(book, "attribution_raw", f"{pair['segment_ids_a']}; {pair['segment_ids_b']}")
        if damage and severity != "low":
            kind, severity = DAMAGED, "info"
            reading = f"read as printed, {reading}; but {'; '.join(d.describe() for d in damage)}"
        rows.append(finding(study.id, CHECK, kind, severity, f"{pair['location_a']} | {pair['location_b']}",
                            f"{pair['relation']} ({describe_overlap(pair)}): {reading}", pair_evidence(pair),
                            quotes=pair_quotes(pair)))
    return as_findings(rows)


def check_reuse_across(studies: Sequence[Study]) -> pd.DataFrame:
    """Quotes printed in two papers, with both attributions; one speaker linked to two is high."""
    rows = []
    for a, b in itertools.combinations(studies, 2):
        pairs = reused_pairs(quotes_for_reuse(a), quotes_for_reuse(b))
        label = f"{a.id} + {b.id}"
        for _, pair in pairs.iterrows():
            rows.append(finding(label, CHECK, "quote reused across papers", "low",
                                f"{a.id}: {pair['location_a']} | {b.id}: {pair['location_b']}",
                                f"{pair['relation']} ({describe_overlap(pair)}), coded {pair['code_ids_a']} in "
                                f"{a.id} and {pair['code_ids_b']} in {b.id}",
                                pair_evidence(pair), quotes=pair_quotes(pair, studies=True)))
        rows += crossed_speakers(label, pairs, a.id, b.id)
    return as_findings(rows)


def crossed_speakers(label: str, pairs: pd.DataFrame, id_a: str, id_b: str) -> list[dict[str, str]]:
    """A speaker of one paper whose quotes appear under two different speakers in the other."""
    if pairs.empty:
        return []
    rows = []
    for mine, theirs, here, there in (("a", "b", id_a, id_b), ("b", "a", id_b, id_a)):
        for speaker, group in pairs.groupby(f"speaker_{mine}", sort=False):
            others = list(dict.fromkeys(group[f"speaker_{theirs}"]))
            if len(others) > 1:
                locations = dict.fromkeys([*(f"{here}: {x}" for x in group[f"location_{mine}"]),
                                           *(f"{there}: {x}" for x in group[f"location_{theirs}"])])
                rows.append(finding(label, CHECK, "one speaker, two attributions across papers", "high",
                                    " | ".join(locations),
                                    f"{speaker} in {here} is quoted in {there} under {len(others)} different "
                                    f"participants ({', '.join(others)}): the same words cannot be both people's",
                                    " / ".join(pair_evidence(p) for _, p in group.iterrows()),
                                    quotes="\n".join(dict.fromkeys(line for _, p in group.iterrows()
                                                                    for line in pair_quotes(p, True).split("\n")))))
    return rows


register_check(Check(CHECK, check_reuse, "quotes printed more than once in the paper, with both attributions",
                     order=60))
register_check(Check("reuse across papers", check_reuse_across, "quotes printed in two papers, and one speaker "
                     "quoted under two IDs", across=True, order=61))
