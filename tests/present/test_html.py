"""Notebook display helpers: escaped headers and tables, a contents list on long reports."""
from __future__ import annotations

from icevidence.present.html import add_contents, show_checks

PAGE = ('<div class="jp-Cell x"><h1 id="T">Title<a class="anchor-link" href="#T">¶</a></h1><p>intro</p></div>'
        + "".join(f'<div class="jp-Cell x"><h2 id="S{i}">Section &lt;{i}&gt;<a class="anchor-link" href="#S{i}">¶</a></h2></div>'
                  for i in range(4)))


def test_long_reports_get_contents_linking_each_section():
    page = add_contents(PAGE)
    assert page.index('<nav class="icevidence-toc"') < page.index('<h2 id="S0">')
    assert all(f'<a href="#S{i}">Section &lt;{i}&gt;</a>' in page for i in range(4))


def test_short_reports_get_no_contents():
    assert add_contents(PAGE, min_sections=5) == PAGE


def test_checks_are_not_printed_in_a_suppressed_report(monkeypatch, mini):
    from icevidence import check_arithmetic, check_reported_counts
    from icevidence.present import html
    shown: list = []
    monkeypatch.setattr(html, "display", shown.append)
    show_checks(check_reported_counts(mini), check_arithmetic(mini), min_cell=5)
    assert len(shown) == 1 and "Not shown in this report" in shown[0].data
