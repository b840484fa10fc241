"""Disclosure: participants the paper's own participant table lets a reader single out (analyses/disclosure)."""
from __future__ import annotations

import pandas as pd

from ....model.study import Study
from ...disclosure import identifiability_findings
from ..findings import as_findings, finding
from ..registry import Check, register_check

CHECK = "disclosure"


def check_identifiability(study: Study) -> pd.DataFrame:
    """The k-anonymity finding on the printed participant table, as a review finding."""
    rows = identifiability_findings(study).to_dict("records")
    return as_findings(finding(r["study"], CHECK, r["kind"], r["severity"], r["location"], r["detail"],
                               r.get("evidence", "")) for r in rows)


register_check(Check(CHECK, check_identifiability, "participants the printed participant table singles out",
                     order=80))
