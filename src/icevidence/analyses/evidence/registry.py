"""The registry of check families: a family is one module of `evidence.checks` that registers its checks.

A check reads one study (or, `across=True`, several studies that share evidence) and returns
findings (findings.ALL_COLUMNS). It names the study files it needs: a check whose files are absent
(an imported export has no paper, so no claims.yml) is skipped, or run in part, and the review says
why. `order` places the family's findings among the others.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import import_module

import pandas as pd

from ...model import config
from ...model.study import Study

CHECKS_PACKAGE = "icevidence.analyses.evidence.checks"


@dataclass(frozen=True)
class Check:
    """One check: its name, what it looks for, the function, the study files it needs and why."""

    name: str
    run: Callable[..., pd.DataFrame]
    describes: str = ""
    needs: tuple[str, ...] = ()
    why: str = ""
    partial: str = ""
    across: bool = False
    order: int = 100


_CHECKS: dict[str, Check] = {}


def register_check(check: Check) -> None:
    """Add (or replace) a check in every review; a family module calls this once per check it defines."""
    _CHECKS[check.name] = check


def unregister_check(name: str) -> None:
    """Remove a check (tests that register a temporary one)."""
    _CHECKS.pop(name, None)


def registered_checks(across: bool | None = None) -> list[Check]:
    """Every registered check in its order (only per-study or only across-paper ones when asked)."""
    if not _CHECKS:
        import_module(CHECKS_PACKAGE)
    checks = sorted(_CHECKS.values(), key=lambda c: (c.order, c.name))
    return [c for c in checks if across is None or c.across == across]


def check_names() -> list[str]:
    """The check names in report order."""
    return [c.name for c in registered_checks()]


def checks_run(study: Study) -> pd.DataFrame:
    """Which per-study checks run on a study, which run in part or are skipped, and why."""
    folder = study.folder or config.study_dir(study.id)
    rows = []
    for check in registered_checks(across=False):
        missing = [f for f in check.needs if not (folder / f).is_file()]
        status = "run" if not missing else ("run in part" if check.partial else "skipped")
        reason = "" if not missing else (f"{check.partial}: " if check.partial else "") + check.why
        rows.append({"study": study.id, "check": check.name, "looks for": check.describes, "status": status,
                     "reason": reason})
    return pd.DataFrame(rows, columns=["study", "check", "looks for", "status", "reason"])


def across_run(studies: Sequence[Study]) -> pd.DataFrame:
    """The across-paper checks run on a set of studies (all of them run; each says what it compares)."""
    label = " + ".join(s.id for s in studies)
    return pd.DataFrame([{"study": label, "check": c.name, "looks for": c.describes, "status": "run", "reason": ""}
                         for c in registered_checks(across=True)],
                        columns=["study", "check", "looks for", "status", "reason"])
