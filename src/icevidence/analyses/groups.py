"""A study's groups: which group each participant and each segment belongs to, and the groups' sizes.

Every analysis that counts by group (sample tables, theme matrices, coverage, the review's
verdicts) takes its groups from here, so a study's own grouping columns are read one way.
"""
from __future__ import annotations

import pandas as pd

from ..model.errors import ConfigError
from ..model.study import Study
from ..model.vocabulary import TIERS

NOT_STATED = "not stated"
UNKNOWN = "unknown"
TOTAL = "Total"
ATTRIBUTE_LABELS = {
    "tier": "Tier", "site": "Site", "professional_group": "Professional group", "title": "Title",
    "years_of_service": "Years of service", "gender": "Gender", "age_band": "Age band",
    "ethnicity": "Ethnicity", "sector": "Sector", "level": "Level", "area": "Area", "locality": "Locality",
}


def attribute_label(column: str) -> str:
    """A column's reader-facing name ('Years of service' for years_of_service)."""
    return ATTRIBUTE_LABELS.get(column, column)


def groups_of(study: Study, group_by: str) -> pd.Series:
    """Each participant's group as an ordered categorical, with 'not stated' for missing values."""
    values = study.participants[group_by]
    if isinstance(values.dtype, pd.CategoricalDtype):
        order = [str(c) for c in values.cat.categories]
    elif group_by == "tier":
        order = TIERS
    else:
        order = list(dict.fromkeys(values.dropna().astype(str)))
    labels = values.astype("object").where(values.notna(), NOT_STATED).astype(str)
    present = [c for c in order if c in set(labels)] + ([NOT_STATED] if (labels == NOT_STATED).any() else [])
    return pd.Series(pd.Categorical(labels, categories=present, ordered=True), index=values.index, name=group_by)


def group_sizes(study: Study, group_by: str) -> pd.DataFrame:
    """n per group and overall: the first table of every sample report."""
    groups = groups_of(study, group_by)
    counts = groups.value_counts(sort=False)
    table = pd.DataFrame({"n": counts.to_numpy()}, index=[str(i) for i in counts.index])
    table.loc[TOTAL] = int(counts.sum())
    table.index.name = attribute_label(group_by)
    return table


def group_of_segments(study: Study, group_by: str) -> pd.Series:
    """Each segment's group: its own value (tier, site, document, participant id), else its
    participant's attribute; else unknown. Any participant column or 'document' can group."""
    check_group_by(study, group_by)
    segments = study.segments
    own = segments[group_by] if group_by in segments.columns else pd.Series(pd.NA, index=segments.index)
    own = own.astype("object")
    if group_by != "participant_id" and group_by in study.participants.columns:
        people = study.participants.drop_duplicates("participant_id").set_index("participant_id")[group_by]
        own = own.fillna(segments["participant_id"].map(people.astype("object")))
    return own.fillna(UNKNOWN).astype(str)


def check_group_by(study: Study, group_by: str) -> None:
    """Refuse a grouping that is neither a participant column nor a column of the segments."""
    if group_by not in study.participants.columns and group_by not in study.segments.columns:
        columns = sorted(set(study.participants.columns) - {"study", "source", "note"}) + ["document"]
        raise ConfigError("theme matrix", "group_by", f"{group_by!r} is not a participant or segment column",
                          remedy=f"group by one of {columns}.")
