"""Codes × cases (NVivo's matrix coding query): counts by case, column percentages, and what a count is."""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence import CodesByCases, theme_matrix
from icevidence.analyses.theme_matrix import UPPER_BOUNDS
from icevidence.model.errors import ConfigError


def doubled(mini):
    """The mini study with its first quote coded a second time under another code of Main X (same passage)."""
    again = mini.segments.iloc[[0]].assign(segment_id="S1b", code_id="a.x.2")
    mini.segments = pd.concat([mini.segments, again], ignore_index=True)
    return mini


def test_counts_are_the_theme_matrix_grouped_by_case(mini):
    result = CodesByCases(mini, "main")
    assert result.counts.equals(theme_matrix(mini, "main", group_by="participant_id"))
    assert result.counts_table().frame.at["Main X", "G1P1"] == 1


def test_column_percent_gives_each_count_as_a_share_of_its_column(mini):
    percent = CodesByCases(doubled(mini), "main").percent_table().frame
    assert percent.at["Main X", "G1P1 %"] == 100.0 and percent.at["Main X", "total %"] == 50.0
    assert percent["total %"].sum() == pytest.approx(100.0, abs=0.2)


def test_a_hidden_count_hides_its_percentage_too(mini):
    result = CodesByCases(mini, "main", min_cell=2)
    counts, percent = result.counts_table().frame, result.percent_table().frame
    assert counts.at["Main X", "G1P1"] == "<2" and percent.at["Main X", "G1P1 %"] == "n<2"
    assert result.mask.to_numpy().sum() == (percent == "n<2").to_numpy().sum()


def test_the_caption_says_a_reference_is_a_coding_and_how_co_occurrence_differs(mini):
    caption = CodesByCases(mini, "main").counts_table().caption
    assert "one per coding" in caption and "counts twice here and once in the co-occurrence table" in caption


def test_a_note_names_the_codes_whose_references_and_passages_differ(mini):
    notes = CodesByCases(doubled(mini), "main").counts_table().notes
    assert notes == ["Codes × cases counts references, co-occurrence passages: they differ for 1 of 4 main codes, "
                     "where a passage is coded twice under one code (Main X: 4 references in 3 passages)."]


def test_the_participants_unit_says_both_tables_count_people_and_counts_are_upper_bounds(mini):
    result = CodesByCases(mini, "main", unit="participants")
    table = result.counts_table()
    assert "distinct participants" in table.notes[0] and "each person once per code" in table.caption
    assert result.notes == [UPPER_BOUNDS]


def test_a_share_unit_is_refused_with_the_choices(mini):
    with pytest.raises(ConfigError, match="references"):
        CodesByCases(mini, unit="share")


def test_the_note_gives_the_largest_differences_first(mini):
    twice = pd.concat([mini.segments.iloc[[6]].assign(segment_id=f"S7{c}") for c in "bc"], ignore_index=True)
    mini.segments = pd.concat([doubled(mini).segments, twice], ignore_index=True)
    note = CodesByCases(mini, "main").counts_table().notes[0]
    assert note.index("Main Z: 4 references in 2 passages") < note.index("Main X: 4 references in 3 passages")
