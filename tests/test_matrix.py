"""Theme matrices: units, groups, unknown tier, reconciliation and drill-down."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from icevidence.errors import ConfigError
from icevidence.matrix import drilldown, reconcile, single_group_themes, theme_matrix


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


def test_workbook_points_to_the_csv_when_quotes_are_too_many(mini, tmp_path, monkeypatch):
    from icevidence import config, matrix
    monkeypatch.setattr(config, "REPORTS", tmp_path)
    monkeypatch.setattr(config, "TABLES", tmp_path / "tables")
    monkeypatch.setattr(matrix, "XLSX_QUOTE_LIMIT", 3)
    matrix.write_matrix_tables(mini, "main", "tier", "r")
    sheet = pd.read_excel(tmp_path / "tables" / "r" / "r.xlsx", sheet_name="quotes")
    assert "quotes.csv" in sheet["note"].item()
    assert len(pd.read_csv(tmp_path / "tables" / "r" / "quotes.csv")) == len(mini.segments)


def test_group_by_participant_id_gives_codes_by_cases(mini):
    matrix = theme_matrix(mini, level="main", group_by="participant_id")
    assert matrix.columns.tolist()[:3] == ["G1P1", "G1P2", "G1P3"]
    assert matrix.at["Main X", "G1P1"] == 1 and matrix.at["Main X", "G2P1"] == 1
    assert matrix.at["Main Z", "unknown"] == 1 and matrix["total"].sum() == len(mini.segments)


def test_group_by_document_groups_by_the_segments_document():
    from pathlib import Path
    from icevidence import read_export
    study = read_export(Path(__file__).parent / "fixtures" / "refi" / "oltas0517.qdpx")
    matrix = theme_matrix(study, level="overarching", group_by="document")
    documents = set(study.segments["document"].dropna())
    assert set(matrix.columns) - {"unknown", "total"} == documents
    assert matrix["total"].sum() == len(study.segments) and matrix["unknown"].sum() == 0


def test_group_by_an_unknown_column_names_the_allowed_ones(mini):
    with pytest.raises(ConfigError, match="document"):
        theme_matrix(mini, group_by="no_such_column")
