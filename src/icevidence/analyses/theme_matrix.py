"""Theme matrices: codes at a chosen level by the study's groups, with the quotes behind every cell.

`ThemeMatrix` is the result: counts in one unit, the suppression mask decided once on them (a
share is hidden where its participant count is), the quotes of shown cells only, captions and
notes. The DataFrame functions stay for scripting (`ic.theme_matrix`).
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..model.codes import NOT_FURTHER_CODED, ancestors, rollup_rows, row_labels, single_root
from ..model.errors import ConfigError
from ..model.schema import CODE_LEVELS, TIERS
from ..model.speakers import speaker_keys
from ..model.study import Study, as_study
from .groups import UNKNOWN, attribute_label, group_of_segments, group_sizes
from .result import TOTAL, Figure, Result, Table
from .suppression import apply_mask, hidden_label, suppression_mask, suppression_note

UNITS = ["references", "participants", "share"]


def evidence(study: Study | str, level: str = "main", group_by: str = "tier") -> pd.DataFrame:
    """Every segment with its matrix row, its group and a key identifying its speaker."""
    study = as_study(study)
    row_of, order = rollup_rows(study.codes, level)
    segments = study.segments.copy()
    segments["row"] = pd.Categorical(segments["code_id"].map(row_of), categories=order, ordered=True)
    segments["group"] = group_of_segments(study, group_by)
    segments["speaker"] = speaker_keys(segments)
    return segments


def group_columns(study: Study, group_by: str, groups: pd.Series) -> list[str]:
    """Matrix columns in natural order: every group of the sample, then unknown and total."""
    values = study.participants[group_by] if group_by in study.participants.columns else \
        study.segments[group_by].dropna()
    if group_by == "tier":
        known = TIERS
    elif isinstance(values.dtype, pd.CategoricalDtype):
        known = [str(c) for c in values.cat.categories]
    else:
        known = list(dict.fromkeys(values.dropna().astype(str)))
    extra = [g for g in pd.unique(groups) if g not in known and g != UNKNOWN]
    return [*known, *extra, UNKNOWN, TOTAL]


def theme_matrix(study: Study | str, level: str = "main", unit: str = "references",
                 group_by: str = "tier") -> pd.DataFrame:
    """Codes at `level` (rows, codebook order) by group (columns, plus unknown and total).

    unit: 'references' counts coded segments; 'participants' counts distinct speakers;
    'share' gives participants as % of the group's n in the sample table.
    """
    if unit not in UNITS:
        raise ConfigError("theme matrix", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
    study = as_study(study)
    coded = evidence(study, level, group_by)
    columns = group_columns(study, group_by, coded["group"])
    counts = count_cells(coded, "participants" if unit == "share" else unit)
    matrix = counts.reindex(columns=columns, fill_value=0)
    matrix[TOTAL] = count_totals(coded, "participants" if unit == "share" else unit).reindex(matrix.index, fill_value=0)
    matrix = drop_empty_placeholders(matrix.astype(int))
    matrix.index.name, matrix.columns.name = f"{level} code", group_by
    return to_share(matrix, study, group_by) if unit == "share" else matrix


def count_cells(coded: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Count references or distinct speakers per (row, group)."""
    grouped = coded.groupby(["row", "group"], observed=False)
    values = grouped.size() if unit == "references" else grouped["speaker"].nunique()
    return values.unstack("group", fill_value=0)


def count_totals(coded: pd.DataFrame, unit: str) -> pd.Series:
    """Row totals: all references, or distinct speakers across every group."""
    grouped = coded.groupby("row", observed=False)
    return grouped.size() if unit == "references" else grouped["speaker"].nunique()


def drop_empty_placeholders(matrix: pd.DataFrame) -> pd.DataFrame:
    """Keep '(not further coded)' rows only where segments were coded that high."""
    suffix = NOT_FURTHER_CODED.format(name="")
    placeholder = matrix.index.astype(str).str.endswith(suffix)
    return matrix[~placeholder | (matrix[TOTAL] > 0)]


def to_share(matrix: pd.DataFrame, study: Study, group_by: str) -> pd.DataFrame:
    """Participants as a percentage of each group's n (unknown has no n, so it stays empty)."""
    sizes = group_sizes(study, group_by)["n"].rename({"Total": TOTAL})
    share = matrix.astype(float).copy()
    for column in share.columns:
        n = sizes.get(column)
        share[column] = 100 * share[column] / n if n else float("nan")
    return share.round(1)


def column_percent(counts: pd.DataFrame) -> pd.DataFrame:
    """Each count as a percentage of its column's total (NVivo's column percentage), so columns of different
    sizes compare; a column with no count stays empty."""
    totals = counts.sum(axis=0)
    return (100 * counts.astype(float) / totals.where(totals > 0)).round(1)


def percent_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with ' %' after every column label, the mark every renderer reads as a percentage 0–100."""
    return frame.rename(columns=lambda c: f"{c} %")


def drilldown(study: Study | str, level: str = "main", group_by: str = "tier") -> pd.DataFrame:
    """The quotes behind every non-empty cell, in matrix order, with attribution and location."""
    coded = evidence(study, level, group_by)
    columns = group_columns(as_study(study), group_by, coded["group"])
    coded["group"] = pd.Categorical(coded["group"], categories=columns, ordered=True)
    keep = ["row", "group", "text", "attribution_raw", "attribution_status", "participant_id", "location", "segment_id"]
    return coded.sort_values(["row", "group", "segment_id"])[keep].reset_index(drop=True)


def single_group_themes(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rows with evidence from exactly one known group (unknown and total not counted)."""
    groups = matrix.drop(columns=[UNKNOWN, TOTAL])
    present = groups.gt(0)
    only = present.sum(axis=1) == 1
    return pd.DataFrame({"theme": matrix.index[only], "only group": present[only].idxmax(axis=1).to_numpy(),
                         "count": groups[only].max(axis=1).to_numpy()})


def single_group_empty_text(matrix: pd.DataFrame, group_by: str) -> str:
    """What an empty single_group_themes table means, saying only what the matrix can show."""
    known = matrix.drop(columns=[UNKNOWN, TOTAL]).to_numpy().sum()
    if known == 0:
        return f"none can be shown: no quote has a known {group_by}, so who voiced a theme cannot be told"
    unknown = int(matrix[UNKNOWN].sum()) if UNKNOWN in matrix.columns else 0
    caveat = f" ({unknown} quote(s) with an unknown {group_by} are not counted)" if unknown else ""
    return f"none: every code with quotes from a known {group_by} has them from more than one{caveat}"


def reconcile(study: Study | str, matrix: pd.DataFrame) -> pd.DataFrame:
    """Check a references matrix accounts for every segment: nothing dropped."""
    study = as_study(study)
    counted, segments = int(matrix[TOTAL].sum()), len(study.segments)
    return pd.DataFrame({"segments in the study": [segments], "references in the matrix": [counted],
                         "status": ["reconciles" if counted == segments else "DOES NOT RECONCILE"]})


UPPER_BOUNDS = ("A speaker whose attribution is malformed counts once per distinct printed attribution, so "
                "participant counts are upper bounds where attributions are malformed.")
UNIT_PHRASES = {"references": "coded segments (references)", "participants": "distinct participants quoted",
                "share": "participants quoted as % of the group's n"}
UNIT_LABELS = {"references": "coded segments", "participants": "participants", "share": "% of group's participants"}
COLUMN_PERCENT_PHRASES = {
    "references": "the share of the column's coded segments that fall under each code (each column sums to 100)",
    "participants": "the share of the column's participant counts summed over its codes (a person quoted under "
                    "several codes counts under each, so this compares codes within a column, not people)"}
QUOTE_COLUMNS = {"row": "Theme", "group": "Group", "text": "Quote", "attribution_raw": "Attribution as printed",
                 "attribution_status": "Attribution status", "participant_id": "Participant", "location": "Location",
                 "segment_id": "Segment"}


class ThemeMatrix(Result):
    """Codes at one level of the framework by group, in one unit, with the quotes behind each shown cell."""

    def __init__(self, study: Study | str, level: str = "main", unit: str = "references",
                 group_by: str | None = None, min_cell: int = 0) -> None:
        self.study = as_study(study)
        self.level, self.unit = level, unit
        self.group_by = group_by or self.study.group_by
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []
        if unit != "references":
            self.notes.append(UPPER_BOUNDS)
        root = single_root(self.study.codes)
        if root is not None:
            self.notes.append(f"Every code sits under one root category, {root!r}; row labels leave it out.")
        if unit == "share" and self.min_cell > 1:
            self.notes.append("A share whose participant count is suppressed is hidden too (shown as "
                              f"n{hidden_label(self.min_cell)}).")

    @cached_property
    def counts(self) -> pd.DataFrame:
        """The counts suppression is decided on: references, or participants (for participants and share)."""
        return theme_matrix(self.study, self.level, "references" if self.unit == "references" else "participants",
                            self.group_by)

    @cached_property
    def values(self) -> pd.DataFrame:
        """The matrix in its unit (counts, or % for share), before suppression."""
        return self.counts if self.unit != "share" else theme_matrix(self.study, self.level, "share", self.group_by)

    @cached_property
    def mask(self) -> pd.DataFrame:
        """Hidden cells, decided on the counts once."""
        return suppression_mask(self.counts, self.min_cell)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The matrix for display: hidden cells '<k' (for share: 'n<k')."""
        label = hidden_label(self.min_cell)
        return self.values.astype(object).where(~self.mask, f"n{label}" if self.unit == "share" else label)

    @cached_property
    def lineage(self) -> pd.DataFrame:
        """Each row's ancestors, one column per level above the matrix's level (overarching, main)."""
        codes = self.study.codes
        row_of, _ = rollup_rows(codes, self.level)
        target = CODE_LEVELS.index(self.level)
        rank = {c: CODE_LEVELS.index(lv) for c, lv in zip(codes["code_id"], codes["level"])}
        labels, chains = row_labels(codes), ancestors(codes)
        rows: dict[str, dict[str, str]] = {}
        for code in codes["code_id"]:
            if rank[code] > target or row_of[code] in rows:
                continue
            members = [c for c in chains[code] if rank[c] < target]
            rows[row_of[code]] = {CODE_LEVELS[rank[c]]: labels[c] for c in members}
        frame = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=CODE_LEVELS[:target])
        return frame.reindex(self.table.index)

    @property
    def parents(self) -> pd.Series | None:
        """Each row's ancestors as one label ('Theme › Main theme'), or None at the top level."""
        if self.lineage.columns.empty:
            return None
        return self.lineage.apply(lambda row: " › ".join(str(v) for v in row if isinstance(v, str)) or None, axis=1)

    @property
    def by(self) -> str:
        """The grouping's name for captions."""
        return attribute_label(self.group_by).lower()

    @property
    def source(self) -> str:
        """Where the coded quotes come from, in the paper's terms where it has them."""
        return self.study.table_source("segments")

    @property
    def caption(self) -> str:
        """What the matrix counts, the unit, the suppression and the source."""
        return self.tables()[0].caption

    def sibling(self, unit: str) -> ThemeMatrix:
        """The same matrix in another unit, with the same suppression rule."""
        return ThemeMatrix(self.study, self.level, unit, self.group_by, self.min_cell)

    @cached_property
    def shown_cells(self) -> pd.DataFrame:
        """Cells whose quotes may be listed: visible in both references and participants.

        A drill-down prints the quotes (a references count) and their attributions (a participants
        count), so a cell hidden in either unit lists nothing.
        """
        if self.min_cell <= 1:
            return ~self.mask
        return ~(self.sibling("references").mask | self.sibling("participants").mask)

    def quotes(self) -> pd.DataFrame:
        """The quotes behind every shown cell, in matrix order; those of hidden cells are left out."""
        return self.shown_quotes.copy()

    @cached_property
    def shown_quotes(self) -> pd.DataFrame:
        """The drill-down filtered once by the shown cells (quotes of a cell outside the matrix are
        kept only when nothing is suppressed)."""
        quotes = drilldown(self.study, self.level, self.group_by)
        shown = self.shown_cells
        rows = shown.index.astype(str).get_indexer(quotes["row"].astype(str))
        columns = shown.columns.astype(str).get_indexer(quotes["group"].astype(str))
        inside = (rows >= 0) & (columns >= 0)
        visible = shown.to_numpy(dtype=bool)[rows.clip(0), columns.clip(0)]
        keep = np.where(inside, visible, self.min_cell <= 1)
        return quotes[keep].reset_index(drop=True)

    def single_group(self) -> pd.DataFrame:
        """Rows with evidence from exactly one known group, the count shown as the matrix shows it."""
        groups = self.counts.drop(columns=[UNKNOWN, TOTAL], errors="ignore")
        present = groups.gt(0)
        only = present.sum(axis=1) == 1
        group = present[only].idxmax(axis=1)
        shown = [self.table.at[row, column] for row, column in group.items()]
        return pd.DataFrame({"theme": group.index, "only group": group.to_numpy(), self.unit: shown})

    def export(self, percent: bool = False) -> pd.DataFrame:
        """The matrix (or, with ``percent``, its column percentages) for CSV/XLSX: parents as leading columns,
        numbers numeric, hidden cells '<k'."""
        table = self.column_percent.copy() if percent else self.table.copy()
        if self.unit == "share" or percent:
            table = percent_columns(table)
        table.index.name = f"{self.level} code"
        lineage = self.lineage.rename(columns=lambda c: f"{c} code")
        rows = pd.Series(table.index, index=table.index, name=f"{self.level} code")
        return pd.concat([lineage, rows, table], axis=1).reset_index(drop=True)

    def matrix_table(self) -> Table:
        """The matrix in its own unit, as a table with its caption's parts."""
        hidden = int(self.mask.to_numpy().sum())
        return Table(f"matrix-{self.unit}", f"{self.study.short_name}: {self.level} codes by {self.by}",
                     self.table, self.bounded(f"{UNIT_PHRASES[self.unit].capitalize()} per {self.level} code and "
                                              f"{self.by}; '{UNKNOWN}' holds evidence whose speaker's {self.by} is "
                                              "not known"),
                     UNIT_LABELS[self.unit], self.source, suppression_note(self.min_cell, hidden),
                     self.mask, notes=list(self.notes), index=True)

    def bounded(self, counted: str) -> str:
        """What a caption says is counted, with (for counts of people) the clause saying they are upper bounds."""
        bound = self.study.upper_bound_clause() if self.counted_unit == "participants" else ""
        return f"{counted}; {bound}" if bound else counted

    @property
    def counted_unit(self) -> str:
        """The unit of the counts behind the matrix: references, or participants (for participants and share)."""
        return "references" if self.unit == "references" else "participants"

    @cached_property
    def column_percent(self) -> pd.DataFrame:
        """Each count as a percentage of its column's total, hidden where the count is (the counts' mask)."""
        return apply_mask(column_percent(self.counts), self.mask, self.min_cell, prefix="n")

    def column_percent_table(self) -> Table:
        """The counts as column percentages (NVivo's matrix "column percentage"), with what the denominator is."""
        unit = self.counted_unit
        hidden = int(self.mask.to_numpy().sum())
        note = f" A percentage is hidden where its count is (shown as n{hidden_label(self.min_cell)})." \
            if self.min_cell > 1 else ""
        return Table("column-percent", f"{self.study.short_name}: {self.level} codes by {self.by}, as % of each "
                     f"column", percent_columns(self.column_percent),
                     self.bounded(f"{UNIT_PHRASES[unit].capitalize()} per {self.level} code as a percentage of "
                                  f"its {self.by} column's total: {COLUMN_PERCENT_PHRASES[unit]}"),
                     f"% of the column's {UNIT_LABELS[unit]}", self.source,
                     suppression_note(self.min_cell, hidden) + note,
                     percent_columns(self.mask), notes=list(self.notes), index=True)

    def quotes_table(self) -> Table:
        """The quotes behind each shown cell, with attribution and location as printed."""
        frame = self.quotes().rename(columns=QUOTE_COLUMNS).rename(columns={"Group": attribute_label(self.group_by)})
        hidden = "Quotes of suppressed cells are left out." if self.min_cell > 1 else ""
        return Table("quotes", f"{self.study.short_name}: the quotes behind each "
                     f"{'shown ' if self.min_cell > 1 else ''}cell of the {self.level}-level matrix", frame,
                     f"Every coded quote under each {self.level} code and {self.by}", "quotes (coded segments)",
                     self.source, hidden, prose=("Quote",))

    def tables(self) -> list[Table]:
        """The matrix in its unit, its counts as column percentages, then the quotes behind its shown cells."""
        return [self.matrix_table(), self.column_percent_table(), self.quotes_table()]

    def figures(self) -> list[Figure]:
        """Heatmap of the matrix: hidden cells blank and marked, never plotted; parent groups separated."""
        shown = self.values.drop(columns=[TOTAL], errors="ignore")
        hidden = self.mask.drop(columns=[TOTAL], errors="ignore")
        label = hidden_label(self.min_cell)
        table = self.matrix_table()
        return [Figure(f"heatmap-{self.unit}", f"{self.study.short_name}: {self.level} codes by {self.by} "
                       f"({self.unit})", "heatmap", shown, hidden, UNIT_LABELS[self.unit], table.counted, table.unit,
                       self.source, table.suppression + (" Hatched cells are suppressed." if self.min_cell > 1 else ""),
                       f"n{label}" if self.unit == "share" else label, self.parents,
                       alt=f"Heatmap of {UNIT_PHRASES[self.unit]} per {self.level} code and {self.by}",
                       min_cell=self.min_cell,
                       options={"fmt": ".1f" if self.unit == "share" else ".0f"})]
