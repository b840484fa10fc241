"""The compendium as an interactive site in headless Chromium: tables search, sort and filter; the site search
finds quotes across reports; nothing runs but the page's own script, nothing is fetched, data stays text."""
from __future__ import annotations

import re

import pandas as pd
import pytest
from browser_waits import settle
from playwright.sync_api import expect

REPORTS = ("evidence-review-mitchell2023", "theme-matrix-mitchell2020")
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def built(chromium, built_compendium):
    from built_reports import BROWSER_REPORTS
    assert set(REPORTS) <= set(BROWSER_REPORTS)
    return built_compendium


@pytest.fixture
def opened(chromium):
    """Open a built page, recording console messages, uncaught errors, dialogs and every request."""
    pages = []

    def open_one(path):
        page = chromium.new_page(viewport={"width": 1200, "height": 900})
        page.messages, page.requests, page.dialogs = [], [], []
        page.on("console", lambda m: page.messages.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.messages.append(f"pageerror: {e}"))
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        pages.append(page)
        return page
    yield open_one
    for page in pages:
        page.close()


def enhanced(page, caption: str):
    """The DataTables container of the interactive table with this caption title, once the script has run."""
    page.wait_for_selector("table[data-icevidence-ready]", state="attached")
    title = re.compile(rf"^{re.escape(caption)}\.")  # a caption is its title, a full stop, then its notes
    return page.locator("div.dt-container", has=page.locator("caption", has_text=title))


def body_rows(container):
    return container.locator("tbody tr")


def filtered(container) -> None:
    """Wait until the table's own row count reads as filtered ("N rows (of M)"), i.e. DataTables redrew it."""
    expect(container.locator(".dt-info")).to_contain_text("(of ")


def test_typing_in_a_tables_search_box_filters_its_rows(built, opened):
    page = opened(built / "evidence-review-mitchell2023.html")
    checklist = enhanced(page, "Mitchell et al. 2023: COREQ items")
    before = body_rows(checklist).count()
    checklist.locator(".dt-search input").fill("interviewer")
    filtered(checklist)
    after = body_rows(checklist).count()
    assert before >= 32 and 0 < after < before
    assert all("interviewer" in row.text_content().lower() for row in body_rows(checklist).all())


def test_clicking_a_header_sorts_the_rows(built, opened):
    page = opened(built / "evidence-review-mitchell2023.html")
    checklist = enhanced(page, "Mitchell et al. 2023: COREQ items")
    header = checklist.locator("thead th").first
    column = header.locator(".dt-column-title").text_content()
    values = lambda: [r.locator("td").first.text_content() for r in body_rows(checklist).all()]  # noqa: E731
    header.locator(".dt-column-title").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    ascending = values()
    header.locator(".dt-column-title").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    descending = values()
    assert column and ascending != descending and ascending == list(reversed(descending))


def test_a_column_filter_keeps_only_matching_rows(built, opened):
    page = opened(built / "evidence-review-mitchell2023.html")
    checklist = enhanced(page, "Mitchell et al. 2023: COREQ items")
    status = checklist.locator("thead th", has_text="status")
    status.locator("button.dtcc-button_dropdown").click()
    page.locator(".dtcc-dropdown input").first.fill("not reported")
    filtered(checklist)
    rows = [r.text_content() for r in body_rows(checklist).all()]
    assert rows and all("not reported" in r for r in rows)


def test_the_drilldown_filter_hides_quotes_without_the_typed_words(built, opened):
    page = opened(built / "theme-matrix-mitchell2020.html")
    page.wait_for_selector("label.icevidence-filter input")
    quotes = page.locator(".icevidence-filterable li")
    word = quotes.first.text_content().split("”")[0].strip("“ ").split()[0]
    total = quotes.count()
    page.locator("label.icevidence-filter input").fill(word)
    expect(quotes.filter(visible=False).first).to_be_attached()  # the filter hid a quote: it has run
    visible = [q for q in quotes.all() if q.is_visible()]
    assert 0 < len(visible) < total and all(word.lower() in q.text_content().lower() or q.evaluate(
        "e => e.closest('ul').previousElementSibling.textContent") for q in visible)


def test_the_code_tree_folds_without_script(built, opened):
    page = opened(built / "theme-matrix-mitchell2020.html")
    branch = page.locator("ul.icevidence-code-tree details").first
    child = branch.locator("li").first
    assert not child.is_visible()
    branch.locator("summary").first.click()
    assert child.is_visible()


def test_the_site_search_finds_a_quote_that_is_in_another_report(built, opened):
    report = opened(built / "theme-matrix-mitchell2020.html")
    quote = report.locator(".icevidence-filterable li").nth(2).text_content().split("”")[0].strip("“ ")
    words = " ".join(quote.split()[:6])
    index = opened(built / "index.html")
    index.wait_for_selector("#icevidence-search-box:enabled")
    index.locator("#icevidence-search-box").fill(words)
    expect(index.locator("#icevidence-search-status")).to_contain_text("found")
    links = index.locator("#icevidence-search-results a")
    hrefs = [a.get_attribute("href") for a in links.all()]
    assert any(h.startswith("theme-matrix-mitchell2020.html#cell-") for h in hrefs), (words, hrefs)
    target = next(h for h in hrefs if h.startswith("theme-matrix-mitchell2020.html#cell-"))
    links.nth(hrefs.index(target)).click()
    index.wait_for_url(f"**/{target}")
    assert words.split()[0] in index.locator(f"#{target.split('#')[1]} + ul").text_content()


def test_every_page_runs_without_a_policy_violation_or_any_request(built, opened):
    for name in (*REPORTS, "index"):
        page = opened(built / f"{name}.html")
        settle(page)  # the page's scripts and what they queued have run
        assert not [m for m in page.messages if "Content Security Policy" in m or m.startswith(("error", "pageerror"))]
        assert all(url.startswith("file://") for url in page.requests) and len(page.requests) == 1, page.requests


def test_every_report_carries_the_navigation_bar(built, opened):
    page = opened(built / "evidence-review-mitchell2023.html")
    nav = page.locator("nav.icevidence-site")
    assert nav.locator("a[href='index.html#task-review']").is_visible()
    assert nav.locator("a[href='index.html#search']").is_visible()


def test_a_hostile_value_in_an_interactive_table_stays_text(chromium, tmp_path, opened):
    import nbformat

    from icevidence.build.runner import render_html
    from icevidence.present.html import table_html
    frame = pd.DataFrame({HOSTILE: [HOSTILE] + [f"row {i}" for i in range(12)], "n": range(13)})
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("table")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": str(table_html(frame, HOSTILE))})]
    notebook.cells = [cell]
    path = tmp_path / "hostile.html"
    path.write_text(render_html(notebook, HOSTILE, navigation=""), encoding="utf-8")
    page = opened(path)
    page.wait_for_selector("table[data-icevidence-ready]", state="attached")
    page.locator(".dt-search input").fill("onerror")
    page.locator("thead th .dt-column-title").first.click()
    page.locator("button.dtcc-button_dropdown").first.click()
    expect(page.locator(".dtcc-dropdown").first).to_be_visible()
    settle(page)
    assert page.dialogs == [] and page.locator("img").count() == 0
    assert page.locator("tbody td").first.text_content() == HOSTILE
    assert page.locator("thead th .dt-column-title").first.text_content() == HOSTILE
