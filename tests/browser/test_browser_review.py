"""Evidence-review reports in a real browser: the first finding row is the most serious, locations are the paper's."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from built_reports import BROWSER_REPORTS, open_page

from icevidence.analyses.evidence.findings import SEVERITIES

FIRST_ROW = "table.ev-findings tbody tr"
REPORTS = ["evidence-review-tracy2025", "evidence-review-mitchell2020", "evidence-review-mitchell2023",
           "evidence-review-cross-paper"]


@pytest.fixture(scope="module")
def built(chromium, built_compendium) -> Path:
    assert set(REPORTS) <= set(BROWSER_REPORTS)
    return built_compendium


def open_report(chromium, built: Path, name: str):
    return open_page(chromium, built / f"{name}.html", width=1366, height=768)


def worst_severity(built: Path, name: str) -> str:
    """The most serious severity in the report's own findings table (CSV, written from the same data)."""
    table = pd.read_csv(built / "tables" / name / "findings.csv")
    return min(table["severity"], key=SEVERITIES.index)


@pytest.mark.parametrize("name", REPORTS)
def test_first_finding_row_is_the_most_serious(chromium, built, name):
    page = open_report(chromium, built, name)
    first = page.locator(FIRST_ROW).first.locator("span.ev-badge")
    assert first.get_attribute("data-severity") == worst_severity(built, name)
    assert first.inner_text().strip() == worst_severity(built, name)


@pytest.mark.parametrize("name", REPORTS)
def test_first_finding_is_on_the_first_screen(chromium, built, name):
    page = open_report(chromium, built, name)
    top = page.locator(FIRST_ROW).first.evaluate("row => row.getBoundingClientRect().top")
    assert top < 768


@pytest.mark.parametrize("name", REPORTS)
def test_no_location_names_a_seed(chromium, built, name):
    page = open_report(chromium, built, name)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    locations = page.locator("table.ev-findings span.location").all_inner_texts()
    assert locations and not any("seed" in text.lower() for text in locations)


@pytest.mark.parametrize("name", REPORTS)
def test_every_high_finding_starts_on_the_first_screen(chromium, built, name):
    page = open_report(chromium, built, name)
    tops = page.evaluate("() => [...document.querySelectorAll('table.ev-findings tbody tr')]"
                         ".filter(row => row.querySelector('span.ev-badge[data-severity=high]'))"
                         ".map(row => row.getBoundingClientRect().top)")
    table = pd.read_csv(built / "tables" / name / "findings.csv")
    assert len(tops) == int((table["severity"] == "high").sum()) and all(top < 768 for top in tops)
