"""Framework matrix (NVivo framework matrix / MAXQDA Summary Grid): participants × themes, quotes in cells."""
from __future__ import annotations

import pandas as pd

from icevidence import FrameworkMatrix, framework_matrix
from icevidence.analyses.framework import code_paths, even_chunks, split_columns


def test_each_cell_holds_the_participants_quotes_on_the_theme(mini):
    matrix = framework_matrix(mini, level="main")
    assert matrix.at["G1P1", "Main X"] == "first quote [Table 1]"
    assert matrix.at["G1PL", "Main Y"] == "fourth quote [Results]"
    assert matrix.at["G1P1", "Main Z"] == ""


def test_quotes_without_a_participant_are_kept_in_an_unknown_row(mini):
    matrix = framework_matrix(mini, level="main")
    assert matrix.index[-1] == "unknown"
    assert matrix.at["unknown", "Main Z"] == "fifth quote [Results]"


def test_several_quotes_in_one_cell_are_separated_by_a_blank_line(mini):
    mini.segments.loc[mini.segments["segment_id"] == "S2", "participant_id"] = "G1P1"
    matrix = framework_matrix(mini, level="main")
    assert matrix.at["G1P1", "Main X"] == "first quote [Table 1]\n\nsecond quote [Table 1]"


def test_any_participant_column_can_be_the_rows(mini):
    matrix = framework_matrix(mini, level="overarching", group_by="tier")
    assert "micro" in matrix.index and "Theme A" in matrix.columns


def test_a_matrix_that_fits_is_one_table_with_every_row(mini):
    result = FrameworkMatrix(mini, level="main")
    [table] = result.tables()
    assert table.frame.equals(framework_matrix(mini, level="main")) and table.prose == tuple(table.frame.columns)


def test_a_wide_matrix_is_split_by_code_group_into_tables_that_fit(mini):
    tables = FrameworkMatrix(mini, level="main", width=2).tables()
    assert [list(t.frame.columns) for t in tables] == [["Theme A (not further coded)", "Main X"], ["Main Y"],
                                                       ["Main Z"]]
    assert ["under Theme A" in t.title for t in tables] == [True, True, False] and "under Theme B" in tables[2].title
    assert all(t.prose == tuple(t.frame.columns) for t in tables)


def test_a_split_table_leaves_out_rows_without_a_quote_in_its_columns_and_says_so(mini):
    table = FrameworkMatrix(mini, level="main", width=2).tables()[2]
    assert list(table.frame.index) == ["G3P1", "unknown"]
    assert table.notes == ["7 of 9 rows have no quote in these columns and are left out of this table."]


def test_a_not_further_coded_column_belongs_to_its_own_code_group(mini):
    paths = code_paths(mini.codes, "main")
    assert paths["Theme A (not further coded)"] == paths["Main X"] == ("Theme A",) and paths["Main Z"] == ("Theme B",)
    assert code_paths(mini.codes, "sub")["Sub X1"] == ("Theme A", "Main X")


def test_neighbouring_small_groups_share_a_table_and_a_wide_group_is_split_evenly():
    paths = {"a": ("P",), "b": ("Q",), "c": ("Q",), "d": ("R",), **{f"s{i}": ("S",) for i in range(5)}}
    parts = split_columns(["a", "b", "c", "d", *[f"s{i}" for i in range(5)]], paths, width=3)
    assert parts == [([("P",), ("Q",)], ["a", "b", "c"]), ([("R",)], ["d"]), ([("S",)], ["s0", "s1", "s2"]),
                     ([("S",)], ["s3", "s4"])]


def test_a_flat_codebook_is_cut_into_even_parts():
    parts = split_columns(list("abcdefghij"), {}, width=4)
    assert [columns for _, columns in parts] == [list("abcd"), list("efg"), list("hij")]
    assert [len(c) for c in even_chunks(list("abcde"), 4)] == [3, 2]


def test_each_table_is_named_by_its_code_groups(mini):
    assert FrameworkMatrix(mini, level="main", width=2).group_names() == ["Theme A", "Theme A", "Theme B"]
    assert FrameworkMatrix(mini, level="main").group_names() == ["table 1"]


def test_the_whole_matrix_keeps_every_row_and_column(mini):
    whole = FrameworkMatrix(mini, level="main", width=2).whole()
    assert whole.frame.shape == framework_matrix(mini, level="main").shape and whole.key == "framework_matrix"
    assert isinstance(whole.frame, pd.DataFrame) and whole.index
