"""Attributions: every printed ID read against the study's ID scheme (study.yml `attribution_pattern`).

Missing, malformed, ambiguous (names a group, not a person), impossible (the right form, but a
group or participant the sample does not have) and misprinted-but-readable attributions, each with
its quote and location. Two readings come first, as data: an attribution our copy of the paper
damaged (transcription.csv) is reported at info level, never charged to the authors; a phrase the
authors put in quote marks and use in their own voice (labels.csv) is a label, not a quote without
an attribution.
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from ....model.safe_regex import compile_user_regex
from ....model.study import Study
from ..findings import as_findings, finding, location_in_paper, quote_excerpt
from ..quotes import id_form, id_skeleton, map_distinct, printed_id, printed_quotes
from ..readings import DAMAGED, damage_to, labels, ledger
from ..registry import Check, register_check

CHECK = "attributions"


def classify_attribution(raw: object, participant: object, status: object, group_known: bool,
                         pattern: Any, known: set[str], forms: set[str],
                         skeletons: set[str]) -> tuple[str, str, str] | None:
    """(kind, severity, reason) for one printed attribution, or None when it is sound.

    known: the participant table's IDs; forms: their general forms; skeletons: the skeletons of
    every well-formed ID in the study. A well-formed ID of a form the table uses but absent from
    it, or a malformed one with a known skeleton (G4P1, G1P15), names someone the sample lacks.
    """
    if pd.isna(raw) or not str(raw).strip():
        return "missing attribution", "medium", "printed without an attribution"
    candidate = str(participant) if not pd.isna(participant) else printed_id(raw)
    if isinstance(pattern, str):  # a pattern as declared in study.yml, compiled for RE2
        pattern = compile_user_regex(pattern, "study.yml", "attribution_pattern") if pattern else None
    well_formed = bool(pattern and pattern.fullmatch(candidate)) or (not pattern and candidate in known)
    if well_formed:
        if candidate not in known and id_form(candidate) in forms:
            return "impossible attribution", "high", f"no participant {candidate} in the sample's table"
        if str(status) == "malformed":
            return "misprinted attribution", "low", f"misprinted, read as {candidate} (reading certain)"
        return None
    if id_skeleton(candidate) in skeletons:
        return "impossible attribution", "high", f"{candidate} has the scheme's form but names a group or " \
                                                 "participant the sample does not have"
    if group_known:
        return "ambiguous attribution", "medium", "names a group but no participant; any member could be the speaker"
    return "malformed attribution", "medium", "does not follow the ID scheme; neither participant nor group can be read"


def check_attributions(study: Study) -> pd.DataFrame:
    """Every printed attribution that is missing, malformed, ambiguous, impossible or misprinted."""
    declared = study.meta.get("attribution_pattern")
    # study.yml is user input: RE2 runs it in linear time (no catastrophic backtracking)
    pattern = compile_user_regex(declared, "study.yml", "attribution_pattern") if declared else None
    quotes = printed_quotes(study)
    known = set(study.participants["participant_id"].dropna())
    forms = {id_form(p) for p in known}
    printed = map_distinct(quotes["attribution_raw"], printed_id, printed_id(None))
    candidates = quotes["participant_id"].astype(object).fillna(printed)
    valid = {c for c in candidates.unique() if pattern and pattern.fullmatch(c)}
    skeletons = {id_skeleton(p) for p in known | valid}
    results = classify_distinct(quotes, pattern, known, forms, skeletons)
    flagged = [number for number, result in enumerate(results) if result]
    own_labels, book = (labels(study), ledger(study)) if flagged else (None, {})
    rows = [attribution_row(study, quote, *results[number], own_labels, book)
            for number, quote in zip(flagged, quotes.iloc[flagged].itertuples(index=False))]
    rows += unlinkable_ids(study, quotes, pattern, known, forms)
    if not pattern:
        rows.append(finding(study.id, CHECK, "no ID scheme", "low", "the study description (study.yml)",
                            "study.yml declares no attribution_pattern, so IDs were checked against the "
                            "participant table only"))
    return as_findings(rows)


def attribution_row(study: Study, quote: Any, kind: str, severity: str, reason: str,
                    own_labels: pd.DataFrame | None, book: dict) -> dict[str, str]:
    """One attribution finding, read first against the ledger of damage and the authors' labels."""
    printed = "—" if pd.isna(quote.attribution_raw) else f"({quote.attribution_raw})"
    damage = damage_to(book, "attribution_raw", quote.segment_ids)
    if damage:
        return finding(study.id, CHECK, DAMAGED, "info", quote.location,
                       f"{printed}: read as printed this is a '{kind}', but "
                       f"{'; '.join(d.describe() for d in damage)}; quote {quote_excerpt(quote.text)}",
                       quote.segment_ids)
    label = label_of(own_labels, quote.segment_ids) if kind == "missing attribution" else None
    if label is not None:
        return finding(study.id, CHECK, "authors' label, not a quote", "info", quote.location,
                       f"{quote_excerpt(quote.text)} is printed in quote marks without an ID, but the authors use "
                       f"it in their own voice ({location_in_paper(label['own_voice_location'])[0]}: "
                       f"'{label['own_voice_text']}'): "
                       f"{label['reason']}", quote.segment_ids)
    return finding(study.id, CHECK, kind, severity, quote.location,
                   f"{printed}: {reason}; quote {quote_excerpt(quote.text)}", quote.segment_ids)


def label_of(own_labels: pd.DataFrame | None, segment_ids: str) -> pd.Series | None:
    """The label reading recorded for a quote's segments, if any."""
    if own_labels is None:
        return None
    for item in str(segment_ids).split(";"):
        if item.strip() in own_labels.index:
            return own_labels.loc[item.strip()]
    return None


def classify_distinct(quotes: pd.DataFrame, pattern: Any, known: set[str], forms: set[str],
                      skeletons: set[str]) -> list[tuple[str, str, str] | None]:
    """classify_attribution for every quote, run once per distinct (attribution, participant,
    status, group known) combination."""
    facts = pd.DataFrame({"raw": quotes["attribution_raw"].astype(object),
                          "participant": quotes["participant_id"].astype(object),
                          "status": quotes["status"].astype(object),
                          "group_known": ~(quotes["tier"].isna() & quotes["site"].isna())})
    combination = facts.groupby(list(facts.columns), dropna=False, sort=False).ngroup().to_numpy()
    first = facts[~pd.Series(combination).duplicated().to_numpy()]
    verdicts = [classify_attribution(f.raw, f.participant, f.status, bool(f.group_known), pattern, known, forms,
                                     skeletons) for f in first.itertuples(index=False)]
    return [verdicts[c] for c in combination]


def unlinkable_ids(study: Study, quotes: pd.DataFrame, pattern: Any, known: set[str],
                   forms: set[str]) -> list[dict[str, str]]:
    """One info finding for well-formed IDs of a form the participant table does not use."""
    ids = quotes["participant_id"].dropna()
    other = ids[~ids.isin(known) & ~map_distinct(ids, id_form).isin(forms)]
    if not pattern or other.empty:
        return []
    examples = ", ".join(dict.fromkeys(other))
    return [finding(study.id, CHECK, "unlinkable IDs", "info", "; ".join(dict.fromkeys(
        quotes.loc[other.index, "location"].str.split(",").str[:2].str.join(","))),
        f"{len(other)} quotes carry well-formed IDs of a form the participant table does not use "
        f"({other.nunique()} distinct: {examples}); they name a group but no table row, so one person "
        "may appear under two IDs", "; ".join(quotes.loc[other.index, "segment_ids"]))]


register_check(Check(CHECK, check_attributions, "missing, malformed, ambiguous, impossible and misprinted IDs; "
                     "damage in our copy and the authors' labels read first", order=10))
