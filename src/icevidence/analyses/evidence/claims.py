"""claims.yml: the paper's statements about who said what, each with its section, scope and quotes.

Every claim records (data/README.md): where it stands (`location`, `section`), the sentence, the
codes it is about, its quantifier and what the quantifier counts (`scope`: participants, named
groups, sites, the cited literature, or the study itself), the groups it names, the quotes the paper
offers for it, and a content judgement with its reason. Optional: `topic` (claims about one matter),
`ranking` (the claim ranks its topic, e.g. 'first' for 'the issue raised most frequently'),
`asserts` (what the sentence states about its topic, compared across sections) and
`content_contradicts`. A named group may pool alternatives: 'meso or macro' (the leadership groups).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pandas as pd

from ...model import config
from ...model.errors import ConfigError
from ...model.schema import PARTICIPANT_ATTRIBUTES
from ...model.study import Study
from ...model.yaml_loader import load_yaml

CLAIMS_FILE = "claims.yml"
CLAIM_FIELDS = ["id", "location", "section", "text", "codes", "quantifier", "scope", "groups", "quotes", "content",
                "content_reason", "note"]
# quantifier -> (reading, number): 'count' needs that many distinct speakers, 'share' that fraction of
# the population, 'majority' more than half, 'all' every member, 'none' nobody. 'generally' is a hedge
# ('generally', 'largely', 'in general'): read as a majority, but it is wording, not a count.
QUANTIFIERS: dict[str, tuple[str, float]] = {
    "one": ("count", 1), "some": ("count", 1), "few": ("count", 1), "only": ("count", 1),
    "several": ("count", 2), "many": ("share", 1 / 3), "majority": ("majority", 0), "most": ("majority", 0),
    "generally": ("majority", 0), "all": ("all", 0), "every": ("all", 0), "unanimity": ("all", 0),
    "none": ("none", 0),
}
UNIVERSAL = {"all", "every", "unanimity"}
HEDGES = {"generally"}
SHARE_BELOW_ALL = {"majority", "most", "few", "generally"}
SCOPES = ["participants", "groups", "sites", "literature", "study"]
SECTIONS = ["Abstract", "Background", "Methods", "Results", "Discussion", "Limitations", "Conclusions",
            "Implications"]
STATES, PARTLY, DOES_NOT_STATE, NOT_APPLICABLE = "states", "partly", "does not state", "not applicable"
CONTENT_VALUES = [STATES, PARTLY, DOES_NOT_STATE, NOT_APPLICABLE]
GROUP_COLUMNS = ["tier", *PARTICIPANT_ATTRIBUTES, "site"]
POOL = " or "


@dataclass(frozen=True)
class Named:
    """A group a claim names: its words, the participant column and the values that count as the group."""

    name: str
    column: str
    values: frozenset[str]

    @property
    def label(self) -> str:
        """The group as 'tier = micro' or 'tier = meso or macro'."""
        return f"{self.column} = {POOL.join(sorted(self.values))}"


def claims_path(study: Study) -> object:
    """Where a study's claims.yml lives."""
    return (study.folder or config.study_dir(study.id)) / CLAIMS_FILE


def read_claims(study: Study) -> list[dict[str, Any]]:
    """The study's claims.yml as a list of records (empty when the study has none), validated.

    Each check family reads the claims; a text is parsed once, and every caller gets its own copy.
    """
    path = claims_path(study)
    if not path.is_file():
        return []
    return copy.deepcopy(parsed_claims(str(path), path.read_text(encoding="utf-8")))


@lru_cache(maxsize=32)
def parsed_claims(path: str, text: str) -> list[dict[str, Any]]:
    """A claims.yml text parsed by the bounded loader (model/yaml_loader: no alias bombs, depth and duplicate keys
    checked) and validated."""
    claims = load_yaml(text, path) or []
    validate_claims(claims, path)
    return claims


def validate_claims(claims: object, file: str) -> None:
    """Raise one ConfigError naming every claim with a missing field or a value outside its list."""
    if not isinstance(claims, list):
        raise ConfigError(file, "", "is not a list of claims", remedy="write one '- id: ...' record per claim.")
    problems = []
    for i, claim in enumerate(claims, start=1):
        name = claim.get("id", f"#{i}") if isinstance(claim, dict) else f"#{i}"
        missing = [f for f in CLAIM_FIELDS if not isinstance(claim, dict) or f not in claim]
        if missing:
            problems.append(f"claim {name} lacks {', '.join(missing)}")
            continue
        for field, allowed in (("quantifier", QUANTIFIERS), ("content", CONTENT_VALUES), ("scope", SCOPES),
                               ("section", SECTIONS)):
            if claim[field] not in allowed:
                problems.append(f"claim {name} has {field} {claim[field]!r}")
    if problems:
        raise ConfigError(file, "claims", "; ".join(problems),
                          remedy=f"give every claim the fields {CLAIM_FIELDS}: a quantifier from "
                                 f"{sorted(QUANTIFIERS)}, a scope from {SCOPES}, a section from {SECTIONS} and a "
                                 f"content judgement from {CONTENT_VALUES} (data/README.md, claims.yml).")


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


def resolve_named(study: Study, name: str) -> Named | None:
    """A named group, pooled alternatives included ('meso or macro'); None when the table cannot identify it."""
    parts = [resolve_group(study, part) for part in str(name).split(POOL)]
    if any(p is None for p in parts) or len({c for c, _ in parts}) != 1:
        return None
    return Named(str(name), parts[0][0], frozenset(v for _, v in parts))


def named_groups(study: Study, claim: dict[str, Any]) -> tuple[list[Named], list[str]]:
    """The claim's named groups resolved, and the names the participant table cannot identify."""
    names = [str(g) for g in claim.get("groups") or []]
    resolved = [resolve_named(study, n) for n in names]
    return [g for g in resolved if g], [n for n, g in zip(names, resolved) if g is None]


def claims_frame(claims: list[dict[str, Any]]) -> pd.DataFrame:
    """Claims as a table (lists joined), for reports."""
    rows = [{**c, **{k: ", ".join(map(str, c.get(k) or [])) for k in ("codes", "groups", "quotes")}} for c in claims]
    return pd.DataFrame(rows)
