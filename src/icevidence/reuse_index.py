"""Candidate pairs of quotes for the reuse check, from an inverted index of word shingles.

Comparing every quote with every other is quadratic (2,000 quotes took 74 s). Every pair the
reuse check reports shares at least two runs of MIN_RUN words, or one longer run (an excerpt of at
least MIN_EXCERPT words, a shared passage of MIN_SHARED words, or a sentence of SENTENCE words),
so it shares at least two word n-grams of length MIN_RUN ("shingles"). The index maps each
shingle to the quotes holding it; pairs meeting on two or more shingle occurrences are the
candidates, and only they are compared. That loses no pair the all-pairs loop would report,
except through MAX_POSTING: a shingle printed in more than that many quotes ("i think it is") is
too common to point to reuse and is left out of the index; the pair is still found through its
other shingles. Work grows with the number of shingles, not with the square of the quotes.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_POSTING = 200
MIN_SHARED_SHINGLES = 2


def shingle_ids(words: Sequence[str], size: int) -> list[int]:
    """Hashes of the word n-grams of one quote (one per position, repeats kept)."""
    return [hash(tuple(words[i:i + size])) for i in range(len(words) - size + 1)]


def index_arrays(texts: Sequence[Sequence[str]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """(shingle hash, quote number) for every shingle occurrence, sorted by shingle."""
    keys: list[int] = []
    owners: list[int] = []
    for number, words in enumerate(texts):
        ids = shingle_ids(words, size)
        keys += ids
        owners += [number] * len(ids)
    keys_array, owners_array = np.asarray(keys, dtype=np.int64), np.asarray(owners, dtype=np.int64)
    order = np.argsort(keys_array, kind="stable")
    return keys_array[order], owners_array[order]


def pairs_in_postings(keys: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Every (quote, quote) pair sharing a shingle, one row per shared occurrence, as (n, 2)."""
    if len(keys) == 0:
        return np.empty((0, 2), dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    found = []
    for size in np.unique(sizes):
        if size < 2 or size > MAX_POSTING:
            continue
        groups = owners[starts[sizes == size][:, None] + np.arange(size)]
        left, right = np.triu_indices(size, 1)
        found.append(np.stack([groups[:, left].ravel(), groups[:, right].ravel()], axis=1))
    return np.concatenate(found) if found else np.empty((0, 2), dtype=np.int64)


def candidate_pairs(texts_a: Sequence[Sequence[str]], texts_b: Sequence[Sequence[str]] | None = None,
                    size: int = 4) -> list[tuple[int, int]]:
    """(i, j) pairs worth comparing: within texts_a (i < j), or across (i in a, j in b), in order."""
    texts = list(texts_a) + (list(texts_b) if texts_b is not None else [])
    pairs = pairs_in_postings(*index_arrays(texts, size))
    pairs = np.sort(pairs, axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    split = len(texts_a)
    if texts_b is not None:
        pairs = pairs[(pairs[:, 0] < split) & (pairs[:, 1] >= split)]
    if len(pairs) == 0:
        return []
    unique, counts = np.unique(pairs, axis=0, return_counts=True)
    kept = unique[counts >= MIN_SHARED_SHINGLES]
    if texts_b is not None:
        kept[:, 1] -= split
    return [(int(i), int(j)) for i, j in kept]
