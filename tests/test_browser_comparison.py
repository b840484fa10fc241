"""The comparison report in a real browser: the concept matrix comes first, the contents link to sections."""
from __future__ import annotations

REPORT = "study-comparison"


def test_report_loads_without_console_errors(page):
    assert page.console_errors == []


def test_concept_matrix_is_the_first_table(page):
    first = page.locator("table").first
    assert first.get_attribute("id") == "concept-matrix"
    assert "Concepts (rows) by site (columns)" in first.locator("caption").inner_text()


def test_heatmap_follows_the_matrix_and_is_visible(page):
    heatmap = page.locator("img").first
    heatmap.scroll_into_view_if_needed()
    assert heatmap.is_visible() and heatmap.evaluate("i => i.naturalWidth") > 300
    below = page.evaluate("""() => {
        const table = document.getElementById('concept-matrix').getBoundingClientRect();
        const img = document.querySelector('img').getBoundingClientRect();
        return img.top >= table.bottom;
    }""")
    assert below


def test_every_contents_link_lands_on_its_section(page):
    hrefs = page.locator("nav.icevidence-toc a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 9  # the eight sections and the provenance annex
    for href in hrefs:
        assert page.evaluate("h => document.getElementById(decodeURIComponent(h.slice(1))) !== null", href), href


def test_reliability_and_grain_tables_are_in_the_report(page):
    for table_id in ("grain", "kappa", "disagreements", "coverage", "reuse-consistency"):
        assert page.locator(f"table#{table_id}").count() == 1, table_id


def test_long_integration_model_table_is_folded_and_last_of_the_tables_that_matter(page):
    folded = page.locator("details table#models")
    assert folded.count() == 1 and not folded.is_visible()
    order = page.evaluate("[...document.querySelectorAll('table')].map(t => t.id)")
    assert order.index("models") > order.index("kappa") > order.index("concept-matrix")
