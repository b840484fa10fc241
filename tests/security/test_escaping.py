"""Stored XSS: hostile strings in a study (code names, case ids, values, quotes, citation, assumptions)
and in compendium.yml titles are shown as text; headless Chromium fires no dialog on any page."""
from __future__ import annotations

import pandas as pd
import pytest
from browser_waits import settle
from fixture_project import FIXTURE_STUDIES, build_project, make_project

from icevidence import SampleTables, ThemeMatrix, load_study
from icevidence.analyses.result import Table, view_of
from icevidence.present.escape import anchor_link, slug, text
from icevidence.present.html import file_list, study_header, table_html

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>"]
REPORTS = [
    {"output": "hostile-sample", "notebook": "sample_tables.ipynb", "title": "<img src=x onerror=alert('index-row')>",
     "parameters": {"study": "hostile"}},
    {"output": "hostile-matrix", "notebook": "theme_matrix.ipynb", "title": "<script>alert('index-row')</script>",
     "parameters": {"study": "hostile", "level": "sub"}},
    {"output": "hostile-matrix-participants", "notebook": "theme_matrix.ipynb", "title": "matrix",
     "parameters": {"study": "hostile", "level": "main", "unit": "share", "min_cell": 2}},
]


@pytest.fixture(scope="module")
def hostile():
    return load_study("hostile", root=FIXTURE_STUDIES)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("hostile"), {"hostile": FIXTURE_STUDIES / "hostile"}, REPORTS,
                        title="<svg onload=alert('index-title')>")
    done = build_project(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "reports"


def dialogs_on(browser, pages: list[str]) -> dict[str, list[str]]:
    """Open each page (a file URI or HTML text) in headless Chromium and record the dialogs it raises."""
    fired: dict[str, list[str]] = {}
    for page_source in pages:
        page = browser.new_page()
        seen: list[str] = []
        page.on("dialog", lambda d, seen=seen: (seen.append(d.message), d.dismiss()))
        if page_source.startswith("file://"):
            page.goto(page_source)
        else:
            page.set_content(page_source)
        settle(page)  # the page's scripts, and what they queued, have run: any handler has fired
        for link in page.locator("a").all():
            href = link.get_attribute("href") or ""
            if href.startswith("#") and link.is_visible():
                link.click()
        settle(page)
        handlers = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e =>
            [...e.attributes].filter(a => a.name.startsWith('on')).map(a => e.tagName + ' ' + a.name))""")
        scripted = page.evaluate("() => [...document.querySelectorAll('a[href^=\"javascript\"]')].length")
        fired[page_source[-60:]] = seen + handlers + ["javascript: link"] * scripted
        page.close()
    return fired


def test_text_escapes_markup_and_quotes():
    assert text("<a href='x'>") == "&lt;a href=&#x27;x&#x27;&gt;" and text(None) == "" and text(float("nan")) == ""


def test_anchors_are_slugs_that_hold_no_markup():
    anchor = slug("<script>alert(1)</script>", "javascript:alert(1)")
    assert set(anchor) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    with pytest.raises(ValueError):
        anchor_link("javascript:alert(1)", "x")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_tables_escape_cells_labels_names_and_caption(payload):
    frame = pd.DataFrame({payload: [payload, 1]}, index=pd.Index([payload, "b"], name=payload))
    frame.columns.name = payload
    page = table_html(Table("t", payload, frame, notes=[payload], index=True))
    assert "<script>" not in page and "<img" not in page
    assert "onload=alert(1)>" not in page.replace("&gt;", "")


def test_study_header_shows_citation_and_assumptions_as_text_not_markdown(hostile):
    header = study_header(hostile)
    assert "<script>" not in header and "<img" not in header and "href" not in header
    assert "[click me](javascript:alert(&#x27;citation&#x27;))" in header


def test_matrix_and_drilldown_html_escape_every_label(hostile):
    matrix = ThemeMatrix(hostile, "sub")
    page = matrix._repr_html_() + view_of(matrix).html(matrix, ["quotes"])
    assert all(p not in page for p in ("<script>", "<img", "<svg", "<a href=\"javascript"))
    assert 'href="#cell-' in page


def test_empty_table_sentence_and_file_list_are_escaped(tmp_path):
    assert "<script>" not in table_html(pd.DataFrame(), "<script>x</script>", empty="<b>none</b>")
    assert "<img" not in file_list([tmp_path / "<img src=x onerror=alert(1)>.csv"])


def test_linked_matrix_links_only_to_generated_anchors():
    matrix = pd.DataFrame({"javascript:alert(1)": [3]}, index=pd.Index(["<b>row</b>"], name="code"))
    page = table_html(Table("m", "", matrix, index=True), links={("<b>row</b>", "javascript:alert(1)")})
    assert 'href="#cell-b-row-b-javascript-alert-1-' in page and "<b>" not in page


def test_sample_tables_of_the_hostile_study_render_escaped(hostile):
    page = SampleTables(hostile)._repr_html_()
    assert "<script>" not in page and "<img" not in page and "<svg" not in page


def test_the_dialog_check_itself_sees_an_unescaped_payload(chromium):
    assert dialogs_on(chromium, ["<html><body><img src=x onerror=alert('control')></body></html>"]) != {"": []}
    assert any(dialogs_on(chromium, ["<img src=x onerror=alert('control')>"]).values())


def test_the_report_template_policy_blocks_inline_handlers_and_javascript_urls(chromium, built):
    page = (built / "hostile-sample.html").read_text(encoding="utf-8")
    head = page[:page.index("</head>")]
    injected = head + "</head><body><img src=x onerror=alert('csp')><a id=j href=\"javascript:alert('csp')\">j</a>" \
        "<script>alert('csp')</script></body></html>"
    fired = dialogs_on(chromium, [injected])
    assert list(fired.values())[0] == ["IMG onerror", "javascript: link"]  # present in the DOM, but nothing ran


def test_no_dialog_fires_on_any_hostile_report_or_the_index(chromium, built):
    pages = [(built / f"{r['output']}.html").as_uri() for r in REPORTS] + [(built / "index.html").as_uri()]
    fired = dialogs_on(chromium, pages)
    assert len(fired) == len(pages) and all(v == [] for v in fired.values()), fired


def test_index_page_prints_titles_as_text(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    assert "<svg onload" not in index and "<script>alert" not in index and "<img src=x" not in index
    assert "&lt;svg onload=alert(&#39;index-title&#39;)&gt;" in index
