"""The QDA matrices report in a real browser: the framework matrix reads as prose, split into tables that fit."""
from __future__ import annotations

REPORT = "qda-matrices-tracy2025"
FRAMEWORK = ("Array.from(document.querySelectorAll('table'))"
             ".filter(t => /framework matrix/.test(t.caption?.textContent))")


def test_report_loads_without_console_errors(page):
    assert page.console_errors == []


def test_the_framework_matrix_is_split_into_tables_that_fit_the_page(page):
    sizes = page.evaluate(f"""() => {FRAMEWORK}.map(t => [t.getBoundingClientRect().width,
        t.closest('.jp-OutputArea-output').getBoundingClientRect().width, t.querySelectorAll('thead th').length])""")
    assert len(sizes) > 1 and all(table <= area and columns <= 5 for table, area, columns in sizes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200


def test_quotes_are_left_aligned_and_wrapped_with_their_line_breaks_kept(page):
    styles = page.evaluate(f"""() => {FRAMEWORK}.flatMap(t => Array.from(t.querySelectorAll('tbody td')))
        .map(td => [getComputedStyle(td).textAlign, getComputedStyle(td).whiteSpace,
                    td.innerText.includes('\\\\n')])""")
    assert styles and all(align == "left" and space == "pre-wrap" and not literal for align, space, literal in styles)
