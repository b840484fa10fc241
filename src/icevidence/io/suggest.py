"""After an import: a summary of what resolved, and a suggested study.yml when something did not.

The suggestion is built from the export itself, never guessed into the data: the case and document
variables with their distinct values, the shapes of the document names, and one tier/site rule per
value still to fill (left ``null`` for the researcher). Three ways to map tiers are offered:

* from the **case** (or participant id): ``mapping.tier: [{field: participant_id, pattern, value}]``;
* from a **document-name pattern**: ``participants: {from: document, pattern: '^(P[0-9]+)'}`` to find
  the participant, then ``mapping.tier`` rules on ``participant_id`` or ``document``;
* from a **variable**: ``participants.attributes: {tier: Role}`` takes the values as they are (they
  must read micro / meso / macro), or ``mapping.tier: [{field: Role, pattern: '^GP$', value: micro}]``.

Every string from the export reaches the file through ``yaml.safe_dump`` (values) or ``json.dumps``
(comments: one line, every control character escaped), never by pasting it into YAML text.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..model.atomic import write_text
from ..model.codes import ancestors
from ..model.schema import TIERS
from ..model.study import Study

SUGGESTED_NAME = "suggested-study.yml"
MAX_VALUES = 12          # a variable with more distinct values is listed, not turned into rules
MAX_RULES = 200          # per-participant rules beyond this are cut, with a comment saying so
MAX_EXAMPLES = 3
ID_SHAPE = re.compile(r"^([A-Za-z]{1,12})[ _-]?([0-9]{1,6})(?![0-9])")


def import_summary(study: Study) -> list[str]:
    """Lines for the screen: participants resolved or not, codings per group, code tree depth."""
    segments = study.segments
    resolved = int(segments["participant_id"].notna().sum())
    depth = tree_depth(study.codes)
    lines = [f"participants: {len(study.participants)} listed; codings with a participant: {resolved} of "
             f"{len(segments)} ({len(segments) - resolved} unresolved)",
             f"code tree: {len(study.codes)} codes, {depth} level(s) deep"
             + (" (flat: use level: overarching, or main, which shows each code as it is)" if depth == 1 else "")]
    for column in ("tier", "site"):
        counts = segments[column].fillna("unknown").value_counts()
        lines.append(f"codings per {column}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return lines


def tree_depth(codes: pd.DataFrame) -> int:
    """Number of levels of the code tree (1 for a flat codebook, 0 for none)."""
    chains = ancestors(codes)
    return max((len(c) for c in chains.values()), default=0)


def needs_suggestion(study: Study) -> bool:
    """True when any coding has no participant or any participant lacks a tier or site."""
    people = study.participants
    return bool(study.segments["participant_id"].isna().any() or people.empty
                or people["tier"].isna().any() or people["site"].isna().any())


def suggest_config(study: Study) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A study.yml mapping for the export and, per top-level key, the comment lines explaining it."""
    variables = variable_values(study.meta.get("variables") or [])
    documents = distinct(study.segments["document"])
    config: dict[str, Any] = {"id": study.id, "citation": study.meta.get("citation"),
                              "licence": study.meta.get("licence")}
    comments: dict[str, list[str]] = {
        "id": [f"Suggested by `icevidence import` from {quoted(study.meta.get('source', ''))}.",
               "Edit it, then import again: icevidence import PATH --study ID --config THIS-FILE.yml --force",
               "Nothing below was guessed into the data: rules left null are yours to fill."]}
    rule, why = participant_rule(study, documents, variables)
    config["participants"] = rule
    comments["participants"] = why
    mapping, notes = tier_site_rules(study, variables)
    if mapping:
        config["mapping"] = mapping
    comments["mapping"] = notes
    comments["variables_seen"] = [f"{v['owner_kind']} variable {quoted(v['variable'])}: "
                                  f"{len(v['values'])} distinct value(s), e.g. "
                                  + ", ".join(quoted(x) for x in v["values"][:MAX_EXAMPLES])
                                  for v in variables] or ["the export has no case or document variables"]
    return config, comments


def participant_rule(study: Study, documents: list[str], variables: list[dict]) -> tuple[dict, list[str]]:
    """Where participant ids should come from, with the reason, read from the export's shape."""
    resolved = study.segments["participant_id"].notna()
    if len(resolved) and resolved.all():
        return study.meta.get("participants") or {"from": "case"}, ["every coding has a participant: keep this rule"]
    id_like = [v for v in variables if re.search(r"participant|interviewee|respondent|speaker|\bid\b",
                                                  v["variable"], re.IGNORECASE)]
    if id_like:
        v = id_like[0]
        kind = "case_variable" if v["owner_kind"] == "case" else "document_variable"
        return ({"from": kind, "name": v["variable"]},
                [f"the {v['owner_kind']} variable {quoted(v['variable'])} looks like a participant id"])
    pattern, share = document_pattern(documents)
    if pattern is not None:
        examples = ", ".join(quoted(d) for d in documents[:MAX_EXAMPLES])
        return ({"from": "document", "pattern": pattern},
                [f"{share} of {len(documents)} document names start with an id of this shape (e.g. {examples});",
                 "the pattern's first group is the participant id"])
    return ({"from": "document"},
            [f"no case names or id-like document names: each of the {len(documents)} document(s) is taken as one "
             "participant (one interview per document); change this if that is wrong"])


def document_pattern(documents: list[str]) -> tuple[str | None, int]:
    """A regex whose first group is the id at the start of most document names, and how many it fits."""
    shapes = [ID_SHAPE.match(d) for d in documents]
    found = [m for m in shapes if m]
    if len(found) < 2 or len(found) * 2 < len(documents):
        return None, 0
    ids = [m.group(1) + m.group(2) for m in found]
    if len(set(ids)) < len(ids) * 0.5:
        return None, 0
    prefixes = Counter(m.group(1) for m in found)
    prefix, count = prefixes.most_common(1)[0]
    separators = {d[len(m.group(1)):m.start(2)] for d, m in zip(documents, shapes) if m}
    if count == len(found) and separators == {""}:
        return f"^({re.escape(prefix)}[0-9]+)", len(found)
    return r"^([A-Za-z]+[ _-]?[0-9]+)", len(found)


def tier_site_rules(study: Study, variables: list[dict]) -> tuple[dict[str, list], list[str]]:
    """mapping rules for tier and site, with null values left to fill, and a note per target."""
    mapping: dict[str, list] = {}
    notes: list[str] = []
    for target in ("tier", "site"):
        if study.participants[target].notna().all() and len(study.participants):
            notes.append(f"{target}: every participant already has one")
            continue
        named = [v for v in variables if v["variable"].strip().lower() == target]
        few = [v for v in variables if 1 < len(v["values"]) <= MAX_VALUES and v not in named]
        if named:
            notes.append(f"{target}: variable {quoted(named[0]['variable'])} is read as {target}"
                         + (f"; values other than {'/'.join(TIERS)} stay unknown" if target == "tier" else ""))
        if few:
            v = few[0]
            mapping[target] = [{"field": v["variable"], "pattern": f"^{re.escape(x)}$", "value": None}
                               for x in v["values"]]
            notes.append(f"{target}: one rule per value of the {v['owner_kind']} variable {quoted(v['variable'])}; "
                         f"set each value" + (" to micro, meso or macro" if target == "tier" else ""))
            continue
        ids = suggested_participants(study)
        if ids:
            mapping[target] = [{"field": "participant_id", "pattern": f"^{re.escape(p)}$", "value": None}
                               for p in ids[:MAX_RULES]]
            notes.append(f"{target}: one rule per participant id; set each value"
                         + (" to micro, meso or macro" if target == "tier" else "")
                         + (f" ({len(ids) - MAX_RULES} more participants not listed)" if len(ids) > MAX_RULES else ""))
        else:
            notes.append(f"{target}: no participants resolved yet; fix 'participants' first, import again, and a "
                         f"new suggestion will list one {target} rule per participant")
    return mapping, notes


def suggested_participants(study: Study) -> list[str]:
    """The participant ids known now, or the ones the suggested document pattern would give."""
    known = [str(p) for p in study.participants["participant_id"].dropna()]
    if known:
        return known
    pattern, _ = document_pattern(distinct(study.segments["document"]))
    ids = []
    for document in distinct(study.segments["document"]):
        found = re.search(pattern, document) if pattern else None
        ids.append(found.group(1) if found else document)
    return list(dict.fromkeys(ids))


def variable_values(records: list[dict]) -> list[dict[str, Any]]:
    """Each (owner kind, variable) with its distinct values in order of first appearance."""
    seen: dict[tuple[str, str], list[str]] = {}
    for r in records:
        variable, value = r.get("variable"), r.get("value")
        if not isinstance(variable, str) or not variable.strip() or not isinstance(value, str) or not value.strip():
            continue
        values = seen.setdefault((str(r.get("owner_kind")), variable.strip()), [])
        if value not in values:
            values.append(value)
    return [{"owner_kind": k, "variable": v, "values": vals} for (k, v), vals in seen.items()]


def distinct(values: pd.Series) -> list[str]:
    """Distinct non-empty values as text, in order of first appearance."""
    return [str(v) for v in pd.unique(values.dropna().astype(str)) if str(v).strip()]


def quoted(value: Any) -> str:
    """A value for a YAML comment: one line, JSON-quoted, every control character escaped."""
    return json.dumps(str(value), ensure_ascii=True)


def render_suggestion(config: dict[str, Any], comments: dict[str, list[str]]) -> str:
    """The YAML text: each top-level key dumped by yaml.safe_dump, preceded by its comment lines."""
    parts = []
    for line in comments.get("id", []):
        parts.append(comment(line))
    for key, value in config.items():
        parts += [comment(line) for line in comments.get(key, []) if key != "id"]
        parts.append(yaml.safe_dump({key: value}, allow_unicode=False, sort_keys=False, width=100,
                                    default_flow_style=None if isinstance(value, (dict, list)) else False
                                    ).rstrip("\n"))
    parts += [comment("Variables found in the export (for writing rules):")]
    parts += [comment("  " + line) for line in comments.get("variables_seen", [])]
    return "\n".join(parts) + "\n"


def comment(line: str) -> str:
    """A YAML comment line; line breaks are removed so nothing can leave the comment."""
    return "# " + re.sub(r"[\r\n\x85\u2028\u2029]+", " ", line)


def write_suggestion(study: Study, folder: Path) -> Path:
    """Write suggested-study.yml beside the study folder, atomically; return its path."""
    config, comments = suggest_config(study)
    text = render_suggestion(config, comments)
    target = suggestion_path(folder)
    return write_text(target, text)


def suggestion_path(folder: Path) -> Path:
    """Where the suggestion for a study folder goes: beside it, as <folder name>-suggested-study.yml."""
    folder = Path(folder)
    return folder.parent / f"{folder.name}-{SUGGESTED_NAME}"


def after_import(study: Study, folder: Path, config_path: Path | str | None = None) -> list[str]:
    """The summary lines, plus where the suggested config was written when one is needed
    (never over the config file this import was given)."""
    lines = import_summary(study)
    if needs_suggestion(study):
        target = suggestion_path(folder)
        if config_path is not None and Path(config_path).resolve() == target.resolve():
            lines.append(f"participants, tiers or sites are still unresolved with {target}; fill its null values "
                         "(it was not overwritten)")
            return lines
        path = write_suggestion(study, folder)
        lines.append(f"participants, tiers or sites are unresolved: a suggested config is in {path}; "
                     "edit it and import again with --config (three ways to map tiers: see import --help)")
    return lines
