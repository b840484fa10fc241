"""How identifiable a participant table is: k-anonymity on its quasi-identifiers.

k is the size of the smallest equivalence class: the fewest participants who share one
combination of quasi-identifier values. A participant alone in a class (k = 1) can be singled
out by anyone who knows those attributes of a person. pycanon, the library made for this,
cannot be installed here (it hard-pins pandas 2.3.3 / numpy 2.0.2 against the project's pandas
3.1), so k is computed with a pandas groupby over the quasi-identifiers (dropna=False: a missing
value is one more value, as a reader of the printed table sees a blank cell).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..model.study import Study
from .groups import ATTRIBUTE_LABELS

# Attributes a reader can know about a colleague; free-text job titles are left out by default
# (nearly unique per person), and can be passed explicitly.
QUASI_IDENTIFIERS = ["tier", "site", "professional_group", "years_of_service", "gender", "age_band",
                     "ethnicity", "sector", "level", "area", "locality"]
PRINTED_EXTRA = ["title"]
KIND = "participants can be singled out"


@dataclass
class Anonymity:
    """k-anonymity of one table: k, the quasi-identifiers used and the equivalence-class sizes."""

    k: int
    quasi_identifiers: list[str]
    participants: int
    unique: int
    class_sizes: pd.Series = field(repr=False)

    def sentence(self) -> str:
        """One sentence stating k for a report."""
        if not self.quasi_identifiers:
            return "The participant table records no quasi-identifiers, so no participant can be singled out by them."
        names = ", ".join(label(q) for q in self.quasi_identifiers)
        return (f"On its quasi-identifiers ({names}) the participant table is {self.k}-anonymous: the smallest group "
                f"of participants sharing one combination of values has {self.k} member{'s' if self.k != 1 else ''}; "
                f"{self.unique} of {self.participants} participants are unique on them.")


def label(column: str) -> str:
    """A column's reader-facing name."""
    return ATTRIBUTE_LABELS.get(column, column).lower()


def quasi_identifiers(participants: pd.DataFrame, candidates: list[str] | None = None) -> list[str]:
    """The candidate columns the table has with at least one value (all-missing columns are skipped)."""
    columns = QUASI_IDENTIFIERS if candidates is None else candidates
    return [c for c in dict.fromkeys(columns) if c in participants.columns and participants[c].notna().any()]


def k_anonymity(participants: pd.DataFrame, columns: list[str] | None = None) -> Anonymity:
    """k (smallest equivalence-class size) of a participant table on its quasi-identifiers."""
    used = quasi_identifiers(participants, columns)
    n = len(participants)
    if not used or n == 0:
        sizes = pd.Series([n] if n else [], dtype="int64", name="size")
        return Anonymity(k=n, quasi_identifiers=used, participants=n, unique=int(n == 1), class_sizes=sizes)
    keys = participants[used].astype("object").where(participants[used].notna(), None)
    sizes = keys.groupby(used, dropna=False, sort=False).size().rename("size")
    return Anonymity(k=int(sizes.min()), quasi_identifiers=used, participants=n,
                     unique=int((sizes == 1).sum()), class_sizes=sizes.reset_index(drop=True))


def study_anonymity(study: Study, columns: list[str] | None = None) -> Anonymity:
    """k-anonymity of a study's participant table, grouping column included."""
    candidates = [study.group_by, *(QUASI_IDENTIFIERS if columns is None else columns)]
    return k_anonymity(study.participants, candidates)


def anonymity_statement(study: Study, min_cell: int = 0) -> str:
    """The sentence a sample report prints: k, and whether a participant-level table may be shown."""
    result = study_anonymity(study)
    text = result.sentence()
    if min_cell > 1:
        verdict = ("at or above" if result.k >= min_cell else "below")
        text += f" That is {verdict} the minimum cell size of {min_cell}."
    return text


SAFE_K = 2  # below this a participant is alone in a class, whatever min_cell says


@dataclass
class Release:
    """Whether a participant-level table may be printed, and the sentence its caption or section gives."""

    printed: bool
    reason: str


def published_table(study: Study, table: str = "participants") -> str:
    """The paper's own table that printed this table row by row (study.yml `published_tables:`), or ''."""
    return str((study.meta.get("published_tables") or {}).get(table) or "")


def participant_release(study: Study, min_cell: int = 0) -> Release:
    """A participant-level table is printed only when k >= 2 and k >= min_cell, or when the paper itself
    printed it (then it is already public, and the caption says so); the same rule for every study."""
    k = study_anonymity(study).k
    published = published_table(study)
    if published:
        return Release(True, f"Not suppressed: reproduced from the paper's {published}, already public (k = {k}).")
    floor = max(SAFE_K, min_cell)
    if k >= floor:
        return Release(True, f"Not suppressed: printed because k = {k} is at least 2 and at least the minimum cell "
                             f"size ({min_cell}).")
    why = "a participant is alone in a group" if k < SAFE_K else f"it is below the minimum cell size of {min_cell}"
    return Release(False, f"A participant-level table is therefore not printed (k = {k}: {why}).")


def printed_rows(participants: pd.DataFrame) -> pd.DataFrame:
    """Participants the paper prints one row each for (each row has its own source location).

    Rows constructed from a cross-tabulation share their source (the table cell) and are not a
    participant-level table; they are left out.
    """
    sources = participants["source"].astype("object")
    own = sources.notna() & ~sources.duplicated(keep=False)
    return participants[own]


def identifiability_findings(study: Study) -> pd.DataFrame:
    """An evidence-review finding when the paper's own participant table lets a reader single people out.

    Columns as the evidence review's findings (study, check, kind, severity, location, detail,
    evidence); empty when the paper prints no participant-level table or nobody is unique.
    """
    from .stated_counts import common_location
    columns = ["study", "check", "kind", "severity", "location", "detail", "evidence"]
    rows = printed_rows(study.participants)
    candidates = [study.group_by, *QUASI_IDENTIFIERS]
    result = k_anonymity(rows, candidates)
    if len(rows) == 0 or result.unique == 0:
        return pd.DataFrame(columns=columns)
    with_title = k_anonymity(rows, [*candidates, *PRINTED_EXTRA])
    location = common_location(rows["source"].astype(str))
    names = ", ".join(label(q) for q in result.quasi_identifiers)
    detail = (f"{result.unique} of {len(rows)} participants are the only one with their combination of {names} "
              f"as the table prints them (k = {result.k})")
    if with_title.quasi_identifiers != result.quasi_identifiers:
        detail += f"; with the {label('title')} column, {with_title.unique} of {len(rows)}"
    unique_ids = unique_participants(rows, result.quasi_identifiers)
    return pd.DataFrame([{"study": study.id, "check": "sample", "kind": KIND, "severity": "medium",
                          "location": location, "detail": detail, "evidence": ", ".join(unique_ids)}],
                        columns=columns)


def unique_participants(participants: pd.DataFrame, columns: list[str]) -> list[str]:
    """Ids of the participants alone in their equivalence class."""
    keys = participants[columns].astype("object").where(participants[columns].notna(), None)
    sizes = keys.groupby(columns, dropna=False, sort=False)[columns[0]].transform("size")
    return participants.loc[sizes == 1, "participant_id"].astype(str).tolist()
