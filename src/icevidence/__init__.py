"""icevidence: a reproducible compendium of coded interview evidence on integrated care.

Names are imported on first use, so the command line starts fast (a warm build loads no
pandas); `import icevidence as ic; ic.theme_matrix(...)` works as usual.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Study": "model.study", "available_studies": "model.study", "load_study": "model.study",
    "sample_tables": "analyses.sample",
    "check_arithmetic": "analyses.stated_counts", "check_reported_counts": "analyses.stated_counts",
    "theme_matrix": "analyses.theme_matrix", "compare": "analyses.comparison", "read_export": "io",
    "review": "analyses.evidence.review", "review_across": "analyses.evidence.review",
    "SampleTables": "analyses.sample", "ThemeMatrix": "analyses.theme_matrix",
    "Comparison": "analyses.comparison", "CrosswalkReliability": "analyses.crosswalk_reliability",
    "agreement": "analyses.agreement",
    "reporting_checklist": "analyses.checklist", "has_reporting_checklist": "analyses.checklist",
    "ReportingChecklist": "analyses.checklist", "Review": "analyses.evidence.review",
    "checklist_counts": "analyses.checklist",
    "cooccurrence": "analyses.cooccurrence", "framework_matrix": "analyses.framework",
    "data_warnings": "analyses.caveats",
    "CodesByCases": "analyses.codes_by_cases", "Cooccurrence": "analyses.cooccurrence",
    "FrameworkMatrix": "analyses.framework", "Codebook": "analyses.codebook",
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
    from .analyses.theme_matrix import as_study
    from .model.codes import codes_without_evidence as find
    study = as_study(study)
    return find(study.codes, study.segments)
