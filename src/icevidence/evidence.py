"""Evidence review: does each paper's coded evidence support what its text says?

The checks (STUDY_CHECKS, a registry: adding a check is one `register_check(Check(...))` line)
each return findings (one row per problem) with the columns of FINDING_COLUMNS, plus source,
claim and quotes (EXTRA_COLUMNS):

* attributions -- every printed attribution read against the study's ID scheme
  (study.yml ``attribution_pattern``): missing, malformed, ambiguous (names a group, not a
  person), impossible (the right form, but a group or participant the sample does not have)
  and misprinted-but-readable attributions, each with the quote and its location.
* sample -- every count the paper states recomputed from the participant table
  (reported.py), breakdowns that do not add up, the same count stated differently in two
  places, and banded attributes whose bands are inverted, overlap or share a boundary.
* claims -- every statement in claims.yml about who said what, with two verdicts named for
  what they test. *Topic*: does the named group have published quotes on the claim's codes,
  from enough distinct speakers for its quantifier (TOPIC_VERDICTS)? *Content*: do the quotes
  the paper offers for the sentence say what it says (claims.yml ``content``, judged by hand,
  CONTENT_VALUES)? Only both make a claim 'supported'. Also: one finding per 'only' claim that
  other claims contradict, and clashing quantifiers about one topic ('every' against 'the
  majority').
* reuse -- the same or nearly the same quote printed more than once, within a paper or
  across papers, with each attribution; one quote under two different participants is the
  serious case. Candidate pairs come from a shingle index (reuse_index), so the check is linear.
* coverage -- framework elements with no quote, quotes coded outside the framework, claims
  naming codes or quotes that do not exist.

A check needing a file the study lacks (an imported export has no claims.yml and no stated
counts) is skipped, or run in part, and `checks_run` says why.

The content verdict's scale: cited quotes that do not state the claim are *medium* -- the
reader cannot see the evidence for the sentence, but the quote does not show it false; *high*
only when the paper presents the quote as evidence for a factual claim that the quote
contradicts (claims.yml ``content_contradicts: true``; quotes from a group the claim excludes
are caught as high by the topic check). Cited quotes stating part of the claim, and claims
citing no quote whose published quotes on their codes state them in part or not at all, are
*low*.

Severity (SEVERITIES, most serious first) is defined once, here:

* high -- the published evidence contradicts the text or cannot be the speaker's: a claim
  the cited quotes do not support, an impossible attribution, one quote under two
  participants, a count that differs from the data or does not add up, two 'only'/'all'
  claims that cannot both hold.
* medium -- evidence that cannot be verified or is unreliable: malformed, ambiguous or
  missing attributions, inverted or overlapping bands, universal claims ('all', 'every',
  'unanimity') the published quotes cannot show, claims naming a group no published quote
  on their codes comes from, the same quote under two ID forms.
* low -- weaker limits: proportion claims ('many', 'most', 'majority') the quotes cannot
  show, claims about groups the participant table cannot identify, bands sharing a
  boundary or printed two ways, misprinted but readable attributions, quotes reused (with
  consistent attributions), framework elements with no quote.
* info -- recorded for completeness: supported claims, counts that cannot be recomputed,
  claims about the study rather than coded evidence, IDs that cannot be linked to a row.

Quantifiers are read as QUANTIFIERS states: the minimum number (or share) of speakers a
claim needs. Distinct speakers are counted as a lower bound (IDs of different forms, e.g.
G1P13 and G1PK, may be one person; unreadable IDs count for nobody) and an upper bound.
"""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import yaml
from rapidfuzz.distance import Indel, LCSseq

from . import config
from .codes import ancestors, codes_without_evidence, descendants_with_self
from .errors import ConfigError
from .matrix import as_study, group_of_segments, speaker_keys
from .reported import check_arithmetic, check_reported_counts, common_location, read_reported_counts
from .reuse_index import candidate_pairs_of_tokens, runs
from .safe_regex import compile_user_regex
from .schema import PARTICIPANT_ATTRIBUTES
from .study import Study

SEVERITIES = ["high", "medium", "low", "info"]
CHECKS = ["attributions", "sample", "claims", "reuse", "coverage", "disclosure"]
FINDING_COLUMNS = ["study", "check", "kind", "severity", "location", "detail", "evidence"]
# added after the stable seven: where the data row came from, and the claim and quotes in full
EXTRA_COLUMNS = ["source", "claim", "quotes"]
ALL_COLUMNS = [*FINDING_COLUMNS, *EXTRA_COLUMNS]

# topic: does the named group have published quotes on the claim's codes (and enough speakers)?
TOPIC_EVIDENCED = "topic evidenced"
NOT_SUPPORTED = "not supported by the cited evidence"
NOT_CHECKABLE = "not checkable from published evidence"
TOPIC_VERDICTS = [TOPIC_EVIDENCED, NOT_SUPPORTED, NOT_CHECKABLE]
# content: do the quotes say what the claim says? judged by hand per claim in claims.yml
STATES, PARTLY, DOES_NOT_STATE, NOT_APPLICABLE = "states", "partly", "does not state", "not applicable"
CONTENT_VALUES = [STATES, PARTLY, DOES_NOT_STATE, NOT_APPLICABLE]
# the overall verdict: 'supported' needs both the topic and the content evidenced
SUPPORTED = "supported"
PART_EVIDENCED = "partly evidenced"
CONTENT_NOT_EVIDENCED = "content not evidenced"
ABOUT_THE_STUDY = "about the study"
VERDICTS = [SUPPORTED, PART_EVIDENCED, CONTENT_NOT_EVIDENCED, NOT_SUPPORTED, NOT_CHECKABLE, TOPIC_EVIDENCED,
            ABOUT_THE_STUDY]
# quantifiers that name a share below everyone: against 'all' about one topic, they clash
SHARE_BELOW_ALL = {"majority", "most", "few"}

# quantifier -> (reading, number): 'count' needs that many distinct speakers, 'share' that
# fraction of the population, 'majority' more than half, 'all' every member, 'none' nobody.
QUANTIFIERS: dict[str, tuple[str, float]] = {
    "one": ("count", 1), "some": ("count", 1), "few": ("count", 1), "only": ("count", 1),
    "several": ("count", 2), "many": ("share", 1 / 3), "majority": ("majority", 0),
    "most": ("majority", 0), "all": ("all", 0), "every": ("all", 0), "unanimity": ("all", 0),
    "none": ("none", 0),
}
UNIVERSAL = {"all", "every", "unanimity"}
CLAIM_FIELDS = ["id", "location", "text", "codes", "quantifier", "groups", "quotes", "content", "content_reason",
                "note"]
CLAIM_COLUMNS = ["id", "location", "text", "quantifier", "groups", "codes", "quotes", "topic", "topic_reason",
                 "content", "content_reason", "verdict", "severity", "reason"]
CLAIMS_FILE = "claims.yml"
PERSON_WORDS = re.compile(
    r"\b(all|every)\s+(of\s+(the|our)\s+)?(\w+\s+)?(interviewees?|respondents?|participants?|staff|people)\b"
    r"|\bevery(one|body)\b", re.IGNORECASE)
GROUP_COLUMNS = ["tier", *PARTICIPANT_ATTRIBUTES, "site"]

# reuse: word runs of at least MIN_RUN count as shared; a pair is reused evidence when the shared
# runs cover COVER of the shorter quote (and at least MIN_SHARED words), when the shorter quote is
# a verbatim excerpt of the longer of at least MIN_EXCERPT words, or when one run is a sentence.
MIN_RUN, MIN_SHARED, COVER, MIN_EXCERPT, SENTENCE, SAME_QUOTE = 4, 8, 0.6, 5, 12, 0.9


# --- findings -------------------------------------------------------------------------------

def finding(study: str, check: str, kind: str, severity: str, location: str, detail: str,
            evidence: str = "", claim: str = "", quotes: str = "") -> dict[str, str]:
    """One finding as a row, so every check reports in the same shape.

    location is given as the data records it; the row carries it in the paper's own terms
    (section, paragraph, table and row) and the data's reference to the source file apart.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}; use one of {SEVERITIES}")
    where, source = location_in_paper(location)
    return {"study": study, "check": check, "kind": kind, "severity": severity, "location": where,
            "detail": detail, "evidence": evidence, "source": source, "claim": claim, "quotes": quotes}


SEED_TAG = re.compile(r"\bseed\s+(\d{3})\s*,?\s*")


def location_in_paper(location: object) -> tuple[str, str]:
    """(where in the paper, in its own terms; the seed files the data cite) for a recorded location.

    'seed 003, Findings: Vision and leadership, para 7' -> ('Findings: Vision and leadership,
    paragraph 7', 'seed 003'). Locations naming data files are kept as they are.
    """
    text = "" if location is None or (isinstance(location, float) and math.isnan(location)) else str(location)
    seeds = list(dict.fromkeys(SEED_TAG.findall(text)))
    where = SEED_TAG.sub("", text)
    where = re.sub(r"\bpara (\d+)", r"paragraph \1", where)
    return where.strip(" ,;|"), "; ".join(f"seed {s}" for s in seeds)


def as_findings(rows: Iterable[dict[str, str]]) -> pd.DataFrame:
    """Rows as a findings table, most serious first, severity an ordered category."""
    table = pd.DataFrame(list(rows), columns=ALL_COLUMNS).fillna({c: "" for c in EXTRA_COLUMNS})
    table["severity"] = pd.Categorical(table["severity"], categories=SEVERITIES, ordered=True)
    table["check"] = pd.Categorical(table["check"], categories=CHECKS, ordered=True)
    return sort_findings(table)


def sort_findings(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings grouped by study, most serious first, then by check, kind and location."""
    order = findings.sort_values(["study", "severity", "check", "kind", "location"], kind="stable")
    return order.reset_index(drop=True)


def most_serious_first(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings of every study together, most serious first (severity, then check, kind, study)."""
    order = findings.sort_values(["severity", "check", "kind", "study", "location"], kind="stable")
    return order.reset_index(drop=True)


def quote_excerpt(text: object, width: int | None = None) -> str:
    """A quote in quote marks, whitespace joined; cut at a word boundary only when width is given."""
    text = "" if pd.isna(text) else " ".join(str(text).split())
    if width is None or len(text) <= width:
        return f"'{text}'"
    cut = text[:width].rsplit(" ", 1)[0] if " " in text[:width] else text[:width]
    return f"'{cut.rstrip()}…'"


# --- attributions ---------------------------------------------------------------------------

def id_form(identifier: str) -> str:
    """The general form of an ID (digits 9, capitals A, small letters a): G1P13 -> A9A9."""
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"[0-9]+", "9", identifier)))


def id_skeleton(identifier: str) -> str:
    """An ID with its numbers generalised and its letters kept: G1P13 -> G9P9, G1PL -> G9PL."""
    return re.sub(r"[0-9]+", "9", identifier)


def printed_id(raw: object) -> str:
    """The printed attribution without brackets and spaces, as an ID would be written."""
    return re.sub(r"[()\s]", "", "" if pd.isna(raw) else str(raw))


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


def printed_quotes(study: Study) -> pd.DataFrame:
    """One row per printed quote (a quote coded with several codes is one quote), in paper order."""
    segments = study.segments
    keys = segments.groupby(["text", "location", "attribution_raw"], dropna=False, sort=False).ngroup().to_numpy()
    first = ~pd.Series(keys).duplicated().to_numpy()
    quotes = segments.loc[first, ["text", "location", "attribution_raw", "segment_id", "participant_id",
                                  "attribution_status", "tier", "site"]].reset_index(drop=True)
    quotes["speaker"] = speaker_keys(segments).to_numpy()[first]
    quotes = quotes.rename(columns={"segment_id": "first", "attribution_status": "status"})
    quotes.insert(3, "segment_ids", joined_by_group(keys, segments["segment_id"]))
    quotes.insert(5, "code_ids", joined_by_group(keys, segments["code_id"]))
    return quotes[["text", "location", "attribution_raw", "segment_ids", "first", "participant_id", "code_ids",
                   "status", "tier", "site", "speaker"]]


def joined_by_group(keys: Any, values: pd.Series) -> list[str]:
    """The values of each group joined by '; ', groups numbered 0.. in order of first appearance."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    text = values.astype(str).to_numpy(dtype=object)[order].tolist()
    starts, lengths = runs(keys[order])
    if len(starts) == len(text):  # one value per group, the common case
        return text
    return ["; ".join(text[start:start + length]) for start, length in zip(starts.tolist(), lengths.tolist())]


def map_distinct(values: pd.Series, function: Callable[[Any], Any], missing: Any = None) -> pd.Series:
    """function applied to each distinct value once (missing values give missing): a 1M-quote study
    repeats a few thousand attributions."""
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=True)
    mapped = np.asarray([function(v) for v in distinct] + [missing], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def check_attributions(study: Study | str) -> pd.DataFrame:
    """Every printed attribution that is missing, malformed, ambiguous, impossible or misprinted."""
    study = as_study(study)
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
    rows = []
    flagged = [number for number, result in enumerate(results) if result]
    for number, quote in zip(flagged, quotes.iloc[flagged].itertuples(index=False)):
        kind, severity, reason = results[number]
        printed = "—" if pd.isna(quote.attribution_raw) else f"({quote.attribution_raw})"
        rows.append(finding(study.id, "attributions", kind, severity, quote.location,
                            f"{printed}: {reason}; quote {quote_excerpt(quote.text)}", quote.segment_ids))
    rows += unlinkable_ids(study, quotes, pattern, known, forms)
    if not pattern:
        rows.append(finding(study.id, "attributions", "no ID scheme", "low", f"data/raw/{study.id}/study.yml",
                            "study.yml declares no attribution_pattern, so IDs were checked against the "
                            "participant table only"))
    return as_findings(rows)


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
    return [finding(study.id, "attributions", "unlinkable IDs", "info", "; ".join(dict.fromkeys(
        quotes.loc[other.index, "location"].str.split(",").str[:2].str.join(","))),
        f"{len(other)} quotes carry well-formed IDs of a form the participant table does not use "
        f"({other.nunique()} distinct: {examples}); they name a group but no table row, so one person "
        "may appear under two IDs", "; ".join(quotes.loc[other.index, "segment_ids"]))]


# --- sample arithmetic ----------------------------------------------------------------------

def check_sample(study: Study | str) -> pd.DataFrame:
    """Stated counts against the data, breakdowns against totals, repeated counts, and bands."""
    study = as_study(study)
    rows = count_findings(study) + arithmetic_findings(study) + conflicting_counts(study) + band_findings(study)
    return as_findings(rows)


def count_findings(study: Study) -> list[dict[str, str]]:
    """Stated counts that differ from the participant table, or that it cannot recompute."""
    rows = []
    for check in check_reported_counts(study).to_dict("records"):
        if check["status"] == "DIFFERS":
            rows.append(finding(study.id, "sample", "count differs from the data", "high", check["location"],
                                f"'{check['statement']}' is stated as {check['stated']}; the participant table "
                                f"gives {check['from data']}", check["statement"]))
        elif check["status"].startswith("not recomputable"):
            rows.append(finding(study.id, "sample", "count not recomputable", "info", check["location"],
                                f"'{check['statement']}' ({check['stated']}): the participant table does not "
                                "record the attribute for every participant concerned", check["statement"]))
    return rows


def arithmetic_findings(study: Study) -> list[dict[str, str]]:
    """Breakdowns the paper states whose parts do not add up to the n it states."""
    rows = []
    for sums in check_arithmetic(study).to_dict("records"):
        if sums["status"] != "adds up":
            rows.append(finding(study.id, "sample", "breakdown does not add up", "high",
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
    for key, group in stated.groupby(keys, dropna=False, sort=False):
        if group["count"].nunique() > 1:
            values = "; ".join(f"{c} at {loc}" for c, loc in zip(group["count"], group["location"]))
            rows.append(finding(study.id, "sample", "stated counts disagree", "high",
                                "; ".join(dict.fromkeys(group["location"])),
                                f"the same count is stated differently: {values}",
                                "; ".join(dict.fromkeys(group["statement"]))))
    return rows


BAND = re.compile(r"(\d+)\s*[-–—]\s*(\d+)")
OPEN_BAND = re.compile(r"(<=|≤|>=|≥|<|>)\s*(\d+)|(\d+)\s*\+")


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
            problems.append(("overlapping bands", "medium", [a, b], f"'{a}' and '{b}' overlap ({_span(low, high)})"))
        elif low == high:
            problems.append(("bands share a boundary", "low", [a, b], f"'{a}' and '{b}' both include {low:g}"))
    return problems


def _span(low: float, high: float) -> str:
    return f"{low:g} to {high:g}"


def banded_columns(study: Study) -> list[str]:
    """Columns study.yml declares banded, plus attributes whose every value reads as a band."""
    declared = list((study.meta.get("bands") or {}).keys())
    found = [c for c in PARTICIPANT_ATTRIBUTES if c not in declared and _all_bands(study.participants[c])]
    return [c for c in [*declared, *found] if c in study.participants.columns]


def _all_bands(column: pd.Series) -> bool:
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
    location = common_location(sources) if len(sources) else f"data/raw/{study.id}/participants.csv"
    holders = "; ".join(f"{b}: {', '.join(people.loc[people[column].astype(str) == b, 'participant_id'])}"
                        for b in bands)
    return finding(study.id, "sample", kind, severity, location, f"{column}: {reason}", holders)


# --- quantified claims ----------------------------------------------------------------------

def read_claims(study: Study) -> list[dict[str, Any]]:
    """The study's claims.yml as a list of records (empty when the study has none), validated."""
    path = (study.folder or config.study_dir(study.id)) / CLAIMS_FILE
    if not path.is_file():
        return []
    try:
        claims = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML ({exc})", remedy="fix the YAML syntax.") from exc
    validate_claims(claims, str(path))
    return claims


def validate_claims(claims: object, file: str) -> None:
    """Raise one ConfigError naming every claim with a missing field or an unknown quantifier."""
    if not isinstance(claims, list):
        raise ConfigError(file, "", "is not a list of claims", remedy="write one '- id: ...' record per claim.")
    problems = []
    for i, claim in enumerate(claims, start=1):
        name = claim.get("id", f"#{i}") if isinstance(claim, dict) else f"#{i}"
        missing = [f for f in CLAIM_FIELDS if not isinstance(claim, dict) or f not in claim]
        if missing:
            problems.append(f"claim {name} lacks {', '.join(missing)}")
        elif claim["quantifier"] not in QUANTIFIERS:
            problems.append(f"claim {name} has quantifier {claim['quantifier']!r}")
        elif claim["content"] not in CONTENT_VALUES:
            problems.append(f"claim {name} has content {claim['content']!r}")
    if problems:
        raise ConfigError(file, "claims", "; ".join(problems),
                          remedy=f"give every claim the fields {CLAIM_FIELDS}, a quantifier from "
                                 f"{sorted(QUANTIFIERS)} and a content judgement from {CONTENT_VALUES}.")


def resolve_group(study: Study, name: str) -> tuple[str, str] | None:
    """The participant column and value a named group means ('micro' -> tier, 'area 1' -> area 1)."""
    wanted = str(name).strip().casefold()
    for column in GROUP_COLUMNS:
        if column not in study.participants.columns:
            continue
        for value in study.participants[column].dropna().astype(str).unique():
            if wanted in (value.casefold(), f"{column} {value}".casefold()):
                return column, value
    return None


def named_values(groups: list[tuple[str, str]]) -> dict[str, set[str]]:
    """The named groups as the values named in each participant column."""
    named: dict[str, set[str]] = {}
    for column, value in groups:
        named.setdefault(column, set()).add(value)
    return named


def inside(values: pd.DataFrame, groups: list[tuple[str, str]]) -> pd.Series:
    """True for rows in the named groups, False outside them, NA where nothing is known.

    Values named in one column are alternatives ('health care, social care'); columns combine
    ('operational' and 'health care' = operational health staff). A column a row has no value
    in (area for strategic leads) does not exclude it.
    """
    if not groups:
        return pd.Series(True, index=values.index, dtype="boolean")
    known_in = pd.Series(False, index=values.index)
    outside = pd.Series(False, index=values.index)
    for column, named in named_values(groups).items():
        value = values[column]
        outside |= value.notna() & ~value.isin(named)
        known_in |= value.notna() & value.isin(named)
    result = known_in.astype("boolean")
    return result.mask(outside, False).mask(~known_in & ~outside, pd.NA)


def members(study: Study, groups: list[tuple[str, str]]) -> pd.Series:
    """Which participants belong to the named groups (all of them when no group is named)."""
    columns = list(named_values(groups))
    values = study.participants[columns].astype("string") if columns else study.participants[[]]
    return inside(values, groups).fillna(False).astype(bool)


def segment_values(study: Study, groups: list[tuple[str, str]]) -> pd.DataFrame:
    """Each segment's speaker's value in every column the groups name (NA where unknown)."""
    values = pd.DataFrame(index=study.segments.index)
    for column in named_values(groups):
        found = group_of_segments(study, column)
        values[column] = found.where(found != "unknown").astype("string")
    return values


def covered(values: pd.DataFrame, index: pd.Index, groups: list[tuple[str, str]]) -> list[str]:
    """The named groups some of these segments (inside the claim's groups) come from."""
    part = values.loc[index]
    part = part[inside(part, groups).fillna(False).astype(bool)]
    return [f"{c} = {v}" for c, v in groups if (part[c] == v).any()]


def speaker_bounds(segments: pd.DataFrame, table_ids: set[str]) -> tuple[int, int]:
    """Fewest and most distinct people behind some quotes.

    Readable IDs of one form are distinct people; IDs of different forms (table numbers, text
    letters) may be the same person, so the lower bound is the largest count of any one form.
    Unreadable attributions count towards the upper bound only.
    """
    if segments.empty:
        return 0, 0
    readable = segments["participant_id"].dropna().unique()
    by_form: dict[str, set[str]] = {}
    for pid in readable:
        by_form.setdefault("table" if pid in table_ids else id_form(pid), set()).add(pid)
    lower = max((len(v) for v in by_form.values()), default=0)
    return lower, int(speaker_keys(segments).nunique())


def needed_speakers(quantifier: str, population: int) -> int:
    """How many distinct speakers a quantifier claims, of a population of that size."""
    reading, number = QUANTIFIERS[quantifier]
    if reading == "count":
        return int(number)
    if reading == "share":
        return max(2, math.ceil(number * population))
    if reading == "majority":
        return population // 2 + 1
    if reading == "all":
        return population
    return 0


def claim_scope(claim: dict[str, Any]) -> str:
    """'each person' when a universal claim is about every interviewee, else 'each group named'."""
    if claim["quantifier"] in {"every", "unanimity"} or not claim.get("groups"):
        return "each person"
    return "each person" if PERSON_WORDS.search(str(claim["text"])) else "each group named"


def code_relations(study: Study) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """Each code's descendants (itself included) and its chain of ancestors."""
    return descendants_with_self(study.codes), ancestors(study.codes)


def related_to(code: str, claim_codes: list[str], below: dict[str, set[str]], chains: dict[str, list[str]]) -> bool:
    """Whether a quote's code is one of the claim's codes, below one, or the section above one."""
    return any(code in below.get(c, {c}) or code in chains.get(c, []) for c in claim_codes)


def check_claim(study: Study, claim: dict[str, Any]) -> dict[str, Any]:
    """Both verdicts on one claim (topic, content) and the overall one, with its severity and reason."""
    topic = _check_topic(study, claim)
    overall = overall_verdict(topic, claim.get("content"), content_verdict(claim))
    return {"id": claim["id"], "location": claim["location"], "text": claim.get("text", ""),
            "quantifier": claim["quantifier"],
            "groups": ", ".join(map(str, claim.get("groups") or [])) or "(whole sample)",
            "codes": ", ".join(claim.get("codes") or []), "quotes": ", ".join(claim.get("quotes") or []),
            "topic": topic["verdict"], "topic_reason": topic["reason"], "content": claim.get("content", ""),
            "content_reason": claim.get("content_reason", ""), **overall}


def content_verdict(claim: dict[str, Any]) -> dict[str, str] | None:
    """The content judgement of claims.yml as (kind, severity, reason), None when it raises no finding.

    Cited quotes that do not state the claim: medium, or high when claims.yml marks the quote as
    contradicting a factual claim the paper offers it for (content_contradicts: true). Cited quotes
    stating part of it, and claims citing nothing whose published quotes state it only in part or
    not at all: low.
    """
    content, cited = claim.get("content"), bool(claim.get("quotes"))
    reason = str(claim.get("content_reason") or "")
    if content == DOES_NOT_STATE and cited:
        severity = "high" if claim.get("content_contradicts") else "medium"
        return {"kind": "cited quotes do not state the claim", "severity": severity, "reason": reason}
    if content == DOES_NOT_STATE:
        return {"kind": "no published quote states the claim", "severity": "low", "reason": reason}
    if content == PARTLY:
        kind = "cited quotes state part of the claim" if cited else "published quotes state part of the claim"
        return {"kind": kind, "severity": "low", "reason": reason}
    return None


def overall_verdict(topic: dict[str, str], content: str | None, problem: dict[str, str] | None) -> dict[str, str]:
    """'supported' only when the topic is evidenced and the quotes state the claim; else the worse of the two."""
    if topic["verdict"] == NOT_CHECKABLE and topic["severity"] == "info":
        return {"verdict": ABOUT_THE_STUDY, "severity": "info", "reason": topic["reason"]}
    candidates = [] if topic["verdict"] == TOPIC_EVIDENCED else [(topic["severity"], topic["verdict"], topic["reason"])]
    if problem:
        named = PART_EVIDENCED if content == PARTLY else CONTENT_NOT_EVIDENCED
        candidates.append((problem["severity"], named, problem["reason"]))
    if not candidates:
        verdict = SUPPORTED if content == STATES else TOPIC_EVIDENCED
        return {"verdict": verdict, "severity": "info", "reason": topic["reason"]}
    severity, verdict, reason = min(candidates, key=lambda c: SEVERITIES.index(c[0]))
    return {"verdict": verdict, "severity": severity, "reason": reason}


def _verdict(verdict: str, severity: str, reason: str) -> dict[str, str]:
    return {"verdict": verdict, "severity": severity, "reason": reason}


def _check_topic(study: Study, claim: dict[str, Any]) -> dict[str, str]:
    codes = [c for c in claim.get("codes") or [] if c in set(study.codes["code_id"])]
    if not codes:
        return _verdict(NOT_CHECKABLE, "info", "names no code of the framework: a statement about the study, "
                                                "not about coded evidence")
    names = [str(g) for g in claim.get("groups") or []]
    groups = [resolve_group(study, g) for g in names]
    unknown = [n for n, g in zip(names, groups) if g is None]
    if unknown:
        return _verdict(NOT_CHECKABLE, "low", f"the participant table cannot identify {', '.join(map(repr, unknown))}")
    return judge_claim(study, claim, codes, [g for g in groups if g])


def judge_claim(study: Study, claim: dict[str, Any], codes: list[str], groups: list[tuple[str, str]]) -> dict[str, str]:
    """Misattribution, then group coverage, then exclusivity, then the count of speakers."""
    segments = study.segments
    below, chains = code_relations(study)
    cited = segments[segments["segment_id"].isin(claim.get("quotes") or [])]
    if len(cited) and not cited["code_id"].map(lambda c: related_to(c, codes, below, chains)).any():
        return _verdict(NOT_SUPPORTED, "high", f"the cited quotes are coded to {', '.join(cited['code_id'].unique())}, "
                                               "none to the claim's codes")
    on_codes = segments[segments["code_id"].isin(set().union(*(below[c] for c in codes)))]
    evidence = pd.concat([on_codes, cited]).drop_duplicates("segment_id")
    values = segment_values(study, groups)
    misattributed = misattribution(claim, cited, values, groups)
    if misattributed:
        return _verdict(NOT_SUPPORTED, "high", misattributed)
    found = covered(values, evidence.index, groups)
    uncovered = [f"{c} = {v}" for c, v in groups if f"{c} = {v}" not in found]
    if uncovered:
        return _verdict(NOT_CHECKABLE, "medium", f"no published quote on these codes comes from {', '.join(uncovered)} "
                                                 f"({len(cited)} cited, {len(on_codes)} in the theme matrix)")
    breach = exclusive_breach(claim, evidence, values, groups)
    if breach:
        return _verdict(NOT_SUPPORTED, "high", breach)
    return count_verdict(study, claim, cited, evidence, values, groups)


def describe_groups(groups: list[tuple[str, str]]) -> str:
    """Named groups in words, e.g. 'tier = meso, tier = macro'; the whole sample when none."""
    return ", ".join(f"{c} = {v}" for c, v in groups) or "the whole sample"


def misattribution(claim: dict[str, Any], cited: pd.DataFrame, values: pd.DataFrame,
                   groups: list[tuple[str, str]]) -> str:
    """Why the cited quotes point away from the groups the claim names ('' when they do not).

    They do when some come from outside the groups and some named group has none of them;
    for an 'only' claim, any cited quote from outside the groups is enough.
    """
    if cited.empty or not groups:
        return ""
    outside = cited[inside(values.loc[cited.index], groups).eq(False).fillna(False).astype(bool)]
    found = covered(values, cited.index, groups)
    missing = [f"{c} = {v}" for c, v in groups if f"{c} = {v}" not in found]
    if outside.empty or (claim["quantifier"] != "only" and not missing):
        return ""
    who = ", ".join(f"{s} ({a})" for s, a in zip(outside["segment_id"], outside["attribution_raw"].fillna("—")))
    lack = f"; none of them from {', '.join(missing)}" if missing else ""
    return f"names {describe_groups(groups)}, but cites quotes from outside those groups: {who}{lack}"


def exclusive_breach(claim: dict[str, Any], evidence: pd.DataFrame, values: pd.DataFrame,
                     groups: list[tuple[str, str]]) -> str:
    """For 'only' and 'none' claims: published quotes on the codes that the claim rules out."""
    quantifier = claim["quantifier"]
    where = inside(values.loc[evidence.index], groups)
    if quantifier == "none":
        hits = evidence[where.fillna(False).astype(bool)]
        return f"says nobody did, but {len(hits)} published quotes on these codes exist" if len(hits) else ""
    if quantifier != "only" or not groups:
        return ""
    outside = evidence[where.eq(False).fillna(False).astype(bool)]
    if outside.empty:
        return ""
    part = values.loc[outside.index]
    others = sorted({f"{c} = {v}" for c in part.columns for v in part[c].dropna() if (c, v) not in set(groups)})
    return f"says only {describe_groups(groups)}, but the theme matrix has quotes on these codes from " \
           f"{', '.join(others)} ({', '.join(outside['segment_id'])})"


def count_verdict(study: Study, claim: dict[str, Any], cited: pd.DataFrame, evidence: pd.DataFrame,
                  values: pd.DataFrame, groups: list[tuple[str, str]]) -> dict[str, str]:
    """Supported when the cited quotes, or failing them the matrix, show enough distinct speakers."""
    quantifier = claim["quantifier"]
    if quantifier == "none":
        return _verdict(TOPIC_EVIDENCED, "info", "no published quote on these codes comes from the groups named")
    scope = claim_scope(claim) if quantifier in UNIVERSAL else "each person"
    if scope == "each group named":
        return _verdict(TOPIC_EVIDENCED, "info", f"every group named ({len(groups)}) has published quotes on these codes")
    table_ids = set(study.participants["participant_id"].dropna())
    population = int(members(study, groups).sum())
    need = needed_speakers(quantifier, population)
    cited_low, _ = speaker_bounds(within(cited, values, groups), table_ids)
    low, high = speaker_bounds(within(evidence, values, groups), table_ids)
    who = f"{quantifier!r} of {population} ({describe_groups(groups)})"
    if cited_low >= need:
        return _verdict(TOPIC_EVIDENCED, "info", f"{who} needs {need} speaker(s); the cited quotes show {cited_low}")
    if low >= need:
        return _verdict(TOPIC_EVIDENCED, "info", f"{who} needs {need} speaker(s); the cited quotes show {cited_low}, "
                                           f"the theme matrix at least {low} on these codes")
    severity = "medium" if quantifier in UNIVERSAL else "low"
    span = f"{low}" if low == high else f"{low} to {high}"
    return _verdict(NOT_CHECKABLE, severity, f"{who} needs {need} speakers; the cited quotes show {cited_low}, "
                                              f"and the paper quotes {span} distinct speakers on these codes in all")


def within(segments: pd.DataFrame, values: pd.DataFrame, groups: list[tuple[str, str]]) -> pd.DataFrame:
    """The segments whose speakers are known to be in the named groups."""
    return segments[inside(values.loc[segments.index], groups).fillna(False).astype(bool)]


def check_claims(study: Study | str, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One row per claim with its verdict (VERDICTS), severity and reason; claims.yml by default."""
    study = as_study(study)
    claims = read_claims(study) if claims is None else claims
    table = pd.DataFrame([check_claim(study, c) for c in claims], columns=CLAIM_COLUMNS)
    table["severity"] = pd.Categorical(table["severity"], categories=SEVERITIES, ordered=True)
    return table


KIND_OF_TOPIC = {NOT_SUPPORTED: "unsupported claim", NOT_CHECKABLE: "uncheckable claim"}


def claim_findings(study: Study | str, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """Per claim: its topic finding, its content finding, or one info row when it is supported.

    Plus contradictions between claims, clashing quantifiers and broken references.
    """
    study = as_study(study)
    claims = read_claims(study) if claims is None else claims
    by_id = {c["id"]: c for c in claims}
    quotes = printed_quotes(study)
    rows = []
    for r in check_claims(study, claims).itertuples(index=False):
        rows += claim_rows(study, r, by_id[r.id], quotes)
    return as_findings(rows + contradictory_claims(study, claims) + clashing_quantifiers(study, claims)
                       + broken_references(study, claims))


def claim_rows(study: Study, checked: Any, claim: dict[str, Any], quotes: pd.DataFrame) -> list[dict[str, str]]:
    """The findings on one checked claim: topic and content apart, or 'supported' (info)."""
    evidence = "; ".join(filter(None, [checked.id, checked.quotes]))
    text, cited = str(claim.get("text", "")), cited_quotes(quotes, claim.get("quotes") or [])

    def row(kind: str, severity: str, detail: str) -> dict[str, str]:
        return finding(study.id, "claims", kind, severity, checked.location, f"{checked.id}: {detail}", evidence,
                       claim=text, quotes=cited)

    rows = []
    if checked.topic in KIND_OF_TOPIC:
        severity = _verdict_severity(study, claim)
        rows.append(row(KIND_OF_TOPIC[checked.topic], severity, f"topic {checked.topic}: {checked.topic_reason}"))
    content = content_verdict(claim)
    if content:
        rows.append(row(content["kind"], content["severity"], f"content {checked.content}: {content['reason']}"))
    if not rows:
        kind = {SUPPORTED: "supported claim", TOPIC_EVIDENCED: "topic evidenced, content not judged",
                ABOUT_THE_STUDY: "claim about the study"}.get(checked.verdict, "supported claim")
        detail = f"{checked.verdict}: {checked.topic_reason}" + (f"; content: {checked.content_reason}"
                                                                  if checked.content_reason else "")
        rows.append(row(kind, "info", detail))
    return rows


def _verdict_severity(study: Study, claim: dict[str, Any]) -> str:
    return _check_topic(study, claim)["severity"]


def cited_quotes(quotes: pd.DataFrame, ids: Sequence[str]) -> str:
    """The cited quotes in full with their attributions as printed, one per line."""
    wanted = list(ids)
    if not wanted:
        return ""
    lines = []
    for quote in quotes.itertuples(index=False):
        mine = [i for i in str(quote.segment_ids).split("; ") if i in wanted]
        if mine:
            printed = "no attribution" if pd.isna(quote.attribution_raw) else quote.attribution_raw
            lines.append(f"{mine[0]} ({printed}): {quote_excerpt(quote.text)}")
    return "\n".join(lines)


def contradictory_claims(study: Study, claims: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One finding per 'only' claim, listing every claim on the same codes naming a group it rules out."""
    below, _ = code_relations(study)
    rows = []
    for only in (c for c in claims if c["quantifier"] == "only"):
        named = {resolve_group(study, g) for g in only.get("groups") or []} - {None}
        clashes = [(other, extra) for other in claims if other is not only
                   for extra in [ruled_out(study, only, named, other, below)] if extra is not None]
        if not clashes:
            continue
        others = "; ".join(f"{o['id']} says {o['quantifier']!r} of "
                           f"{', '.join(o.get('groups') or []) or 'the whole sample'} did, which includes "
                           f"{', '.join(extra) or 'every group'}" for o, extra in clashes)
        locations = "; ".join(dict.fromkeys([only["location"], *(o["location"] for o, _ in clashes)]))
        texts = dict.fromkeys(str(c["text"]) for c in [only, *(o for o, _ in clashes)])
        rows.append(finding(study.id, "claims", "contradictory claims", "high", locations,
                            f"{only['id']} says only {', '.join(only.get('groups') or [])} did; {others}",
                            "; ".join([only["id"], *(o["id"] for o, _ in clashes)]),
                            claim="\n".join(texts)))
    return rows


def ruled_out(study: Study, only: dict[str, Any], named: set, other: dict[str, Any],
              below: dict[str, set[str]]) -> list[str] | None:
    """The groups another claim on the same codes names that the 'only' claim excludes (None: no clash)."""
    if other["quantifier"] == "none" or not _codes_overlap(only, other, below):
        return None
    columns = {c for c, _ in named}
    theirs = {resolve_group(study, g) for g in other.get("groups") or []} - {None}
    extra = sorted(f"{c} = {v}" for c, v in theirs if c in columns and (c, v) not in named)
    whole = not other.get("groups") and other["quantifier"] in UNIVERSAL
    return extra if extra or whole else None


def clashing_quantifiers(study: Study, claims: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Claims sharing a topic (claims.yml `topic`) that say both 'all' and a share below all: one finding each.

    'Every interviewee' and 'the majority' about the same matter cannot both be the paper's count;
    medium, since each may be loose wording rather than a wrong count.
    """
    rows = []
    topics: dict[str, list[dict[str, Any]]] = {}
    for claim in claims:
        if claim.get("topic"):
            topics.setdefault(str(claim["topic"]), []).append(claim)
    for topic, group in topics.items():
        universal = [c for c in group if c["quantifier"] in UNIVERSAL]
        partial = [c for c in group if c["quantifier"] in SHARE_BELOW_ALL]
        if not (universal and partial):
            continue
        both = [*universal, *partial]
        said = "; ".join(f"{c['id']} says {c['quantifier']!r} ({location_in_paper(c['location'])[0]})" for c in both)
        rows.append(finding(study.id, "claims", "clashing quantifiers", "medium",
                            "; ".join(dict.fromkeys(c["location"] for c in both)),
                            f"on {topic}: {said}; 'all' and a share below all cannot both be the count",
                            "; ".join(c["id"] for c in both),
                            claim="\n".join(f"{c['id']}: {c['text']}" for c in both)))
    return rows


def _codes_overlap(a: dict[str, Any], b: dict[str, Any], below: dict[str, set[str]]) -> bool:
    mine = set().union(*(below.get(c, {c}) for c in a.get("codes") or []))
    theirs = set().union(*(below.get(c, {c}) for c in b.get("codes") or []))
    return bool(mine & theirs)


def broken_references(study: Study, claims: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Claims naming a code outside the framework or a quote that is not in the segment table."""
    codes, quotes = set(study.codes["code_id"]), set(study.segments["segment_id"])
    rows = []
    for claim in claims:
        for code in [c for c in claim.get("codes") or [] if c not in codes]:
            rows.append(finding(study.id, "coverage", "claim code not in the framework", "medium", claim["location"],
                                f"{claim['id']} names code {code!r}, which codes.csv does not define", claim["id"]))
        for quote in [q for q in claim.get("quotes") or [] if q not in quotes]:
            rows.append(finding(study.id, "coverage", "claim cites an unknown quote", "medium", claim["location"],
                                f"{claim['id']} cites {quote!r}, which segments.csv does not hold", claim["id"]))
    return rows


# --- reused evidence ------------------------------------------------------------------------

WORD = r"[a-z0-9]+(?:'[a-z]+)?"
QUOTE_BREAK = "\x1e"  # record separator: no word contains it (NUL would not do: numpy strips it)


def fold_for_words(text: str) -> str:
    """Text as the word reader sees it: case folded, typographic apostrophes plain, brackets spaces."""
    return text.casefold().replace("’", "'").replace("‘", "'").replace("[", " ").replace("]", " ")


def words_of(text: object) -> list[str]:
    """A quote as lower-case words, ignoring punctuation, ellipses and typographic quote marks."""
    return re.findall(WORD, fold_for_words("" if pd.isna(text) else str(text)))


def read_words(texts: pd.Series, chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every quote's words as words_of reads them, numbered (equal words, equal numbers):
    (word numbers, quote number of each, the words by number). Read a chunk of quotes at a time,
    so a million quotes never sit in memory as separate word strings."""
    cleaned = texts.astype(object).where(texts.notna(), "").astype(str).str.replace(QUOTE_BREAK, " ", regex=False)
    vocabulary: dict[str, int] = {}
    numbers, owners = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for start in range(0, len(cleaned), chunk):
        found = re.findall(f"{WORD}|{QUOTE_BREAK}", fold_for_words(QUOTE_BREAK.join(cleaned.iloc[start:start + chunk])))
        local, distinct = pd.factorize(np.asarray(found, dtype=object)) if found else (np.empty(0, dtype=np.int64), [])
        breaks = np.isin(local, [n for n, word in enumerate(distinct) if word == QUOTE_BREAK])
        number_of = np.asarray([vocabulary.setdefault(word, len(vocabulary)) for word in distinct], dtype=np.int64)
        numbers.append(number_of[local[~breaks]])
        owners.append(start + np.cumsum(breaks)[~breaks])
    return np.concatenate(numbers), np.concatenate(owners), list(vocabulary)


def compare_quotes(a: list[str], b: list[str]) -> dict[str, float] | None:
    """How two quotes overlap (shared share of the shorter, similarity, longest run), or None.

    Runs of at least MIN_RUN words in the same order (rapidfuzz's longest common subsequence of
    words, in blocks) count as shared, so an excerpt with omissions ('...') still matches the full
    quote, and a shared sentence is found inside two otherwise different quotes.
    """
    if not a or not b:
        return None
    runs = [m.size for m in LCSseq.opcodes(a, b).as_matching_blocks() if m.size >= MIN_RUN]
    shared, longest = sum(runs), max(runs, default=0)
    shorter = min(len(a), len(b))
    cover = shared / shorter
    excerpt = longest == shorter >= MIN_EXCERPT
    if not ((shared >= MIN_SHARED and cover >= COVER) or excerpt or longest >= SENTENCE):
        return None
    similarity = Indel.normalized_similarity(a, b)
    return {"cover": round(cover, 2), "similarity": round(similarity, 2), "longest": longest, "shared": shared}


def reuse_relation(overlap: dict[str, float]) -> str:
    """'same quote' when one covers the other (an excerpt or a variant), else 'shared passage'."""
    return "same quote" if overlap["cover"] >= SAME_QUOTE else "shared passage"


def reused_pairs(quotes_a: pd.DataFrame, quotes_b: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of printed quotes that are the same or share a passage, within one table or across two.

    Only candidate pairs from the shingle index (reuse_index) are compared, so the work grows
    with the quotes' length, not with the square of their number.
    """
    return reused_pairs_among([quotes_a] if quotes_b is None else [quotes_a, quotes_b], within=quotes_b is None)


def reused_pairs_among(tables: list[pd.DataFrame], within: bool = True) -> pd.DataFrame:
    """reused_pairs over several tables read in one pass: pairs within each table (when within) first,
    table by table, then pairs across two tables, by table pair; side a is always the earlier table."""
    combined = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["text"])
    table_of = np.repeat(np.arange(len(tables)), [len(t) for t in tables])
    numbers, owners, _ = read_words(combined["text"])
    candidates = candidate_pairs_of_tokens(numbers, owners, len(combined), None if within else table_of,
                                           size=MIN_RUN)
    if len(tables) > 1:  # one table's candidates already come in (i, j) order
        candidates.sort(key=lambda ij: (table_of[ij[0]] != table_of[ij[1]], table_of[ij[0]], table_of[ij[1]], ij))
    bounds = np.searchsorted(owners, np.arange(len(combined) + 1)).tolist()
    sequence = numbers.tolist()  # word numbers compare as the words do, and faster
    rows = []
    for i, j in candidates:
        overlap = compare_quotes(sequence[bounds[i]:bounds[i + 1]], sequence[bounds[j]:bounds[j + 1]])
        if overlap:
            rows.append({**{f"{k}_a": v for k, v in combined.iloc[i].items()},
                         **{f"{k}_b": v for k, v in combined.iloc[j].items()},
                         "relation": reuse_relation(overlap), **overlap})
    return pd.DataFrame(rows)


def quotes_for_reuse(study: Study) -> pd.DataFrame:
    """A study's printed quotes with the study id, ready for pairing."""
    return printed_quotes(study).assign(study=study.id)


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


def check_reuse(study: Study | str) -> pd.DataFrame:
    """Quotes printed more than once within a paper, each pair with both attributions."""
    study = as_study(study)
    pairs = reused_pairs(quotes_for_reuse(study))
    table_ids = set(study.participants["participant_id"].dropna())
    rows = []
    for _, pair in pairs.iterrows():
        kind, severity, reading = same_speaker(pair, table_ids)
        rows.append(finding(study.id, "reuse", kind, severity, f"{pair['location_a']} | {pair['location_b']}",
                            f"{pair['relation']} ({describe_overlap(pair)}): {reading}", pair_evidence(pair),
                            quotes=pair_quotes(pair)))
    return as_findings(rows)


def pair_quotes(pair: pd.Series, studies: bool = False) -> str:
    """Both quotes of a pair in full, each with its attribution as printed (and study, across papers)."""
    def one(side: str) -> str:
        printed = pair[f"attribution_raw_{side}"]
        shown = "no attribution" if pd.isna(printed) else printed
        where = f"{pair[f'study_{side}']} " if studies else ""
        return f"{where}{pair[f'segment_ids_{side}']} ({shown}): {quote_excerpt(pair[f'text_{side}'])}"
    return f"{one('a')}\n{one('b')}"


def describe_overlap(pair: pd.Series) -> str:
    """Words in common, as a share of the shorter quote, and the longest shared run."""
    return f"{pair['cover']:.0%} of the shorter quote shared, longest run {pair['longest']} words"


def pair_evidence(pair: pd.Series) -> str:
    """Both quotes of a pair with their attributions as printed and as read."""
    def one(side: str) -> str:
        read = pair[f"participant_id_{side}"]
        printed = pair[f"attribution_raw_{side}"]
        read_as = "" if pd.isna(read) or read == printed else f" = {read}"
        shown = "—" if pd.isna(printed) else printed
        return f"{pair[f'study_{side}']} {pair[f'segment_ids_{side}']} ({shown}{read_as})"
    return f"{one('a')}; {one('b')}"


def check_reuse_across(studies: Sequence[Study | str]) -> pd.DataFrame:
    """Quotes printed in two papers, with both attributions; one speaker linked to two is high."""
    loaded = [as_study(s) for s in studies]
    rows = []
    for a, b in itertools.combinations(loaded, 2):
        pairs = reused_pairs(quotes_for_reuse(a), quotes_for_reuse(b))
        label = f"{a.id} + {b.id}"
        for _, pair in pairs.iterrows():
            rows.append(finding(label, "reuse", "quote reused across papers", "low",
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
                rows.append(finding(label, "reuse", "one speaker, two attributions across papers", "high",
                                    " | ".join(locations),
                                    f"{speaker} in {here} is quoted in {there} under {len(others)} different "
                                    f"participants ({', '.join(others)}): the same words cannot be both people's",
                                    " / ".join(pair_evidence(p) for _, p in group.iterrows()),
                                    quotes="\n".join(dict.fromkeys(line for _, p in group.iterrows()
                                                                    for line in pair_quotes(p, True).split("\n")))))
    return rows


# --- coverage -------------------------------------------------------------------------------

def check_coverage(study: Study | str) -> pd.DataFrame:
    """Framework elements nobody was quoted for, and quotes coded to a theme outside the framework."""
    study = as_study(study)
    empty = codes_without_evidence(study.codes, study.segments)
    parents = dict(zip(study.codes["code_id"], study.codes["parent_id"]))
    empty_ids = set(empty["code_id"])
    below = descendants_with_self(study.codes)
    rows = []
    for code in empty.itertuples(index=False):
        if parents.get(code.code_id) in empty_ids:
            continue
        under = len(below[code.code_id]) - 1
        rest = f" (nor any of its {under} codes below)" if under else ""
        rows.append(finding(study.id, "coverage", "framework element with no quote", "low",
                            code.source if isinstance(code.source, str) else f"data/raw/{study.id}/codes.csv",
                            f"{code.path} ({code.level}): no published quote{rest}", code.code_id))
    outside = study.segments[~study.segments["code_id"].isin(set(study.codes["code_id"]))]
    for seg in outside.itertuples(index=False):
        rows.append(finding(study.id, "coverage", "quote coded outside the framework", "high", seg.location,
                            f"coded {seg.code_id!r}, which is not a code of the framework; "
                            f"quote {quote_excerpt(seg.text)}", seg.segment_id))
    return as_findings(rows)


# --- the review -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Check:
    """One check of the review: its name (a CHECKS value), the function, and the study files it needs.

    A check whose files are absent from the study folder (an imported export has no paper, so no
    claims.yml) is skipped and the report says why; `partial` names what still runs without them.
    """

    name: str
    run: Callable[[Study], pd.DataFrame]
    needs: tuple[str, ...] = ()
    why: str = ""
    partial: str = ""


STUDY_CHECKS: list[Check] = [
    Check("attributions", check_attributions),
    Check("sample", check_sample, needs=("reported_counts.csv",), partial="bands only",
          why="no reported_counts.csv: the study states no sample counts to recompute"),
    Check("claims", lambda study: claim_findings(study), needs=(CLAIMS_FILE,),
          why="no claims.yml: there is no paper whose statements could be checked"),
    Check("reuse", check_reuse),
    Check("coverage", check_coverage),
    Check("disclosure", lambda study: check_identifiability(study)),
]


def check_identifiability(study: Study) -> pd.DataFrame:
    """Participants the paper's own participant table lets a reader single out (disclosure.py)."""
    from .disclosure import identifiability_findings
    rows = identifiability_findings(study).to_dict("records")
    return as_findings(finding(r["study"], "disclosure", r["kind"], r["severity"], r["location"], r["detail"],
                               r.get("evidence", "")) for r in rows)


def register_check(check: Check) -> None:
    """Add a check to every review (e.g. disclosure.identifiability_findings); one line per new check."""
    if check.name not in CHECKS:
        CHECKS.append(check.name)
    STUDY_CHECKS[:] = [c for c in STUDY_CHECKS if c.name != check.name] + [check]


def checks_run(study: Study | str) -> pd.DataFrame:
    """Which checks run on a study, which run in part or are skipped, and why."""
    study = as_study(study)
    folder = study.folder or config.study_dir(study.id)
    rows = []
    for check in STUDY_CHECKS:
        missing = [f for f in check.needs if not (folder / f).is_file()]
        status = "run" if not missing else ("run in part" if check.partial else "skipped")
        reason = "" if not missing else (f"{check.partial}: " if check.partial else "") + check.why
        rows.append({"check": check.name, "status": status, "reason": reason})
    return pd.DataFrame(rows, columns=["check", "status", "reason"])


def review_study(study: Study | str) -> pd.DataFrame:
    """Every check that applies to one study, as one findings table."""
    study = as_study(study)
    runs = checks_run(study).set_index("check")["status"]
    parts = [check.run(study) for check in STUDY_CHECKS if runs[check.name] != "skipped"]
    return as_findings(pd.concat(parts, ignore_index=True).to_dict("records"))


def review(study: Study | str | Sequence[Study | str]) -> pd.DataFrame:
    """Findings for a study (id or Study), or for several plus the reuse of evidence across them."""
    if isinstance(study, (str, Study)):
        return review_study(study)
    loaded = [as_study(s) for s in study]
    parts = [review_study(s) for s in loaded]
    if len(loaded) > 1:
        parts.append(check_reuse_across(loaded))
    return as_findings(pd.concat(parts, ignore_index=True).to_dict("records"))


def review_across(studies: Sequence[Study | str]) -> pd.DataFrame:
    """Only the findings that exist across papers (evidence shared between them), not the per-study ones."""
    return check_reuse_across([as_study(s) for s in studies])


def summarise(findings: pd.DataFrame) -> pd.DataFrame:
    """Counts of findings per study and kind, one column per severity: kinds with high findings first."""
    if findings.empty:
        return pd.DataFrame(columns=["study", "check", "kind", *SEVERITIES, "total"])
    counts = pd.crosstab([findings["study"], findings["check"].astype(str), findings["kind"]],
                         findings["severity"].astype(str)).reindex(columns=SEVERITIES, fill_value=0)
    counts["total"] = counts.sum(axis=1)
    counts = counts.reset_index().rename(columns={"row_0": "check"})
    counts.columns.name = None
    worst = counts[SEVERITIES].gt(0).to_numpy().argmax(axis=1)
    order = counts.assign(_worst=worst, _counts=[tuple(-v for v in r) for r in counts[SEVERITIES].to_numpy()])
    order = order.sort_values(["_worst", "_counts", "study"], kind="stable").drop(columns="_counts")
    return order.drop(columns="_worst").reset_index(drop=True)


def findings_of(findings: pd.DataFrame, check: str) -> pd.DataFrame:
    """The findings of one check, without the check column."""
    if check not in CHECKS:
        raise ConfigError("evidence review", "check", f"unknown check {check!r}", remedy=f"use one of {CHECKS}.")
    return findings[findings["check"] == check].drop(columns="check").reset_index(drop=True)


def claims_table(studies: Sequence[Study | str]) -> pd.DataFrame:
    """Every claim of every study with its verdict, for one table in a report."""
    loaded = [as_study(s) for s in studies]
    tables = [check_claims(s).assign(study=s.id) for s in loaded]
    table = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["study", *CLAIM_COLUMNS])
    return table[["study", *CLAIM_COLUMNS]]


def verdict_summary(claims: pd.DataFrame) -> pd.DataFrame:
    """How many claims of each study got each verdict."""
    counts = pd.crosstab(claims["study"], claims["verdict"]).reindex(columns=VERDICTS, fill_value=0)
    counts["claims"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()
