"""Small-cell suppression: small counts hidden, complements so no margin recovers them."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from icevidence.analyses.suppression import apply_mask, hidden_label, suppress_counts, suppression_mask


def with_margins(inner: np.ndarray) -> pd.DataFrame:
    table = pd.DataFrame(inner, columns=[f"g{j}" for j in range(inner.shape[1])])
    table["Overall"] = table.sum(axis=1)
    table.loc["Total"] = table.sum(axis=0)
    return table


def lone_hidden_lines(mask: pd.DataFrame) -> list[str]:
    m = mask.to_numpy()
    rows = [f"row {i}" for i in range(m.shape[0]) if m.shape[1] > 1 and m[i].sum() == 1]
    cols = [f"column {j}" for j in range(m.shape[1]) if m.shape[0] > 1 and m[:, j].sum() == 1]
    return rows + cols


@settings(max_examples=300, deadline=None)
@given(arrays(np.int64, st.tuples(st.integers(1, 6), st.integers(1, 5)), elements=st.integers(0, 12)),
       st.integers(0, 8))
def test_no_row_or_column_has_a_lone_hidden_cell(inner, min_cell):
    table = with_margins(inner)
    mask = suppression_mask(table, min_cell)
    assert lone_hidden_lines(mask) == []
    small = (table.to_numpy() > 0) & (table.to_numpy() < min_cell)
    assert mask.to_numpy()[small].all()


def test_counts_below_min_cell_are_hidden_and_zero_is_not():
    table = pd.DataFrame({"a": [2, 0, 9], "b": [7, 6, 8], "c": [0, 9, 9]}, index=["x", "y", "z"])
    mask = suppression_mask(table, 5)
    assert mask.at["x", "a"] and not mask.at["y", "a"] and not mask.at["x", "c"]


def test_a_lone_hidden_cell_gets_the_smallest_positive_partner_in_its_row():
    table = pd.DataFrame({"a": [2, 9], "b": [7, 6], "c": [20, 30]}, index=["x", "y"])
    mask = suppression_mask(table, 5)
    assert mask.at["x", "b"] and not mask.at["x", "c"]


def test_a_zero_is_hidden_when_a_line_has_no_other_positive_cell():
    table = pd.DataFrame({"a": [3], "b": [0]})
    mask = suppression_mask(table, 5)
    assert mask.to_numpy().all()


def test_forced_cells_are_hidden_with_their_complements():
    table = pd.DataFrame({"a": [10, 11], "b": [12, 13]})
    force = pd.DataFrame({"a": [True, False], "b": [False, False]})
    mask = suppression_mask(table, 5, force=force)
    assert mask.to_numpy().sum() == 4 and lone_hidden_lines(mask) == []


def test_min_cell_zero_or_one_hides_nothing():
    table = pd.DataFrame({"a": [1, 2]})
    assert not suppression_mask(table, 0).to_numpy().any()
    assert not suppression_mask(table, 1).to_numpy().any()


def test_hidden_cells_read_as_below_k():
    table = pd.DataFrame({"a": [2, 9], "b": [3, 8]})
    shown = suppress_counts(table, 5)
    assert shown.at[0, "a"] == hidden_label(5) == "<5" and shown.at[1, "a"] == "<5"


def test_apply_mask_keeps_visible_values():
    table = pd.DataFrame({"a": [2, 9]})
    shown = apply_mask(table, pd.DataFrame({"a": [True, False]}), 3)
    assert list(shown["a"]) == ["<3", 9]
