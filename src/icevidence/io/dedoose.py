"""Dedoose excerpt export import (csv or xlsx): one row per excerpt, one "Code: <name> Applied" column per code.

Columns Media Title (the document), Excerpt Copy (the coded text), Excerpt Creator (the coder),
Excerpt Range ("start-end" characters in the media), Excerpt Date, Resource Creator/Date, then per
code "Code: <name> Applied" (True/False) and "Code: <name> Weight"; every other column is a
descriptor field of the media, kept as a document variable. A child code is written
"Parent\\Child". Dedoose writes CSV in the Windows code page (cp1252) where UTF-8 does not decode.
Each excerpt becomes one segment per code applied to it (segment id "<row>:<code>").
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.study import Study
from .assign import CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .errors import MalformedExportError
from .spreadsheet import read_sheet, reject_row

MEDIA, TEXT, CREATOR, RANGE = "Media Title", "Excerpt Copy", "Excerpt Creator", "Excerpt Range"
CODE_COLUMN = re.compile(r"^Code: ?(?P<name>.+?) Applied$")
OWN_COLUMNS = re.compile(r"^(Excerpt |Resource |Code: |Media Title$|Codes Applied)")
APPLIED = {"true", "1", "yes", "x"}
SEPARATOR = "\\"
WINDOWS_PAGE = "cp1252"


def sniff(columns: list[str]) -> bool:
    """True when a header row is a Dedoose excerpt export (media title, excerpt text, code columns)."""
    return MEDIA in columns and TEXT in columns and any(CODE_COLUMN.match(c) for c in columns)


def read_dedoose(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                 encoding: str | None = None, sheet: str | int | None = None) -> Study:
    """Import a Dedoose excerpt export (csv or xlsx) as a Study."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    frame = read_excerpts(path, encoding, sheet, skipped)
    code_columns = {c: CODE_COLUMN.match(c)["name"].strip() for c in frame.columns if CODE_COLUMN.match(c)}
    codes = code_table(list(code_columns.values()))
    codings = [coding for number, row in zip(frame.index, frame.to_dict("records"))
               for coding in excerpt_codings(row, int(number), code_columns, str(path), skipped)]
    attributes = descriptor_attributes(frame)
    study = build_study(study_id_for(path, config), codes, pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS),
                        attributes, config, path, skipped=skipped)
    if frame.attrs.get("encoding") == WINDOWS_PAGE:
        study.meta["warnings"] = [*(study.meta.get("warnings") or []),
                                  f"{path.name} is not UTF-8; it was read as Windows-1252 (cp1252), as Dedoose writes "
                                  "CSV; export as XLSX to avoid any doubt"]
    return study


def read_excerpts(path: Path, encoding: str | None, sheet: str | int | None,
                  skipped: list[dict] | None) -> pd.DataFrame:
    """The export's rows as text; a CSV that is not UTF-8 is read as cp1252, the code page Dedoose writes."""
    try:
        return read_sheet(path, sheet=sheet, encoding=encoding, skipped=skipped)
    except MalformedExportError as exc:
        if encoding is not None or "not valid" not in exc.problem:
            raise
    frame = read_sheet(path, sheet=sheet, encoding=WINDOWS_PAGE, skipped=skipped)
    frame.attrs["encoding"] = WINDOWS_PAGE
    return frame


def code_table(names: list[str]) -> pd.DataFrame:
    """Codes from the code columns' names, with every parent of a "Parent\\Child" name, in column order."""
    codes: dict[str, dict[str, Any]] = {}
    for name in names:
        parts = [p.strip() for p in name.split(SEPARATOR) if p.strip()] or [name]
        for depth in range(len(parts)):
            key = SEPARATOR.join(parts[:depth + 1])
            parent = SEPARATOR.join(parts[:depth]) or None
            codes.setdefault(key, {"code_id": key, "parent_id": parent, "name": parts[depth], "description": None})
    return pd.DataFrame(list(codes.values()), columns=CODE_INPUT_COLUMNS)


def excerpt_codings(row: dict[str, Any], number: int, code_columns: dict[str, str], file: str,
                    skipped: list[dict] | None) -> list[dict[str, Any]]:
    """One coding per code applied to an excerpt; none (the row listed as skipped) without a media title."""
    applied = [name for column, name in code_columns.items() if str(row.get(column) or "").strip().lower() in APPLIED]
    if not applied:
        return []
    media = str(row.get(MEDIA) or "").strip()
    if not media:
        reject_row(skipped, file, number, MEDIA, "the media title is empty")
        return []
    start, end = excerpt_range(row.get(RANGE))
    coder = str(row.get(CREATOR) or "").strip() or None
    return [{"segment_id": f"{number}:{code_key(name)}", "document": media, "case": None, "code_id": code_key(name),
             "text": str(row.get(TEXT) or ""), "start": start, "end": end,
             "note": f"coder: {coder}" if coder else None, "coder": coder} for name in applied]


def code_key(name: str) -> str:
    """A code's id: its "Parent\\Child" name with blanks around each part removed."""
    return SEPARATOR.join(p.strip() for p in name.split(SEPARATOR) if p.strip()) or name


def excerpt_range(value: Any) -> tuple[int | None, int | None]:
    """Start and end characters from Dedoose's "start-end" range; (None, None) when absent or malformed."""
    found = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", str(value or ""))
    return (int(found[1]), int(found[2])) if found and int(found[1]) <= int(found[2]) else (None, None)


def descriptor_attributes(frame: pd.DataFrame) -> pd.DataFrame:
    """Descriptor fields (columns Dedoose does not itself write) as document variables, one value per media."""
    fields = [c for c in frame.columns if not OWN_COLUMNS.match(str(c))]
    rows = []
    for _, row in frame.drop_duplicates(MEDIA).iterrows():
        media = str(row[MEDIA] or "").strip()
        rows += [{"owner_kind": "document", "owner": media, "variable": field, "value": str(row[field]).strip()}
                 for field in fields if media and row[field] is not None and str(row[field]).strip()]
    return pd.DataFrame(rows, columns=["owner_kind", "owner", "variable", "value"])
