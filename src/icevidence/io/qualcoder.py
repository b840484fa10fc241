"""QualCoder coding report import (csv or xlsx): one row per coded text segment.

Columns File, Coder, Coded, Id, Codename, Coded_Memo, Category (headers in other languages are known
too). Id is 'ctid:<n>', QualCoder's coding id, kept as the segment id. The report gives only each
code's direct category, so categories become top-level codes and codes their children. QualCoder
separates paragraphs inside coded text with U+2029 PARAGRAPH SEPARATOR; it is turned into a line break.
The report has no positions, so start/end stay empty.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..model.study import Study
from .assign import CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .headers import QUALCODER, find_columns, matches_by_name
from .spreadsheet import iter_records, read_sheet, reject_row

PARAGRAPH_SEPARATOR = "\u2029"
CATEGORY_PREFIX = "category:"
CODE_PREFIX = "code:"


def sniff(columns: list[str]) -> bool:
    """True when a header row is a QualCoder coding report (file, coded text, id, code name)."""
    return matches_by_name(columns, QUALCODER)


def read_qualcoder(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                   encoding: str | None = None, sheet: str | int | None = None) -> Study:
    """Import a QualCoder coding report (csv or xlsx) as a Study."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    frame = read_sheet(path, sheet=sheet, encoding=encoding, skipped=skipped)
    columns = find_columns(frame.columns, QUALCODER, str(path), sample=frame.head(500))
    codes: dict[str, dict[str, Any]] = {}
    codings: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, record in iter_records(frame, columns):
        coding = report_coding(record, number, columns, str(path), seen, skipped)
        if coding is not None:
            add_code(codes, record["code"].strip(), clean(record["category"]))
            codings.append(coding)
    return build_study(study_id_for(path, config), pd.DataFrame(list(codes.values()), columns=CODE_INPUT_COLUMNS),
                       pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS), None, config, path, skipped=skipped)


def report_coding(record: dict[str, str | None], number: int, columns: dict[str, str | None], file: str,
                  seen: dict[str, int], skipped: list[dict] | None) -> dict[str, Any] | None:
    """One coding from a report row, or None (row listed as skipped) when the row is invalid."""
    for key in ("document", "code", "id"):
        if not clean(record[key]):
            reject_row(skipped, file, number, columns[key], f"the {QUALCODER[key].label} is empty")
            return None
    segment_id = record["id"].strip()
    if segment_id in seen:
        reject_row(skipped, file, number, columns["id"],
                   f"coding id {segment_id!r} already occurs in row {seen[segment_id]}")
        return None
    seen[segment_id] = number
    code = record["code"].strip()
    category = clean(record["category"])
    return {"segment_id": segment_id, "document": record["document"].strip(), "case": None,
            "code_id": code_id(code, category), "text": paragraphs_as_lines(record["text"] or ""),
            "start": None, "end": None, "note": report_note(record.get("coder"), record.get("memo")),
            "coder": clean(record.get("coder"))}


def clean(value: str | None) -> str | None:
    """The value without surrounding blanks, None when empty."""
    if value is None:
        return None
    return value.strip() or None


def code_id(code: str, category: str | None) -> str:
    """A code's id: its category and name, so equal names in two categories stay apart."""
    return f"{CODE_PREFIX}{category} > {code}" if category else f"{CODE_PREFIX}{code}"


def add_code(codes: dict[str, dict[str, Any]], code: str, category: str | None) -> None:
    """Add the category (a top-level code) and the code under it, in order of first appearance."""
    parent = None
    if category:
        parent = f"{CATEGORY_PREFIX}{category}"
        codes.setdefault(parent, {"code_id": parent, "parent_id": None, "name": category, "description": None})
    key = code_id(code, category)
    codes.setdefault(key, {"code_id": key, "parent_id": parent, "name": code, "description": None})


def paragraphs_as_lines(text: str) -> str:
    """Coded text with QualCoder's U+2029 paragraph separators as line breaks."""
    return text.replace(PARAGRAPH_SEPARATOR, "\n")


def report_note(coder: str | None, memo: str | None) -> str | None:
    """The note of a coding: who coded it and the coding memo."""
    parts = []
    if clean(coder):
        parts.append(f"coder: {coder.strip()}")
    if clean(memo):
        parts.append(f"memo: {paragraphs_as_lines(memo.strip())}")
    return "; ".join(parts) or None
