"""Descriptive sample tables: who was interviewed, by tier, site, sector or level."""
from __future__ import annotations

import pandas as pd

from . import config
from .schema import PARTICIPANT_ATTRIBUTES, TIERS
from .study import Study
from .suppression import suppression_mask
from .present.tables import write_csv, write_workbook

NOT_STATED = "not stated"
OVERALL = "Overall"
TOTAL = "Total"
ATTRIBUTE_LABELS = {
    "tier": "Tier", "site": "Site", "professional_group": "Professional group", "title": "Title",
    "years_of_service": "Years of service", "gender": "Gender", "age_band": "Age band",
    "ethnicity": "Ethnicity", "sector": "Sector", "level": "Level", "area": "Area", "locality": "Locality",
}


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


def reported_attributes(study: Study, group_by: str) -> list[str]:
    """Attributes the study reports for at least one participant, other than the grouping."""
    return [a for a in ["tier", "site", *PARTICIPANT_ATTRIBUTES]
            if a != group_by and study.participants[a].notna().any()]


def count_table(study: Study, attribute: str, group_by: str) -> pd.DataFrame:
    """Counts of an attribute's values (rows) by group (columns), with Overall and Total margins."""
    groups = groups_of(study, group_by)
    values = groups_of(study, attribute)
    table = pd.crosstab(values, groups, dropna=False)
    table[OVERALL] = table.sum(axis=1)
    table.loc[TOTAL] = table.sum(axis=0)
    table.index.name, table.columns.name = ATTRIBUTE_LABELS.get(attribute, attribute), None
    return table.astype(int)


def group_sizes(study: Study, group_by: str) -> pd.DataFrame:
    """n per group and overall: the first table of every sample report."""
    groups = groups_of(study, group_by)
    counts = groups.value_counts(sort=False)
    table = pd.DataFrame({"n": counts.to_numpy()}, index=[str(i) for i in counts.index])
    table.loc[TOTAL] = int(counts.sum())
    table.index.name = ATTRIBUTE_LABELS.get(group_by, group_by)
    return table


def suppress(counts: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Mask counts below min_cell (not 0), plus enough others that margins cannot recover them."""
    return suppression_mask(counts, min_cell)


def format_counts(counts: pd.DataFrame, min_cell: int = 0) -> pd.DataFrame:
    """Render counts as 'n (%)' of each column's total; suppressed cells show as '<k'."""
    masked = suppress(counts, min_cell)
    totals = counts.loc[TOTAL]
    out = counts.astype(object).copy()
    for row in counts.index:
        for col in counts.columns:
            n = int(counts.at[row, col])
            if masked.at[row, col]:
                out.at[row, col] = f"<{min_cell}"
            elif row == TOTAL:
                out.at[row, col] = str(n)
            else:
                pct = 100 * n / totals[col] if totals[col] else 0.0
                out.at[row, col] = f"{n} ({pct:.0f}%)"
    return out


def sample_tables(study: Study, group_by: str | None = None, min_cell: int = 0) -> dict[str, pd.DataFrame]:
    """Every descriptive table of a study: n per group, then each reported attribute by group."""
    group_by = group_by or study.group_by
    sizes = group_sizes(study, group_by)
    n_mask = suppress(sizes, min_cell)
    tables = {"n": sizes.astype(object).where(~n_mask, f"<{min_cell}")}
    for attribute in reported_attributes(study, group_by):
        tables[attribute] = format_counts(count_table(study, attribute, group_by), min_cell)
    return tables


def write_sample_tables(tables: dict[str, pd.DataFrame], report_id: str) -> list:
    """Write each sample table as CSV and all of them as one XLSX workbook under reports/tables/."""
    folder = config.TABLES / report_id
    paths = [write_csv(table, folder / f"{name}.csv") for name, table in tables.items()]
    paths.append(write_workbook(tables, folder / f"{report_id}.xlsx"))
    return paths
