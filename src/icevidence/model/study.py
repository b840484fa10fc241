"""Load one study's validated tables (participants, codes, segments, and documents where known) from its data folder."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from . import config
from .codes import tree_depths
from .errors import FAILURE_COLUMNS, ConfigError
from .readings import aliased, check_readings, recoded
from .safe_regex import compile_user_regex
from .schema import (
    CODE_COLUMNS,
    DOCUMENT_COLUMNS,
    PARTICIPANT_COLUMNS,
    SEGMENT_COLUMNS,
    codes_schema,
    collect_failures,
    documents_schema,
    participants_schema,
    raise_if_failures,
    segments_schema,
)
from .yaml_loader import read_yaml

TABLE_FILES = {"participants": "participants.csv", "codes": "codes.csv", "segments": "segments.csv"}
# Optional: a study without transcripts (the published papers: quotes only) has no documents table.
OPTIONAL_FILES = {"documents": "documents.csv"}


def empty_documents() -> pd.DataFrame:
    """A documents table with no rows (a study whose documents' full texts were never seen)."""
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "characters" else "string") for c in DOCUMENT_COLUMNS})


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
    documents: pd.DataFrame = field(default_factory=empty_documents)
    printed: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)  # before study.yml's readings

    @property
    def assumptions(self) -> list[str]:
        """Declared assumptions (e.g. a level-to-tier mapping) every report must state."""
        return list(self.meta.get("assumptions") or [])

    @property
    def group_by(self) -> str:
        """The study's grouping column for tables and matrices: the one study.yml declares; else tier or site,
        whichever the participants record (tier first, as the published studies); else each participant."""
        if self.meta.get("group_by"):
            return str(self.meta["group_by"])
        recorded = [c for c in ("tier", "site") if c in self.participants and self.participants[c].notna().any()]
        return recorded[0] if recorded else "participant_id"

    @property
    def short_name(self) -> str:
        """The study's short citation for titles ('Tracy et al. 2025'): study.yml `short`, else from its citation."""
        if self.meta.get("short"):
            return str(self.meta["short"])
        found = re.match(r"\s*([^\s,(]+)([^(]*)\((\d{4})[a-z]?\)", str(self.meta.get("citation") or ""))
        if not found:
            return self.id
        surname, rest, year = found.groups()
        return f"{surname} et al. {year}" if "," in rest or "&" in rest or " and " in rest else f"{surname} {year}"

    @property
    def document_lengths(self) -> pd.Series:
        """Each document's full length in characters, by document name (empty when no length is known)."""
        lengths = self.documents.set_index("document")["characters"].dropna().astype("int64")
        return lengths.rename_axis("document")

    @property
    def unlinked_speakers(self) -> list[str]:
        """Speaker IDs of quotes that are not rows of the participant table (e.g. letter IDs the paper does not
        link to a numbered participant, and no study.yml alias merges): one person may hide behind two IDs."""
        known = set(self.participants["participant_id"].dropna().astype(str))
        quoted = self.segments["participant_id"].dropna().astype(str)
        return sorted(set(quoted) - known) if len(known) else []

    def upper_bound_clause(self) -> str:
        """The clause a caption's 'what is counted' adds when a count of distinct participants may overstate
        ('' when every quoted ID is a participant)."""
        ids = self.unlinked_speakers
        if not ids:
            return ""
        shown = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
        return (f"counts are upper bounds: {len(ids)} quoted ID{'s' if len(ids) != 1 else ''} ({shown}) "
                f"{'are' if len(ids) != 1 else 'is'} not in the participant table and may be a person counted "
                "under another ID")

    def table_source(self, table: str) -> str:
        """Where a table's rows come from, in the reader's terms: the paper and its table (study.yml
        `sources:`), or the export a study was imported from; never a file path of the compendium."""
        where = (self.meta.get("sources") or {}).get(table)
        if where:
            return f"{self.short_name}, {where}"
        if self.meta.get("imported_from"):
            return f"imported from {self.meta['imported_from']}"
        return self.short_name

    def __repr__(self) -> str:
        return (f"Study({self.id!r}: {len(self.participants)} participants, "
                f"{len(self.codes)} codes, {len(self.segments)} segments)")


def as_printed(study: Study) -> Study:
    """The study as its paper prints it: band spellings and IDs before study.yml's `recode:` and `aliases:` (the
    evidence review reads the paper as printed; every count reads the data as declared)."""
    if not study.printed:
        return study
    return replace(study, participants=study.printed["participants"], segments=study.printed["segments"], printed={})


def as_study(study: Study | str) -> Study:
    """Accept a study id or an already loaded Study."""
    return load_study(study) if isinstance(study, str) else study


def load_study(study_id: str, root: Path | None = None) -> Study:
    """Read, map and validate the study in data/raw/<study_id>/ and return its tables."""
    folder = (root or config.RAW) / study_id
    meta = read_study_yml(folder)
    tables = {name: read_table(folder / file) for name, file in TABLE_FILES.items()}
    optional = {name: folder / file for name, file in OPTIONAL_FILES.items() if (folder / file).is_file()}
    tables |= {name: read_table(path) for name, path in optional.items()}
    inputs = [folder / "study.yml", *(folder / f for f in TABLE_FILES.values()), *optional.values()]
    study = assemble_study(meta, tables, inputs=inputs)
    study.folder = folder
    return study


def assemble_study(meta: dict[str, Any], tables: dict[str, pd.DataFrame], inputs: list[Path] | None = None,
                   files: dict[str, str] | None = None) -> Study:
    """Map tiers and sites, order bands, validate every table at once and build the Study.

    ``tables`` may hold a 'documents' table (document, characters, source); without one the study
    knows no document's full length.
    """
    study_id = str(meta["id"])
    files = {name: f"data/raw/{study_id}/{file}" for name, file in {**TABLE_FILES, **OPTIONAL_FILES}.items()} \
        | (files or {})
    check_required_columns(tables, files)
    study_yml = f"data/raw/{study_id}/study.yml"
    as_printed = prepare_participants(tables["participants"], meta)
    participants = recoded(as_printed, meta, study_yml)
    codes = prepare_codes(tables["codes"], study_id, files["codes"])
    segments_printed = prepare_segments(tables["segments"], participants, meta)
    segments = aliased(segments_printed, participants, meta, study_yml)
    documents = prepare_documents(tables.get("documents"), study_id)
    validate_tables(participants, codes, segments, files, documents)
    participants = order_bands(participants, meta)
    documents = documents.astype({"characters": "Int64"})
    printed = {"participants": as_printed, "segments": segments_printed} \
        if meta.get("recode") or meta.get("aliases") else {}
    return Study(study_id, participants, codes, segments, meta, list(inputs or []), documents=documents,
                 printed=printed)


REQUIRED_COLUMNS = {
    "participants": ["participant_id"],
    "codes": ["code_id", "name", "level"],
    "segments": ["segment_id", "code_id", "text", "location", "attribution_status"],
    "documents": ["document", "characters"],
}


def check_required_columns(tables: dict[str, pd.DataFrame], files: dict[str, str]) -> None:
    """Raise one error naming every required column missing from any table."""
    rows = [{"file": files[name], "row": None, "column": col, "value": None,
             "problem": "required column is missing"}
            for name, cols in REQUIRED_COLUMNS.items() if name in tables
            for col in cols if col not in tables[name].columns]
    raise_if_failures([pd.DataFrame(rows, columns=FAILURE_COLUMNS)])


def read_study_yml(folder: Path) -> dict[str, Any]:
    """Parse study.yml, checking the fields every study must declare."""
    path = folder / "study.yml"
    if not path.is_file():
        raise ConfigError(str(path), "", "no study.yml here",
                          remedy=f"check the study id; known studies are the folders of {config.RAW}.")
    meta = read_yaml(path) or {}
    if not isinstance(meta, dict):
        raise ConfigError(str(path), "", "must be a mapping of fields (id:, citation:, licence:, ...)",
                          remedy="write one 'field: value' per line, as data/README.md describes.")
    for key in ("id", "citation", "licence"):
        if key not in meta:
            raise ConfigError(str(path), key, "required field is missing", remedy=f"add '{key}:' to the file.")
    if meta["id"] != folder.name:
        raise ConfigError(str(path), "id", f"id {meta['id']!r} differs from the folder name {folder.name!r}",
                          remedy="make the id and the folder name the same.")
    check_readings(meta, path)
    return meta


def read_table(path: Path) -> pd.DataFrame:
    """Read a canonical CSV as text, keeping only empty cells as missing."""
    if not path.is_file():
        raise ConfigError(str(path), "", "table file is missing",
                          remedy="every study folder holds participants.csv, codes.csv and segments.csv.")
    return pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig")


def prepare_participants(df: pd.DataFrame, meta: dict[str, Any]) -> pd.DataFrame:
    """Add the study id and fill tier and site from the study's declared mapping."""
    df = with_columns(df, PARTICIPANT_COLUMNS)
    df["study"] = str(meta["id"])
    for target in ("tier", "site"):
        mapped = map_column(df, (meta.get("mapping") or {}).get(target, []))
        df[target] = df[target].fillna(mapped)
    return df[PARTICIPANT_COLUMNS]


def prepare_codes(df: pd.DataFrame, study_id: str, file: str = "codes.csv") -> pd.DataFrame:
    """Add the study id and each code's path from the root (names joined by ' > ')."""
    df = with_columns(df, CODE_COLUMNS)
    df["study"] = study_id
    df["path"] = code_paths(df, file)
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


def prepare_documents(df: pd.DataFrame | None, study_id: str) -> pd.DataFrame:
    """Add the study id; lengths as text until validated (so a bad value is reported as written)."""
    if df is None:
        return empty_documents().astype({"characters": "string"})
    df = with_columns(df, DOCUMENT_COLUMNS)
    df["study"] = study_id
    df["characters"] = df["characters"].astype("object").map(lambda v: None if pd.isna(v) else str(v)).astype("string")
    return df[DOCUMENT_COLUMNS].astype("string").reset_index(drop=True)


def map_column(df: pd.DataFrame, rules: list[dict[str, str]]) -> pd.Series:
    """Apply ordered (field, regex pattern) -> value rules; the first rule that matches wins (patterns run on RE2)."""
    out = pd.Series(pd.NA, index=df.index, dtype="string")
    for rule in rules:
        source = df.get(rule["field"])
        if source is None:
            continue
        regex = compile_user_regex(rule["pattern"], "study.yml", f"mapping ({rule['field']}).pattern")
        found = source.fillna("").map(lambda value, regex=regex: regex.search(value) is not None)  # RE2: linear
        found = found.astype(bool)
        hit = found & out.isna()
        out[hit] = rule["value"]
    return out


def code_paths(codes: pd.DataFrame, file: str = "codes.csv") -> pd.Series:
    """Path of each code from its root, e.g. 'Innovation characteristics > Relative advantage'.

    Each parent link is followed once (tree_depths refuses a cycle or a chain beyond the depth cap).
    """
    names = dict(zip(codes["code_id"], codes["name"]))
    parents = {c: (p if isinstance(p, str) else None) for c, p in zip(codes["code_id"], codes["parent_id"])
               if isinstance(c, str)}
    depths = tree_depths(parents, file, "column parent_id")
    paths: dict[str, str] = {}
    for code in sorted(depths, key=depths.__getitem__):
        parent = parents[code]
        paths[code] = f"{paths[parent]} > {names[code]}" if parent in paths else str(names[code])
    return pd.Series([paths.get(c, "") if isinstance(c, str) else "" for c in codes["code_id"]],
                     index=codes.index, dtype="string")


def validate_tables(participants: pd.DataFrame, codes: pd.DataFrame, segments: pd.DataFrame,
                    files: dict[str, str], documents: pd.DataFrame | None = None) -> None:
    """Validate every table lazily and raise one error listing every failure."""
    code_ids = codes["code_id"].dropna().tolist()
    frames = [
        collect_failures(participants_schema(), participants, files["participants"]),
        collect_failures(codes_schema(code_ids), codes, files["codes"]),
        collect_failures(segments_schema(code_ids), segments, files["segments"]),
    ]
    if documents is not None and len(documents):
        frames += [collect_failures(documents_schema(), documents, files["documents"]),
                   short_documents(documents, segments, files["documents"])]
    raise_if_failures(frames)


def short_documents(documents: pd.DataFrame, segments: pd.DataFrame, file: str) -> pd.DataFrame:
    """Failures for documents shorter than a segment coded in them (a wrong length would make coverage exceed 100 %)."""
    lengths = pd.to_numeric(documents["characters"], errors="coerce")
    ends = pd.to_numeric(segments["end"], errors="coerce")
    reach = segments.assign(end=ends).dropna(subset=["end", "document"]).sort_values("end")
    reach = reach.drop_duplicates("document", keep="last").set_index("document")
    rows = []
    for i, (document, length) in enumerate(zip(documents["document"], lengths)):
        if pd.notna(length) and document in reach.index and reach.at[document, "end"] > length:
            rows.append({"file": file, "row": i + 2, "column": "characters", "value": documents["characters"].iat[i],
                         "problem": f"shorter than segment {reach.at[document, 'segment_id']!r} of this document, "
                                    f"which ends at character {int(reach.at[document, 'end'])}; give the length of "
                                    "the document's full text"})
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


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


def load_known_study(study_id: str, source: str) -> Study:
    """Load a study named on the command line: a plain name that is one of the folders of data/raw/."""
    from .names import is_name
    if not is_name(study_id) or study_id not in available_studies():
        raise ConfigError(source, "study", f"no study {study_id!r}", remedy=f"use one of {available_studies()}.")
    return load_study(study_id)


def available_studies(root: Path | None = None) -> list[str]:
    """Ids of the studies with a study.yml under data/raw/."""
    base = root or config.RAW
    return sorted(p.parent.name for p in base.glob("*/study.yml"))
