"""Shared fixtures: paths to the project's data and to ../shared (skipped when absent), headless Chromium."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # test helpers (disclosure_scan, fixture_project) import by name

from hypothesis import HealthCheck, settings

from icevidence.model import config

# No test depends on the machine's speed: Hypothesis's per-example deadline and its too-slow health
# check are wall-clock assertions, so both are off; max_examples bounds the work instead.
settings.register_profile("icevidence", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("icevidence")

SHARED_REASON = "../shared is not beside the project (CI has it); this test reads files from it"
NO_BROWSER = ("Chromium is not installed, so the browser tests cannot run. On Debian/Ubuntu: "
              "`sudo apt-get install chromium` (CI's .ci/run installs it).")
BROWSER_WAIT_MS = 60_000  # how long expect(...) waits for a page's condition: a safeguard (Playwright's is 5 s)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (-n N), run each file's tests on one worker: --dist loadfile in place of 'load'.

    nbval runs a notebook's cells in order in one kernel, so a cell sent to another worker would not
    find the names the cells before it defined; a module's fixtures are then also built once.
    """
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "loadfile"


NBVAL_OUTPUT_SECONDS = 600  # nbval's own is 5 s; a guard against a hang, not a measure of speed


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give each notebook cell nbval runs a generous wait for its outputs (nbval's 5 s fails on a busy machine)."""
    for item in items:
        if hasattr(item, "output_timeout"):
            item.output_timeout = NBVAL_OUTPUT_SECONDS


@pytest.fixture
def shared_dir() -> Path:
    """The shared folder beside the project, or skip with the reason."""
    if not config.SHARED.is_dir():
        pytest.skip(SHARED_REASON)
    return config.SHARED


@pytest.fixture
def real_exports(shared_dir: Path) -> Path:
    """Real QDA-software exports from ../shared/fixtures/real-exports."""
    path = shared_dir / "fixtures" / "real-exports"
    if not path.is_dir():
        pytest.skip(f"{path} is missing; it holds real QDA exports for import tests")
    return path


FIXTURE_STUDIES = Path(__file__).parent / "fixtures" / "studies"


@pytest.fixture
def mini():
    """The constructed 'mini' study (7 participants, 7 codes, 7 segments)."""
    from icevidence import load_study
    return load_study("mini", root=FIXTURE_STUDIES)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini study's folder, for corrupting in tests."""
    import shutil
    target = tmp_path / "mini"
    shutil.copytree(FIXTURE_STUDIES / "mini", target)
    return target


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium through Playwright, one per test module; skips with the install hint when absent.

    Ask for it before any fixture that builds reports, so a machine without a browser skips fast.
    """
    import shutil
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip(NO_BROWSER)
    from playwright.sync_api import expect, sync_playwright
    expect.set_options(timeout=BROWSER_WAIT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def built_compendium(tmp_path_factory) -> Path:
    """The reports the browser tests open (built_reports.BROWSER_REPORTS), built once for the whole session and
    shared by the pytest-xdist workers (their base folders share a parent); tests must not change it."""
    from built_reports import shared_build
    base = tmp_path_factory.getbasetemp()
    return shared_build(base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base)


@pytest.fixture(scope="module")
def page(chromium, built_compendium, request):
    """The report named by the test module's REPORT, from the session's built compendium, open in Chromium
    (page.page_errors and page.console_errors collect the errors it raises)."""
    from built_reports import open_page
    opened = open_page(chromium, built_compendium / f"{request.module.REPORT}.html")
    yield opened
    opened.close()
