"""The code tree: depths (each chain walked once), levels, ancestors and the roll-up of codings to a level."""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import pandas as pd

from .errors import CompendiumError, ConfigError
from .vocabulary import CODE_LEVELS

NOT_FURTHER_CODED = "{name} (not further coded)"
MAX_CODE_DEPTH = 100  # levels below a root; real codebooks have a handful
SHOWN_IN_CYCLE = 6


@dataclass
class CodeTreeError(CompendiumError):
    """The parent links of a code tree form a cycle, or a chain deeper than the cap; names file, place and codes."""

    file: str
    place: str
    problem: str
    remedy: str = "give each code a parent that leads up to a root (a code without parent), and import again."

    def describe(self) -> str:
        return f"{self.file}, {self.place}: {self.problem}"


def tree_depths(parents: Mapping[Hashable, Hashable | None], file: str, place: str,
                max_depth: int = MAX_CODE_DEPTH) -> dict[Hashable, int]:
    """Depth of every code (0 for a root; a parent not in the tree counts as none), walking each link once.

    A cycle is refused naming its codes, a chain deeper than ``max_depth`` naming its deepest code.
    """
    depths: dict[Hashable, int] = {}
    for start in parents:
        chain: list[Hashable] = []
        on_chain: dict[Hashable, int] = {}
        node = start
        while node is not None and node in parents and node not in depths:
            if node in on_chain:
                raise cycle_error(chain[on_chain[node]:] + [node], file, place)
            on_chain[node] = len(chain)
            chain.append(node)
            node = parents[node]
        base = depths[node] + 1 if node is not None and node in depths else 0
        for offset, code in enumerate(reversed(chain)):
            depths[code] = base + offset
        if chain and depths[start] > max_depth:
            raise too_deep_error(start, max_depth, file, place)
    return depths


def cycle_error(cycle: list[Hashable], file: str, place: str) -> CodeTreeError:
    """The codes of a parent cycle, in link order (the first repeated at the end), shortened when long."""
    shown = [str(c) for c in cycle] if len(cycle) <= SHOWN_IN_CYCLE else \
        [str(c) for c in cycle[:SHOWN_IN_CYCLE - 1]] + [f"... ({len(cycle) - SHOWN_IN_CYCLE} more)", str(cycle[-1])]
    return CodeTreeError(file, place, f"the parent links form a cycle: {' > '.join(shown)}",
                         remedy="give one code of the cycle no parent (or a parent outside it), and load again.")


def too_deep_error(code: Hashable, max_depth: int, file: str, place: str) -> CodeTreeError:
    """A code whose chain of parents is longer than the cap."""
    return CodeTreeError(file, place, f"code {code} lies more than {max_depth} levels below its root",
                         remedy=f"flatten the code tree to at most {max_depth} levels, and load again.")


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
    return row_of, list(dict.fromkeys(order))  # codes deeper than the level share their ancestor's row


def is_flat(codes: pd.DataFrame) -> bool:
    """True when no code has a parent: the codebook has a single level."""
    return bool(len(codes)) and bool(codes["parent_id"].isna().all())


def row_labels(codes: pd.DataFrame) -> dict[str, str]:
    """Display name of each code: its name; its path where the name is not unique (without a root
    category every code shares); the path and its id where even the path repeats. Never two codes one label."""
    root = single_root(codes)
    names, paths = codes["name"].astype(str), codes["path"].astype(str).map(lambda p: drop_root(p, root))
    labels = names.where(names.map(names.value_counts()) == 1, paths)
    labels = labels.where(labels.map(labels.value_counts()) == 1, paths + " [" + codes["code_id"].astype(str) + "]")
    return dict(zip(codes["code_id"], labels))


def single_root(codes: pd.DataFrame) -> str | None:
    """The name of the one root category every other code sits under, or None (several roots, or flat)."""
    roots = codes[codes["parent_id"].isna()]
    return str(roots["name"].iloc[0]) if len(roots) == 1 and len(codes) > 1 else None


def drop_root(path: str, root: str | None) -> str:
    """A path without the single root category's name in front (it tells the reader nothing)."""
    prefix = f"{root} > "
    return path[len(prefix):] if root is not None and path.startswith(prefix) else path


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
