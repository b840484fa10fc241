"""Sample tables: counts by group, n (%) formatting, small-cell suppression."""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from icevidence import SampleTables
from icevidence.analyses.sample import count_table, format_counts, group_sizes, sample_tables
from icevidence.analyses.suppression import suppression_mask


def test_group_sizes_count_each_tier_and_total(mini):
    sizes = group_sizes(mini, "tier")["n"]
    assert sizes.to_dict() == {"micro": 4, "meso": 2, "macro": 1, "Total": 7}


def test_missing_values_show_as_not_stated(mini):
    table = count_table(mini, "gender", "tier")
    assert table.at["not stated", "micro"] == 1 and table.at["not stated", "Overall"] == 1


def test_bands_are_listed_in_their_declared_order(mini):
    table = count_table(mini, "years_of_service", "tier")
    assert list(table.index) == ["<5", "5-10", "11-20", ">20", "Total"]


def test_formatted_cells_give_n_and_column_percentage(mini):
    table = format_counts(count_table(mini, "gender", "tier"))
    assert table.at["Female", "micro"] == "2 (50.0%)" and table.at["Total", "Overall"] == "7"


def test_sample_tables_cover_each_reported_attribute(mini):
    assert set(sample_tables(mini)) == {"n", "site", "professional_group", "years_of_service", "gender"}


def test_small_counts_show_as_below_threshold(mini):
    table = sample_tables(mini, min_cell=3)["gender"]
    assert table.at["Male", "micro"] == "<3"


def test_zero_counts_are_not_suppressed(mini):
    table = sample_tables(mini, min_cell=3)["gender"]
    assert table.at["Male", "macro"] == "0"  # shown, not '<3'; no % because macro's total (1) is hidden


def _recoverable(counts: pd.DataFrame, masked: pd.DataFrame) -> bool:
    """True when some masked cell is the only masked entry of its row or column."""
    m = masked.to_numpy()
    return any(m[i].sum() == 1 for i in range(m.shape[0]) if m[i].any()) or \
        any(m[:, j].sum() == 1 for j in range(m.shape[1]) if m[:, j].any())


def test_suppression_leaves_no_line_with_a_single_hidden_cell():
    rng = np.random.default_rng(7)
    for _ in range(200):
        inner = pd.DataFrame(rng.integers(0, 6, size=(4, 3)), columns=list("abc"))
        inner["Overall"] = inner.sum(axis=1)
        inner.loc["Total"] = inner.sum(axis=0)
        masked = suppression_mask(inner, 3)
        assert not _recoverable(inner, masked)
        small = (inner.to_numpy() > 0) & (inner.to_numpy() < 3)
        assert masked.to_numpy()[small].all()


def test_no_suppression_when_min_cell_is_zero(mini):
    tables = sample_tables(mini, min_cell=0)
    cells = itertools.chain.from_iterable(t.astype(str).to_numpy().ravel() for t in tables.values())
    assert not any(str(c).startswith("<") for c in cells)


def test_sample_export_has_separate_numeric_count_and_percent_columns(mini):
    export = SampleTables(mini).export("gender")
    assert {"micro n", "micro %"} <= set(export.columns)
    assert export.at["Female", "micro n"] == 2 and export.at["Female", "micro %"] == 50.0


def test_group_size_hidden_in_n_is_hidden_in_every_total_row(mini):
    tables = SampleTables(mini, min_cell=3)
    assert tables.mask["n"].at["macro", "n"]
    assert all(tables.mask[name].at["Total", "macro"] for name in tables.attributes)


def test_percentages_are_dropped_where_the_column_total_is_hidden(mini):
    table = SampleTables(mini, min_cell=3).table["professional_group"]
    assert not any("%" in str(v) for v in table["macro"])
