"""The findings-first rendering: severity order, escaping, word-boundary cuts, WCAG contrast of colours."""
from __future__ import annotations

import itertools

import pandas as pd
import pytest

from icevidence import evidence as ev
from icevidence import evidence_report as er


def findings(*rows: tuple[str, str]) -> pd.DataFrame:
    """A findings table with (severity, detail) rows."""
    return ev.as_findings(ev.finding("s", "claims", "kind", severity, "seed 000, Results, para 1", detail)
                          for severity, detail in rows)


@pytest.mark.parametrize("a,b", list(itertools.combinations(er.CONTRASTED, 2)))
def test_severity_colours_differ_by_at_least_3_to_1(a, b):
    assert er.contrast_ratio(er.SEVERITY_COLOURS[a], er.SEVERITY_COLOURS[b]) >= 3


@pytest.mark.parametrize("severity", ev.SEVERITIES)
def test_badge_text_is_readable_on_its_colour(severity):
    assert er.contrast_ratio(er.SEVERITY_COLOURS[severity], er.TEXT_ON[severity]) >= 4.5


def test_relative_luminance_matches_wcag_reference_values():
    assert er.relative_luminance("#ffffff") == pytest.approx(1.0)
    assert er.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert er.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_first_row_is_the_most_serious_finding():
    page = er.findings_html(findings(("low", "l"), ("medium", "m"), ("high", "h")))
    first = page.index('class="finding"')
    assert page[first:first + 60].count('data-severity="high"') == 1


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


def test_severity_counts_are_ordered_most_serious_first():
    table = er.severity_counts(findings(("low", "l"), ("high", "h")))
    assert table["severity"].tolist() == ev.SEVERITIES and table["total"].tolist() == [1, 0, 1, 0]


def test_summary_puts_kinds_with_high_findings_first():
    found = ev.as_findings([ev.finding("a", "claims", "k-info", "info", "x", "d"),
                            ev.finding("b", "claims", "k-high", "high", "x", "d")])
    assert ev.summarise(found)["kind"].tolist()[0] == "k-high"
