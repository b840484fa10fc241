"""Code co-occurrence: which codes are applied to the same passage, with ATLAS.ti's c-coefficient.

A *passage* is a stretch of a document that codings share: codings with positions that overlap in
the same document (a chain of overlaps is one passage), or, without positions, the same text in
the same document. Two codes co-occur in a passage when both (or codes below them, rolled up to the
chosen level) are applied to it.

* unit ``references``: n_a = passages coded a, n_ab = passages coded both;
* unit ``participants``: n_a = distinct speakers with a passage coded a, n_ab = distinct speakers
  with a passage coded both.

c = n_ab / (n_a + n_b − n_ab) (ATLAS.ti's c-coefficient, the Jaccard index of the two sets): 0 when
the codes never meet, 1 when each is only ever applied together with the other.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..model.codes import rollup_rows
from ..model.errors import ConfigError
from ..model.speakers import speaker_keys
from ..model.study import Study, as_study
from .result import Result, Table

UNITS = ["references", "participants"]
COLUMNS = ["code_a", "code_b", "n_a", "n_b", "n_ab", "c"]
MAX_SQUARE_CODES = 30
EXAMPLES = 3


def passages(segments: pd.DataFrame) -> pd.Series:
    """Each segment's passage number: overlapping selections in a document share one."""
    document = segments["document"].astype("object").fillna(segments["location"].astype("object")).astype(str)
    start = pd.to_numeric(segments["start"], errors="coerce")
    end = pd.to_numeric(segments["end"], errors="coerce")
    placed = start.notna() & end.notna()
    ids = pd.Series(-1, index=segments.index, dtype="int64")
    if placed.any():
        frame = pd.DataFrame({"doc": document[placed], "start": start[placed].astype("int64"),
                              "end": end[placed].astype("int64")}).sort_values(["doc", "start", "end"], kind="stable")
        reach = frame.groupby("doc", sort=False)["end"].cummax()
        previous = reach.groupby(frame["doc"], sort=False).shift(1)
        opens = previous.isna() | (frame["start"] >= previous)
        ids[frame.index] = np.cumsum(opens.to_numpy()) - 1
    unplaced = ~placed
    if unplaced.any():
        keys = pd.Series(list(zip(document[unplaced], segments.loc[unplaced, "text"].astype(str))),
                         index=segments.index[unplaced])
        codes, _ = pd.factorize(keys)
        ids[unplaced] = codes + (int(ids.max()) + 1 if placed.any() else 0)
    return ids


def cooccurrence(study: Study | str, level: str = "main", unit: str = "references") -> pd.DataFrame:
    """Every pair of codes at ``level`` that share a passage: n_a, n_b, n_ab and the c-coefficient.

    One row per pair (code_a before code_b in codebook order), most strongly associated first.
    """
    if unit not in UNITS:
        raise ConfigError("co-occurrence", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
    study = as_study(study)
    row_of, order = rollup_rows(study.codes, level)
    rank = {name: i for i, name in enumerate(dict.fromkeys(order))}
    segments = study.segments
    members = pd.DataFrame({"passage": passages(segments).to_numpy(),
                            "row": segments["code_id"].map(row_of).to_numpy(),
                            "who": speaker_keys(segments).astype(str).to_numpy()})
    key = "passage" if unit == "references" else "who"
    members = members.drop_duplicates(["passage", "row", "who"] if unit == "participants" else ["passage", "row"])
    sizes = members.drop_duplicates([key, "row"]).groupby("row").size()
    pairs = members.merge(members, on="passage", suffixes=("_a", "_b"))
    pairs = pairs[pairs["row_a"].map(rank) < pairs["row_b"].map(rank)]
    both = pairs.drop_duplicates([f"{key}_a" if key == "who" else key, "row_a", "row_b"]) \
        .groupby(["row_a", "row_b"]).size().rename("n_ab").reset_index()
    if both.empty:
        return pd.DataFrame(columns=COLUMNS).astype({"n_a": int, "n_b": int, "n_ab": int, "c": float})
    table = pd.DataFrame({"code_a": both["row_a"], "code_b": both["row_b"],
                          "n_a": both["row_a"].map(sizes).astype(int), "n_b": both["row_b"].map(sizes).astype(int),
                          "n_ab": both["n_ab"].astype(int)})
    table["c"] = (table["n_ab"] / (table["n_a"] + table["n_b"] - table["n_ab"])).round(3)
    return table.sort_values(["c", "n_ab", "code_a", "code_b"], ascending=[False, False, True, True],
                             kind="stable").reset_index(drop=True)


def cooccurrence_matrix(table: pd.DataFrame, value: str = "n_ab") -> pd.DataFrame:
    """The pair table as a symmetric code × code matrix of ``value`` (n_ab or c); empty cells are 0."""
    if table.empty:
        return pd.DataFrame()
    codes = list(dict.fromkeys([*table["code_a"], *table["code_b"]]))
    square = table.pivot(index="code_a", columns="code_b", values=value).reindex(index=codes, columns=codes)
    square = square.fillna(square.T).fillna(0)
    return square.astype(float if value == "c" else int)


def strongest_codes(pairs: pd.DataFrame, limit: int = MAX_SQUARE_CODES) -> list[str]:
    """The codes of the strongest pairs, in pair order, at most ``limit`` of them."""
    codes: list[str] = []
    for code in (c for pair in zip(pairs["code_a"], pairs["code_b"]) for c in pair):
        if code not in codes and len(codes) < limit:
            codes.append(code)
    return codes


def square_of_strongest(pairs: pd.DataFrame, limit: int = MAX_SQUARE_CODES) -> pd.DataFrame:
    """The c-coefficient matrix over the codes of the strongest pairs (at most ``limit`` codes), so it stays legible."""
    codes = strongest_codes(pairs, limit)
    return cooccurrence_matrix(pairs[pairs["code_a"].isin(codes) & pairs["code_b"].isin(codes)], value="c")


def references_and_passages(study: Study | str, level: str = "main") -> pd.DataFrame:
    """Per code at ``level`` (codebook order): its references (codings, what codes × cases counts) and its
    passages (what co-occurrence counts), which differ where one passage is coded twice under the code."""
    study = as_study(study)
    row_of, order = rollup_rows(study.codes, level)
    coded = pd.DataFrame({"code": study.segments["code_id"].map(row_of).to_numpy(),
                          "passage": passages(study.segments).to_numpy()})
    table = coded.groupby("code").agg(references=("passage", "size"), passages=("passage", "nunique"))
    rows = [code for code in dict.fromkeys(order) if code in table.index]
    return table.reindex(rows).rename_axis(f"{level} code")


def counting_note(study: Study | str, level: str = "main", unit: str = "references") -> str:
    """Where codes × cases and co-occurrence count the same codes differently: how many codes, and examples."""
    if unit == "participants":
        return (f"Codes × cases and co-occurrence count the same thing here: the distinct participants quoted "
                f"under each {level} code.")
    table = references_and_passages(study, level)
    gap = table["references"] - table["passages"]
    differ = table.loc[gap[gap > 0].sort_values(ascending=False, kind="stable").index]  # largest first
    if differ.empty:
        return (f"Codes × cases counts references and co-occurrence counts passages; for every {level} code here "
                f"the two agree (no passage is coded twice under one code).")
    examples = "; ".join(f"{code}: {row.references} references in {row.passages} passages"
                         for code, row in differ.head(EXAMPLES).iterrows())
    more = "; …" if len(differ) > EXAMPLES else ""
    return (f"Codes × cases counts references, co-occurrence passages: they differ for {len(differ)} of "
            f"{len(table)} {level} codes, where a passage is coded twice under one code ({examples}{more}).")


PAIR_COLUMNS = {"references": "passages", "participants": "participants"}


class Cooccurrence(Result):
    """Which codes at one level share a passage: every pair with ATLAS.ti's c-coefficient, and the square of the
    strongest."""

    def __init__(self, study: Study | str, level: str = "main", unit: str = "references") -> None:
        if unit not in UNITS:
            raise ConfigError("co-occurrence", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
        self.study, self.level, self.unit = as_study(study), level, unit
        self.notes: list[str] = []

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """Every co-occurring pair, strongest first (see `cooccurrence`)."""
        return cooccurrence(self.study, self.level, self.unit)

    @cached_property
    def square(self) -> pd.DataFrame:
        """The c-coefficient among the codes of the strongest pairs."""
        return square_of_strongest(self.pairs)

    @cached_property
    def counting(self) -> str:
        """How these counts compare with codes × cases', said under the pairs."""
        return counting_note(self.study, self.level, self.unit)

    @property
    def source(self) -> str:
        """Where the coded quotes come from, in the paper's terms where it has them."""
        return self.study.table_source("segments")

    def pairs_table(self) -> Table:
        """Every pair, with what n_a, n_b and n_ab count and how that differs from codes × cases."""
        counted = PAIR_COLUMNS[self.unit]
        why = ("each passage once, whereas codes × cases counts references, so a passage coded twice under one "
               "code (by two codes below it, or by overlapping selections) counts twice there and once here"
               if self.unit == "references" else "each person once, as codes × cases does")
        return Table("cooccurrence", f"{self.study.short_name}: co-occurring {self.level} codes ({self.unit}), "
                     "strongest first", self.pairs,
                     f"Pairs of {self.level} codes applied to a shared passage: n_a and n_b count the {counted} coded "
                     f"with each code, n_ab those coded with both, and c = n_ab / (n_a + n_b − n_ab); n counts {why}",
                     counted, self.source, notes=[self.counting])

    def square_table(self) -> Table:
        """The c-coefficient among the codes of the strongest pairs, as a code × code square."""
        return Table("c_coefficient", f"{self.study.short_name}: c-coefficient among the codes of the strongest "
                     "pairs", self.square, f"ATLAS.ti's c-coefficient of each pair of {self.level} codes (0: never "
                     f"together; 1: only ever together), over the {MAX_SQUARE_CODES} codes at most of the strongest "
                     "pairs", "c-coefficient", self.source, index=True)

    def tables(self) -> list[Table]:
        """Every pair, then the square of the strongest."""
        return [self.pairs_table(), self.square_table()]
