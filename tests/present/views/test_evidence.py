"""The findings-first rendering: severity order, escaping, folded texts, WCAG contrast, the legend, the appendix."""
from __future__ import annotations

import itertools

import pytest

from icevidence.analyses.evidence.findings import SEVERITIES, SEVERITY_RULES, as_findings, finding
from icevidence.analyses.evidence.review import review
from icevidence.present.figures import chart
from icevidence.present.views import evidence as er


def findings(*rows: tuple[str, str], listed: str = ""):
    """A findings table with (severity, detail) rows."""
    return as_findings([finding("s", "claims", "kind", severity, "seed 000, Results, para 1", detail, listed=listed)
                        for severity, detail in rows], checks=["claims"])


@pytest.mark.parametrize("a,b", list(itertools.combinations(er.CONTRASTED, 2)))
def test_severity_colours_differ_by_at_least_3_to_1(a, b):
    assert er.contrast_ratio(er.SEVERITY_COLOURS[a], er.SEVERITY_COLOURS[b]) >= 3


@pytest.mark.parametrize("severity", SEVERITIES)
def test_badge_text_is_readable_on_its_colour(severity):
    assert er.contrast_ratio(er.SEVERITY_COLOURS[severity], er.TEXT_ON[severity]) >= 4.5


def test_relative_luminance_matches_wcag_reference_values():
    assert er.relative_luminance("#ffffff") == pytest.approx(1.0)
    assert er.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert er.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_first_row_is_the_most_serious_finding():
    page = er.findings_html(findings(("low", "l"), ("medium", "m"), ("high", "h")))
    table = page[page.index('class="ev-findings"'):]
    first = table.index('class="ev-badge"')
    assert table[first:first + 60].count('data-severity="high"') == 1


def test_info_rows_are_counted_and_collapsed():
    page = er.findings_html(findings(("info", "i1"), ("info", "i2"), ("medium", "m")))
    assert "<summary>2 info rows" in page


def test_data_strings_are_escaped():
    page = er.findings_html(findings(("high", "<script>alert(1)</script> & more")))
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page


def test_long_text_is_cut_at_a_word_boundary_with_the_full_text_kept():
    text = "word " * 150 + "ending"
    shown = er.shorten(text, width=52)
    summary = shown.split("<summary>")[1].split("</summary>")[0]
    assert summary.endswith("word …") and "ending" in shown.split("</summary>")[1]


def test_a_rows_list_is_folded_under_its_detail():
    page = er.findings_html(findings(("medium", "3 claims"), listed="C-1: a\nC-2: b\nC-3: c"))
    assert "<summary>3 listed</summary>" in page and "C-2: b" in page


def test_the_rule_for_each_severity_is_written_next_to_the_legend():
    page = er.findings_html(findings(("medium", "m")))
    legend = page[page.index("What each severity means"):]
    assert all(er.text(SEVERITY_RULES[s]) in legend for s in SEVERITIES)


def test_a_high_finding_opens_the_section_with_a_warning():
    assert "1 high-severity finding" in er.findings_html(findings(("high", "h")))
    assert "high-severity finding" not in er.findings_html(findings(("medium", "m")))


def test_the_review_displays_its_findings_first_and_named_tables_on_request(mini):
    result = review(mini)
    assert result._repr_html_().index("High and medium findings") < result._repr_html_().index("low-severity")
    assert "Findings per kind" not in result._repr_html_()
    assert "findings per kind" in er.ReviewView().html(result, ["summary"])


def test_the_severity_figure_is_drawn_through_the_figure_renderer_with_each_severity_labelled(mini):
    drawn = chart(review(mini).figures()[0])
    ticks = sorted(drawn.fig.axes[0].get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text().split(" ")[0] for t in ticks] == SEVERITIES  # high at the top


def test_the_appendix_has_a_review_section_only_when_asked(mini):
    view = er.ReviewView()
    assert view.appendix(mini, review=False) == []
    [section] = view.appendix(mini, review=True)
    assert section.title == "Evidence review" and [t.key for t in section.items] == ["review", "review-attention"]
    assert any(SEVERITY_RULES["high"] in p for p in section.paragraphs)
