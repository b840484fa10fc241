"""The comparison report's rendering: escaped tables and quotes, readable heatmap labels."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from icevidence.comparison_view import (concept_heatmap, figure_text, html_table, overlapping_labels,  # noqa: E402
                                        quotes_side_by_side, sensitivity_lines)

HOSTILE = '<script>alert("x")</script>'


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_project_heatmap_tick_labels_do_not_overlap():
    import icevidence as ic
    from icevidence.comparison import compare
    studies = [ic.load_study(s) for s in ["tracy2025", "mitchell2020", "mitchell2023"]]
    matrix = compare(studies, unit="participants").T
    fig = concept_heatmap(matrix, "Concepts by site")
    assert overlapping_labels(fig, "x") == [] and overlapping_labels(fig, "y") == []


def test_long_labels_are_wrapped_and_sized_apart():
    names = [f"A rather long concept name number {i} about relationships across organisations" for i in range(20)]
    sites = ["north London", "Manchester locality A", "locality B", "a site with a very long descriptive name", "unknown"]
    matrix = pd.DataFrame(1, index=names, columns=sites)
    fig = concept_heatmap(matrix, "stress")
    assert overlapping_labels(fig, "x") == [] and overlapping_labels(fig, "y") == []


def test_overlap_check_catches_crowded_labels():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks(range(5), [f"a long label {i}" for i in range(5)])
    assert overlapping_labels(fig, "x")


def test_tables_escape_data_strings():
    df = pd.DataFrame({HOSTILE: [HOSTILE]}, index=[HOSTILE])
    out = html_table(df, HOSTILE, "t").data
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_quotes_and_sensitivity_lines_escape_data_strings():
    quotes = pd.DataFrame({"concept": pd.Categorical([HOSTILE]), "site": ["s1"], "study": ["x"], "segment_id": ["q"],
                           "text": [HOSTILE], "attribution_raw": [HOSTILE], "location": ["l"], "also_printed_as": [None]})
    lines = pd.DataFrame({"concept": [HOSTILE], "pattern": ["holds"], "by references": [HOSTILE],
                          "by participants": ["s1"]})
    for out in (quotes_side_by_side(quotes, ["s1"]).data, sensitivity_lines(lines).data):
        assert "<script>" not in out and "&lt;script&gt;" in out


def test_figure_text_neutralises_mathtext():
    assert figure_text("costs $5 and $6") == r"costs \$5 and \$6"


def test_heatmap_labels_name_their_cells_and_hidden_cells_show_no_value():
    import io
    from icevidence.present.escape import slug
    matrix = pd.DataFrame({"s1": [7, 2], "s2": [9, 6]}, index=["c1", "c2"])
    hidden = pd.DataFrame({"s1": [False, True], "s2": [False, True]}, index=["c1", "c2"])
    fig = concept_heatmap(matrix, "t", hidden=hidden, hidden_text="<5")
    svg = io.StringIO()
    fig.savefig(svg, format="svg")
    text = svg.getvalue()
    assert f'id="{slug("c1", "s1", prefix="value")}"' in text and f'id="{slug("c2", "s1", prefix="hidden")}"' in text
    assert f'id="{slug("c2", "s1", prefix="value")}"' not in text and f'id="{slug("c2", "s2", prefix="value")}"' not in text


def test_a_long_table_shows_its_first_rows_and_says_where_every_row_is():
    table = pd.DataFrame({"quote": [f"q{i}" for i in range(12)]})
    shown = html_table(table, "Quotes", "left-out", max_rows=5, full="left-out.csv").data
    assert "q4" in shown and "q5" not in shown
    assert "Showing the first 5 of 12 rows; every row is in left-out.csv" in shown


def test_a_table_within_the_limit_is_shown_whole_without_a_note():
    shown = html_table(pd.DataFrame({"quote": ["a", "b"]}), "Quotes", "t", max_rows=2).data
    assert "Showing the first" not in shown and ">b<" in shown
