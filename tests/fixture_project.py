"""Build reports from fixture studies: a throwaway project (compendium.yml, notebooks, data/raw) in a temp folder.

Reused by the disclosure scan, the escaping tests and the stable-HTML test; the appendix and the
comparison can build their own fixture reports the same way.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from icevidence.model import config

FIXTURE_STUDIES = Path(__file__).parent / "fixtures" / "studies"


def make_project(root: Path, studies: dict[str, Path], reports: list[dict], title: str = "Fixture reports") -> Path:
    """A project folder holding the given studies, the real notebooks and a compendium.yml of `reports`."""
    for name, source in studies.items():
        shutil.copytree(source, root / "data" / "raw" / name)
    shutil.copytree(config.NOTEBOOKS, root / "notebooks")
    (root / "compendium.yml").write_text(yaml.safe_dump({"title": title, "reports": reports}, allow_unicode=True),
                                         encoding="utf-8")
    return root


def add_crosswalk(root: Path) -> Path:
    """Copy the project's crosswalk (data/crosswalk.csv, concepts.csv, crosswalk/) into a fixture project."""
    for name in ("crosswalk.csv", "concepts.csv"):
        shutil.copy2(config.DATA / name, root / "data" / name)
    shutil.copytree(config.CROSSWALK_DIR, root / "data" / "crosswalk")
    return root


def build_project(root: Path, *names: str, reports: Path | None = None) -> subprocess.CompletedProcess:
    """Run `icevidence build --force` in the project (all reports, or the named ones)."""
    env = {**os.environ, "ICEVIDENCE_ROOT": str(root), "ICEVIDENCE_REPORTS": str(reports or root / "reports")}
    command = [sys.executable, "-m", "icevidence", "build", "--force", "--jobs", "2"]
    if names:
        command += ["--only", *names]
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=root)
