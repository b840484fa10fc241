"""Build one study's appendix: DOCX, PDF, XLSX and figures, written atomically into one folder."""
from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from ..model import config
from ..model.atomic import make_staging, move, remove_abandoned_staging
from ..model.errors import ConfigError
from ..model.outputs import check_output_folder, check_reports_folder
from ..model.study import Study, load_known_study
from ..present.appendix import appendix_document, write_appendix

LEGACY_STAGING = re.compile(r"[a-z0-9_]{8}")  # tempfile's random part, as earlier versions named staging folders


def build_appendix(study_id: str, min_cell: int = 0, out: Path | None = None, review: bool = False,
                   log: Callable[[str], None] | None = None, force: bool = False) -> list[Path]:
    """Write <study>-appendix.docx, -appendix.pdf, -tables.xlsx and figures/ into reports/appendix/<study>/.

    An --out folder is the user's: refused when it is the project's own or (without ``force``) not empty.
    """
    log = log or (lambda _message: None)
    study = load_checked(study_id, min_cell)
    target, ours = appendix_target(study.id, out, force)
    document = appendix_document(study, min_cell=min_cell, review=review)
    remove_abandoned_staging(target.parent)
    staging_root = make_staging(target.parent, f"{study.id}-")
    try:
        staging = staging_root / study.id
        write_appendix(document, staging, log)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        if ours or not target.exists():
            replace_folder(staging, target, staging_root)
        else:
            merge_into(staging, target)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return [target / name for name in written]


def appendix_target(study_id: str, out: Path | None, force: bool) -> tuple[Path, bool]:
    """Where the appendix goes, and whether the folder is ours to replace (the default under reports/)."""
    default = config.APPENDIX / study_id
    if out is None or Path(out).resolve() == default.resolve():
        check_reports_folder()
        default.parent.mkdir(parents=True, exist_ok=True)
        remove_unnamed_staging(default.parent, study_id)
        return default, True
    target = check_output_folder(Path(out), force=force)
    target.parent.mkdir(parents=True, exist_ok=True)
    return target, False


def remove_unnamed_staging(folder: Path, study_id: str) -> None:
    """Remove the staging folders earlier versions left in reports/appendix/ (.<study>-xxxxxxxx, no process id)."""
    for staging in folder.glob(f".{study_id}-*"):
        if LEGACY_STAGING.fullmatch(staging.name[len(study_id) + 2:]) and staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging, ignore_errors=True)


def load_checked(study_id: str, min_cell: int) -> Study:
    """The study, after checking its id is a known study folder name and min_cell is sane."""
    if not isinstance(min_cell, int) or isinstance(min_cell, bool) or not 0 <= min_cell <= 1000:
        raise ConfigError("icevidence appendix", "min_cell", f"{min_cell!r} is not a whole number from 0 to 1000",
                          remedy="give 0 (no suppression) or the smallest count that may be shown, e.g. 5.")
    return load_known_study(study_id, "icevidence appendix")


def readable(staging: Path) -> None:
    """Make the finished files readable by everyone (0644, folders 0755)."""
    for path in staging.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    staging.chmod(0o755)


def replace_folder(staging: Path, target: Path, staging_root: Path) -> None:
    """Replace our own appendix folder by the finished one: the old one is moved into staging, then removed."""
    readable(staging)
    if target.exists():
        move(target, staging_root / "previous")
    move(staging, target)


def merge_into(staging: Path, target: Path) -> None:
    """With --force into a folder holding other files: move each finished file in, replacing only its namesake."""
    readable(staging)
    for path in sorted(staging.rglob("*")):
        if path.is_file():
            destination = target / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            move(path, destination)
