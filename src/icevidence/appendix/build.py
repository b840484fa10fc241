"""Build one study's appendix: DOCX, PDF, XLSX and figures, written atomically into one folder."""
from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .. import config
from ..errors import ConfigError
from ..study import Study, available_studies, load_study
from .content import collect_appendix
from .model import Appendix, number_items
from .pdf import pdf_bytes
from .plots import save_all
from .word import docx_bytes
from .workbook import xlsx_bytes

SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def build_appendix(study_id: str, min_cell: int = 0, out: Path | None = None, review: bool = False,
                   log: Callable[[str], None] | None = None) -> list[Path]:
    """Write <study>-appendix.docx, -appendix.pdf, -tables.xlsx and figures/ into reports/appendix/<study>/."""
    log = log or (lambda _message: None)
    study = load_checked(study_id, min_cell)
    appendix = number_items(collect_appendix(study, min_cell=min_cell, review=review))
    target = Path(out) if out is not None else config.APPENDIX / study.id
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{study.id}-", dir=target.parent) as tmp:
        staging = Path(tmp) / study.id
        svgs, pngs = write_figures(appendix, staging / "figures")
        log(f"    figures  {len(svgs)} (SVG, PDF, PNG)")
        (staging / f"{study.id}-tables.xlsx").write_bytes(xlsx_bytes(appendix))
        log(f"    xlsx     {len(appendix.tables)} tables")
        (staging / f"{study.id}-appendix.docx").write_bytes(docx_bytes(appendix, pngs))
        log("    docx")
        (staging / f"{study.id}-appendix.pdf").write_bytes(pdf_bytes(appendix, svgs))
        log("    pdf")
        move_into_place(staging, target)
    return sorted(p for p in target.rglob("*") if p.is_file())


def load_checked(study_id: str, min_cell: int) -> Study:
    """The study, after checking its id is a known study folder name and min_cell is sane."""
    if not isinstance(study_id, str) or not SAFE_ID.match(study_id) or study_id not in available_studies():
        raise ConfigError("icevidence appendix", "study", f"no study {study_id!r}",
                          remedy=f"use one of {available_studies()}.")
    if not isinstance(min_cell, int) or isinstance(min_cell, bool) or not 0 <= min_cell <= 1000:
        raise ConfigError("icevidence appendix", "min_cell", f"{min_cell!r} is not a whole number from 0 to 1000",
                          remedy="give 0 (no suppression) or the smallest count that may be shown, e.g. 5.")
    return load_study(study_id)


def write_figures(appendix: Appendix, folder: Path) -> tuple[dict[str, Path], dict[str, Path]]:
    """Every figure as figures/S<n>.svg, .pdf and .png; returns the SVG and PNG paths by number."""
    folder.mkdir(parents=True, exist_ok=True)
    svgs, pngs = {}, {}
    for figure in appendix.figures:
        svg, _pdf, png = save_all(figure.draw, folder, figure.number)
        svgs[figure.number], pngs[figure.number] = svg, png
    return svgs, pngs


def move_into_place(staging: Path, target: Path) -> None:
    """Replace the target folder by the finished one: rename in, then remove the old copy."""
    for path in staging.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    staging.chmod(0o755)
    old = staging.parent / "previous"
    if target.exists():
        target.rename(old)
    staging.rename(target)
    if old.exists():
        shutil.rmtree(old)
