"""The shared page geometry: figure sizes, heatmap parts, (nearly) empty heatmaps, column widths."""
from __future__ import annotations

import pandas as pd

from icevidence.analyses.result import Figure
from icevidence.present.page import (
    FIGURE_HEIGHT_IN,
    HEATMAP_ROWS_PER_PART,
    TEXT_WIDTH_IN,
    column_widths,
    fitted,
    says_little,
    split_heatmap,
)


def heatmap(rows: int, min_cell: int = 0, mask: bool = False) -> Figure:
    data = pd.DataFrame({"a": range(rows), "b": [1] * rows}, index=[f"r{i}" for i in range(rows)])
    hidden = data.gt(0) if mask else None
    return Figure("h", "Codes by group", "heatmap", data, hidden, "participants", min_cell=min_cell)


def test_a_tall_figure_is_scaled_to_the_text_block_keeping_its_shape():
    width, height = fitted(6.0, 11.8)
    assert width <= TEXT_WIDTH_IN and height <= FIGURE_HEIGHT_IN
    assert abs(width / height - 6.0 / 11.8) < 1e-9


def test_a_small_figure_is_never_enlarged():
    assert fitted(4.0, 3.0) == (4.0, 3.0)


def test_a_long_heatmap_is_split_into_parts_that_keep_every_row_once():
    parts = split_heatmap(heatmap(50))
    assert len(parts) == 3 and all(len(p.data) <= HEATMAP_ROWS_PER_PART for p in parts)
    assert [r for p in parts for r in p.data.index] == [f"r{i}" for i in range(50)]
    assert parts[0].title.endswith("(part 1 of 3)") and len({p.key for p in parts}) == 3


def test_a_short_heatmap_stays_one_figure():
    spec = heatmap(5)
    assert split_heatmap(spec) == [spec]


def test_a_heatmap_suppression_leaves_empty_says_little():
    assert says_little(heatmap(4, min_cell=5, mask=True))
    assert not says_little(heatmap(4, min_cell=5))
    assert not says_little(heatmap(4, min_cell=0))


def test_column_widths_follow_the_content_and_fill_the_text_width():
    widths = column_widths(["Theme", "n"], [["A long theme name of many words", "3"], ["Short", "12"]])
    assert widths[0] > widths[1] and abs(sum(widths) - TEXT_WIDTH_IN) < 1e-9


def test_no_column_is_narrower_than_its_longest_word_when_the_words_fit():
    long_text = "word " * 200
    widths = column_widths(["Quote", "Professional group"], [[long_text, "Psychiatrist"]])
    assert widths[1] >= len("Professional") * 0.075


def test_an_all_zero_heatmap_says_little_even_without_suppression():
    data = pd.DataFrame({"a": [0], "b": [0]}, index=["x"])
    assert says_little(Figure("h", "Zeros", "heatmap", data, None, "participants"))


def test_running_text_gets_a_wider_column_than_a_label_column():
    rows = [["Theme > Subtheme > A rather long code path name of sixty-odd chars", "word " * 60]] * 3
    label, prose = column_widths(["Code", "Definition"], rows)
    assert prose > label
