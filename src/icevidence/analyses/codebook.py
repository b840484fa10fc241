"""The codebook journals ask for: each code with its parent, level, definition and how many quotes it holds.

Quotes are counted at the code itself and at the code with every code below it (a theme's whole
evidence). Counts are of coded segments, suppressed like every other count (analyses/suppression.py).
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..model.codes import ancestors
from ..model.study import Study, as_study
from .result import Result, Table
from .suppression import apply_mask, suppression_mask, suppression_note

COUNT_COLUMNS = ["Quotes at the code", "Quotes at or below it"]


class Codebook(Result):
    """Every code of a study's framework, in tree order, with its definition and quote counts."""

    def __init__(self, study: Study | str, min_cell: int = 0) -> None:
        self.study = as_study(study)
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = []

    @cached_property
    def counts(self) -> pd.DataFrame:
        """Quotes coded at each code, and at it or any code below it, indexed by code id in the codes' order."""
        codes = self.study.codes
        own = self.study.segments["code_id"].value_counts()
        chains = ancestors(codes)  # each code's chain from the root down to itself
        below = pd.Series(0, index=codes["code_id"], dtype="int64")
        for code, n in own.items():
            for node in chains.get(code, []):
                if node in below.index:
                    below[node] += int(n)
        return pd.DataFrame({COUNT_COLUMNS[0]: own.reindex(codes["code_id"], fill_value=0).astype("int64").to_numpy(),
                             COUNT_COLUMNS[1]: below.to_numpy()}, index=codes["code_id"].to_numpy())

    @cached_property
    def mask(self) -> pd.DataFrame:
        """Counts below min_cell hidden (each column on its own: no total recovers them)."""
        return pd.concat([suppression_mask(self.counts[[c]], self.min_cell) for c in COUNT_COLUMNS], axis=1)

    @cached_property
    def frame(self) -> pd.DataFrame:
        """The codebook as printed: code, parent, level, definition, then the quote counts."""
        codes = self.study.codes.set_index("code_id")
        names = codes["name"].astype(str)
        shown = apply_mask(self.counts, self.mask, self.min_cell) if self.min_cell > 1 else self.counts
        return pd.DataFrame({
            "Code": codes["path"].astype(str).to_numpy(),
            "Parent": [names.get(p, "") if isinstance(p, str) else "" for p in codes["parent_id"]],
            "Level": codes["level"].astype(str).to_numpy(),
            "Definition": codes["description"].astype("object").where(codes["description"].notna(), "").to_numpy(),
            **{c: shown[c].to_numpy() for c in COUNT_COLUMNS}})

    def tables(self) -> list[Table]:
        """The codebook as one table."""
        hidden = int(self.mask.to_numpy().sum())
        return [Table("codebook", f"{self.study.short_name}: codebook", self.frame,
                      "Each code with its parent, level and definition, and the quotes coded at it and at it or "
                      "below it", "coded segments (quotes)", self.study.table_source("codes"),
                      suppression_note(self.min_cell, hidden), prose=("Definition",))]

    def figures(self) -> list:
        """The codebook has no figure."""
        return []
