"""Coding coverage on hand-worked studies: unions of spans, pooling, what each figure rests on, suppression."""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence.analyses.coverage import ANY_CODE, Coverage, union_lengths
from icevidence.model.errors import ConfigError
from icevidence.model.study import assemble_study, load_study

CODES = pd.DataFrame({"code_id": ["t", "a", "b", "a1"], "parent_id": [None, "t", "t", "a"],
                      "name": ["T", "A", "B", "A one"], "level": ["overarching", "main", "main", "sub"]})
PEOPLE = pd.DataFrame({"participant_id": ["P1", "P2", "P3", "P4"], "tier": ["micro", "micro", "meso", "meso"]})
# (participant, document, code, start, end, coder)
ROWS = [("P1", "d1", "a", 0, 10, "ann"), ("P1", "d1", "a1", 5, 20, "ann"), ("P1", "d1", "b", 50, 60, "ann"),
        ("P1", "d2", "a", 0, 30, "ann"), ("P2", "d3", "b", 0, 40, "ann"), ("P3", "d4", "a", 0, 20, "ann"),
        ("P4", "d5", "b", 10, 30, "ann")]
LENGTHS = {"d1": 100, "d2": 300, "d3": 200, "d4": 100, "d5": 100}


def make_study(rows=ROWS, lengths=LENGTHS, people=PEOPLE):
    segments = pd.DataFrame([{"segment_id": f"s{i}", "participant_id": who, "code_id": code, "text": "x",
                              "location": doc, "attribution_status": "valid", "document": doc,
                              "start": None if s is None else str(s), "end": None if e is None else str(e),
                              "coder": coder} for i, (who, doc, code, s, e, coder) in enumerate(rows)],
                            columns=["segment_id", "participant_id", "code_id", "text", "location",
                                     "attribution_status", "document", "start", "end", "coder"])
    documents = pd.DataFrame({"document": list(lengths), "characters": [str(n) for n in lengths.values()],
                              "source": "test"})
    return assemble_study({"id": "hand", "citation": "Hand (2026)", "licence": "l"},
                          {"participants": people.astype("string"), "codes": CODES.astype("string"),
                           "segments": segments.astype("string"), "documents": documents.astype("string")})


def test_overlapping_spans_count_once():
    spans = pd.DataFrame({"key": ["k", "k", "k", "j"], "start": [0, 5, 9, 3], "end": [10, 8, 20, 4]})
    assert union_lengths(spans, ["key"]).to_dict() == {"j": 1, "k": 20}


def test_a_document_s_coverage_is_the_union_of_its_code_s_spans_over_its_full_length():
    # d1: A at 0-10 and its sub code at 5-20 roll up into one union 0-20 of 100 characters.
    values = Coverage(make_study(), by="document").unit_values
    assert values.at["A", "d1"] == pytest.approx(20.0) and values.at["B", "d1"] == pytest.approx(10.0)


def test_the_uncoded_tail_of_a_document_counts_in_the_denominator():
    # d3 is 200 characters long and coded only in its first 40: 20 %, not 100 %.
    assert Coverage(make_study(), by="document").unit_values.at["B", "d3"] == pytest.approx(20.0)


def test_a_participant_s_documents_are_pooled():
    # P1: A covers 20 of d1's 100 and 30 of d2's 300 characters: 50 / 400.
    assert Coverage(make_study()).unit_values.at["A", "P1"] == pytest.approx(12.5)


def test_a_group_and_all_pool_their_documents():
    values = Coverage(make_study()).group_values
    assert values.at["A", "micro"] == pytest.approx(100 * 50 / 600)
    assert values.at["A", "all"] == pytest.approx(100 * 70 / 800)


def test_the_any_code_row_is_the_union_of_every_code():
    # d1: 0-20 (A) and 50-60 (B): 30 of 100.
    assert Coverage(make_study(), by="document").unit_values.at[ANY_CODE, "d1"] == pytest.approx(30.0)


def test_each_column_names_the_participants_and_documents_it_rests_on():
    result = Coverage(make_study())
    assert result.group_table().frame.columns.tolist() == [
        "micro (2 participants, 3 documents)", "meso (2 participants, 2 documents)",
        "all (4 participants, 5 documents)"]
    assert result.unit_table().frame.columns.tolist()[0] == "P1 (2 documents)"


def test_the_spreadsheet_holds_the_counts_and_coverage_as_numbers():
    sheet = Coverage(make_study()).group_table().sheet.set_index(["main code", "tier"])
    assert sheet.loc[("A", "micro")].tolist() == [2, 3, pytest.approx(8.3)]


def test_codings_of_two_coders_on_the_same_characters_count_once_unless_one_coder_is_chosen():
    rows = [*ROWS, ("P1", "d1", "a", 0, 20, "bo"), ("P1", "d1", "a", 80, 100, "bo")]
    assert Coverage(make_study(rows), by="document").unit_values.at["A", "d1"] == pytest.approx(40.0)
    assert Coverage(make_study(rows), by="document", coder="bo").unit_values.at["A", "d1"] == pytest.approx(40.0)
    assert Coverage(make_study(rows), by="document", coder="ann").unit_values.at["A", "d1"] == pytest.approx(20.0)


def test_codings_in_documents_of_unknown_length_are_left_out_and_named():
    rows = [*ROWS, ("P2", "d9", "a", 0, 10, "ann")]
    result = Coverage(make_study(rows))
    assert "d9" not in result.documents.index and any("'d9'" in note for note in result.notes)


def test_codings_without_positions_are_left_out_and_counted():
    rows = [*ROWS, ("P2", "d3", "a", None, None, "ann")]
    result = Coverage(make_study(rows))
    assert result.unit_values.at["A", "P2"] == 0.0 and any("1 coding without character positions" in n
                                                           for n in result.notes)


def test_a_participant_on_fewer_documents_than_min_cell_is_hidden_with_a_complement_in_its_group():
    # micro: P1 rests on 2 documents, P2 on 1; with min_cell 2, P2 is hidden and so is P1 beside it.
    result = Coverage(make_study(), min_cell=2)
    assert result.unit_mask.to_dict() == {"P1": True, "P2": True, "P3": True, "P4": True}
    assert result.unit_table().frame.iloc[0].tolist() == ["<2"] * 4


def test_a_group_on_fewer_participants_than_min_cell_is_hidden_with_a_complement():
    people = pd.concat([PEOPLE, pd.DataFrame({"participant_id": ["P5"], "tier": ["macro"]})], ignore_index=True)
    rows = [*ROWS, ("P5", "d6", "a", 0, 10, "ann"), ("P4", "d7", "a", 0, 5, "ann")]
    result = Coverage(make_study(rows, {**LENGTHS, "d6": 50, "d7": 50}, people), min_cell=2)
    # macro rests on 1 participant: hidden; micro and meso (2 each) are the smallest beside it: one of them too.
    assert result.group_mask["macro"] and result.group_mask[["micro", "meso"]].sum() == 1
    assert not result.group_mask["all"]
    assert "P5 (hidden)" in result.unit_headers()


def test_a_hidden_group_hides_its_participants():
    result = Coverage(make_study(), min_cell=3)
    assert result.group_mask[["micro", "meso"]].all()
    assert result.unit_mask.all()


def test_without_min_cell_nothing_is_hidden():
    result = Coverage(make_study())
    assert not result.group_mask.any() and not result.unit_mask.any() and result.group_table().suppression == ""


def test_a_study_of_printed_quotes_says_why_coverage_cannot_be_computed_and_has_no_table():
    result = Coverage(load_study("tracy2025"))
    assert not result.available and result.tables() == [] and result.figures() == []
    assert "Tracy et al. 2025" in result.reason and "quotes without a position in a transcript" in result.reason


def test_a_study_with_positions_but_no_lengths_says_the_export_lacked_the_texts():
    result = Coverage(make_study(lengths={}))
    assert not result.available and "did not carry the documents' full texts" in result.reason


def test_a_study_without_codings_says_so():
    result = Coverage(make_study(rows=[]))
    assert not result.available and result.reason.endswith("this study has no codings at all.")


def test_the_synthetic_study_gives_shares_between_zero_and_a_hundred():
    values = Coverage(load_study("synthcoders")).group_values
    assert values.notna().all().all() and ((values >= 0) & (values <= 100)).all().all()
    assert (values.drop(index=ANY_CODE) <= values.loc[ANY_CODE]).all().all()


@pytest.mark.parametrize(("argument", "value"), [("by", "case"), ("group_by", "shoe_size"), ("coder", "zed")])
def test_unknown_arguments_are_refused_naming_what_there_is(argument, value):
    with pytest.raises(ConfigError, match=argument):
        Coverage(make_study(), **{argument: value})
