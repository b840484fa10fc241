"""Pandera schemas of the canonical tables, declared once; validation reports every failure."""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa

from .errors import FAILURE_COLUMNS, DataValidationError
from .vocabulary import CODE_LEVELS, TIERS

ATTRIBUTION_STATUSES = ["valid", "malformed", "missing"]

PARTICIPANT_ATTRIBUTES = [
    "professional_group", "title", "years_of_service", "gender", "age_band",
    "ethnicity", "sector", "level", "area", "locality",
]
PARTICIPANT_COLUMNS = ["study", "participant_id", "tier", "site", *PARTICIPANT_ATTRIBUTES, "source", "note"]
CODE_COLUMNS = ["study", "code_id", "parent_id", "name", "path", "level", "framework", "description", "source"]
SEGMENT_COLUMNS = [
    "study", "segment_id", "participant_id", "code_id", "text", "location",
    "attribution_raw", "attribution_status", "tier", "site", "document", "start", "end", "note", "coder",
]
DOCUMENT_COLUMNS = ["study", "document", "characters", "source"]
WHOLE_NUMBER = r"^[0-9]+$"

_text = dict(dtype="string", nullable=True, required=False)


def _optional(*names: str) -> dict[str, pa.Column]:
    return {name: pa.Column(**_text) for name in names}


def participants_schema() -> pa.DataFrameSchema:
    """Schema of the participants table: one row per interviewee."""
    return pa.DataFrameSchema(
        {
            "study": pa.Column("string"),
            "participant_id": pa.Column("string", unique=True, nullable=False),
            "tier": pa.Column("string", pa.Check.isin(TIERS), nullable=True),
            "site": pa.Column("string", nullable=True),
            **_optional(*PARTICIPANT_ATTRIBUTES, "source", "note"),
        },
        coerce=False,
    )


def codes_schema(code_ids: Iterable[str]) -> pa.DataFrameSchema:
    """Schema of the code tree; a parent must be one of the study's codes."""
    return pa.DataFrameSchema(
        {
            "study": pa.Column("string"),
            "code_id": pa.Column("string", unique=True, nullable=False),
            "parent_id": pa.Column("string", pa.Check.isin(list(code_ids)), nullable=True),
            "name": pa.Column("string", pa.Check.str_length(min_value=1), nullable=False),
            "level": pa.Column("string", pa.Check.isin(CODE_LEVELS), nullable=False),
            **_optional("path", "framework", "description", "source"),
        }
    )


def segments_schema(code_ids: Iterable[str]) -> pa.DataFrameSchema:
    """Schema of coded segments: one row per coding of one quote or selection with one code."""
    return pa.DataFrameSchema(
        {
            "study": pa.Column("string"),
            "segment_id": pa.Column("string", unique=True, nullable=False),
            "participant_id": pa.Column("string", nullable=True),
            "code_id": pa.Column("string", pa.Check.isin(list(code_ids)), nullable=False),
            "text": pa.Column("string", nullable=False),
            "location": pa.Column("string", nullable=False),
            "attribution_raw": pa.Column("string", nullable=True),
            "attribution_status": pa.Column("string", pa.Check.isin(ATTRIBUTION_STATUSES), nullable=False),
            "tier": pa.Column("string", pa.Check.isin(TIERS), nullable=True),
            "start": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
            "end": pa.Column("Int64", pa.Check.ge(0), nullable=True, required=False),
            **_optional("site", "document", "note", "coder"),
        }
    )


def documents_schema() -> pa.DataFrameSchema:
    """Schema of the documents table: each source document's full length in characters (code points), and where
    that number comes from; coverage and character-unit agreement divide by it."""
    return pa.DataFrameSchema(
        {
            "study": pa.Column("string"),
            "document": pa.Column("string", unique=True, nullable=False),
            "characters": pa.Column("string", pa.Check.str_matches(WHOLE_NUMBER), nullable=False),
            **_optional("source"),
        }
    )


def collect_failures(schema: pa.DataFrameSchema, df: pd.DataFrame, file: str, row_offset: int = 2) -> pd.DataFrame:
    """Validate lazily and return every failure as rows of (file, row, column, value, problem)."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _failures_from(exc.failure_cases, file, row_offset)
    return pd.DataFrame(columns=FAILURE_COLUMNS)


def _failures_from(cases: pd.DataFrame, file: str, row_offset: int) -> pd.DataFrame:
    rows = []
    for case in cases.itertuples(index=False):
        index = case.index
        row = None if index is None or pd.isna(index) else int(index) + row_offset
        column = case.column
        problem = _describe_check(str(case.check))
        value = case.failure_case
        if case.check == "column_in_dataframe":
            column, value, problem = case.failure_case, None, "required column is missing"
        rows.append({"file": file, "row": row, "column": column, "value": value, "problem": problem})
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def _describe_check(check: str) -> str:
    if check.startswith("isin("):
        return f"not an allowed value; allowed: {check[5:-1]}"
    if check == "field_uniqueness":
        return "duplicate value; each must be unique"
    if check == "not_nullable":
        return "empty, but a value is required"
    if check.startswith("str_matches("):
        return "not a whole number >= 0" if WHOLE_NUMBER in check else f"does not match {check[12:-1]}"
    if check.startswith("dtype("):
        return f"wrong type; expected {check[6:-1]}"
    return f"fails check {check}"


def raise_if_failures(frames: list[pd.DataFrame]) -> None:
    """Raise one DataValidationError listing all collected failures, if there are any."""
    nonempty = [f for f in frames if len(f)]
    if nonempty:
        raise DataValidationError(pd.concat(nonempty, ignore_index=True))
