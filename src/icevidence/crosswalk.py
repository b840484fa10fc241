"""The editable crosswalk from each study's codes to shared cross-study concepts."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import config
from .errors import FAILURE_COLUMNS
from .schema import collect_failures, raise_if_failures
from .study import Study, read_table

CONCEPTS_FILE = "concepts.csv"


def read_concepts(path: Path | None = None) -> pd.DataFrame:
    """The shared concepts, in display order."""
    table = read_table(path or config.DATA / CONCEPTS_FILE)
    raise_if_failures([collect_failures(concepts_schema(), table, _name(path, CONCEPTS_FILE))])
    return table


def concepts_schema() -> pa.DataFrameSchema:
    """Schema of concepts.csv."""
    return pa.DataFrameSchema({
        "concept_id": pa.Column("string", unique=True, nullable=False),
        "name": pa.Column("string", nullable=False),
        "description": pa.Column("string", nullable=True, required=False),
    })


def crosswalk_schema(concept_ids: list[str]) -> pa.DataFrameSchema:
    """Schema of crosswalk.csv: each row maps one study code to one known concept, with a reason."""
    return pa.DataFrameSchema({
        "study": pa.Column("string", nullable=False),
        "code_id": pa.Column("string", nullable=False),
        "concept_id": pa.Column("string", pa.Check.isin(concept_ids), nullable=False),
        "rationale": pa.Column("string", pa.Check.str_length(min_value=3), nullable=False),
    }, unique=["study", "code_id", "concept_id"])


def read_crosswalk(studies: list[Study], path: Path | None = None, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and validate the crosswalk against the concepts and the given studies' codes."""
    path = path or config.CROSSWALK
    concepts = read_concepts() if concepts is None else concepts
    table = read_table(path)
    name = _name(path, "crosswalk.csv")
    raise_if_failures([
        collect_failures(crosswalk_schema(concepts["concept_id"].tolist()), table, name),
        unknown_codes(table, studies, name),
        concepts_without_codes(table, concepts, name),
    ])
    return table


def unknown_codes(table: pd.DataFrame, studies: list[Study], file: str) -> pd.DataFrame:
    """Rows mapping a code the named (loaded) study does not have."""
    known = {s.id: set(s.codes["code_id"]) for s in studies}
    rows = [{"file": file, "row": i + 2, "column": "code_id", "value": code,
             "problem": f"study {study!r} has no such code"}
            for i, (study, code) in enumerate(zip(table["study"], table["code_id"]))
            if study in known and code not in known[study]]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def concepts_without_codes(table: pd.DataFrame, concepts: pd.DataFrame, file: str) -> pd.DataFrame:
    """Concepts no code maps to: a concept with no codes is an error, not an empty column."""
    used = set(table["concept_id"])
    rows = [{"file": file, "row": None, "column": "concept_id", "value": c,
             "problem": "concept has no codes mapped to it; map a code or remove it from concepts.csv"}
            for c in concepts["concept_id"] if c not in used]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def unmapped_codes(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Codes mapped to no concept, themselves or through an ancestor: listed, not hidden."""
    rows = []
    for study in studies:
        mapped = concept_of_codes(study, crosswalk)
        missing = study.codes[~study.codes["code_id"].isin(mapped["code_id"])]
        rows.append(missing.assign(study=study.id)[["study", "code_id", "path", "level"]])
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["study", "code_id", "path", "level"])


def concept_of_codes(study: Study, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Each code's concepts: its own mappings, else those of its nearest mapped ancestor."""
    from .codes import ancestors
    own = crosswalk[crosswalk["study"] == study.id].groupby("code_id")["concept_id"].apply(list).to_dict()
    rows = []
    for code, chain in ancestors(study.codes).items():
        nearest = next((c for c in reversed(chain) if c in own), None)
        rows += [{"code_id": code, "concept_id": concept} for concept in own.get(nearest, [])]
    return pd.DataFrame(rows, columns=["code_id", "concept_id"])


def _name(path: Path | None, default: str) -> str:
    from .provenance import relative
    return relative(path) if path else f"data/{default}"
