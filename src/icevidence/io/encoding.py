"""Repair text an export stored double-encoded (UTF-8 bytes read as a Windows or Latin code page, then saved).

"SĂŁo LuĂ­s" is "São Luís" written as UTF-8, read back as Windows-1250 and stored again; a MAXQDA
or NVivo project moved between machines can carry names like that. ftfy (made for this) repairs
what it is sure of; where it declines, the text is tried against the code pages such software
uses, and repaired only when exactly one of them turns it back into valid UTF-8 that reads
better. Every repaired value is listed in the import summary; a value that still looks
double-encoded is flagged, never guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import ftfy
import pandas as pd

from ..model.study import Study

# Windows software reads UTF-8 through the system's ANSI code page, so those pages are tried first;
# the ISO and Mac pages only when no Windows page turns the text back into UTF-8.
CODE_PAGES = (("cp1252", "cp1250"), ("iso-8859-2", "latin-1", "mac_roman"))
TABLES = ("participants", "codes", "segments", "documents")
REPAIRED = "kept, repaired double-encoded text"
SHOWN = 60


@dataclass(frozen=True)
class Repair:
    """One value of one column that was repaired (or only flagged: ``after`` is None)."""

    table: str
    column: str
    before: str
    after: str | None
    rows: int


def repair_text(text: str) -> tuple[str, bool]:
    """The text with double encoding undone where that is unambiguous, and whether it still looks double-encoded."""
    if text.isascii():
        return text, False
    fixed = ftfy.fix_encoding(text)
    for pages in CODE_PAGES if fixed == text else ():
        candidates = {round_trip(text, page) for page in pages} - {None, text}
        if candidates:
            fixed = candidates.pop() if len(candidates) == 1 else text  # two readings: ambiguous, flagged
            return fixed, fixed == text or ftfy.badness.is_bad(fixed)
    return fixed, ftfy.badness.is_bad(fixed)


def round_trip(text: str, page: str) -> str | None:
    """The text's characters as bytes of a code page, read as UTF-8; None when that is not valid UTF-8."""
    try:
        return text.encode(page).decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def repair_column(values: pd.Series, table: str, column: str) -> tuple[pd.Series, list[Repair]]:
    """A column with each distinct double-encoded value repaired, and what was repaired or flagged."""
    distinct = [v for v in values.dropna().unique() if isinstance(v, str) and not v.isascii()]
    readings = {value: repair_text(value) for value in distinct}
    mapping = {value: fixed for value, (fixed, _) in readings.items() if fixed != value}
    listed = [value for value, (fixed, suspect) in readings.items() if fixed != value or suspect]
    rows = values.value_counts() if listed else None  # counted once, not once per listed value
    found = [Repair(table, column, value, mapping.get(value), int(rows[value])) for value in listed]
    return (values.replace(mapping) if mapping else values), found


def repair_study(study: Study) -> tuple[Study, list[Repair]]:
    """Every text column of every table of an imported study, repaired; ids are repaired alike in every table."""
    changes, repairs = {}, []
    for name in TABLES:
        frame = getattr(study, name)
        for column in [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]:
            fixed, found = repair_column(frame[column], name, column)
            if found:
                frame = frame.assign(**{column: fixed})
                repairs += found
        changes[name] = frame
    return replace(study, **changes), repairs


def summary_lines(repairs: list[Repair]) -> list[str]:
    """Lines for the import summary: each repaired value, then each value flagged as still double-encoded."""
    fixed = [r for r in repairs if r.after is not None]
    flagged = [r for r in repairs if r.after is None]
    lines = []
    if fixed:
        lines.append(f"{len(fixed)} double-encoded value(s) repaired (UTF-8 text stored through a Windows or Latin "
                     "code page by the software that wrote the export):")
        lines += [f"  - {r.table}.{r.column}: {shorten(r.before)!r} -> {shorten(r.after)!r} ({r.rows} row(s))"
                  for r in fixed]
    if flagged:
        lines.append(f"{len(flagged)} value(s) still look double-encoded and were left as they are; check them "
                     "in the QDA software and export again:")
        lines += [f"  - {r.table}.{r.column}: {shorten(r.before)!r} ({r.rows} row(s))" for r in flagged]
    return lines


def shorten(text: str | None) -> str:
    """A long value cut for the summary."""
    text = text or ""
    return text if len(text) <= SHOWN else text[:SHOWN] + "…"
