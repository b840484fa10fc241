"""The built inter-coder agreement report in a real browser: it loads cleanly and shows the figures and passages."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from icevidence import config

REPORT = "intercoder-agreement-synthcoders"


@pytest.fixture(scope="module")
def page(chromium, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(out)}
    done = subprocess.run([sys.executable, "-m", "icevidence", "build", "--only", REPORT],
                          env=env, capture_output=True, text=True, cwd=config.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    page = chromium.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((Path(out) / f"{REPORT}.html").as_uri())
    page.errors = errors
    yield page
    page.close()


def test_report_loads_without_errors(page):
    assert page.errors == []


def test_overall_figures_show_alpha_with_its_interval(page):
    text = page.locator("table.icevidence-agreement-overall").inner_text()
    assert "Krippendorff's alpha" in text and "95 % CI" in text


def test_the_figure_is_visible(page):
    assert page.locator("img").first.is_visible()


def test_differing_passages_sit_side_by_side_per_coder(page):
    head = page.locator("table.icevidence-passages thead").first.inner_text()
    assert "Coder A" in head and "Coder B" in head
