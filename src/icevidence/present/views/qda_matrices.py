"""Writing the three QDA matrices whole: the `icevidence matrices` command.

Codes × cases, co-occurrence and the framework matrix each have their own view
(codes_by_cases.py, cooccurrence.py, framework.py), which show capped previews
(present/preview.py); this writes every matrix whole as CSV, the framework matrix also as XLSX.
"""
from __future__ import annotations

from pathlib import Path

from ...analyses.codes_by_cases import CodesByCases
from ...analyses.cooccurrence import Cooccurrence
from ...analyses.framework import FrameworkMatrix
from ...analyses.result import Result
from ...model import config
from ...model.study import Study


def write_results(results: list[Result], folder: Path) -> list[Path]:
    """Write each result's tables whole into ``folder`` (through its view), in order."""
    return [path for result in results for path in result.write(folder)]


def write_all_matrices(study: Study, level: str = "main", unit: str = "references", group_by: str = "participant_id",
                       folder: Path | None = None) -> list[Path]:
    """Compute the three matrices of a study and write them whole (the `icevidence matrices` command), into
    reports/tables/<study>-qda-matrices/ or ``folder``."""
    folder = Path(folder) if folder is not None else config.TABLES / f"{study.id}-qda-matrices"
    return write_results([CodesByCases(study, level, unit, group_by), Cooccurrence(study, level, unit),
                          FrameworkMatrix(study, level, group_by)], folder)
