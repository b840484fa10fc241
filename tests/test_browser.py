"""Built reports in a real browser: they load cleanly, show the matrix and heatmap, and link to quotes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from icevidence import config

REPORT = "theme-matrix-mitchell2020"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(out)}
    done = subprocess.run([sys.executable, "-m", "icevidence", "build", "--only", REPORT],
                          env=env, capture_output=True, text=True, cwd=config.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return out / f"{REPORT}.html"


@pytest.fixture(scope="module")
def page(chromium, report):
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(report.as_uri())
    page.console_errors = errors
    yield page
    page.close()


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
