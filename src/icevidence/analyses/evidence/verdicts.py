"""Two verdicts on every claim: is its topic evidenced for whom it names, and do its quotes say what it says?

*Topic* reads the claim's scope (claims.yml `scope`): a claim about participants needs enough
distinct speakers for its quantifier ('every interviewee' needs them all); a claim about named
groups or sites needs evidence from each group or site it names (or as many of them as its
quantifier says: 'several' of three groups is two); a claim about the cited literature or the study
itself is not checked against the sample. Evidence is the quotes the paper offers for the sentence;
a claim citing none is read against the published quotes on its codes. Quotes from a group the
claim excludes make it *not supported* (high). *Content* is judged by hand in claims.yml
(`content`): cited quotes that do not state the claim are medium, high only when claims.yml marks
them as contradicting it (`content_contradicts: true`); quotes stating part of it are low. Only
both make a claim 'supported'.

Distinct speakers are counted as a lower bound (IDs of different forms, e.g. G1P13 and G1PK, may
be one person; unreadable IDs count for nobody) and an upper bound.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ...model.codes import ancestors, descendants_with_self
from ...model.speakers import speaker_keys
from ...model.study import Study
from ..groups import group_of_segments
from .claims import DOES_NOT_STATE, PARTLY, QUANTIFIERS, STATES, UNIVERSAL, Named, named_groups, read_claims
from .findings import SEVERITIES
from .quotes import id_form

TOPIC_EVIDENCED = "topic evidenced"
NOT_SUPPORTED = "not supported by the cited evidence"
GROUP_WITHOUT_EVIDENCE = "a named group without evidence"
NOT_CHECKABLE = "not checkable from published evidence"
TOPIC_VERDICTS = [TOPIC_EVIDENCED, NOT_SUPPORTED, GROUP_WITHOUT_EVIDENCE, NOT_CHECKABLE]
SUPPORTED = "supported"
PART_EVIDENCED = "partly evidenced"
CONTENT_NOT_EVIDENCED = "content not evidenced"
ABOUT_THE_STUDY = "about the study"
ABOUT_THE_LITERATURE = "about the cited literature"
VERDICTS = [SUPPORTED, PART_EVIDENCED, CONTENT_NOT_EVIDENCED, NOT_SUPPORTED, GROUP_WITHOUT_EVIDENCE, NOT_CHECKABLE,
            TOPIC_EVIDENCED, ABOUT_THE_STUDY, ABOUT_THE_LITERATURE]
KIND_OF_TOPIC = {NOT_SUPPORTED: "unsupported claim", GROUP_WITHOUT_EVIDENCE: "named group without evidence",
                 NOT_CHECKABLE: "uncheckable claim"}
CLAIM_COLUMNS = ["id", "section", "location", "text", "scope", "quantifier", "groups", "codes", "quotes", "topic",
                 "topic_severity", "topic_reason", "content", "content_reason", "verdict", "severity", "reason"]


class Evidence:
    """What every claim of one study is judged against, worked out once: code relations, speakers' groups."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.below, self.chains = descendants_with_self(study.codes), ancestors(study.codes)
        self.code_ids = set(study.codes["code_id"])
        self.table_ids = set(study.participants["participant_id"].dropna())
        self._columns: dict[str, pd.Series] = {}

    def column(self, name: str) -> pd.Series:
        """Each segment's speaker's value in a participant column (NA where unknown)."""
        if name not in self._columns:
            found = group_of_segments(self.study, name)
            self._columns[name] = found.where(found != "unknown").astype("string")
        return self._columns[name]

    def values(self, groups: list[Named]) -> pd.DataFrame:
        """The segments' values in every column the groups name."""
        columns = list(dict.fromkeys(g.column for g in groups))
        return pd.DataFrame({c: self.column(c) for c in columns}, index=self.study.segments.index)


def verdict(value: str, severity: str, reason: str) -> dict[str, str]:
    """A topic verdict with its severity and reason."""
    return {"verdict": value, "severity": severity, "reason": reason}


def check_claims(study: Study, claims: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    """One row per claim with both verdicts, the overall verdict (VERDICTS), its severity and reason."""
    claims = read_claims(study) if claims is None else claims
    evidence = Evidence(study)
    table = pd.DataFrame([check_claim(study, c, evidence) for c in claims], columns=CLAIM_COLUMNS)
    table["severity"] = pd.Categorical(table["severity"], categories=SEVERITIES, ordered=True)
    return table


def check_claim(study: Study, claim: dict[str, Any], evidence: Evidence | None = None) -> dict[str, Any]:
    """Both verdicts on one claim (topic, content) and the overall one, with its severity and reason."""
    topic = topic_verdict(study, claim, evidence)
    overall = overall_verdict(topic, claim.get("content"), content_verdict(claim))
    return {"id": claim["id"], "section": claim.get("section", ""), "location": claim["location"],
            "text": claim.get("text", ""), "scope": claim.get("scope", "participants"),
            "quantifier": claim["quantifier"],
            "groups": ", ".join(map(str, claim.get("groups") or [])) or "(whole sample)",
            "codes": ", ".join(claim.get("codes") or []), "quotes": ", ".join(claim.get("quotes") or []),
            "topic": topic["verdict"], "topic_severity": topic["severity"], "topic_reason": topic["reason"],
            "content": claim.get("content", ""),
            "content_reason": claim.get("content_reason", ""), **overall}


def content_verdict(claim: dict[str, Any]) -> dict[str, str] | None:
    """The content judgement of claims.yml as (kind, severity, reason), None when it raises no finding."""
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
    if topic["verdict"] in (ABOUT_THE_STUDY, ABOUT_THE_LITERATURE):
        return dict(topic)
    candidates = [] if topic["verdict"] == TOPIC_EVIDENCED else [(topic["severity"], topic["verdict"], topic["reason"])]
    if problem:
        named = PART_EVIDENCED if content == PARTLY else CONTENT_NOT_EVIDENCED
        candidates.append((problem["severity"], named, problem["reason"]))
    if not candidates:
        return verdict(SUPPORTED if content == STATES else TOPIC_EVIDENCED, "info", topic["reason"])
    severity, value, reason = min(candidates, key=lambda c: SEVERITIES.index(c[0]))
    return verdict(value, severity, reason)


# --- topic ----------------------------------------------------------------------------------

def topic_verdict(study: Study, claim: dict[str, Any], evidence: Evidence | None = None) -> dict[str, str]:
    """The topic verdict, read for the claim's scope."""
    evidence = evidence or Evidence(study)
    scope = claim.get("scope", "participants")
    if scope == "literature":
        return verdict(ABOUT_THE_LITERATURE, "info", "its quantifier is about the cited literature, not the "
                                                     "interviews: not checked against the sample")
    codes = [c for c in claim.get("codes") or [] if c in evidence.code_ids]
    if scope == "study" or not codes:
        return verdict(ABOUT_THE_STUDY, "info", "a statement about the study (its method or conduct), not about "
                                                "coded evidence")
    groups, unknown = named_groups(study, claim)
    if unknown:
        return verdict(NOT_CHECKABLE, "low", f"the participant table cannot identify {', '.join(map(repr, unknown))}")
    if not groups and scope in ("groups", "sites"):
        groups = every_group(study, "site" if scope == "sites" else study.group_by)
    return judge_claim(evidence, claim, codes, groups)


def every_group(study: Study, column: str) -> list[Named]:
    """Every value of a participant column as a named group ('all groups', 'all of our evaluations')."""
    values = study.participants[column].dropna().astype(str).unique() if column in study.participants else []
    return [Named(v, column, frozenset([v])) for v in values]


def judge_claim(evidence: Evidence, claim: dict[str, Any], codes: list[str], groups: list[Named]) -> dict[str, str]:
    """Misattribution, exclusivity, then evidence from each named group, then the count the scope needs."""
    segments, below, chains = evidence.study.segments, evidence.below, evidence.chains
    cited = segments[segments["segment_id"].isin(claim.get("quotes") or [])]
    if len(cited) and not cited["code_id"].map(lambda c: related_to(c, codes, below, chains)).any():
        return verdict(NOT_SUPPORTED, "high", f"the cited quotes are coded to {', '.join(cited['code_id'].unique())}, "
                                              "none to the claim's codes")
    on_codes = segments[segments["code_id"].isin(set().union(*(below[c] for c in codes)))]
    published = pd.concat([on_codes, cited]).drop_duplicates("segment_id")
    values = evidence.values(groups)
    for problem in (misattribution(claim, cited, values, groups), exclusive_breach(claim, published, values, groups)):
        if problem:
            return verdict(NOT_SUPPORTED, "high", problem)
    lacking = groups_lacking(claim, cited, published, values, groups)
    if lacking:
        return verdict(GROUP_WITHOUT_EVIDENCE, "medium", lacking)
    if claim.get("scope") in ("groups", "sites"):
        return verdict(TOPIC_EVIDENCED, "info", f"{describe_groups(groups)}: each has published quotes on these codes")
    return count_verdict(evidence, claim, cited, published, values, groups)


def related_to(code: str, claim_codes: list[str], below: dict[str, set[str]], chains: dict[str, list[str]]) -> bool:
    """Whether a quote's code is one of the claim's codes, below one, or the section above one."""
    return any(code in below.get(c, {c}) or code in chains.get(c, []) for c in claim_codes)


def describe_groups(groups: list[Named]) -> str:
    """Named groups in words, e.g. 'tier = meso, tier = macro'; the whole sample when none."""
    return ", ".join(g.label for g in groups) or "the whole sample"


IN, OUT, UNKNOWN = 1, 0, -1


def membership(values: pd.DataFrame, groups: list[Named]) -> np.ndarray:
    """Per row: IN the claim's population, OUT of it, or UNKNOWN (nothing known about the row's speaker).

    Groups naming one column are alternatives ('health care', 'social care'); columns combine
    ('operational' and 'health care' = operational health staff). A column a row has no value in
    (area for strategic leads) does not exclude it.
    """
    if not groups:
        return np.full(len(values), IN, dtype=np.int8)
    known_in, outside = np.zeros(len(values), dtype=bool), np.zeros(len(values), dtype=bool)
    for column in dict.fromkeys(g.column for g in groups):
        named = set().union(*(g.values for g in groups if g.column == column))
        known = values[column].notna().to_numpy()
        hit = values[column].isin(named).to_numpy() & known
        known_in |= hit
        outside |= known & ~hit
    return np.where(outside, OUT, np.where(known_in, IN, UNKNOWN)).astype(np.int8)


def members(study: Study, groups: list[Named]) -> np.ndarray:
    """Which participants belong to the claim's population (all of them when no group is named)."""
    columns = list(dict.fromkeys(g.column for g in groups))
    values = study.participants[columns].astype("string") if columns else study.participants[[]]
    return membership(values, groups) == IN


def within(segments: pd.DataFrame, values: pd.DataFrame, groups: list[Named]) -> pd.DataFrame:
    """The segments whose speakers are known to be in the claim's population."""
    return segments[membership(values.loc[segments.index], groups) == IN]


def covered(values: pd.DataFrame, segments: pd.DataFrame, groups: list[Named]) -> list[Named]:
    """The named groups some of these segments (inside the claim's population) come from."""
    part = values.loc[segments.index]
    part = part[membership(part, groups) == IN]
    return [g for g in groups if part[g.column].isin(g.values).any()]


def groups_needed(claim: dict[str, Any], groups: list[Named]) -> int:
    """How many of the named groups need evidence: each, unless the quantifier counts groups or sites."""
    if claim.get("scope") not in ("groups", "sites"):
        return len(groups)
    reading, number = QUANTIFIERS[claim["quantifier"]]
    if claim["quantifier"] in ("one", "few"):
        return min(1, len(groups))
    if reading == "count" and claim["quantifier"] == "several":
        return min(2, len(groups))
    if reading in ("majority", "share"):
        return len(groups) // 2 + 1
    return len(groups)


def groups_lacking(claim: dict[str, Any], cited: pd.DataFrame, evidence: pd.DataFrame, values: pd.DataFrame,
                   groups: list[Named]) -> str:
    """Why too few named groups have evidence ('' when enough do): the quotes the sentence offers when it
    offers any, else the published quotes on its codes; the groups lacking are listed."""
    need = groups_needed(claim, groups)
    if claim["quantifier"] == "none" or not groups or need == 0:
        return ""
    offered = covered(values, cited, groups) if len(cited) else covered(values, evidence, groups)
    if len(offered) >= need:
        return ""
    lacking = [g for g in groups if g not in offered]
    needs = "" if need == len(groups) else f" (it needs {need} of the {len(groups)} it names)"
    if not len(cited):
        return (f"no published quote on these codes comes from {', '.join(g.label for g in lacking)}{needs} "
                f"({len(evidence)} quotes on the codes in all)")
    elsewhere = covered(values, evidence, lacking)
    came = ", ".join(g.label for g in offered) or "none of the groups named"
    also = (f"; the paper quotes {', '.join(g.label for g in elsewhere)} on these codes elsewhere, not for this "
            "sentence" if elsewhere else "; nor does any other published quote on these codes")
    return (f"names {describe_groups(groups)}{needs}; the quotes it offers come from {came}, none from "
            f"{', '.join(g.label for g in lacking)}{also}")


def misattribution(claim: dict[str, Any], cited: pd.DataFrame, values: pd.DataFrame, groups: list[Named]) -> str:
    """Why the cited quotes point away from the groups the claim names ('' when they do not).

    They do when some come from outside the groups and some named group has none of them;
    for an 'only' claim, any cited quote from outside the groups is enough.
    """
    if cited.empty or not groups:
        return ""
    outside = cited[membership(values.loc[cited.index], groups) == OUT]
    found = covered(values, cited, groups)
    missing = [g for g in groups if g not in found]
    if outside.empty or (claim["quantifier"] != "only" and not missing):
        return ""
    who = ", ".join(f"{s} ({a})" for s, a in zip(outside["segment_id"], outside["attribution_raw"].fillna("—")))
    lack = f"; none of them from {', '.join(g.label for g in missing)}" if missing else ""
    return f"names {describe_groups(groups)}, but cites quotes from outside those groups: {who}{lack}"


def exclusive_breach(claim: dict[str, Any], evidence: pd.DataFrame, values: pd.DataFrame, groups: list[Named]) -> str:
    """For 'only' and 'none' claims: published quotes on the codes that the claim rules out."""
    quantifier = claim["quantifier"]
    where = membership(values.loc[evidence.index], groups)
    if quantifier == "none":
        hits = evidence[where == IN]
        return f"says nobody did, but {len(hits)} published quotes on these codes exist" if len(hits) else ""
    if quantifier != "only" or not groups:
        return ""
    outside = evidence[where == OUT]
    if outside.empty:
        return ""
    part = values.loc[outside.index]
    named = {(g.column, v) for g in groups for v in g.values}
    others = sorted({f"{c} = {v}" for c in part.columns for v in part[c].dropna() if (c, v) not in named})
    return f"says only {describe_groups(groups)}, but the theme matrix has quotes on these codes from " \
           f"{', '.join(others)} ({', '.join(outside['segment_id'])})"


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


def count_verdict(evidence: Evidence, claim: dict[str, Any], cited: pd.DataFrame, published: pd.DataFrame,
                  values: pd.DataFrame, groups: list[Named]) -> dict[str, str]:
    """Evidenced when the cited quotes, or failing them the matrix, show enough distinct speakers."""
    quantifier = claim["quantifier"]
    if quantifier == "none":
        return verdict(TOPIC_EVIDENCED, "info", "no published quote on these codes comes from the groups named")
    population = int(members(evidence.study, groups).sum())
    need = needed_speakers(quantifier, population)
    cited_low, _ = speaker_bounds(within(cited, values, groups), evidence.table_ids)
    low, high = speaker_bounds(within(published, values, groups), evidence.table_ids)
    who = f"{quantifier!r} of {population} ({describe_groups(groups)})"
    if cited_low >= need:
        return verdict(TOPIC_EVIDENCED, "info", f"{who} needs {need} speaker(s); the cited quotes show {cited_low}")
    if low >= need:
        return verdict(TOPIC_EVIDENCED, "info", f"{who} needs {need} speaker(s); the cited quotes show {cited_low}, "
                                                f"the theme matrix at least {low} on these codes")
    severity = "medium" if quantifier in UNIVERSAL else "low"
    span = f"{low}" if low == high else f"{low} to {high}"
    return verdict(NOT_CHECKABLE, severity, f"{who} needs {need} speakers; the cited quotes show {cited_low}, "
                                            f"and the paper quotes {span} distinct speakers on these codes in all")
