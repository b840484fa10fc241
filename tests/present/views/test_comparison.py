"""The comparison's view: escaped tables and quotes, readable heatmap labels, shares, workbook and appendix."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from fixture_paths import FIXTURES  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from icevidence import Comparison, CrosswalkReliability, load_study  # noqa: E402
from icevidence.analyses.crosswalk import read_concepts, read_crosswalk  # noqa: E402
from icevidence.analyses.result import Figure, Table  # noqa: E402
from icevidence.present.escape import slug  # noqa: E402
from icevidence.present.figures import draw, render  # noqa: E402
from icevidence.present.views.comparison import (  # noqa: E402
    ComparisonView,
    keyed_table_html,
    overlapping_labels,
    quotes_side_by_side,
    sensitivity_lines,
)

HOSTILE = '<script>alert("x")</script>'
PAPERS = ["tracy2025", "mitchell2020", "mitchell2023"]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def codings(folder, b: bool):
    """A crosswalk folder with coding A (and B, agreeing) of two quotes, on the mini concepts."""
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text("study,segment_id,code_id\nmini,S1,a\nmini,S4,a.y\n")
    coding = "study,segment_id,concept_ids,rationale\nmini,S1,lead,why\nmini,S4,money,why\n"
    for name in ("coding_a.csv", *(["coding_b.csv"] if b else [])):
        (folder / name).write_text(coding)
    return folder


@pytest.fixture
def mini_result(mini, tmp_path):
    """A comparison of the mini study through the fixture crosswalk, its reliability from mini codings A and B."""
    concepts = read_concepts(FIXTURES / "crosswalk" / "concepts.csv")
    crosswalk = read_crosswalk([mini], FIXTURES / "crosswalk" / "crosswalk.csv", concepts)

    def make(unit: str = "participants", min_cell: int = 0, b: bool = True) -> Comparison:
        result = Comparison([mini], unit=unit, min_cell=min_cell, crosswalk=crosswalk, concepts=concepts)
        result.reliability = CrosswalkReliability(concepts, codings(tmp_path / "codings", b))
        return result
    return make


def test_project_heatmap_tick_labels_do_not_overlap():
    result = Comparison(PAPERS)
    for figure in result.figures():
        fig = draw(figure)
        assert overlapping_labels(fig, "x") == [] and overlapping_labels(fig, "y") == [], figure.key


def test_long_labels_are_wrapped_and_sized_apart():
    names = [f"A rather long concept name number {i} about relationships across organisations" for i in range(20)]
    sites = ["north London", "Manchester locality A", "locality B", "a site with a very long descriptive name",
             "unknown"]
    fig = draw(Figure("stress", "stress", "heatmap", pd.DataFrame(1, index=names, columns=sites)))
    assert overlapping_labels(fig, "x") == [] and overlapping_labels(fig, "y") == []


def test_overlap_check_catches_crowded_labels():
    fig, ax = plt.subplots(figsize=(2, 2))
    ax.set_xticks(range(5), [f"a long label {i}" for i in range(5)])
    assert overlapping_labels(fig, "x")


def test_tables_escape_data_strings():
    df = pd.DataFrame({HOSTILE: [HOSTILE]}, index=[HOSTILE])
    out = keyed_table_html(Table("t", HOSTILE, df, index=True))
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_quotes_and_sensitivity_lines_escape_data_strings():
    quotes = pd.DataFrame({"concept": pd.Categorical([HOSTILE]), "site": ["s1"], "study": ["x"], "segment_id": ["q"],
                           "text": [HOSTILE], "attribution_raw": [HOSTILE], "location": ["l"],
                           "also_printed_as": [None]})
    lines = pd.DataFrame({"concept": [HOSTILE], "pattern": ["holds"], "by references": [HOSTILE],
                          "by participants": ["s1"]})
    for out in (quotes_side_by_side(quotes, ["s1"]), sensitivity_lines(lines)):
        assert "<script>" not in out and "&lt;script&gt;" in out


def test_heatmap_labels_show_dollars_as_typed_never_as_mathtext():
    fig = draw(Figure("m", "t", "heatmap", pd.DataFrame({"site $1": [3]}, index=["costs $5 and $6"])))
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [r"costs \$5 and \$6"]


def test_heatmap_labels_name_their_cells_and_hidden_cells_show_no_value():
    matrix = pd.DataFrame({"s1": [7, 2], "s2": [9, 6]}, index=["c1", "c2"])
    hidden = pd.DataFrame({"s1": [False, True], "s2": [False, True]}, index=["c1", "c2"])
    svg = render(draw(Figure("m", "t", "heatmap", matrix, hidden, hidden_label="<5", min_cell=5)), "svg").decode()
    assert f'id="{slug("c1", "s1", prefix="value")}"' in svg and f'id="{slug("c2", "s1", prefix="hidden")}"' in svg
    assert f'id="{slug("c2", "s1", prefix="value")}"' not in svg
    assert f'id="{slug("c2", "s2", prefix="value")}"' not in svg


def test_a_long_table_shows_its_first_rows_and_says_where_every_row_is():
    table = Table("left-out", "Quotes", pd.DataFrame({"quote": [f"q{i}" for i in range(12)]}))
    shown = keyed_table_html(table, max_rows=5)
    assert "q4" in shown and "q5" not in shown
    assert "Showing the first 5 of 12 rows; every row is in left-out.csv, listed at the end of this report" in shown


def test_a_table_within_the_limit_is_shown_whole_without_a_note():
    shown = keyed_table_html(Table("left-out", "Quotes", pd.DataFrame({"quote": ["a", "b"]})), max_rows=2)
    assert "Showing the first" not in shown and ">b<" in shown


def test_an_empty_table_says_what_its_emptiness_means():
    shown = keyed_table_html(Table("left-out", "Quotes that count for no concept", pd.DataFrame({"quote": []})))
    assert "none: every quote is mapped" in shown and f'id="{slug("left-out", prefix="table")}"' in shown


def test_the_concept_matrix_shows_each_count_beside_its_share_then_what_a_share_means(mini_result):
    page = mini_result()._repr_html_()
    matrix = page[:page.index("</table>")]
    assert "<th style=\"text-align:left\">Southtown %</th>" in matrix and ">50.0<" in matrix
    assert page.index("not comparable by raw counts") < page.index(slug("study-matrix", prefix="table"))


def test_a_hidden_count_hides_its_share_in_the_report(mini_result):
    page = ComparisonView().html(mini_result(min_cell=2), ["concept-matrix"])
    assert ">n&lt;2<" in page and ">&lt;2<" in page


def test_a_report_shows_the_parts_it_is_asked_for_in_that_order(mini_result):
    page = ComparisonView().html(mini_result(), ["samples", "studies", "study-matrix"])
    assert page.index("Sample composition") < page.index("Constructed for the icevidence") < page.index("Studies ×")
    assert "Concepts (rows)" not in page


def test_write_makes_every_table_file_the_report_lists_and_both_heatmaps(mini_result, tmp_path):
    paths = mini_result(min_cell=2).write(tmp_path / "t", tmp_path / "f", name="cmp")
    names = {p.name for p in paths}
    for key in ("site-references", "site-participants", "study-references", "study-participants", "site-share",
                "similarity", "quotes", "coverage", "left-out", "unmapped-codes", "samples", "grain",
                "reuse-consistency", "sensitivity"):
        assert f"{key}.csv" in names, key
    assert {"cmp.xlsx", "concept-heatmap.svg", "similarity.svg", "concept-heatmap.png"} <= names


def test_the_workbook_holds_shares_as_percentages_and_hidden_shares_as_text(mini_result, tmp_path):
    def share_cells(min_cell: int) -> list:
        mini_result(min_cell=min_cell).write(tmp_path / str(min_cell), name="cmp")
        sheet = load_workbook(tmp_path / str(min_cell) / "cmp.xlsx")["site-share"]
        return [c for row in sheet.iter_rows(min_row=4) for c in row[2:]]
    shown = share_cells(0)
    assert {c.number_format for c in shown if isinstance(c.value, float)} == {"0.0%"}
    assert 0.5 in {c.value for c in shown}  # Southtown: 2 of its 4 participants quoted on Leadership
    assert "n<2" in {c.value for c in share_cells(2)}


@pytest.mark.parametrize("b", [True, False])
def test_the_workbook_holds_kappa_once_coding_b_exists(mini_result, b):
    result = mini_result(b=b)
    keys = [t.key for t in ComparisonView().spreadsheets(result)]
    assert ("kappa" in keys) == b and "site-share" in keys


def test_reliability_says_coding_b_is_not_yet_made(mini_result):
    page = mini_result(b=False).reliability._repr_html_()
    assert "not yet made" in page and f'id="{slug("kappa", prefix="table")}"' in page


@pytest.fixture(scope="module")
def appendix_sections():
    return {k: ComparisonView().appendix(load_study("tracy2025"), min_cell=k) for k in (0, 5)}


def test_the_appendix_prints_each_site_count_beside_its_share(appendix_sections):
    [section] = appendix_sections[0]
    [table] = section.items
    assert table.key == "comparison" and {"Concept", "Bexley", "Bexley %", "locality B %"} <= set(table.frame.columns)
    assert "unknown %" not in table.frame.columns and any("Bexley 14" in p for p in section.paragraphs)


def test_the_appendix_hides_a_share_wherever_its_count_is(appendix_sections):
    [section] = appendix_sections[5]
    frame = section.items[0].frame.set_index("Concept")
    sites = [c for c in frame.columns if f"{c} %" in frame.columns]
    hidden = [(c, s) for c in frame.index for s in sites if frame.at[c, s] == "<5"]
    assert hidden and all(frame.at[c, f"{s} %"] == "n<5" for c, s in hidden)


def test_a_study_outside_the_crosswalk_has_no_comparison_section(mini):
    assert ComparisonView().appendix(mini) == []
