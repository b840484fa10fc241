"""Write any Study as a REFI-QDA project (.qdpx) that validates against the REFI Project XSD.

Design (so published evidence opens in NVivo, ATLAS.ti, MAXQDA or QualCoder):

* one Case per participant (name = participant_id) with Text variables tier, site and every reported
  attribute; participant ids that segments name but the participants table does not list get a Case
  without variables;
* one TextSource per participant holding their segments, plus one named "(unattributed)" for
  segments without a participant; its text is a synthetic document: the distinct quotes joined by a
  blank line, stored as sources/<guid>.txt (UTF-8, no BOM);
* one PlainTextSelection per distinct quote with one Coding per segment, the segment's note as the
  selection's Description; positions in Unicode code points (REFI-QDA, QualCoder, ATLAS.ti, MAXQDA) or,
  with ``positions="utf16"``, in UTF-16 code units as NVivo counts them (an emoji counts two); the
  origin then says "NVivo", which is how ``read_qdpx`` knows the unit when reading the file back;
  a segment's coder becomes a User and its Coding's creatingUser (codings with no coder have none),
  so multi-coder projects keep their coders;
* the code tree as nested Codes (all codable) with their descriptions;
* a Note named "icevidence study (do not edit)" holding JSON: the study.yml metadata and the ids and
  columns REFI-QDA has no place for (code and segment ids; codes' framework and source;
  participants' source and note; segments' location, attribution_raw, attribution_status, document,
  start, end, note) and the documents table (each document's full length: the sources written here are
  the quotes joined, not the transcripts). Reading the file back with ``read_qdpx`` restores them, so
  the round trip gives the same tables; only the row order of participants and segments follows the project
  (cases; sources, then quotes), and edits made in another QDA tool to those columns are not seen.

Bytes are deterministic: GUIDs are uuid5 of (study id, kind, id); every element that carries a
date in REFI-QDA (Project, TextSource, PlainTextSelection, Coding, Note) gets the fixed creation
date 2000-01-01T00:00:00Z (QualCoder stops reading a project whose Notes have none), the same fixed
date as the XLSX appendices; zip members have a fixed timestamp and order; the file is mode 0644.
"""
from __future__ import annotations

import json
import os
import re
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd
from lxml import etree

from ..model.schema import PARTICIPANT_ATTRIBUTES
from ..model.study import Study
from .errors import ExportError
from .refi_qda import PROJECT_NS, PROJECT_XSD, ROUNDTRIP_NOTE, load_schema

NAMESPACE = uuid.UUID("6f1d3c52-6c1e-5b8a-9a43-1c0de5e71de0")
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
UNATTRIBUTED = "(unattributed)"
CASE_VARIABLES = ["tier", "site", *PARTICIPANT_ATTRIBUTES]
RUNTIME_META = {"unmatched", "skipped", "warnings", "uncoded_selections", "refi", "variables"}
CARRIED = {
    "codes": ("code_id", ["level", "framework", "source"]),
    "participants": ("participant_id", ["source", "note"]),
    "segments": ("segment_id", ["location", "attribution_raw", "attribution_status", "tier", "site", "document",
                                "start", "end", "note"]),
}
SEPARATOR = "\n\n"
FIXED_DATE = "2000-01-01T00:00:00Z"
POSITION_UNITS = ("codepoints", "utf16")
ORIGINS = {"codepoints": "icevidence", "utf16": "icevidence (positions in UTF-16 code units, as NVivo counts them)"}
XML_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def write_qdpx(study: Study, out: Path, positions: str = "codepoints") -> Path:
    """Write the study as a REFI-QDA .qdpx archive at ``out`` (mode 0644) and return the path.

    ``positions``: 'codepoints' (the REFI-QDA default) or 'utf16' (NVivo's UTF-16 code units).
    """
    out = Path(out)
    if positions not in POSITION_UNITS:
        raise ExportError(str(out), "", f"unknown position unit {positions!r}",
                          remedy=f"use one of {list(POSITION_UNITS)}.")
    try:
        project, texts = build_project(study, positions)
    except ValueError as exc:
        raise ExportError(f"<export of {study.id}>", "", f"a code name, participant id, description or attribute "
                          f"holds characters XML cannot carry ({exc})",
                          remedy="remove control characters from the named tables and export again.") from exc
    check_valid(project, study)
    xml = etree.tostring(project, xml_declaration=True, encoding="utf-8", pretty_print=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_archive(out, xml, texts)
    return out


def guid(study_id: str, kind: str, key: str) -> str:
    """A deterministic upper-case GUID for one item of the study."""
    return str(uuid.uuid5(NAMESPACE, f"{study_id}\x1f{kind}\x1f{key}")).upper()


def q(tag: str) -> str:
    """Tag in the REFI project namespace."""
    return f"{{{PROJECT_NS}}}{tag}"


def sub(parent: Any, tag: str, **attributes: str) -> Any:
    """Append a child element in the REFI namespace with the given attributes."""
    return etree.SubElement(parent, q(tag), {k: v for k, v in attributes.items() if v is not None})


def text_of(value: Any) -> str | None:
    """A cell as text, or None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def build_project(study: Study, positions: str = "codepoints") -> tuple[Any, dict[str, str]]:
    """The Project element and the source texts (archive member name -> text)."""
    sid = study.id
    user = guid(sid, "user", "icevidence")
    project = etree.Element(q("Project"), nsmap={None: PROJECT_NS},
                            name=str(study.meta.get("title") or sid), origin=ORIGINS[positions],
                            creatingUserGUID=user, creationDateTime=FIXED_DATE, modifiedDateTime=FIXED_DATE)
    add_users(project, study, user)
    add_codebook(project, study)
    participants = participant_ids(study)
    add_variables(project, study)
    groups = group_segments(study)
    add_cases(project, study, participants, groups)
    texts = add_sources(project, study, groups, user, positions)
    add_roundtrip_note(project, study, participants, user)
    description = "; ".join(str(study.meta[k]) for k in ("citation", "licence") if study.meta.get(k))
    if description:
        sub(project, "Description").text = f"{description}. Exported by icevidence."
    return project, texts


def add_users(project: Any, study: Study, user: str) -> None:
    """The writing user, then one User per coder of the segments (their codings' creatingUser)."""
    users = sub(project, "Users")
    sub(users, "User", guid=user, name="icevidence")
    for coder in coders_of(study):
        sub(users, "User", guid=guid(study.id, "coder", coder), name=coder)


def coders_of(study: Study) -> list[str]:
    """The distinct coders named in the segments, sorted."""
    column = study.segments["coder"] if "coder" in study.segments else pd.Series(dtype="string")
    return sorted(str(c) for c in column.dropna().unique())


def add_codebook(project: Any, study: Study) -> None:
    """Nested Code elements in codebook order (codes whose parent is unknown are top-level)."""
    codes = study.codes
    if codes.empty:
        return
    ids = [str(c) for c in codes["code_id"]]
    parents = {str(c): text_of(p) for c, p in zip(codes["code_id"], codes["parent_id"])}
    rows = {str(r.code_id): r for r in codes.itertuples(index=False)}
    kids: dict[str | None, list[str]] = {}
    for code in ids:
        parent = parents[code] if parents[code] in rows and parents[code] != code else None
        kids.setdefault(parent, []).append(code)
    container = sub(sub(project, "CodeBook"), "Codes")
    placed: set[str] = set()
    roots = kids.get(None, []) + [c for c in ids if c not in reachable(kids)]
    stack = [(container, code) for code in reversed(roots)]
    while stack:
        holder, code = stack.pop()
        if code in placed:
            continue
        placed.add(code)
        row = rows[code]
        element = sub(holder, "Code", guid=guid(study.id, "code", code), name=str(row.name), isCodable="true")
        if text_of(row.description):
            sub(element, "Description").text = str(row.description)
        stack.extend((element, child) for child in reversed(kids.get(code, [])))


def reachable(kids: dict[str | None, list[str]]) -> set[str]:
    """Codes reachable from the roots (others sit in a parent cycle)."""
    seen: set[str] = set()
    stack = list(kids.get(None, []))
    while stack:
        code = stack.pop()
        if code not in seen:
            seen.add(code)
            stack.extend(kids.get(code, []))
    return seen


def participant_ids(study: Study) -> list[str]:
    """Listed participants, then ids that only segments name (in segment order)."""
    listed = [str(p) for p in study.participants["participant_id"].dropna()]
    extra = [str(p) for p in study.segments["participant_id"].dropna().unique() if str(p) not in set(listed)]
    return listed + extra


def add_variables(project: Any, study: Study) -> None:
    """One Text variable per participant attribute that has any value."""
    used = [c for c in CASE_VARIABLES if c in study.participants and study.participants[c].notna().any()]
    if used:
        container = sub(project, "Variables")
        for name in used:
            sub(container, "Variable", guid=guid(study.id, "variable", name), name=name, typeOfVariable="Text")


def group_segments(study: Study) -> dict[str, list[Any]]:
    """Segments per source name: each participant id, then '(unattributed)'."""
    groups: dict[str, list[Any]] = {}
    for row in study.segments.itertuples(index=False):
        groups.setdefault(text_of(row.participant_id) or UNATTRIBUTED, []).append(row)
    return groups


def add_cases(project: Any, study: Study, participants: list[str], groups: dict[str, list[Any]]) -> None:
    """One Case per participant with their attributes and a SourceRef to their source."""
    if not participants:
        return
    container = sub(project, "Cases")
    table = study.participants.astype(object).set_index("participant_id") if len(study.participants) else None
    used = [c for c in CASE_VARIABLES if c in study.participants and study.participants[c].notna().any()]
    for pid in participants:
        case = sub(container, "Case", guid=guid(study.id, "case", pid), name=pid)
        if table is not None and pid in table.index:
            for name in used:
                value = text_of(table.at[pid, name])
                if value is not None:
                    holder = sub(case, "VariableValue")
                    sub(holder, "VariableRef", targetGUID=guid(study.id, "variable", name))
                    sub(holder, "TextValue").text = value
        if pid in groups and pid != UNATTRIBUTED:
            sub(case, "SourceRef", targetGUID=guid(study.id, "source", pid))


def add_sources(project: Any, study: Study, groups: dict[str, list[Any]], user: str,
                positions: str = "codepoints") -> dict[str, str]:
    """One TextSource per group over a synthetic text of its distinct quotes; returns the texts."""
    texts: dict[str, str] = {}
    if not groups:
        return texts
    container = sub(project, "Sources")
    for name, rows in groups.items():
        source_guid = guid(study.id, "source", name)
        member = f"{source_guid}.txt"
        source = sub(container, "TextSource", guid=source_guid, name=name, plainTextPath=f"internal://{member}",
                     creatingUser=user, creationDateTime=FIXED_DATE)
        chunks, spans, prefix = layout_quotes([str(text_of(r.text) or "") for r in rows],
                                              utf16_length if positions == "utf16" else len)
        texts[member] = prefix + SEPARATOR.join(chunks)
        for quote, (start, end) in spans.items():
            selected = [r for r in rows if str(text_of(r.text) or "") == quote]
            add_selection(source, study.id, quote, start, end, selected, user)
    return texts


def layout_quotes(quotes: list[str], length: Any = len) -> tuple[list[str], dict[str, tuple[int, int]], str]:
    """Distinct quotes in order, each one's (start, end) range in the joined text (in the unit ``length``
    counts: code points, or UTF-16 units), and a prefix for that text (a line break when it would
    otherwise start with U+FEFF, which readers drop)."""
    chunks: list[str] = []
    positions: dict[str, tuple[int, int]] = {}
    prefix = "\n" if quotes and quotes[0].startswith("\ufeff") else ""
    offset = length(prefix)
    for quote in quotes:
        if quote in positions:
            continue
        if chunks:
            offset += length(SEPARATOR)
        positions[quote] = (offset, offset + length(quote))
        chunks.append(quote)
        offset += length(quote)
    return chunks, positions, prefix


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units (a character outside the Basic Multilingual Plane counts two)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def add_selection(source: Any, study_id: str, quote: str, start: int, end: int, rows: list[Any], user: str) -> None:
    """A PlainTextSelection over one quote with a Coding per segment that quotes it."""
    first = str(rows[0].segment_id)
    selection = sub(source, "PlainTextSelection", guid=guid(study_id, "selection", first),
                    name=XML_INVALID.sub("", quote[:60]), startPosition=str(start), endPosition=str(end),
                    creatingUser=user, creationDateTime=FIXED_DATE)
    notes = list(dict.fromkeys(str(text_of(r.note)) for r in rows if text_of(r.note)))
    if notes:
        sub(selection, "Description").text = XML_INVALID.sub("", "; ".join(notes))
    for row in rows:
        coder = text_of(getattr(row, "coder", None))
        coding = sub(selection, "Coding", guid=guid(study_id, "segment", str(row.segment_id)),
                     creatingUser=guid(study_id, "coder", coder) if coder else None,
                     creationDateTime=FIXED_DATE)
        sub(coding, "CodeRef", targetGUID=guid(study_id, "code", str(row.code_id)))


def add_roundtrip_note(project: Any, study: Study, participants: list[str], user: str) -> None:
    """The Note holding study.yml and the ids and columns REFI-QDA cannot carry (JSON, exact for any text)."""
    listed = set(str(p) for p in study.participants["participant_id"].dropna())
    meta = {k: v for k, v in study.meta.items() if k not in RUNTIME_META}
    meta["participants"] = {"from": "case"}
    meta.pop("refi", None)
    payload = {
        "study": plain(meta),
        "codes": {guid(study.id, "code", str(c)).lower(): str(c) for c in study.codes["code_id"]},
        "segments": {guid(study.id, "segment", str(s)).lower(): str(s) for s in study.segments["segment_id"]},
        "unlisted_participants": [p for p in participants if p not in listed],
        "columns": carried_columns(study),
        "documents": [{k: cell(v) for k, v in row.items()}
                      for row in study.documents[["document", "characters", "source"]].to_dict("records")],
    }
    notes = sub(project, "Notes")
    note = sub(notes, "Note", guid=guid(study.id, "note", "roundtrip"), name=ROUNDTRIP_NOTE, creatingUser=user,
               creationDateTime=FIXED_DATE)
    sub(note, "Description").text = ("Written by icevidence so the study can be read back exactly; "
                                     "keep it unchanged.")
    sub(note, "PlainTextContent").text = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True)


def carried_columns(study: Study) -> dict[str, dict[str, dict[str, Any]]]:
    """Per table and column, {row id: value} of the columns REFI-QDA has no place for."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table_name, (key, columns) in CARRIED.items():
        table = getattr(study, table_name)
        out[table_name] = {}
        for column in columns:
            if column not in table.columns:
                continue
            values = {str(k): cell(v) for k, v in zip(table[key], table[column].astype(object))}
            out[table_name][column] = values
    return out


def cell(value: Any) -> Any:
    """A table cell as a YAML-safe value (None when empty, int for positions)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return str(value)


def plain(value: Any) -> Any:
    """Metadata as plain YAML types (dicts, lists, str, numbers, bools, None)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def check_valid(project: Any, study: Study) -> None:
    """Raise if the written project breaks the REFI Project XSD (a bug in this writer)."""
    schema = load_schema(PROJECT_XSD)
    if not schema.validate(etree.ElementTree(project)):
        first = schema.error_log[0]
        raise ExportError(f"<export of {study.id}>", f"line {first.line}", f"breaks the REFI-QDA XSD: {first.message}",
                          remedy="this is a bug in icevidence's REFI writer; please report it with the study.")


def write_archive(out: Path, xml: bytes, texts: dict[str, str]) -> None:
    """Write project.qde and sources/*.txt with fixed timestamps, in a fixed order."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in [("project.qde", xml), *((f"sources/{m}", texts[m].encode("utf-8")) for m in sorted(texts))]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data)
    os.chmod(out, 0o644)
