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
    return here.parents[3]


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
CROSSWALK_DIR = DATA / "crosswalk"
CROSSWALK_SEGMENTS = CROSSWALK_DIR / "coding_reconciled.csv"
CROSSWALK_GRAIN = CROSSWALK_DIR / "grain.csv"
SHARED = ROOT.parent / "shared"
LOCK = ROOT / "requirements.lock"


def study_dir(study_id: str) -> Path:
    """Folder of one study's raw data (the id must be a plain name, never a path)."""
    return inside(RAW, study_id, what="study id")


def allowed_roots() -> list[Path]:
    """The folders the compendium writes into (read at call time, so tests may move them)."""
    return [RAW, PROCESSED, REPORTS, TABLES, FIGURES]


def inside(root: Path, *names: str, what: str = "name", suffix: str = "") -> Path:
    """root/name1/name2...+suffix, refusing names that are not plain names or a path leaving an allowed root.

    Every path built from an identifier (study id, report output) goes through here.
    """
    from .errors import ConfigError
    from .names import check_name
    for name in names:
        check_name(name, what, str(root))
    path = root.joinpath(*names[:-1], names[-1] + suffix) if names else root
    resolved = path.resolve()
    base = root.resolve()
    if not any(r.resolve() == base for r in allowed_roots()):
        raise ConfigError(str(root), "", "not one of the project's output folders",
                          remedy="write only under data/raw, data/processed or reports.")
    if resolved != base and base not in resolved.parents:
        raise ConfigError(str(path), "", "the path leaves the project's folders",
                          remedy="use a plain name (letters, digits, '-', '_').")
    return path
