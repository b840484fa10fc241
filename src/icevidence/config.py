"""Project paths, derived in one place from the project root."""
from __future__ import annotations

import os
from pathlib import Path


def find_root() -> Path:
    """Return the compendium root: $ICEVIDENCE_ROOT, or the folder holding compendium.yml."""
    env = os.environ.get("ICEVIDENCE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in [Path.cwd().resolve(), *Path.cwd().resolve().parents, *here.parents]:
        if (parent / "compendium.yml").is_file():
            return parent
    return here.parents[2]


ROOT = find_root()
DATA = ROOT / "data"
RAW = DATA / "raw"
PROCESSED = DATA / "processed"
NOTEBOOKS = ROOT / "notebooks"
REPORTS = Path(os.environ.get("ICEVIDENCE_REPORTS") or ROOT / "reports").resolve()
TABLES = REPORTS / "tables"
FIGURES = REPORTS / "figures"
APPENDIX = REPORTS / "appendix"
COMPENDIUM = ROOT / "compendium.yml"
CROSSWALK = DATA / "crosswalk.csv"
SHARED = ROOT.parent / "shared"
LOCK = ROOT / "requirements.lock"


def study_dir(study_id: str) -> Path:
    """Folder of one study's raw data."""
    return RAW / study_id
