"""The shingle index finds every pair the reuse check would report, without comparing all pairs."""
from __future__ import annotations

import itertools

import numpy as np

from icevidence.analyses.evidence import pairs as ev
from icevidence.analyses.evidence import reuse_index as ri

VOCABULARY = "care team patient staff social health referral trust data budget".split()


def quotes(seed: int, n: int) -> list[list[str]]:
    """Random quotes from a small vocabulary, some of them excerpts or copies of earlier ones."""
    rng = np.random.default_rng(seed)
    made: list[list[str]] = []
    for _ in range(n):
        if made and rng.random() < 0.3:
            source = made[int(rng.integers(len(made)))]
            start = int(rng.integers(max(1, len(source) - 5)))
            made.append(source[start:start + int(rng.integers(5, 20))])
        else:
            made.append(list(rng.choice(VOCABULARY, size=int(rng.integers(3, 25)))))
    return made


def reported_by_all_pairs(texts: list[list[str]]) -> set[tuple[int, int]]:
    return {(i, j) for i, j in itertools.combinations(range(len(texts)), 2) if ev.compare_quotes(texts[i], texts[j])}


def test_index_candidates_include_every_reported_pair_within_one_table():
    for seed in range(5):
        texts = quotes(seed, 120)
        assert reported_by_all_pairs(texts) <= set(ri.candidate_pairs(texts))


def test_index_candidates_across_two_tables_point_into_each():
    a, b = quotes(1, 60), quotes(2, 60) + quotes(1, 10)
    wanted = {(i, j) for i in range(len(a)) for j in range(len(b)) if ev.compare_quotes(a[i], b[j])}
    found = set(ri.candidate_pairs(a, b))
    assert wanted <= found and all(i < len(a) and j < len(b) for i, j in found)


def test_quotes_sharing_one_shingle_only_are_not_candidates():
    a = "the team met on monday".split()
    b = "after that the team met again".split()
    assert ri.candidate_pairs([a, b], size=3) == []


def test_index_compares_far_fewer_pairs_than_all_pairs():
    texts = quotes(7, 400)
    assert len(ri.candidate_pairs(texts)) < len(texts) * (len(texts) - 1) // 2 // 4


def test_runs_gives_the_start_and_length_of_each_run_of_equal_values():
    starts, lengths = ri.runs(np.array([3, 3, 5, 7, 7, 7]))
    assert starts.tolist() == [0, 2, 3] and lengths.tolist() == [2, 1, 3]
    assert [a.tolist() for a in ri.runs(np.array([], dtype=np.int64))] == [[], []]
