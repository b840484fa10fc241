"""The code tree: levels, ancestors and the roll-up of codings to a chosen level."""
from __future__ import annotations

import pandas as pd

from .errors import ConfigError
from .schema import CODE_LEVELS

NOT_FURTHER_CODED = "{name} (not further coded)"


def check_level(level: str) -> int:
    """The depth of a level name (overarching 0, main 1, sub 2), refusing unknown names."""
    if level not in CODE_LEVELS:
        raise ConfigError("theme matrix", "level", f"unknown level {level!r}",
                          remedy=f"use one of {CODE_LEVELS}.")
    return CODE_LEVELS.index(level)


def ancestors(codes: pd.DataFrame) -> dict[str, list[str]]:
    """Each code's chain from the root down to itself."""
    parent = dict(zip(codes["code_id"], codes["parent_id"]))
    chains = {}
    for code in codes["code_id"]:
        chain, node, seen = [], code, set()
        while isinstance(node, str) and node in parent and node not in seen:
            seen.add(node)
            chain.append(node)
            node = parent[node]
        chains[code] = list(reversed(chain))
    return chains


def rollup_rows(codes: pd.DataFrame, level: str) -> tuple[dict[str, str], list[str]]:
    """Map every code to its matrix row at the chosen level, and list the rows in codebook order.

    A code rolls up to its ancestor (or itself) at that level. A code above the level gets a row
    of its own, '<name> (not further coded)', so segments coded only that high are neither
    dropped nor pushed down to a guessed child. A flat codebook (no code has a parent, as Taguette
    and many MAXQDA projects write) has one level only: every code is its own row at any level.
    """
    target = check_level(level)
    rank = {c: CODE_LEVELS.index(lv) for c, lv in zip(codes["code_id"], codes["level"])}
    if is_flat(codes):
        labels = row_labels(codes)
        return {c: labels[c] for c in codes["code_id"]}, [labels[c] for c in codes["code_id"]]
    chains = ancestors(codes)
    labels = row_labels(codes)
    row_of, order = {}, []
    for code in codes["code_id"]:
        chain = chains[code]
        at_level = [c for c in chain if rank[c] == target]
        if at_level:
            row_of[code] = labels[at_level[0]]
        else:
            higher = [c for c in chain if rank[c] < target]
            row_of[code] = NOT_FURTHER_CODED.format(name=labels[higher[-1] if higher else code])
        if rank[code] <= target:
            order.append(row_of[code])
    return row_of, order


def is_flat(codes: pd.DataFrame) -> bool:
    """True when no code has a parent: the codebook has a single level."""
    return bool(len(codes)) and bool(codes["parent_id"].isna().all())


def row_labels(codes: pd.DataFrame) -> dict[str, str]:
    """Display name of each code: its name, or its path where the name is not unique."""
    counts = codes["name"].value_counts()
    return {c: (n if counts[n] == 1 else p) for c, n, p in zip(codes["code_id"], codes["name"], codes["path"])}


def descendants_with_self(codes: pd.DataFrame) -> dict[str, set[str]]:
    """Each code with all the codes below it."""
    out: dict[str, set[str]] = {c: {c} for c in codes["code_id"]}
    for code, chain in ancestors(codes).items():
        for ancestor in chain:
            out[ancestor].add(code)
    return out


def codes_without_evidence(codes: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """Framework codes with no segment on themselves or any code below them."""
    coded = set(segments["code_id"])
    empty = [c for c, below in descendants_with_self(codes).items() if not below & coded]
    return codes[codes["code_id"].isin(empty)][["code_id", "path", "level", "framework", "source"]]
