"""The one HTML renderer: escaped tables with captions and notes, grouped rows, links; a contents list."""
from __future__ import annotations

import pandas as pd

from icevidence.analyses.result import Table
from icevidence.present.html import add_contents, table_html

PAGE = ('<div class="jp-Cell x"><h1 id="T">Title<a class="anchor-link" href="#T">¶</a></h1><p>intro</p></div>'
        + "".join(f'<div class="jp-Cell x"><h2 id="S{i}">Section &lt;{i}&gt;'
                  f'<a class="anchor-link" href="#S{i}">¶</a></h2></div>' for i in range(4)))


def test_long_reports_get_contents_linking_each_section():
    page = add_contents(PAGE)
    assert page.index('<nav class="icevidence-toc"') < page.index('<h2 id="S0">')
    assert all(f'<a href="#S{i}">Section &lt;{i}&gt;</a>' in page for i in range(4))


def test_short_reports_get_no_contents():
    assert add_contents(PAGE, min_sections=5) == PAGE


def test_every_value_label_and_the_caption_are_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    frame = pd.DataFrame({hostile: [hostile]}, index=pd.Index([hostile], name=hostile))
    page = table_html(Table("t", hostile, frame, notes=[hostile], index=True))
    # caption, index name, column, row, cell, note
    assert "<img" not in page and page.count("&lt;img src=x onerror=alert(1)&gt;") == 6


def test_numbers_align_right_and_running_text_keeps_its_line_breaks():
    table = Table("t", "T", pd.DataFrame({"n": [3], "Quote": ["a\nb"]}), prose=("Quote",))
    page = table_html(table)
    assert '<td style="text-align:right' in page and "white-space:pre-wrap" in page and "a\nb" in page


def test_running_text_columns_side_by_side_share_a_narrow_page_and_break_long_words():
    alone = table_html(Table("t", "T", pd.DataFrame({"Quote": ["a"]}), prose=("Quote",)))
    four = table_html(Table("t", "T", pd.DataFrame({c: ["a"] for c in "ABCD"}), prose=tuple("ABCD")))
    assert "min-width:16em" in alone and four.count("min-width:10em") == 4 and "overflow-wrap:anywhere" in four


def test_grouped_rows_sit_under_a_heading_row_for_their_group():
    frame = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["x1", "x2"], name="code"))
    page = table_html(Table("t", "T", frame, index=True), groups=pd.Series({"x1": "X", "x2": "X"}))
    assert page.count('class="icevidence-parent"') == 1 and page.index(">X<") < page.index(">x1<")


def test_linked_cells_point_to_generated_anchors_and_hidden_cells_do_not():
    frame = pd.DataFrame({"a": [2, "<5"]}, index=pd.Index(["r1", "r2"]))
    page = table_html(Table("t", "T", frame, index=True), links={("r1", "a"), ("r2", "a")})
    assert page.count('<a href="#cell-') == 1 and "&lt;5" in page


def test_a_long_table_shows_its_first_rows_and_names_the_file_with_all():
    page = table_html(Table("t", "T", pd.DataFrame({"n": range(10)})), max_rows=3, full_name="t.csv")
    assert page.count("<tr>") == 3 + 1 and "Showing the first 3 of 10 rows; every row is in t.csv." in page


def test_an_empty_table_is_a_sentence():
    expected = "<p><strong>Pairs:</strong> none found.</p>"
    assert table_html(pd.DataFrame({"n": []}), "Pairs", empty="none found") == expected


def test_a_long_table_is_marked_for_the_reports_script():
    page = table_html(pd.DataFrame({"n": range(11)}), "Long")
    assert 'class="icevidence-table icevidence-interactive"' in page


def test_a_short_table_is_left_static():
    assert "icevidence-interactive" not in table_html(pd.DataFrame({"n": range(10)}), "Short")


def test_a_wide_table_is_marked_for_the_reports_script():
    assert "icevidence-interactive" in table_html(pd.DataFrame({f"c{i}": [1] for i in range(13)}), "Wide")


def test_a_table_with_heading_rows_is_left_static_unless_asked():
    frame = pd.DataFrame({"n": range(11)}, index=[f"r{i}" for i in range(11)])
    groups = pd.Series("parent", index=frame.index)
    assert "icevidence-interactive" not in table_html(Table("t", "", frame, index=True), groups=groups)
    assert "icevidence-interactive" in table_html(Table("t", "", frame, index=True), groups=groups, interactive=True)


def test_interactive_false_keeps_a_long_table_static():
    assert "icevidence-interactive" not in table_html(pd.DataFrame({"n": range(50)}), "Long", interactive=False)
