"""The sample counts a paper states, recomputed from the participant table and added up."""
from __future__ import annotations

import os

import pandas as pd

from ..model import config
from ..model.study import Study, read_table

REPORTED_FILE = "reported_counts.csv"
REPORTED_COLUMNS = ["location", "statement", "group_field", "group_value", "attribute", "attribute_value", "count"]


def read_reported_counts(study: Study) -> pd.DataFrame:
    """The study's reported_counts.csv (empty when the study has none)."""
    path = (study.folder or config.study_dir(study.id)) / REPORTED_FILE
    if not path.is_file():
        return pd.DataFrame(columns=REPORTED_COLUMNS)
    table = read_table(path)
    table["count"] = pd.to_numeric(table["count"], errors="raise").astype(int)
    return table


def recompute_count(study: Study, row: pd.Series) -> int | None:
    """Count the participants a stated figure describes, or None when the data cannot say.

    Participants with no value in the group column are outside the group (a strategic lead has
    no area). Within the group, the data can count an attribute only where every participant
    has it recorded; where a paper gives an aggregate only (or the column does not exist), it
    cannot.
    """
    people = study.participants
    for field, value, complete in ((row["group_field"], row["group_value"], False),
                                   (row["attribute"], row["attribute_value"], True)):
        if pd.isna(field):
            continue
        if str(field) not in people.columns:
            return None
        column = people[str(field)].astype("string")
        if complete and column.isna().any():
            return None
        if pd.isna(value):
            continue
        people = people[column.str.casefold() == str(value).casefold()]
    return len(people)


def check_reported_counts(study: Study) -> pd.DataFrame:
    """Each stated count beside the count from data: agrees, differs, or cannot be recomputed."""
    stated = read_reported_counts(study)
    rows = []
    for _, row in stated.iterrows():
        computed = recompute_count(study, row)
        status = ("not recomputable: the paper gives only the aggregate, not each participant's value"
                  if computed is None
                  else "agrees" if computed == row["count"] else "DIFFERS")
        rows.append({"location": row["location"], "statement": row["statement"],
                     "stated": int(row["count"]), "from data": computed, "status": status})
    return pd.DataFrame(rows, columns=["location", "statement", "stated", "from data", "status"]).astype(
        {"from data": "Int64"})


def check_arithmetic(study: Study) -> pd.DataFrame:
    """Where a paper splits a group by an attribute, do its parts add up to the group's stated n?"""
    stated = read_reported_counts(study)
    keys = ["group_field", "group_value", "attribute"]
    parts = stated.dropna(subset=["attribute"]).drop_duplicates([*keys, "attribute_value"])
    rows = []
    for (field, value, attribute), group in parts.groupby(keys, dropna=False, sort=False):
        for total_row in stated_totals(stated, field, value).itertuples():
            summed = int(group["count"].sum())
            rows.append({"breakdown stated at": common_location(group["location"]),
                         "group": "all" if pd.isna(value) else f"{field} = {value}", "attribute": attribute,
                         "sum of parts": summed, "stated n": int(total_row.count), "stated n at": total_row.location,
                         "status": "adds up" if summed == total_row.count
                         else f"DOES NOT ADD UP ({summed - total_row.count:+d})"})
    return pd.DataFrame(rows, columns=["breakdown stated at", "group", "attribute", "sum of parts", "stated n",
                                       "stated n at", "status"])


def stated_totals(stated: pd.DataFrame, field: object, value: object) -> pd.DataFrame:
    """The distinct n the paper states for a group: a total row, or the group's own count as a part."""
    totals = stated[stated["attribute"].isna()]
    own = totals[(totals["group_field"].fillna("") == _blank(field))
                 & (totals["group_value"].fillna("") == _blank(value))]
    if own.empty and not pd.isna(field):
        parts = stated[stated["group_field"].isna()]
        own = parts[(parts["attribute"] == field) & (parts["attribute_value"] == value)]
    return own.drop_duplicates("count")


def common_location(locations: pd.Series) -> str:
    """The shared part of several locations (e.g. the table they are cells of)."""
    unique = list(dict.fromkeys(locations))
    if len(unique) == 1:
        return unique[0]
    prefix = os.path.commonprefix(unique)
    return prefix[: prefix.rfind(",")] if "," in prefix else "; ".join(unique)


def _blank(value: object) -> str:
    return "" if pd.isna(value) else str(value)
