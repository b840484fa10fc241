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


def runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start, length) of each run of equal neighbours in a sorted array (none for an empty one)."""
    if len(values) == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return starts, np.diff(np.r_[starts, len(values)])


def shingle_keys(word_ids: np.ndarray, quote_ids: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(shingle key, quote number) for every n-gram inside one quote, sorted by key.

    word_ids numbers each word (equal words, equal numbers) and quote_ids says whose word it is, in
    quote order. A key packs the n word numbers exactly while vocabulary**size fits in 64 bits;
    beyond that it wraps, so unequal n-grams may share a key: that only adds candidates, which the
    comparison then rejects; it never loses one.
    """
    word_ids, quote_ids = np.asarray(word_ids, dtype=np.uint64), np.asarray(quote_ids, dtype=np.int64)
    positions = len(word_ids) - size + 1
    if positions <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    inside = quote_ids[:positions] == quote_ids[size - 1:]
    base = np.uint64(int(word_ids.max()) + 1)
    keys = np.zeros(positions, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            keys = keys * base + word_ids[offset:offset + positions]
    keys, owners = keys[inside].view(np.int64), quote_ids[:positions][inside]
    order = np.argsort(keys, kind="stable")
    return keys[order], owners[order]


def tokens_of(texts: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(word number, quote number) for every word of quotes given as word lists."""
    flat = [word for words in texts for word in words]
    owners = np.repeat(np.arange(len(texts), dtype=np.int64), [len(words) for words in texts])
    numbers = np.unique(np.asarray(flat, dtype=object), return_inverse=True)[1] if flat else np.empty(0)
    return np.asarray(numbers, dtype=np.int64), owners


def pair_codes(keys: np.ndarray, owners: np.ndarray, quotes: int, tables: np.ndarray | None) -> np.ndarray:
    """Every (quote, quote) pair sharing a shingle as one number (lower * quotes + higher), one per
    shared occurrence; pairs of a quote with itself left out, and pairs within one table when
    tables (each quote's table number) is given."""
    starts, sizes = runs(keys)
    usable = (sizes >= 2) & (sizes <= MAX_POSTING)
    codes = np.empty(int((sizes[usable] * (sizes[usable] - 1) // 2).sum()), dtype=np.int64)
    filled = 0
    for size in np.unique(sizes[usable]):
        groups = owners[starts[sizes == size][:, None] + np.arange(size)]
        left, right = np.triu_indices(size, 1)
        lower, higher = groups[:, left].ravel(), groups[:, right].ravel()
        keep = lower != higher if tables is None else tables[lower] != tables[higher]
        found = lower[keep] * quotes + higher[keep]
        codes[filled:filled + len(found)] = found
        filled += len(found)
    return codes[:filled]


def candidate_pairs(texts_a: Sequence[Sequence[str]], texts_b: Sequence[Sequence[str]] | None = None,
                    size: int = 4) -> list[tuple[int, int]]:
    """(i, j) pairs worth comparing: within texts_a (i < j), or across (i in a, j in b), in order."""
    texts = list(texts_a) + (list(texts_b) if texts_b is not None else [])
    word_ids, quote_ids = tokens_of(texts)
    tables = None if texts_b is None else np.repeat([0, 1], [len(texts_a), len(texts_b)])
    pairs = candidate_pairs_of_tokens(word_ids, quote_ids, len(texts), tables, size)
    return pairs if texts_b is None else [(i, j - len(texts_a)) for i, j in pairs]


def candidate_pairs_of_tokens(word_ids: np.ndarray, quote_ids: np.ndarray, quotes: int,
                              tables: np.ndarray | None = None, size: int = 4) -> list[tuple[int, int]]:
    """(i, j) quote numbers worth comparing, i < j, for quotes already read as word numbers; with
    tables (each quote's table number), only pairs from two different tables."""
    codes = pair_codes(*shingle_keys(word_ids, quote_ids, size), quotes, tables)
    if len(codes) == 0:
        return []
    codes.sort()
    starts, counts = runs(codes)
    kept = codes[starts[counts >= MIN_SHARED_SHINGLES]]
    return list(zip((kept // quotes).tolist(), (kept % quotes).tolist()))
