"""The built inter-coder agreement report in a real browser: it loads cleanly and shows the figures and passages."""
from __future__ import annotations

REPORT = "intercoder-agreement-synthcoders"


def test_report_loads_without_errors(page):
    assert page.page_errors == []


def test_overall_figures_show_alpha_with_its_interval(page):
    text = page.locator("table.icevidence-agreement-overall").inner_text()
    assert "Krippendorff's alpha" in text and "95 % CI" in text


def test_the_figure_is_visible(page):
    assert page.locator("img").first.is_visible()


def test_differing_passages_sit_side_by_side_per_coder(page):
    head = page.locator("table.icevidence-passages thead").first.inner_text()
    assert "Coder A" in head and "Coder B" in head
