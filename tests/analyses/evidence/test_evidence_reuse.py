"""Reused quotes on the three papers: the pairs the all-pairs difflib comparison found, pinned.

The pairs were recorded before the candidate index (shingles) replaced the all-pairs loop, so the
faster search must find exactly these, with the same overlap figures. Each pair is a quote the
papers print twice; the comment gives where.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icevidence import load_study
from icevidence.analyses.evidence import pairs as ev

COLUMNS = ["segment_ids_a", "segment_ids_b", "relation", "cover", "longest", "shared"]


def pairs_of(a: str, b: str | None = None) -> set[tuple]:
    """(ids a, ids b, relation, cover, longest, shared) of every reused pair found."""
    quotes_a = ev.quotes_for_reuse(load_study(a))
    quotes_b = ev.quotes_for_reuse(load_study(b)) if b else None
    found = ev.reused_pairs(quotes_a, quotes_b)
    if found.empty:
        return set()
    return set(found[COLUMNS].itertuples(index=False, name=None))


# Tracy 2025: Table 1 'A learning system' (G1P13, "I'm excited about working with the bigger group of
# professionals ...") and Results, Adopters' characteristics para 5 (G1PK, 'nice teams to work in ... with
# the bigger group of professionals'); Table 1 'Care quality, workflow, learning' (G1P) and Results,
# Stage of innovation (G1PD, 'it's quite nice ... continual conversation about changes').
def test_tracy_pairs_are_kept():
    assert pairs_of("tracy2025") == {("T1-009", "R-041", "shared passage", 0.74, 8, 14),
                                     ("T1-028", "R-024", "shared passage", 0.89, 16, 24)}


def test_mitchell2020_prints_no_quote_twice():
    assert pairs_of("mitchell2020") == set()


# Mitchell 2023, Results: Organisational communication: 'I think it needs to be looked at, where does the
# GP fit within this integrated working?' closes both the quote after para 5 (12A) and after para 6 (19A).
def test_mitchell2023_pair_is_kept():
    assert pairs_of("mitchell2023") == {("R-014", "R-015", "shared passage", 0.35, 17, 17)}


# Mitchell 2020 and 2023 re-use locality A's 2018 interviews (seed README): R-006/R-022 ('aims are reducing
# A&E admissions'), R-014/R-012 ('so hospital-centric'), and R-019 against R-014 and R-015 ('where does the GP fit').
def test_mitchell_pairs_across_papers_are_kept():
    assert pairs_of("mitchell2020", "mitchell2023") == {
        ("R-006", "R-022", "same quote", 0.92, 48, 48), ("R-014", "R-012", "same quote", 1.0, 36, 36),
        ("R-019", "R-014", "shared passage", 0.36, 17, 17), ("R-019", "R-015", "same quote", 0.96, 45, 45)}


@pytest.mark.parametrize("other", ["mitchell2020", "mitchell2023"])
def test_tracy_shares_no_quote_with_mitchell(other):
    assert pairs_of("tracy2025", other) == set()


def test_pairs_table_keeps_both_sides_columns():
    found = ev.reused_pairs(ev.quotes_for_reuse(load_study("mitchell2023")))
    assert {"text_a", "text_b", "attribution_raw_a", "participant_id_b", "similarity"} <= set(found.columns)
    assert isinstance(found, pd.DataFrame) and len(found) == 1


def test_reading_all_quotes_at_once_gives_each_quotes_words():
    texts = pd.Series(["İt’s the [TEAM] — “care”\x1ewho", None, "", "Don't stop; 42 beds\x00x", "ÉCOLE ﬁne ‘ok’"])
    numbers, owners, vocabulary = ev.read_words(texts, chunk=2)
    words = np.asarray(vocabulary, dtype=object)[numbers]
    for number, text in enumerate(texts):
        assert words[owners == number].tolist() == ev.words_of(text)
    assert len(words) == sum(len(ev.words_of(t)) for t in texts)
