"""Framework matrix: participants (or any group) × themes, each cell the quotes behind it.

What NVivo calls a framework matrix and MAXQDA a Summary Grid: one row per participant, one
column per theme at the chosen level, and in each cell that participant's quotes on that theme
(each with its location), for reading across a case or down a theme.

`FrameworkMatrix` is the result. Quotes are running text, so a reader's table holds only a few
theme columns: when the matrix is wider, it is split by code group (the codes above the level),
one table per group, and a group wider still into parts. The whole matrix stays one table for CSV.
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..model.codes import ancestors, check_level, is_flat, rollup_rows, row_labels
from ..model.schema import CODE_LEVELS
from ..model.study import Study
from .groups import attribute_label
from .result import Result, Table
from .theme_matrix import TOTAL, UNKNOWN, as_study, evidence, group_columns

QUOTE_SEPARATOR = "\n\n"
MAX_THEMES = 4  # theme columns per table: four columns of wrapped quotes fit a page side by side
GROUP_SEPARATOR = " › "
ROW_NAMES = {"participant_id": "participant", "document": "document"}


def framework_matrix(study: Study | str, level: str = "main", group_by: str = "participant_id") -> pd.DataFrame:
    """Rows: groups (every participant by default, in sample order, then unknown); columns: themes at
    ``level`` with quotes, in codebook order; cells: the quotes, each followed by its location in
    brackets, separated by a blank line."""
    study = as_study(study)
    coded = evidence(study, level, group_by)
    coded["quote"] = coded["text"].astype(str) + " [" + coded["location"].astype(str) + "]"
    coded = coded.sort_values(["row", "group", "segment_id"], kind="stable")
    cells = coded.groupby(["group", "row"], observed=True, sort=False)["quote"].agg(QUOTE_SEPARATOR.join)
    themes = [t for t in coded["row"].cat.categories if t in set(coded["row"].dropna())]
    present = set(coded["group"])
    groups = [g for g in group_columns(study, group_by, coded["group"])
              if g != TOTAL and (g != UNKNOWN or g in present)]
    matrix = cells.unstack("row").reindex(index=groups, columns=themes).fillna("")
    matrix.index.name, matrix.columns.name = group_by, f"{level} code"
    return matrix


def code_paths(codes: pd.DataFrame, level: str) -> dict[str, tuple[str, ...]]:
    """Each matrix row at ``level`` and the codes above it, top first (for a '(not further coded)' row, the code
    itself and those above it); empty at the top level and in a flat codebook."""
    if is_flat(codes):
        return {}
    target = check_level(level)
    rank = {c: CODE_LEVELS.index(lv) for c, lv in zip(codes["code_id"], codes["level"])}
    row_of, _ = rollup_rows(codes, level)
    labels, chains = row_labels(codes), ancestors(codes)
    paths: dict[str, tuple[str, ...]] = {}
    for code in codes["code_id"]:
        if rank[code] <= target and row_of[code] not in paths:
            paths[row_of[code]] = tuple(labels[c] for c in chains[code] if rank[c] < target)
    return paths


def split_columns(columns: list[str], paths: dict[str, tuple[str, ...]], width: int = MAX_THEMES,
                  depth: int = 0) -> list[tuple[list[tuple[str, ...]], list[str]]]:
    """The columns as tables of at most ``width``, each with the code groups it covers: together when they fit;
    else split by code group (coarsest first; neighbouring small groups share a table) and, where a group with
    no group below is still too wide, into parts."""
    if len(columns) <= width:
        return [([shared_path([paths.get(c, ()) for c in columns])], list(columns))]
    if all(len(paths.get(c, ())) <= depth for c in columns):
        group = [shared_path([paths.get(c, ()) for c in columns])]
        return [(list(group), chunk) for chunk in even_chunks(columns, width)]
    parts: list[tuple[list[tuple[str, ...]], list[str]]] = []
    packing = False  # whether the last part holds small groups of this level and can take another
    for run in runs_of(columns, [paths.get(c, ())[:depth + 1] for c in columns]):
        if len(run) > width:
            parts += split_columns(run, paths, width, depth + 1)
            packing = False
        elif packing and len(parts[-1][1]) + len(run) <= width:
            parts[-1][0].append(shared_path([paths.get(c, ()) for c in run]))
            parts[-1][1].extend(run)
        else:
            parts.append(([shared_path([paths.get(c, ()) for c in run])], list(run)))
            packing = True
    return parts


def even_chunks(items: list[str], width: int) -> list[list[str]]:
    """The items in as few parts of at most ``width`` as possible, the parts as even as possible (10 by 4: 4, 3, 3)."""
    count = -(-len(items) // width)
    size, extra = divmod(len(items), count)
    bounds = [i * size + min(i, extra) for i in range(count + 1)]
    return [items[a:b] for a, b in zip(bounds, bounds[1:])]


def runs_of(items: list[str], keys: list[tuple[str, ...]]) -> list[list[str]]:
    """The items cut into runs of neighbours with equal keys."""
    runs: list[list[str]] = []
    for i, item in enumerate(items):
        if i and keys[i] == keys[i - 1]:
            runs[-1].append(item)
        else:
            runs.append([item])
    return runs


def shared_path(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The longest path every one of ``paths`` starts with."""
    common: list[str] = []
    for names in zip(*paths):
        if len(set(names)) != 1:
            break
        common.append(names[0])
    return tuple(common)


class FrameworkMatrix(Result):
    """Cases × themes with the quotes in the cells: the whole matrix, and the tables a reader reads (split by
    code group so each fits a page)."""

    def __init__(self, study: Study | str, level: str = "main", group_by: str = "participant_id",
                 width: int = MAX_THEMES) -> None:
        self.study, self.level, self.group_by, self.width = as_study(study), level, group_by, width
        self.notes: list[str] = []

    @cached_property
    def matrix(self) -> pd.DataFrame:
        """The whole matrix: every case (rows) by every theme with quotes (columns)."""
        return framework_matrix(self.study, self.level, self.group_by)

    @property
    def source(self) -> str:
        """Where the coded quotes come from, in the paper's terms where it has them."""
        return self.study.table_source("segments")

    @property
    def counted(self) -> str:
        """What a cell holds, for every caption."""
        by = ROW_NAMES.get(self.group_by, attribute_label(self.group_by).lower())
        return (f"Each cell holds the quotes from one {by} under one {self.level} code, each followed by its "
                "location in brackets, one paragraph per quote")

    def whole(self) -> Table:
        """The whole matrix as one table (what the CSV holds)."""
        return Table("framework_matrix", f"{self.study.short_name}: framework matrix, {self.group_by} × "
                     f"{self.level} codes", self.matrix, self.counted, "quotes", self.source,
                     prose=tuple(str(c) for c in self.matrix.columns), index=True)

    @cached_property
    def parts(self) -> list[tuple[list[tuple[str, ...]], list[str]]]:
        """The theme columns of each table a reader reads, with the code groups each table covers."""
        return split_columns(list(self.matrix.columns), code_paths(self.study.codes, self.level), self.width)

    def group_names(self) -> list[str]:
        """Each table's code groups in short (the nearest code above: 'Relative advantage'), else 'table N'."""
        return ["; ".join(dict.fromkeys(g[-1] for g in groups if g)) or f"table {i}"
                for i, (groups, _) in enumerate(self.parts, start=1)]

    def tables(self) -> list[Table]:
        """The matrix as a reader reads it: one table per code group (and part) when it is too wide for a page;
        rows without a quote in a table's columns are left out of it."""
        if len(self.parts) == 1:
            return [self.whole()]
        return [self.part(i, groups, columns) for i, (groups, columns) in enumerate(self.parts, start=1)]

    def part(self, number: int, groups: list[tuple[str, ...]], columns: list[str]) -> Table:
        """One table of the split matrix: its columns, the rows with a quote in them, and what it covers."""
        frame = self.matrix[columns]
        frame = frame[frame.ne("").any(axis=1)]
        named = [GROUP_SEPARATOR.join(group) for group in groups if group]
        under = f" under {'; '.join(named)}" if named else ""
        parts = len(self.parts)
        left = len(self.matrix) - len(frame)
        notes = [f"{left} of {len(self.matrix)} rows have no quote in these columns and are left out of this "
                 "table."] if left else []
        return Table(f"framework-{number}", f"{self.study.short_name}: framework matrix, {self.group_by} × "
                     f"{self.level} codes{under} (table {number} of {parts})", frame, self.counted, "quotes",
                     self.source, prose=tuple(str(c) for c in columns), notes=notes, index=True)
