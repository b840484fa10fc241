"""Theme matrices: units, groups, unknown tier, reconciliation and drill-down."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from fixture_paths import FIXTURES

from icevidence import ThemeMatrix
from icevidence.analyses.theme_matrix import column_percent, drilldown, reconcile, single_group_themes, theme_matrix
from icevidence.model.errors import ConfigError


def test_columns_are_the_tiers_then_unknown_and_total(mini):
    assert list(theme_matrix(mini).columns) == ["micro", "meso", "macro", "unknown", "total"]


def test_references_count_coded_segments(mini):
    matrix = theme_matrix(mini, level="main", unit="references")
    assert matrix.loc["Main X"].to_dict() == {"micro": 2, "meso": 1, "macro": 0, "unknown": 0, "total": 3}


def test_segment_with_unknown_tier_is_counted_as_unknown_not_dropped(mini):
    matrix = theme_matrix(mini, level="main")
    assert matrix.at["Main Z", "unknown"] == 1 and matrix.at["Main Z", "total"] == 2


def test_every_level_reconciles_with_the_segment_count(mini):
    for level in ("overarching", "main", "sub"):
        assert theme_matrix(mini, level=level)["total"].sum() == len(mini.segments)


def test_participants_count_each_speaker_once(mini):
    extra = mini.segments.iloc[[0]].assign(segment_id="S8", code_id="a.x.2")
    mini.segments = pd.concat([mini.segments, extra], ignore_index=True)
    references = theme_matrix(mini, level="main", unit="references")
    participants = theme_matrix(mini, level="main", unit="participants")
    assert references.at["Main X", "micro"] == 3 and participants.at["Main X", "micro"] == 2


def test_share_is_participants_over_group_n(mini):
    share = theme_matrix(mini, level="main", unit="share")
    assert share.at["Main X", "micro"] == 50.0 and share.at["Main X", "meso"] == 50.0
    assert math.isnan(share.at["Main X", "unknown"])


def test_group_by_another_participant_column(mini):
    matrix = theme_matrix(mini, level="overarching", group_by="site")
    assert list(matrix.columns) == ["Southtown", "Northtown", "unknown", "total"]
    assert matrix.at["Theme A", "Southtown"] == 3


def test_unknown_unit_is_refused_with_the_choices(mini):
    with pytest.raises(ConfigError, match="references"):
        theme_matrix(mini, unit="quotes")


def test_drilldown_lists_each_quote_under_its_cell(mini):
    quotes = drilldown(mini, level="main")
    cell = quotes[(quotes["row"] == "Main X") & (quotes["group"] == "micro")]
    assert cell["text"].tolist() == ["first quote", "second quote"]
    assert len(quotes) == len(mini.segments)


def test_single_group_themes_lists_rows_with_one_tier(mini):
    only = single_group_themes(theme_matrix(mini, level="main")).set_index("theme")["only group"]
    assert only.to_dict() == {"Main Y": "micro", "Main Z": "macro"}


def test_reconcile_reports_a_matrix_that_lost_segments(mini):
    matrix = theme_matrix(mini).iloc[1:]
    assert reconcile(mini, matrix)["status"].item() == "DOES NOT RECONCILE"


def test_study_can_be_given_by_id():
    assert theme_matrix("mitchell2020", group_by="level")["total"].sum() > 0


def test_group_by_participant_id_gives_codes_by_cases(mini):
    matrix = theme_matrix(mini, level="main", group_by="participant_id")
    assert matrix.columns.tolist()[:3] == ["G1P1", "G1P2", "G1P3"]
    assert matrix.at["Main X", "G1P1"] == 1 and matrix.at["Main X", "G2P1"] == 1
    assert matrix.at["Main Z", "unknown"] == 1 and matrix["total"].sum() == len(mini.segments)


def test_group_by_document_groups_by_the_segments_document():
    from icevidence import read_export
    study = read_export(FIXTURES / "refi" / "oltas0517.qdpx")
    matrix = theme_matrix(study, level="overarching", group_by="document")
    documents = set(study.segments["document"].dropna())
    assert set(matrix.columns) - {"unknown", "total"} == documents
    assert matrix["total"].sum() == len(study.segments) and matrix["unknown"].sum() == 0


def test_group_by_an_unknown_column_names_the_allowed_ones(mini):
    with pytest.raises(ConfigError, match="document"):
        theme_matrix(mini, group_by="no_such_column")


def test_share_is_hidden_where_the_participant_count_is(mini):
    share = ThemeMatrix(mini, "main", "share", min_cell=3)
    participants = theme_matrix(mini, "main", "participants")
    assert share.counts.equals(participants)
    hidden = share.mask.to_numpy()
    assert hidden.any() and all(str(v).startswith("n<") for v in share.table.to_numpy()[hidden])


def test_mask_is_decided_on_counts_not_percentages(mini):
    share = ThemeMatrix(mini, "main", "share", min_cell=3)
    assert share.mask.equals(ThemeMatrix(mini, "main", "participants", min_cell=3).mask)


def test_quotes_of_hidden_cells_are_left_out(mini):
    matrix = ThemeMatrix(mini, "main", min_cell=3)
    shown = {(r, g) for r, g in zip(matrix.quotes()["row"].astype(str), matrix.quotes()["group"].astype(str))}
    assert all(matrix.shown_cells.at[r, g] for r, g in shown)
    assert len(matrix.quotes()) < len(ThemeMatrix(mini, "main").quotes())


def test_without_min_cell_nothing_is_hidden_and_every_quote_is_listed(mini):
    matrix = ThemeMatrix(mini, "sub")
    assert not matrix.mask.to_numpy().any() and len(matrix.quotes()) == len(mini.segments)


def test_sub_level_export_carries_its_parents_as_columns(mini):
    export = ThemeMatrix(mini, "sub").export()
    assert list(export.columns[:3]) == ["overarching code", "main code", "sub code"]
    assert export.set_index("sub code").at["Sub X1", "main code"] == "Main X"


def test_single_group_shows_counts_as_the_matrix_does(mini):
    table = ThemeMatrix(mini, "main", min_cell=3).single_group()
    assert set(table.columns) == {"theme", "only group", "references"}
    assert all(isinstance(v, str) and v.startswith("<") or v >= 3 for v in table["references"])


def test_column_percent_is_each_count_over_its_column_total():
    counts = pd.DataFrame({"a": [1, 3], "b": [0, 0]}, index=["x", "y"])
    percent = column_percent(counts)
    assert percent["a"].tolist() == [25.0, 75.0] and percent["b"].isna().all()


def test_column_percent_table_hides_a_percentage_where_its_count_is_hidden(mini):
    matrix = ThemeMatrix(mini, "main", min_cell=2)
    table = matrix.column_percent_table()
    assert list(table.frame.columns) == [f"{c} %" for c in matrix.counts.columns]
    hidden = table.frame.to_numpy() == "n<2"
    assert (hidden == matrix.mask.to_numpy()).all() and hidden.any()


def test_column_percent_caption_says_what_the_denominator_is(mini):
    references = ThemeMatrix(mini, "main").column_percent_table().caption
    participants = ThemeMatrix(mini, "main", "participants").column_percent_table().caption
    assert "each column sums to 100" in references and "counts under each" in participants
    assert ThemeMatrix(mini, "main").column_percent_table().frame.at["Main X", "micro %"] == 66.7


def test_a_participant_matrix_caption_says_its_counts_are_upper_bounds(mini):
    from icevidence import ThemeMatrix
    assert "upper bounds" in ThemeMatrix(mini, "main", "participants").matrix_table().caption
    assert "upper bounds" not in ThemeMatrix(mini, "main", "references").matrix_table().caption
