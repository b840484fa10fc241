"""The site around the reports: navigation bar, page resources, the search index as escaped HTML."""
from __future__ import annotations

import pytest

from icevidence.present import site
from icevidence.present.interactive import script_hash

HOSTILE = "<img src=x onerror=alert(1)>"


def test_the_navigation_bar_prints_titles_as_text():
    bar = site.navigation_html(site.report_crumbs(HOSTILE, ["tracy2025"], "review"))
    assert "<img" not in bar and "&lt;img src=x onerror=alert(1)&gt;" in bar
    assert 'href="index.html#task-review"' in bar and 'href="index.html#search"' in bar


def test_the_navigation_bar_links_each_study_to_its_group_on_the_index():
    bar = site.navigation_html(site.report_crumbs("t", ["a", "b"], "rerun"))
    assert f'href="index.html#{site.study_anchor("a")}"' in bar and f'href="index.html#{site.study_anchor("b")}"' in bar


@pytest.mark.parametrize("href", ["javascript:alert(1)", "https://example.org/", "../x.html", "a.html#x\" onclick=\"y"])
def test_links_the_site_does_not_generate_are_refused(href):
    with pytest.raises(ValueError):
        site.navigation_html([site.Crumb("x", href)])


def test_a_page_with_an_interactive_table_carries_the_script_its_policy_allows():
    resources = site.page_resources('<table class="icevidence-interactive"></table>', "<nav></nav>")["icevidence"]
    assert script_hash(resources["script"]) in resources["policy"] and resources["navigation"] == "<nav></nav>"


def test_a_page_without_interactive_tables_runs_no_script():
    resources = site.page_resources("<table></table>")["icevidence"]
    assert "script" not in resources and "script-src 'none'" in resources["policy"]


def test_the_search_index_is_escaped_text_in_a_hidden_list():
    entry = site.SearchEntry("r.html#cell-a-1", HOSTILE, HOSTILE, HOSTILE)
    page = site.search_index_html([entry])
    assert page.startswith('<ol id="icevidence-search-index" hidden>') and "<img" not in page
    assert page.count("&lt;img src=x onerror=alert(1)&gt;") == 3 and 'data-href="r.html#cell-a-1"' in page


def test_the_index_page_runs_only_the_search_script():
    resources = site.index_resources()
    assert "startSearch();" in resources["script"] and script_hash(resources["script"]) in resources["policy"]
