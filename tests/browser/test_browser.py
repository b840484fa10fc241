"""Built reports in a real browser: they load cleanly, show the matrix and heatmap, and link to quotes."""
from __future__ import annotations

REPORT = "theme-matrix-mitchell2020"


def test_report_loads_without_console_errors(page):
    assert page.console_errors == []


def test_matrix_and_heatmap_are_visible(page):
    assert page.locator("table.icevidence-matrix").is_visible()
    heatmap = page.locator("img").first
    heatmap.scroll_into_view_if_needed()
    assert heatmap.is_visible() and heatmap.evaluate("i => i.naturalWidth") > 200


def test_drilldown_link_lands_on_its_quotes(page):
    link = page.locator("table.icevidence-matrix a").first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_function(f"location.hash === '{target}'")
    heading = page.locator(target)
    assert heading.is_visible() and heading.evaluate("e => e.getBoundingClientRect().top") < 900
    assert heading.locator("xpath=following-sibling::ul[1]/li").count() >= 1
