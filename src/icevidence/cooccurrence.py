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

import numpy as np
import pandas as pd

from .codes import rollup_rows
from .errors import ConfigError
from .matrix import as_study, speaker_keys
from .study import Study

UNITS = ["references", "participants"]
COLUMNS = ["code_a", "code_b", "n_a", "n_b", "n_ab", "c"]


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
        keys = pd.Series(list(zip(document[unplaced], segments.loc[unplaced, "text"].astype(str))), index=segments.index[unplaced])
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
