"""Build reports into a temporary folder and open them in the shared headless Chromium, for the browser tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from icevidence.model import config


def build_reports(out: Path, *names: str) -> Path:
    """Build the named reports of compendium.yml into out (ICEVIDENCE_REPORTS); fail with the build's output."""
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(out)}
    done = subprocess.run([sys.executable, "-m", "icevidence", "build", "--only", *names],
                          env=env, capture_output=True, text=True, cwd=config.ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def open_page(chromium, report: Path, width: int = 1200, height: int = 900):
    """A page showing a built report; page.page_errors holds uncaught script errors and
    page.console_errors those plus console errors, as they happen."""
    page = chromium.new_page(viewport={"width": width, "height": height})
    page.page_errors, page.console_errors = [], []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: (page.page_errors.append(str(e)), page.console_errors.append(str(e))))
    page.goto(report.as_uri())
    return page


# Every report a browser test opens: built once per test session (one build for all workers), see shared_build.
BROWSER_REPORTS = ("theme-matrix-mitchell2020", "study-comparison", "qda-matrices-tracy2025",
                   "intercoder-agreement-synthcoders", "evidence-review-tracy2025", "evidence-review-mitchell2020",
                   "evidence-review-mitchell2023", "evidence-review-cross-paper")


def shared_build(base: Path) -> Path:
    """BROWSER_REPORTS built into base/built-compendium by the first test process that asks (under a file lock,
    so pytest-xdist workers sharing base wait for it and reuse it); the tests only read it."""
    import fcntl
    folder = base / "built-compendium"
    with open(base / "built-compendium.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "index.html").is_file():
            build_reports(folder, *BROWSER_REPORTS)
    return folder
