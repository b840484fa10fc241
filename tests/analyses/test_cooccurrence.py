"""Code co-occurrence: passages from overlapping selections, and ATLAS.ti's c-coefficient."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from icevidence.analyses.cooccurrence import (
    Cooccurrence,
    cooccurrence,
    cooccurrence_matrix,
    counting_note,
    passages,
    references_and_passages,
    square_of_strongest,
)
from icevidence.io.assign import build_study
from icevidence.model.errors import ConfigError


def hand_worked_study():
    """Document D: A 0-10 and B 5-15 overlap (passage 1 {A,B}); A and C on 20-30 (passage 2 {A,C});
    B 40-50 and B 50-60 only touch (passages 3 and 4 {B}). Speakers: P1 for passages 1-2, P2 for 3-4."""
    codes = pd.DataFrame({"code_id": ["A", "B", "C"], "parent_id": [None] * 3, "name": ["A", "B", "C"],
                          "description": [None] * 3})
    rows = [("s1", "A", 0, 10, "P1"), ("s2", "B", 5, 15, "P1"), ("s3", "A", 20, 30, "P1"), ("s4", "C", 20, 30, "P1"),
            ("s5", "B", 40, 50, "P2"), ("s6", "B", 50, 60, "P2")]
    codings = pd.DataFrame({"segment_id": [r[0] for r in rows], "document": "D", "case": [r[4] for r in rows],
                            "code_id": [r[1] for r in rows], "text": "t", "start": [r[2] for r in rows],
                            "end": [r[3] for r in rows], "note": None})
    return build_study("hand", codes, codings, None, None, Path("hand.qdpx"))


def test_overlapping_selections_share_a_passage_and_touching_ones_do_not():
    study = hand_worked_study()
    ids = passages(study.segments).tolist()
    assert ids[0] == ids[1] and ids[2] == ids[3] and len({ids[0], ids[2], ids[4], ids[5]}) == 4


def test_c_coefficient_on_the_hand_worked_case():
    table = cooccurrence(hand_worked_study(), level="overarching").set_index(["code_a", "code_b"])
    # A: passages 1, 2 (n=2); B: 1, 3, 4 (n=3); C: 2 (n=1)
    assert table.loc[("A", "C")].to_dict() == {"n_a": 2, "n_b": 1, "n_ab": 1, "c": 0.5}      # 1 / (2 + 1 - 1)
    assert table.loc[("A", "B")].to_dict() == {"n_a": 2, "n_b": 3, "n_ab": 1, "c": 0.25}     # 1 / (2 + 3 - 1)
    assert ("B", "C") not in table.index


def test_participants_unit_counts_distinct_speakers():
    table = cooccurrence(hand_worked_study(), level="overarching", unit="participants").set_index(["code_a", "code_b"])
    # A: {P1}, B: {P1, P2}, both in one passage: {P1} -> c = 1 / (1 + 2 - 1)
    assert table.loc[("A", "B")].to_dict() == {"n_a": 1, "n_b": 2, "n_ab": 1, "c": 0.5}


def test_without_positions_the_same_quote_is_one_passage(mini):
    doubled = mini.segments.iloc[[0]].assign(segment_id="S1b", code_id="b.z")
    mini.segments = pd.concat([mini.segments, doubled], ignore_index=True)
    table = cooccurrence(mini, level="main")
    assert table[["code_a", "code_b", "n_ab"]].values.tolist() == [["Main X", "Main Z", 1]]


def test_the_matrix_is_symmetric():
    square = cooccurrence_matrix(cooccurrence(hand_worked_study(), level="overarching"), value="c")
    assert square.at["A", "C"] == square.at["C", "A"] == 0.5 and square.at["B", "C"] == 0


def test_unknown_unit_is_refused():
    with pytest.raises(ConfigError, match="unit"):
        cooccurrence(hand_worked_study(), unit="share")


def test_references_and_passages_differ_where_one_passage_is_coded_twice_under_a_code():
    study = hand_worked_study()
    again = study.segments.iloc[[0]].assign(segment_id="s7", start=2, end=8)   # A again, inside passage 1
    study.segments = pd.concat([study.segments, again], ignore_index=True)
    table = references_and_passages(study, "overarching")
    assert table.loc["A"].to_dict() == {"references": 3, "passages": 2}
    assert table.loc["B"].to_dict() == {"references": 3, "passages": 3}


def test_the_counting_note_says_when_both_tables_agree():
    assert "the two agree" in counting_note(hand_worked_study(), "overarching")
    assert "distinct participants" in counting_note(hand_worked_study(), "overarching", "participants")


def test_the_square_keeps_only_the_codes_of_the_strongest_pairs():
    pairs = cooccurrence(hand_worked_study(), level="overarching")
    square = square_of_strongest(pairs, limit=2)
    assert list(square.index) == list(square.columns) == ["A", "C"] and square.at["A", "C"] == 0.5


def test_the_result_holds_the_pairs_and_the_square_with_captions_saying_what_n_counts():
    result = Cooccurrence(hand_worked_study(), level="overarching")
    pairs, square = result.tables()
    assert pairs.frame.equals(cooccurrence(hand_worked_study(), level="overarching")) and not pairs.index
    assert square.frame.at["A", "C"] == 0.5 and square.index
    assert "n_a and n_b count the passages" in pairs.caption and "counts twice there and once here" in pairs.caption
    assert pairs.notes == [counting_note(hand_worked_study(), "overarching")]


def test_the_result_refuses_an_unknown_unit():
    with pytest.raises(ConfigError, match="unit"):
        Cooccurrence(hand_worked_study(), unit="share")
