"""The comparison report in a real browser: the concept matrix comes first, the contents link to sections."""
from __future__ import annotations

from icevidence.present.escape import slug

REPORT = "study-comparison"


def table_id(key: str) -> str:
    """The anchor the report gives the table of a key."""
    return slug(key, prefix="table")


def test_report_loads_without_console_errors(page):
    assert page.console_errors == []


def test_concept_matrix_is_the_first_table(page):
    first = page.locator("table").first
    assert first.get_attribute("id") == table_id("concept-matrix")
    assert "Concepts (rows) by site (columns)" in first.locator("caption").inner_text()


def test_heatmap_follows_the_matrix_and_is_visible(page):
    heatmap = page.locator("img").first
    heatmap.scroll_into_view_if_needed()
    assert heatmap.is_visible() and heatmap.evaluate("i => i.naturalWidth") > 300
    below = page.evaluate("""id => {
        const table = document.getElementById(id).getBoundingClientRect();
        const img = document.querySelector('img').getBoundingClientRect();
        return img.top >= table.bottom;
    }""", table_id("concept-matrix"))
    assert below


def test_every_contents_link_lands_on_its_section(page):
    hrefs = page.locator("nav.icevidence-toc a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert len(hrefs) == 9  # the eight sections and the provenance annex
    for href in hrefs:
        assert page.evaluate("h => document.getElementById(decodeURIComponent(h.slice(1))) !== null", href), href


def test_reliability_and_grain_tables_are_in_the_report(page):
    for key in ("grain", "kappa", "disagreements", "coverage", "reuse-consistency"):
        assert page.locator(f"table#{table_id(key)}").count() == 1, key


def test_long_integration_model_table_is_folded_and_last_of_the_tables_that_matter(page):
    folded = page.locator(f"details table#{table_id('models')}")
    assert folded.count() == 1 and not folded.is_visible()
    order = page.evaluate("[...document.querySelectorAll('table')].map(t => t.id)")
    assert order.index(table_id("models")) > order.index(table_id("kappa")) > order.index(table_id("concept-matrix"))


def test_each_site_count_stands_beside_its_share_and_the_page_says_what_a_share_is(page):
    first = page.locator("table").first
    header = first.locator("thead th").all_inner_texts()
    for site in ("Bexley", "north London", "Manchester locality A", "locality B"):
        assert header.index(f"{site} %") == header.index(site) + 1, site
    note = page.locator("ul.icevidence-note").first.inner_text()
    assert "Bexley 14, north London 19, Manchester locality A 24 and locality B 27" in note
