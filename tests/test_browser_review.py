"""Evidence-review reports in a real browser: the first finding row is the most serious, locations are the paper's."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from built_reports import build_reports, open_page

from icevidence import evidence as ev

REPORTS = ["evidence-review-tracy2025", "evidence-review-mitchell2020", "evidence-review-mitchell2023",
           "evidence-review-cross-paper"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_reports(tmp_path_factory.mktemp("reports"), *REPORTS)


def open_report(chromium, built: Path, name: str):
    return open_page(chromium, built / f"{name}.html", width=1366, height=768)


def worst_severity(built: Path, name: str) -> str:
    """The most serious severity in the report's own findings table (CSV, written from the same data)."""
    table = pd.read_csv(built / "tables" / name / "findings.csv")
    return min(table["severity"], key=ev.SEVERITIES.index)


@pytest.mark.parametrize("name", REPORTS)
def test_first_finding_row_is_the_most_serious(chromium, built, name):
    page = open_report(chromium, built, name)
    first = page.locator("tr.finding").first
    assert first.get_attribute("data-severity") == worst_severity(built, name)
    assert first.locator("td.severity").inner_text().strip() == worst_severity(built, name)


@pytest.mark.parametrize("name", REPORTS)
def test_first_finding_is_on_the_first_screen(chromium, built, name):
    page = open_report(chromium, built, name)
    top = page.locator("tr.finding").first.evaluate("row => row.getBoundingClientRect().top")
    assert top < 768


@pytest.mark.parametrize("name", REPORTS)
def test_no_location_names_a_seed(chromium, built, name):
    page = open_report(chromium, built, name)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    locations = page.locator("td.location").all_inner_texts()
    assert locations and not any("seed" in text.lower() for text in locations)
