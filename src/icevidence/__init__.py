"""icevidence: a reproducible compendium of coded interview evidence on integrated care.

Names are imported on first use, so the command line starts fast (a warm build loads no
pandas); `import icevidence as ic; ic.theme_matrix(...)` works as usual.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Study": "study", "available_studies": "study", "load_study": "study",
    "sample_tables": "sample", "write_sample_tables": "sample",
    "check_arithmetic": "reported", "check_reported_counts": "reported",
    "theme_matrix": "matrix", "compare": "comparison", "review": "evidence", "read_export": "io",
    "SampleTables": "present.results", "ThemeMatrix": "present.results",
    "composition_figure": "present.figures", "matrix_heatmap": "present.figures",
    "agreement": "agreement",
    "reporting_checklist": "coreq", "has_reporting_checklist": "coreq",
    "checklist_counts": "coreq",
    "cooccurrence": "cooccurrence", "framework_matrix": "framework", "data_warnings": "caveats",
}
__all__ = sorted([*_EXPORTS, "codes_without_evidence"])


def __getattr__(name: str) -> Any:
    """Import a public name from its module when first used."""
    if name not in _EXPORTS:
        raise AttributeError(f"module 'icevidence' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def codes_without_evidence(study):
    """Framework codes of a study (id or Study) with no quote at or below them."""
    from .codes import codes_without_evidence as find
    from .matrix import as_study
    study = as_study(study)
    return find(study.codes, study.segments)
