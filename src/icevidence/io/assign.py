"""Shared last step of every importer: attribute codings to participants and build the Study.

Inputs (all importers produce these):

* ``codes``: code_id, parent_id (nullable), name, description (nullable), in codebook order;
  the level is derived from the depth (0 overarching, 1 main, 2+ sub).
* ``codings``: one row per coding: segment_id, document, case (nullable), code_id, text,
  start, end (nullable ints), note (nullable), coder (nullable: who coded it, where the export says).
* ``attributes``: long table owner_kind ('case' | 'document'), owner, variable, value. A case
  without variables may appear with variable and value empty, so it is listed as a participant.
* ``documents`` (optional, from importers that see each document's full text): document,
  characters (the full text's length in the unit of start/end), source (where the number comes from).

The study.yml ``participants:`` section says where a participant id comes from; it is one rule or an
ordered list of rules (the first that yields an id wins)::

    participants: {from: case}                       # the coding's case name
    participants: {from: document, pattern: '^(P[0-9]+)'}
    participants: {from: variable, name: Participant}  # case variable, else document variable
    participants: {from: case_variable, name: ID}    # or document_variable

``pattern`` is a regex applied with ``search``; its first group (or the whole match) is the id. It runs
on RE2 (see safe_regex.py: linear time, so no pattern can hang an import; no backreferences/lookaround).
Nothing is guessed: a coding no rule resolves keeps participant_id empty and is listed in
``Study.meta['unmatched']``. Optional ``participants.attributes: {gender: Sex, ...}`` maps canonical
participant columns to variable names; otherwise variables named like a canonical column
(case-insensitive, spaces as underscores, e.g. ``Tier``, ``Site``, ``Professional group``) fill it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..model.codes import tree_depths
from ..model.errors import ConfigError
from ..model.safe_regex import compile_user_regex
from ..model.schema import PARTICIPANT_ATTRIBUTES, PARTICIPANT_COLUMNS, TIERS
from ..model.study import Study, assemble_study, with_columns
from .safety import clean_names, clean_uncarriable, lookalike_warnings

CODE_INPUT_COLUMNS = ["code_id", "parent_id", "name", "description"]
CODING_INPUT_COLUMNS = ["segment_id", "document", "case", "code_id", "text", "start", "end", "note", "coder"]
DOCUMENT_INPUT_COLUMNS = ["document", "characters", "source"]
ATTRIBUTE_COLUMNS = ["owner_kind", "owner", "variable", "value"]
RULE_SOURCES = ("case", "document", "variable", "case_variable", "document_variable")
CANONICAL_ATTRIBUTES = ["tier", "site", *PARTICIPANT_ATTRIBUTES]
LEVELS = {0: "overarching", 1: "main"}


def build_study(study_id: str, codes: pd.DataFrame, codings: pd.DataFrame, attributes: pd.DataFrame | None,
                config: dict | None, source: Path, skipped: list[dict] | None = None, *,
                exclude_participants: Iterable[str] = (), documents: pd.DataFrame | None = None) -> Study:
    """Attribute codings to participants as study.yml says, then map, validate and return the Study.

    ``exclude_participants`` are ids kept on their segments but not listed in the participants table
    (a quote attributed to someone the paper's sample table does not list). ``documents``: each
    document's full length, where the export holds the full texts.
    """
    source = Path(source)
    lookalike = name_warnings(codes, codings)
    codes, codings, attributes, cleaned = clean_inputs(codes, codings, attributes, source)
    documents, cleaned_names = clean_uncarriable(with_columns(documents if documents is not None else pd.DataFrame(),
                                                              DOCUMENT_INPUT_COLUMNS, dtype="object"),
                                                 source.name, "document", "document")
    skipped = [*(skipped or []), *cleaned, *cleaned_names]
    meta = make_meta(study_id, config, source)
    if lookalike:
        meta["warnings"] = [*(meta.get("warnings") or []), *lookalike]
    documents = unique_documents(documents, meta)
    rules = read_participant_rules(config, source)
    codings = with_columns(codings, CODING_INPUT_COLUMNS, dtype="object")
    attributes = with_columns(attributes if attributes is not None else pd.DataFrame(), ATTRIBUTE_COLUMNS,
                              dtype="object")
    lookup = variable_lookup(attributes)
    resolved = resolve_all(codings, rules, lookup)
    participants = make_participants(resolved, attributes, rules, config, source)
    excluded = set(exclude_participants)
    if excluded:
        participants = participants[~participants["participant_id"].isin(excluded)].reset_index(drop=True)
    segments = make_segments(codings, resolved)
    unmatched = segments["participant_id"].isna().to_numpy()
    meta["unmatched"] = [{"document": d, "segment_id": s} for d, s in
                         zip(resolved.documents[unmatched], codings["segment_id"].to_numpy()[unmatched])]
    meta["skipped"] = list(skipped or [])
    meta["variables"] = attributes[ATTRIBUTE_COLUMNS].dropna(subset=["variable"]).drop_duplicates().to_dict("records")
    tables = {"participants": participants, "codes": make_codes(codes, source), "segments": segments,
              "documents": documents[DOCUMENT_INPUT_COLUMNS]}
    files = {name: f"{source.name} ({name})" for name in tables}
    return assemble_study(meta, tables, inputs=[source], files=files)


def unique_documents(documents: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """The documents whose name is their own: codings name their document, so a length shared by several
    documents of one name cannot be told apart; those are left out, with a warning naming them."""
    repeated = documents["document"].duplicated(keep=False) & documents["document"].notna()
    if repeated.any():
        names = sorted(map(str, documents.loc[repeated, "document"].unique()))
        meta.setdefault("warnings", []).append(
            f"{len(names)} document name(s) are used by more than one document ({', '.join(map(repr, names[:5]))}"
            f"{' …' if len(names) > 5 else ''}); their full lengths are not kept, so coverage and character-unit "
            "agreement count them only as far as their codings reach; give each document its own name in the "
            "QDA software to keep them")
    return documents[~repeated & documents["document"].notna()].reset_index(drop=True)


def clean_inputs(codes: pd.DataFrame, codings: pd.DataFrame, attributes: pd.DataFrame | None,
                 source: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None, list[dict]]:
    """Remove control characters XML/XLSX cannot carry from every imported text, and invisible characters from
    names; list each cleaned cell.

    Chosen over refusing: a stray NUL or vertical tab (Word's line break) should not stop an import,
    but it must not reach a report either; each cleaned cell is listed in skipped.csv as "kept, cleaned".
    """
    codes, first = clean_uncarriable(codes, source.name, "code_id", "code")
    codings, second = clean_uncarriable(codings, source.name, "segment_id", "segment")
    third: list[dict] = []
    if attributes is not None:
        attributes, third = clean_uncarriable(attributes, source.name, "owner", "attribute of")
    codes, fourth = clean_names(codes, ["name"], source.name, "code_id", "code")
    codings, fifth = clean_names(codings, ["document", "case", "coder"], source.name, "segment_id", "segment")
    sixth: list[dict] = []
    if attributes is not None:
        attributes, sixth = clean_names(attributes, ["owner", "variable", "value"], source.name, "owner",
                                        "attribute of")
    return codes, codings, attributes, [*first, *second, *third, *fourth, *fifth, *sixth]


def name_warnings(codes: pd.DataFrame, codings: pd.DataFrame) -> list[str]:
    """Warnings for code, document and case names that differ only by invisible characters (before cleaning)."""
    column = lambda frame, name: frame[name].tolist() if name in frame.columns else []  # noqa: E731
    return lookalike_warnings({"code names": column(codes, "name"), "document names": column(codings, "document"),
                               "case names": column(codings, "case")})


def make_meta(study_id: str, config: dict | None, source: Path) -> dict[str, Any]:
    """study.yml-style metadata: the config's fields, with id, citation, licence and source filled."""
    meta = dict(config or {})
    if meta.get("id") not in (None, study_id):
        raise ConfigError("study.yml", "id", f"id {meta['id']!r} differs from the study id {study_id!r}",
                          remedy="give the same id in study.yml and on the command line.")
    meta["id"] = study_id
    meta.setdefault("citation", f"Imported from {source.name}")
    meta.setdefault("licence", "not stated")
    meta.setdefault("source", source.name)
    return meta


def read_participant_rules(config: dict | None, source: Path) -> list[dict[str, Any]]:
    """The ordered participant rules of the config; with none, the coding's case is the participant."""
    section = (config or {}).get("participants")
    if section is None:
        return [{"from": "case"}]
    rules = section.get("rules", [section]) if isinstance(section, dict) else section
    checked = []
    for i, rule in enumerate(rules):
        checked.append(check_rule(rule, f"participants[{i}]" if len(rules) > 1 else "participants"))
    return checked


def check_rule(rule: Any, field: str) -> dict[str, Any]:
    """Check one participant rule's keys and compile its pattern, raising a ConfigError naming it."""
    if not isinstance(rule, dict) or rule.get("from") not in RULE_SOURCES:
        raise ConfigError("study.yml", f"{field}.from", f"must be one of {list(RULE_SOURCES)}, got {rule!r}",
                          remedy="say where the participant id comes from, e.g. 'participants: {from: case}'.")
    if "variable" in rule["from"] and not rule.get("name"):
        raise ConfigError("study.yml", f"{field}.name", "a variable rule needs the variable's name",
                          remedy="add e.g. 'name: Participant'.")
    out = dict(rule)
    if rule.get("pattern") is not None:
        out["regex"] = compile_user_regex(rule["pattern"], "study.yml", f"{field}.pattern")
    return out


def variable_lookup(attributes: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    """Map (owner_kind, owner, lower-cased variable) to the value; the first value wins."""
    lookup: dict[tuple[str, str, str], str] = {}
    for kind, owner, variable, value in attributes[ATTRIBUTE_COLUMNS].itertuples(index=False):
        if _is_text(owner) and _is_text(variable) and _is_text(value):
            lookup.setdefault((str(kind), str(owner), str(variable).strip().lower()), str(value))
    return lookup


@dataclass
class Resolution:
    """Participant attribution of every coding, computed once per distinct (case, document) pair."""

    index: np.ndarray                       # per coding: position of its pair in ``pairs``
    pairs: list[tuple[str | None, str | None]]
    results: list[tuple[str | None, str | None, dict]]
    documents: np.ndarray                   # per coding: document or None

    def column(self, position: int) -> np.ndarray:
        """Per coding: the pid (0) or raw value (1) of its pair's resolution."""
        values = np.empty(len(self.results), dtype=object)
        values[:] = [r[position] for r in self.results]
        return values[self.index] if len(self.index) else np.empty(0, dtype=object)


def resolve_all(codings: pd.DataFrame, rules: list[dict[str, Any]], lookup: dict) -> Resolution:
    """Resolve every coding, once per distinct (case, document) pair (fast for large exports)."""
    case_codes, cases = factorize_texts(codings["case"])
    doc_codes, docs = factorize_texts(codings["document"])
    index, pair_keys = pd.factorize(case_codes * (len(docs) + 1) + doc_codes)
    pairs = [(cases[k // (len(docs) + 1)], docs[k % (len(docs) + 1)]) for k in pair_keys]
    results = [resolve_participant(_Owner(case=c, document=d), rules, lookup) for c, d in pairs]
    documents = np.empty(len(docs), dtype=object)
    documents[:] = docs
    return Resolution(index, pairs, results, documents[doc_codes] if len(doc_codes) else np.empty(0, dtype=object))


def factorize_texts(values: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Codes and distinct values of a column, blank and missing cells folded into a final None."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    cleaned = [_text_or_none(u) for u in uniques] + [None]
    codes = np.where(codes < 0, len(cleaned) - 1, codes)
    return codes.astype(np.int64), cleaned


def texts_or_none(values: pd.Series) -> pd.Series:
    """The values as text, with missing and blank cells as None (vectorised _text_or_none)."""
    codes, cleaned = factorize_texts(values)
    array = np.empty(len(cleaned), dtype=object)
    array[:] = cleaned
    return pd.Series(array[codes] if len(codes) else np.empty(0, dtype=object), index=values.index, dtype=object)


class _Owner:
    """The (case, document) a coding belongs to; what the participant rules read."""

    __slots__ = ("case", "document")

    def __init__(self, case: str | None, document: str | None) -> None:
        self.case, self.document = case, document


def resolve_participant(row: Any, rules: list[dict[str, Any]], lookup: dict) -> tuple[str | None, str | None, dict]:
    """Apply the rules to one coding: (participant id or None, the raw value it came from, the rule)."""
    first_raw = None
    for rule in rules:
        raw = rule_value(row, rule, lookup)
        if raw is None:
            continue
        first_raw = first_raw if first_raw is not None else raw
        pid = apply_pattern(raw, rule.get("regex"))
        if pid:
            return pid, raw, rule
    return None, first_raw, {}


def rule_value(row: Any, rule: dict[str, Any], lookup: dict) -> str | None:
    """The raw value a rule reads from one coding: its case, document or a variable of either."""
    kind = rule["from"]
    case, document = _text_or_none(row.case), _text_or_none(row.document)
    if kind == "case":
        return case
    if kind == "document":
        return document
    name = str(rule["name"]).strip().lower()
    owners = {"case_variable": [("case", case)], "document_variable": [("document", document)],
              "variable": [("case", case), ("document", document)]}[kind]
    for owner_kind, owner in owners:
        if owner is not None and (owner_kind, owner, name) in lookup:
            return lookup[(owner_kind, owner, name)]
    return None


def apply_pattern(raw: str, regex: Any) -> str | None:
    """The id a pattern extracts from a raw value (its first group, else the match); None if no match."""
    value = raw.strip()
    if regex is None:
        return value or None
    found = regex.search(value)
    if not found:
        return None
    picked = found.group(1) if regex.groups else found.group(0)
    return picked.strip() if picked and picked.strip() else None


def make_participants(resolved: Resolution, attributes: pd.DataFrame, rules: list[dict], config: dict | None,
                      source: Path) -> pd.DataFrame:
    """One row per participant id, with its owner's variables as canonical and extra columns."""
    owners: dict[str, dict[str, Any]] = {}
    add_uncoded_cases(owners, attributes, rules)
    for (case, document), (pid, _, _) in zip(resolved.pairs, resolved.results):
        if pid is None:
            continue
        entry = owners.setdefault(pid, {"case": case, "documents": []})
        if document is not None and document not in entry["documents"]:
            entry["documents"].append(document)
    variables = variables_by_owner(attributes)
    renames = attribute_names(config)
    rows = [participant_row(pid, entry, variables, renames, source) for pid, entry in owners.items()]
    frame = pd.DataFrame(rows)
    if frame.empty:
        frame = pd.DataFrame(columns=["participant_id"])
    return frame.astype("string")


def add_uncoded_cases(owners: dict[str, dict], attributes: pd.DataFrame, rules: list[dict]) -> None:
    """List every case (in project order) as a participant when the id comes from the case name."""
    case_rules = [r for r in rules if r["from"] == "case"]
    if not case_rules:
        return
    cases = attributes.loc[attributes["owner_kind"] == "case", "owner"].dropna().astype(str).unique()
    for case in cases:
        for rule in case_rules:
            pid = apply_pattern(case, rule.get("regex"))
            if pid:
                owners.setdefault(pid, {"case": case, "documents": []})
                break


def variables_by_owner(attributes: pd.DataFrame) -> dict[tuple[str, str], dict[str, str]]:
    """Each owner's variables as {name: value}, the first value of a repeated name winning."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for kind, owner, variable, value in attributes[ATTRIBUTE_COLUMNS].itertuples(index=False):
        if _is_text(owner) and _is_text(variable) and _is_text(value):
            out.setdefault((str(kind), str(owner)), {}).setdefault(str(variable).strip(), str(value))
    return out


def attribute_names(config: dict | None) -> dict[str, str]:
    """Map lower-cased variable name -> canonical participant column (config first, then by name)."""
    names = {c.lower(): c for c in CANONICAL_ATTRIBUTES}
    names.update({c.replace("_", " "): c for c in CANONICAL_ATTRIBUTES})
    section = (config or {}).get("participants")
    declared = section.get("attributes", {}) if isinstance(section, dict) else {}
    for column, variable in (declared or {}).items():
        if column not in CANONICAL_ATTRIBUTES:
            raise ConfigError("study.yml", f"participants.attributes.{column}",
                              f"not a participant column; allowed: {CANONICAL_ATTRIBUTES}")
        names[str(variable).strip().lower()] = column
    return names


def participant_row(pid: str, entry: dict, variables: dict, renames: dict[str, str], source: Path) -> dict:
    """A participant's row: id, canonical attributes, every variable as a raw column, case and documents."""
    row: dict[str, Any] = {"participant_id": pid, "case": entry["case"],
                           "document": "; ".join(entry["documents"]) or None}
    owners = [("case", entry["case"])] + [("document", d) for d in entry["documents"]]
    for owner in owners:
        for name, value in variables.get(owner, {}).items():
            column = renames.get(name.lower())
            if column and row.get(column) is None:
                row[column] = value.strip().lower() if column == "tier" and value.strip().lower() in TIERS else value
            if name not in PARTICIPANT_COLUMNS and name not in row:
                row[name] = value
    where = f"case '{entry['case']}'" if entry["case"] else f"document '{row['document']}'"
    row["source"] = f"{source.name}: {where}"
    return row


def make_segments(codings: pd.DataFrame, resolved: Resolution) -> pd.DataFrame:
    """Segments in the canonical columns: participant, attribution, location '<document>:<start>-<end>'."""
    pids = pd.array(resolved.column(0), dtype="string")
    frame = pd.DataFrame({
        "segment_id": codings["segment_id"].astype("string").array,
        "participant_id": pids,
        "code_id": codings["code_id"].astype("string").array,
        "text": codings["text"].astype("string").fillna("").array,
        "location": locations(codings["document"], codings["start"], codings["end"]).array,
        "attribution_raw": pd.array(resolved.column(1), dtype="string"),
        "attribution_status": pd.array(np.where(pd.isna(pids), "missing", "valid"), dtype="string"),
        "document": codings["document"].astype("string").array,
        "start": pd.array(pd.to_numeric(codings["start"], errors="coerce"), dtype="Int64"),
        "end": pd.array(pd.to_numeric(codings["end"], errors="coerce"), dtype="Int64"),
        "note": codings["note"].astype("string").array,
        "coder": codings["coder"].astype("string").array,
    })
    return frame


def locations(documents: pd.Series, starts: pd.Series, ends: pd.Series) -> pd.Series:
    """'<document>:<start>-<end>' per coding, or the document alone without positions (vectorised)."""
    doc = texts_or_none(documents).fillna("(no document)").astype("string")
    start = pd.array(pd.to_numeric(starts, errors="coerce"), dtype="Int64").astype("string")
    end = pd.array(pd.to_numeric(ends, errors="coerce"), dtype="Int64").astype("string")
    ranged = doc + ":" + pd.Series(start, index=doc.index) + "-" + pd.Series(end, index=doc.index)
    return ranged.fillna(doc).astype("string")


def location(document: Any, start: Any, end: Any) -> str:
    """'<document>:<start>-<end>', or the document alone when the selection has no positions."""
    doc = _text_or_none(document) or "(no document)"
    if pd.isna(start) or pd.isna(end):
        return doc
    return f"{doc}:{int(start)}-{int(end)}"


def make_codes(codes: pd.DataFrame, source: Path) -> pd.DataFrame:
    """Codes in the canonical columns, the level derived from each code's depth in the tree."""
    codes = with_columns(codes, CODE_INPUT_COLUMNS, dtype="object")
    depth = code_depths(codes["code_id"], codes["parent_id"], f"{source.name} (codes)")
    frame = codes[CODE_INPUT_COLUMNS].astype("string").copy()
    frame["level"] = [LEVELS.get(d, "sub") for d in depth]
    frame["source"] = source.name
    return frame.astype("string")


def code_depths(ids: Iterable[Any], parents: Iterable[Any], file: str = "codes") -> list[int]:
    """Depth of each code (0 for a root), each link followed once; a cycle or an over-deep chain is refused."""
    ids = [str(i) for i in ids]
    parent: dict[str, str | None] = {}
    for i, p in zip(ids, parents):
        parent.setdefault(i, str(p) if _is_text(p) else None)
    depths = tree_depths(parent, file, "code tree (parent links)")
    return [depths[code] for code in ids]


def _is_text(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value is not pd.NA \
        and str(value).strip() != ""


def _text_or_none(value: Any) -> str | None:
    return str(value) if _is_text(value) else None


def study_id_for(path: Path, config: dict | None) -> str:
    """The study id: the config's id, else the file name's stem as a lower-case slug."""
    if config and config.get("id"):
        return str(config["id"])
    slug = re.sub(r"[^a-z0-9]+", "-", Path(path).stem.lower()).strip("-")
    return slug or "imported"
