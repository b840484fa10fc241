"""The codes × cases view: capped counts and column percentages in HTML, both whole as CSV."""
from __future__ import annotations

import pandas as pd

from icevidence import CodesByCases
from icevidence.present import preview as qm


def test_html_shows_the_counts_capped_with_the_total_kept_and_says_where_the_rest_is(mini, monkeypatch):
    monkeypatch.setattr(qm, "MAX_COLUMNS", 2)
    page = CodesByCases(mini, "main")._repr_html_()
    head = page[:page.index("</thead>")]
    assert "<th style=\"text-align:left\">G1P1</th>" in head and ">total</th>" in head and ">G2P1</th>" not in head
    assert "the full table is in codes_by_cases.csv, listed at the end" in page


def test_the_column_percentages_keep_their_total_when_capped(mini, monkeypatch):
    monkeypatch.setattr(qm, "MAX_COLUMNS", 2)
    result = CodesByCases(mini, "main")
    shown = qm.capped(result.percent_table())
    assert list(shown.frame.columns) == ["G1P1 %", "G1P2 %", "total %"]


def test_html_shows_the_column_percentages_when_asked(mini):
    result = CodesByCases(mini, "main")
    from icevidence.analyses.result import view_of
    page = view_of(result).html(result, ["codes_by_cases_column_percent"])
    assert "as % of each column" in page and "G1P1 %" in page and "100.0" in page and "(references)." not in page


def test_the_counting_note_follows_the_counts_once(mini):
    page = CodesByCases(mini)._repr_html_()
    assert page.count("Codes × cases counts references and co-occurrence counts passages") == 1
    assert page.index("counts passages; for every") < page.index("as % of each column")


def test_write_gives_the_counts_and_the_percentages_whole_as_csv(mini, tmp_path):
    paths = CodesByCases(mini, "main").write(tmp_path)
    assert [p.name for p in paths] == ["codes_by_cases.csv", "codes_by_cases_column_percent.csv"]
    counts = pd.read_csv(paths[0], index_col=0)
    assert counts.loc["Main X", "total"] == 3 and counts.shape == CodesByCases(mini, "main").counts.shape
