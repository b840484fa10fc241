"""Load one study's validated tables (participants, codes, segments) from its data folder."""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import config
from .safe_regex import compile_user_regex
from .errors import FAILURE_COLUMNS, ConfigError
from .schema import (
    CODE_COLUMNS, PARTICIPANT_COLUMNS, SEGMENT_COLUMNS, codes_schema, collect_failures,
    participants_schema, raise_if_failures, segments_schema,
)

TABLE_FILES = {"participants": "participants.csv", "codes": "codes.csv", "segments": "segments.csv"}


@dataclass
class Study:
    """One study's canonical tables and its study.yml metadata; every importer returns this."""

    id: str
    participants: pd.DataFrame
    codes: pd.DataFrame
    segments: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)
    folder: Path | None = None

    @property
    def assumptions(self) -> list[str]:
        """Declared assumptions (e.g. a level-to-tier mapping) every report must state."""
        return list(self.meta.get("assumptions") or [])

    @property
    def group_by(self) -> str:
        """The study's default grouping column for tables and matrices."""
        return str(self.meta.get("group_by", "tier"))

    def __repr__(self) -> str:
        return (f"Study({self.id!r}: {len(self.participants)} participants, "
                f"{len(self.codes)} codes, {len(self.segments)} segments)")


def load_study(study_id: str, root: Path | None = None) -> Study:
    """Read, map and validate the study in data/raw/<study_id>/ and return its tables."""
    folder = (root or config.RAW) / study_id
    meta = read_study_yml(folder)
    tables = {name: read_table(folder / file) for name, file in TABLE_FILES.items()}
    study = assemble_study(meta, tables, inputs=[folder / "study.yml", *(folder / f for f in TABLE_FILES.values())])
    study.folder = folder
    return study


def assemble_study(meta: dict[str, Any], tables: dict[str, pd.DataFrame], inputs: list[Path] | None = None,
                   files: dict[str, str] | None = None) -> Study:
    """Map tiers and sites, order bands, validate every table at once and build the Study."""
    study_id = str(meta["id"])
    files = files or {name: f"data/raw/{study_id}/{file}" for name, file in TABLE_FILES.items()}
    check_required_columns(tables, files)
    participants = prepare_participants(tables["participants"], meta)
    codes = prepare_codes(tables["codes"], study_id)
    segments = prepare_segments(tables["segments"], participants, meta)
    validate_tables(participants, codes, segments, files)
    participants = order_bands(participants, meta)
    return Study(study_id, participants, codes, segments, meta, list(inputs or []))


REQUIRED_COLUMNS = {
    "participants": ["participant_id"],
    "codes": ["code_id", "name", "level"],
    "segments": ["segment_id", "code_id", "text", "location", "attribution_status"],
}


def check_required_columns(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> None:
    """Raise one error naming every required column missing from any table."""
    rows = [{"file": files[name], "row": None, "column": col, "value": None,
             "problem": "required column is missing"}
            for name, cols in REQUIRED_COLUMNS.items() for col in cols if col not in tables[name].columns]
    raise_if_failures([pd.DataFrame(rows, columns=FAILURE_COLUMNS)])


def read_study_yml(folder: Path) -> dict[str, Any]:
    """Parse study.yml, checking the fields every study must declare."""
    path = folder / "study.yml"
    if not path.is_file():
        raise ConfigError(str(path), "", "no study.yml here",
                          remedy=f"check the study id; known studies are the folders of {config.RAW}.")
    try:
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(str(path), "", f"not valid YAML ({exc})", remedy="fix the YAML syntax.") from exc
    for key in ("id", "citation", "licence"):
        if key not in meta:
            raise ConfigError(str(path), key, "required field is missing", remedy=f"add '{key}:' to the file.")
    if meta["id"] != folder.name:
        raise ConfigError(str(path), "id", f"id {meta['id']!r} differs from the folder name {folder.name!r}",
                          remedy="make the id and the folder name the same.")
    return meta


def read_table(path: Path) -> pd.DataFrame:
    """Read a canonical CSV as text, keeping only empty cells as missing."""
    if not path.is_file():
        raise ConfigError(str(path), "", "table file is missing",
                          remedy="every study folder holds participants.csv, codes.csv and segments.csv.")
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8")


def prepare_participants(df: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Add the study id and fill tier and site from the study's declared mapping."""
    df = with_columns(df, PARTICIPANT_COLUMNS)
    df["study"] = str(meta["id"])
    for target in ("tier", "site"):
        mapped = map_column(df, (meta.get("mapping") or {}).get(target, []))
        df[target] = df[target].fillna(mapped)
    return df[PARTICIPANT_COLUMNS]


def prepare_codes(df: pd.DataFrame, study_id: str) -> pd.DataFrame:
    """Add the study id and each code's path from the root (names joined by ' > ')."""
    df = with_columns(df, CODE_COLUMNS)
    df["study"] = study_id
    df["path"] = code_paths(df)
    return df[CODE_COLUMNS]


def prepare_segments(df: pd.DataFrame, participants: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Give each segment its participant's tier and site, or the ones its ID implies."""
    df = with_columns(df, SEGMENT_COLUMNS)
    df["study"] = str(meta["id"])
    known = participants.drop_duplicates("participant_id").dropna(subset=["participant_id"]).set_index("participant_id")
    mapping = meta.get("mapping") or {}
    for target in ("tier", "site"):
        from_participant = df["participant_id"].map(known[target]) if len(known) else pd.NA
        from_id = map_column(df, [r for r in mapping.get(target, []) if r.get("field") == "participant_id"])
        df[target] = df[target].fillna(from_participant).fillna(from_id)
    for col in ("start", "end"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    return df[SEGMENT_COLUMNS]


def map_column(df: pd.DataFrame, rules: list[dict[str, str]]) -> pd.Series:
    """Apply ordered (field, regex pattern) -> value rules; the first rule that matches wins (patterns run on RE2)."""
    out = pd.Series(pd.NA, index=df.index, dtype="string")
    for rule in rules:
        source = df.get(rule["field"])
        if source is None:
            continue
        regex = compile_user_regex(rule["pattern"], "study.yml", f"mapping ({rule['field']}).pattern")
        found = source.fillna("").map(lambda value: regex.search(value) is not None).astype(bool)  # RE2: linear
        hit = found & out.isna()
        out[hit] = rule["value"]
    return out


def code_paths(codes: pd.DataFrame) -> pd.Series:
    """Path of each code from its root, e.g. 'Innovation characteristics > Relative advantage'."""
    names = dict(zip(codes["code_id"], codes["name"]))
    parents = dict(zip(codes["code_id"], codes["parent_id"]))
    paths = []
    for code in codes["code_id"]:
        chain, seen = [], set()
        while isinstance(code, str) and code in names and code not in seen:
            seen.add(code)
            chain.append(str(names[code]))
            code = parents.get(code)
        paths.append(" > ".join(reversed(chain)))
    return pd.Series(paths, index=codes.index, dtype="string")


def validate_tables(participants: pd.DataFrame, codes: pd.DataFrame, segments: pd.DataFrame,
                    files: dict[str, str]) -> None:
    """Validate all three tables lazily and raise one error listing every failure."""
    code_ids = codes["code_id"].dropna().tolist()
    raise_if_failures([
        collect_failures(participants_schema(), participants, files["participants"]),
        collect_failures(codes_schema(code_ids), codes, files["codes"]),
        collect_failures(segments_schema(code_ids), segments, files["segments"]),
    ])


def order_bands(df: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Make each banded attribute an ordered categorical in the order study.yml declares."""
    df = df.copy()
    for column, order in (meta.get("bands") or {}).items():
        found = set(df[column].dropna())
        extra = sorted(found - set(order))
        if extra:
            raise ConfigError(f"data/raw/{meta['id']}/study.yml", f"bands.{column}",
                              f"values {extra} occur in participants.csv but are not in the band order",
                              remedy="add each value, exactly as printed, to the band list in its place.")
        df[column] = pd.Categorical(df[column], categories=list(order), ordered=True)
    return df


def with_columns(df: pd.DataFrame, columns: list[str], dtype: str = "string") -> pd.DataFrame:
    """A copy with every listed column present (missing ones empty)."""
    df = df.copy()
    for col in columns:
        if col not in df.columns:
            df[col] = pd.Series(pd.NA, index=df.index, dtype=dtype)
    return df


def available_studies(root: Path | None = None) -> list[str]:
    """Ids of the studies with a study.yml under data/raw/."""
    base = root or config.RAW
    return sorted(p.parent.name for p in base.glob("*/study.yml"))
