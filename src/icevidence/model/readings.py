"""Readings a study.yml declares about its own data, each with its reason: site display names, merged
spellings of one category (`recode:`) and two IDs of one person (`aliases:`).

study.yml
    site_names:                      # how an appendix names each site (the paper's own wording)
      Bexley: a borough in south London
    recode:                          # per column: a spelling -> the category it is, and why
      years_of_service:
        '15-20': {to: '15–20', reason: the same band printed with a hyphen}
    aliases:                         # an ID -> the ID of the same person, and where the paper links them
      G1PK: {same_as: G1P13, reason: the same quote is attributed to both}

Every entry is checked when the study loads; a malformed one raises a ConfigError naming the
file, the key and the remedy.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import ConfigError

READING_KEYS = ("site_names", "recode", "aliases")


def check_readings(meta: dict[str, Any], path: Path | str) -> None:
    """Raise a ConfigError for the first malformed site_names, recode or aliases entry of a study.yml."""
    names = meta.get("site_names")
    if names is not None and not (isinstance(names, dict) and all(isinstance(v, str) and v.strip()
                                                                    for v in names.values())):
        raise ConfigError(str(path), "site_names", "must map each site to the name an appendix prints",
                          remedy="write one 'site: display name' line per site, e.g. 'Bexley: a borough in "
                                 "south London'.")
    recode = meta.get("recode")
    if recode is not None:
        if not isinstance(recode, dict):
            raise ConfigError(str(path), "recode", "must map each column to its spellings",
                              remedy="write 'recode:' then 'column:' then \"'spelling': {to: category, reason: why}\".")
        for column, entries in recode.items():
            check_entries(entries, path, f"recode.{column}", "to")
    check_entries(meta.get("aliases"), path, "aliases", "same_as")


def check_entries(entries: object, path: Path | str, key: str, target: str) -> None:
    """Each entry of a recode column or of aliases: a mapping with its target and a non-empty reason."""
    if entries is None:
        return
    if not isinstance(entries, dict):
        raise ConfigError(str(path), key, "must be a mapping of values to entries",
                          remedy=f"write \"'value': {{{target}: ..., reason: ...}}\" per line.")
    for value, entry in entries.items():
        where = f"{key}.{value}"
        if not isinstance(entry, dict) or entry.get(target) in (None, ""):
            raise ConfigError(str(path), where, f"entry has no '{target}'",
                              remedy=f"write {{{target}: ..., reason: ...}} for {value!r}.")
        if not str(entry.get("reason") or "").strip():
            raise ConfigError(str(path), where, "entry has no reason",
                              remedy="say where the paper shows these are the same, in 'reason:'.")


def recoded(participants: pd.DataFrame, meta: dict[str, Any], path: Path | str) -> pd.DataFrame:
    """The participant table with each declared spelling replaced by its category."""
    df = participants.copy()
    for column, entries in (meta.get("recode") or {}).items():
        if column not in df.columns:
            raise ConfigError(str(path), f"recode.{column}", f"participants.csv has no column {column!r}",
                              remedy=f"recode one of its columns: {', '.join(map(str, df.columns))}.")
        mapping = {str(k): str(v["to"]) for k, v in entries.items()}
        renamed = df[column].map(lambda v, m=mapping: m.get(str(v), v) if pd.notna(v) else v)
        df[column] = renamed.astype(df[column].dtype)
    return df


def aliased(segments: pd.DataFrame, participants: pd.DataFrame, meta: dict[str, Any],
            path: Path | str) -> pd.DataFrame:
    """The segments with each aliased ID replaced by the ID of the same person (a person is counted once)."""
    aliases = {str(k): str(v["same_as"]) for k, v in (meta.get("aliases") or {}).items()}
    known = set(participants["participant_id"].dropna().astype(str))
    for alias, person in aliases.items():
        if person not in known:
            raise ConfigError(str(path), f"aliases.{alias}.same_as", f"{person!r} is not in participants.csv",
                              remedy="name the participant_id of a row of participants.csv.")
    df = segments.copy()
    df["participant_id"] = df["participant_id"].map(lambda v: aliases.get(str(v), v) if pd.notna(v) else v)
    return df.astype({"participant_id": segments["participant_id"].dtype})


def reading_notes(meta: dict[str, Any]) -> list[str]:
    """One sentence per declared recode and alias, for the appendix's note on how the data were read."""
    notes = [f"{column}: '{value}' is counted as '{entry['to']}' ({str(entry['reason']).rstrip('.')})."
             for column, entries in (meta.get("recode") or {}).items() for value, entry in entries.items()]
    notes += [f"ID {alias} is counted as {entry['same_as']}, the same person ({str(entry['reason']).rstrip('.')})."
              for alias, entry in (meta.get("aliases") or {}).items()]
    return notes


def with_site_names(study):
    """A copy of a study whose site values read as study.yml's `site_names` (the paper's own wording)."""
    names = {str(k): str(v) for k, v in (study.meta.get("site_names") or {}).items()}
    if not names:
        return study
    def renamed(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out["site"] = out["site"].map(lambda v: names.get(str(v), v) if pd.notna(v) else v).astype(frame["site"].dtype)
        return out
    return replace(study, participants=renamed(study.participants), segments=renamed(study.segments))
