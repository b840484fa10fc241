"""Descriptive sample tables: who was interviewed, by the study's grouping (tier, site, level, …).

`SampleTables` is the result: n per group and each reported attribute by group, with one
suppression mask per table decided once on the counts (`suppression`), so every output hides the
same cells. The DataFrame functions below it stay for scripting (`ic.sample_tables`).
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..model.schema import PARTICIPANT_ATTRIBUTES
from ..model.study import Study, as_study
from .groups import ATTRIBUTE_LABELS, NOT_STATED, TOTAL, attribute_label, group_sizes, groups_of  # noqa: F401 (scripting names)
from .result import Figure, Result, Table
from .suppression import apply_mask, hidden_label, suppression_mask, suppression_note

OVERALL = "Overall"
HUE_CANDIDATES = ["site", "sector", "level", "professional_group"]


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
    table.index.name, table.columns.name = attribute_label(attribute), None
    return table.astype(int)


def share_text(n: int, total: int) -> str:
    """'n (p%)' with the percentage to one decimal, the form every sample table prints."""
    return f"{n} ({100 * n / total:.1f}%)" if total else str(n)


def format_counts(counts: pd.DataFrame, min_cell: int = 0) -> pd.DataFrame:
    """Render counts as 'n (%)' of each column's total; suppressed cells show as '<k'."""
    masked = suppression_mask(counts, min_cell)
    totals = counts.loc[TOTAL]
    out = counts.astype(object).copy()
    for row in counts.index:
        for col in counts.columns:
            n = int(counts.at[row, col])
            if masked.at[row, col]:
                out.at[row, col] = hidden_label(min_cell)
            else:
                out.at[row, col] = str(n) if row == TOTAL else share_text(n, int(totals[col]))
    return out


def sample_tables(study: Study, group_by: str | None = None, min_cell: int = 0) -> dict[str, pd.DataFrame]:
    """Every descriptive table of a study as display frames: n per group, then each attribute by group."""
    return SampleTables(study, group_by, min_cell).table


class SampleTables(Result):
    """Who was interviewed: n per group and each reported attribute by group, suppressed once."""

    def __init__(self, study: Study | str, group_by: str | None = None, min_cell: int = 0) -> None:
        self.study = as_study(study)
        self.group_by = group_by or self.study.group_by
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []

    @cached_property
    def counts(self) -> dict[str, pd.DataFrame]:
        """Raw counts: 'n' (group sizes with Total), then each attribute by group with margins."""
        tables = {"n": group_sizes(self.study, self.group_by)}
        for attribute in reported_attributes(self.study, self.group_by):
            tables[attribute] = count_table(self.study, attribute, self.group_by)
        return tables

    @cached_property
    def mask(self) -> dict[str, pd.DataFrame]:
        """Hidden cells of each table; group sizes hidden in 'n' are hidden in every Total row too."""
        sizes = self.counts["n"]
        size_mask = suppression_mask(sizes, self.min_cell)
        hidden_groups = {str(g) for g in sizes.index[size_mask["n"].to_numpy()]}
        masks = {"n": size_mask}
        for name, counts in self.counts.items():
            if name == "n":
                continue
            force = pd.DataFrame(False, index=counts.index, columns=counts.columns)
            for column in counts.columns:
                if str(column) in hidden_groups or (column == OVERALL and TOTAL in hidden_groups):
                    force.loc[TOTAL, column] = True
            masks[name] = suppression_mask(counts, self.min_cell, force=force)
        return masks

    @cached_property
    def table(self) -> dict[str, pd.DataFrame]:
        """Display tables: 'n (%)' of each column's total; hidden cells '<k'; no % where the total is hidden."""
        label = hidden_label(self.min_cell)
        tables = {"n": apply_mask(self.counts["n"], self.mask["n"], self.min_cell)}
        for name, counts in self.counts.items():
            if name == "n":
                continue
            mask, totals = self.mask[name], counts.loc[TOTAL]
            out = counts.astype(object).copy()
            for row in counts.index:
                for column in counts.columns:
                    n = int(counts.at[row, column])
                    if mask.at[row, column]:
                        out.at[row, column] = label
                    elif row == TOTAL or mask.at[TOTAL, column]:
                        out.at[row, column] = str(n)
                    else:
                        out.at[row, column] = share_text(n, int(totals[column]))
            tables[name] = out
        return tables

    @property
    def by(self) -> str:
        """The grouping's name for captions ('tier', 'locality')."""
        return attribute_label(self.group_by).lower()

    @property
    def source(self) -> str:
        """Where the participant table comes from, in the paper's terms where it has them."""
        return self.study.table_source("participants")

    @property
    def caption(self) -> dict[str, str]:
        """A caption per table saying what it counts, the unit and the suppression."""
        return {t.key: t.caption for t in self.tables()}

    def export(self, name: str) -> pd.DataFrame:
        """A table for CSV/XLSX: counts and percentages in separate numeric columns, hidden cells '<k'."""
        counts, mask = self.counts[name], self.mask[name]
        if name == "n":
            return apply_mask(counts, mask, self.min_cell)
        totals = counts.loc[TOTAL]
        columns = {}
        for column in counts.columns:
            n = counts[column].astype(object).where(~mask[column], hidden_label(self.min_cell))
            share = ((100 * counts[column] / totals[column]).round(1) if totals[column]
                     else counts[column] * float("nan"))
            hide_share = mask[column] | bool(mask.at[TOTAL, column])
            columns[f"{column} n"] = n
            columns[f"{column} %"] = share.astype(object).where(~hide_share, None)
        return pd.DataFrame(columns, index=counts.index)

    @property
    def attributes(self) -> list[str]:
        """The attribute tables (every table but 'n')."""
        return [name for name in self.counts if name != "n"]

    def hidden_cells(self, name: str) -> int:
        """How many cells suppression hides in one table."""
        return int(self.mask[name].to_numpy().sum())

    def tables(self) -> list[Table]:
        """n per group, then each attribute by group as 'n (%)', each with its caption's parts."""
        short = self.study.short_name
        tables = [Table("n", f"{short}: participants by {self.by}", self.table["n"],
                        f"Participants interviewed, per {self.by} and in total", "participants", self.source,
                        suppression_note(self.min_cell, self.hidden_cells("n")), self.mask["n"], index=True)]
        for name in self.attributes:
            tables.append(Table(name, f"{short}: {attribute_label(name).lower()} by {self.by}", self.table[name],
                                f"Participants with each {attribute_label(name).lower()}, per {self.by} and overall, "
                                "as n (% of the column's participants)", "participants (n) and % of the column",
                                self.source, suppression_note(self.min_cell, self.hidden_cells(name)),
                                self.mask[name], index=True, sheet=self.export(name)))
        return tables

    def characteristics(self) -> Table:
        """Every attribute in one long table (attribute, value, then n and % per group): a paper's 'Table 1'."""
        frames = []
        for name in self.attributes:
            frame = self.export(name).reset_index(names="Value")
            frames.append(frame.assign(Value=frame["Value"].astype(str)).assign(Attribute=attribute_label(name)))
        shown = frames[0].columns if frames else []
        columns = ["Attribute", "Value", *[c for c in shown if c.endswith((" n", " %"))]]
        frame = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
        hidden = sum(self.hidden_cells(name) for name in self.attributes)
        return Table("characteristics", f"{self.study.short_name}: participant characteristics by {self.by}", frame,
                     f"Participants with each value of each reported attribute, per {self.by} and overall, with the "
                     "percentage of the column's participants", "participants (n) and % of the column", self.source,
                     suppression_note(self.min_cell, hidden))

    def colour_attribute(self) -> str | None:
        """The attribute the composition figure colours by: site, sector, level or group, where reported."""
        return next((h for h in HUE_CANDIDATES if h in self.counts and len(self.counts[h].index) > 2), None)

    def figures(self) -> list[Figure]:
        """Participants per group, coloured by site/sector/level where reported; suppressed bars marked, not drawn."""
        hue = self.colour_attribute()
        if hue:
            counts = self.counts[hue].drop(index=TOTAL, columns=OVERALL)
            hidden = self.mask[hue].drop(index=TOTAL, columns=OVERALL)
        else:
            counts = self.counts["n"].drop(index=TOTAL).T.rename(index={"n": "participants"})
            hidden = self.mask["n"].drop(index=TOTAL).T.rename(index={"n": "participants"})
        by = attribute_label(self.group_by)
        title = f"{self.study.short_name}: participants by {by.lower()}"
        colour = f", coloured by {attribute_label(hue).lower()}" if hue else ""
        return [Figure("composition", title + colour, "bars", counts, hidden, "Participants (n)",
                       f"Participants interviewed per {by.lower()}{colour}", "participants", self.source,
                       suppression_note(self.min_cell, int(hidden.to_numpy().sum())), hidden_label(self.min_cell),
                       alt=f"Bar chart of participants per {by.lower()}{colour}", min_cell=self.min_cell,
                       options={"x_label": by, "colour_label": attribute_label(hue) if hue else ""})]
