"""Codes × cases: NVivo's matrix coding query, the codes at one level by participant (or document, or any group).

`CodesByCases` is the result: the theme matrix's counting grouped by case, in references or
participants, with each count as a share of its column (NVivo's "column percentage"), one
suppression mask decided on the counts, and captions saying how its references differ from the
passages the co-occurrence table counts.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..model.errors import ConfigError
from ..model.study import Study
from .cooccurrence import counting_note
from .groups import attribute_label
from .result import Result, Table
from .suppression import apply_mask, suppression_mask, suppression_note
from .theme_matrix import (
    COLUMN_PERCENT_PHRASES,
    UNIT_LABELS,
    UNIT_PHRASES,
    UNKNOWN,
    UPPER_BOUNDS,
    as_study,
    column_percent,
    percent_columns,
    theme_matrix,
)

UNITS = ["references", "participants"]
WHAT_IS_COUNTED = {
    "references": "one per coding, so a passage coded twice under one code (by two codes below it, or by overlapping "
                  "selections) counts twice here and once in the co-occurrence table, which counts passages",
    "participants": "each person once per code, as the co-occurrence table counts them"}


class CodesByCases(Result):
    """Codes at one level by case (participant, document or any participant column), counted and as column %."""

    def __init__(self, study: Study | str, level: str = "main", unit: str = "references",
                 group_by: str = "participant_id", min_cell: int = 0) -> None:
        if unit not in UNITS:
            raise ConfigError("codes × cases", "unit", f"unknown unit {unit!r}",
                              remedy=f"use one of {UNITS} (a share of a single case's n means nothing).")
        self.study, self.level, self.unit, self.group_by = as_study(study), level, unit, group_by
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []
        if unit == "participants":
            self.notes.append(UPPER_BOUNDS)

    @cached_property
    def counts(self) -> pd.DataFrame:
        """Codes (rows, codebook order) by case (columns, then unknown and total), in the result's unit."""
        return theme_matrix(self.study, self.level, self.unit, self.group_by)

    @cached_property
    def mask(self) -> pd.DataFrame:
        """Hidden cells, decided on the counts once."""
        return suppression_mask(self.counts, self.min_cell)

    @cached_property
    def column_percent(self) -> pd.DataFrame:
        """Each count as a percentage of its column's total; hidden where the count is."""
        return apply_mask(column_percent(self.counts), self.mask, self.min_cell, prefix="n")

    @cached_property
    def counting(self) -> str:
        """How these counts compare with co-occurrence's, said under the counts."""
        return counting_note(self.study, self.level, self.unit)

    @property
    def by(self) -> str:
        """The grouping's name for captions."""
        return attribute_label(self.group_by)

    @property
    def source(self) -> str:
        """Where the coded quotes come from, in the paper's terms where it has them."""
        return self.study.table_source("segments")

    def counts_table(self) -> Table:
        """The matrix coding query: counts per code and case, saying what a count is."""
        hidden = int(self.mask.to_numpy().sum())
        frame = apply_mask(self.counts, self.mask, self.min_cell)
        return Table("codes_by_cases", f"{self.study.short_name}: {self.level} codes by {self.by} ({self.unit})",
                     frame, f"{UNIT_PHRASES[self.unit].capitalize()} per {self.level} code and {self.by}, "
                     f"{WHAT_IS_COUNTED[self.unit]}; '{UNKNOWN}' holds evidence whose {self.by} is not known",
                     UNIT_LABELS[self.unit], self.source, suppression_note(self.min_cell, hidden), self.mask,
                     notes=[self.counting], index=True)

    def percent_table(self) -> Table:
        """The counts as column percentages (NVivo's matrix "column percentage"), saying what the denominator is."""
        hidden = int(self.mask.to_numpy().sum())
        return Table("codes_by_cases_column_percent", f"{self.study.short_name}: {self.level} codes by {self.by}, "
                     "as % of each column", percent_columns(self.column_percent),
                     f"{UNIT_PHRASES[self.unit].capitalize()} per {self.level} code as a percentage of its {self.by} "
                     f"column's total: {COLUMN_PERCENT_PHRASES[self.unit]}",
                     f"% of the column's {UNIT_LABELS[self.unit]}", self.source,
                     suppression_note(self.min_cell, hidden), percent_columns(self.mask), index=True)

    def tables(self) -> list[Table]:
        """The counts, then the same counts as column percentages."""
        return [self.counts_table(), self.percent_table()]
