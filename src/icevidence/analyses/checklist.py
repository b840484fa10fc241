"""Reporting-guideline check: the COREQ checklist read against a paper, as data.

COREQ (Tong, Sainsbury & Craig 2007, Int J Qual Health Care 19:349-57) has 32 items in eight
groups. A study folder's coreq.yml records, per item, whether the paper reports it (reported /
partly / not reported), where (section, paragraph, table) and the paper's words, read by hand
from the paper like claims.yml. `ReportingChecklist` is the result (items per domain by status, and
every item with the paper's words); `reporting_checklist` returns the table for scripting, validated
on load with every failure listed by file, row and field.
"""
from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..model import config
from ..model.errors import FAILURE_COLUMNS, ConfigError, DataValidationError
from ..model.study import Study
from ..model.yaml_loader import read_yaml
from .result import Result, Table
from .theme_matrix import as_study

CHECKLIST_FILE = "coreq.yml"
STATUSES = ["reported", "partly", "not reported"]
NOT_REPORTED = "not reported"
COLUMNS = ["item", "domain", "name", "status", "location", "evidence"]

# (item, domain, name) as Tong, Sainsbury & Craig 2007, Table 1, number and group them
COREQ_ITEMS: list[tuple[int, str, str]] = [
    (1, "Personal characteristics", "Interviewer/facilitator"), (2, "Personal characteristics", "Credentials"),
    (3, "Personal characteristics", "Occupation"), (4, "Personal characteristics", "Gender"),
    (5, "Personal characteristics", "Experience and training"),
    (6, "Relationship with participants", "Relationship established"),
    (7, "Relationship with participants", "Participant knowledge of the interviewer"),
    (8, "Relationship with participants", "Interviewer characteristics"),
    (9, "Theoretical framework", "Methodological orientation and theory"),
    (10, "Participant selection", "Sampling"), (11, "Participant selection", "Method of approach"),
    (12, "Participant selection", "Sample size"), (13, "Participant selection", "Non-participation"),
    (14, "Setting", "Setting of data collection"), (15, "Setting", "Presence of non-participants"),
    (16, "Setting", "Description of sample"),
    (17, "Data collection", "Interview guide"), (18, "Data collection", "Repeat interviews"),
    (19, "Data collection", "Audio/visual recording"), (20, "Data collection", "Field notes"),
    (21, "Data collection", "Duration"), (22, "Data collection", "Data saturation"),
    (23, "Data collection", "Transcripts returned"),
    (24, "Data analysis", "Number of data coders"), (25, "Data analysis", "Description of the coding tree"),
    (26, "Data analysis", "Derivation of themes"), (27, "Data analysis", "Software"),
    (28, "Data analysis", "Participant checking"),
    (29, "Reporting", "Quotations presented"), (30, "Reporting", "Data and findings consistent"),
    (31, "Reporting", "Clarity of major themes"), (32, "Reporting", "Clarity of minor themes"),
]
DOMAINS = list(dict.fromkeys(d for _, d, _ in COREQ_ITEMS))

ENTRY_SCHEMA = pa.DataFrameSchema(
    {"item": pa.Column(int, pa.Check.isin([i for i, _, _ in COREQ_ITEMS]), unique=True),
     "status": pa.Column(str, pa.Check.isin(STATUSES)),
     "location": pa.Column(str, pa.Check.str_length(min_value=1)),
     "evidence": pa.Column(str, nullable=True)},
    checks=[pa.Check(lambda t: (t["status"] == NOT_REPORTED) | t["evidence"].fillna("").str.strip().ne(""),
                     name="evidence given for every reported or partly reported item")],
    strict=False, coerce=True)


def checklist_path(study: Study) -> object:
    """Where a study's coreq.yml lives."""
    return (study.folder or config.study_dir(study.id)) / CHECKLIST_FILE


def has_reporting_checklist(study: Study | str) -> bool:
    """Whether the study folder has a coreq.yml (imported exports have no paper, so none)."""
    return checklist_path(as_study(study)).is_file()


def read_entries(study: Study) -> pd.DataFrame:
    """coreq.yml as a table of entries (item, status, location, evidence), unvalidated."""
    path = checklist_path(study)
    if not path.is_file():
        raise ConfigError(str(path), "", "no COREQ checklist for this study",
                          remedy="write coreq.yml (data/README.md describes it) or skip the checklist.")
    records = read_yaml(path) or []
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ConfigError(str(path), "", "is not a list of items", remedy="write one '- item: N' record per item.")
    return pd.DataFrame(records).reindex(columns=["item", "status", "location", "evidence"])


def validate_entries(entries: pd.DataFrame, file: str) -> pd.DataFrame:
    """The entries validated lazily; one DataValidationError lists every bad row and every missing item."""
    failures = []
    try:
        entries = ENTRY_SCHEMA.validate(entries, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            row = None if pd.isna(case.index) else int(case.index) + 1
            failures.append({"file": file, "row": row, "column": case.column, "value": case.failure_case,
                             "problem": f"fails {case.check}"})
    present = set(pd.to_numeric(entries["item"], errors="coerce").dropna().astype(int))
    for item, _, name in COREQ_ITEMS:
        if item not in present:
            failures.append({"file": file, "row": None, "column": "item", "value": item,
                             "problem": f"COREQ item {item} ({name}) is missing; record all 32"})
    if failures:
        raise DataValidationError(pd.DataFrame(failures, columns=FAILURE_COLUMNS))
    return entries


def reporting_checklist(study: Study | str) -> pd.DataFrame:
    """The COREQ checklist of a study: item number, domain, item, status, location, evidence (32 rows)."""
    study = as_study(study)
    entries = validate_entries(read_entries(study), str(checklist_path(study)))
    items = pd.DataFrame(COREQ_ITEMS, columns=["item", "domain", "name"])
    table = items.merge(entries, on="item", how="left")[COLUMNS]
    table["domain"] = pd.Categorical(table["domain"], categories=DOMAINS, ordered=True)
    table["status"] = pd.Categorical(table["status"], categories=STATUSES, ordered=True)
    table["evidence"] = table["evidence"].fillna("")
    return table.sort_values("item").reset_index(drop=True)


def checklist_counts(checklist: pd.DataFrame) -> pd.DataFrame:
    """Items per domain (COREQ order) by status, with the domain's item count."""
    counts = pd.crosstab(checklist["domain"], checklist["status"]).reindex(index=DOMAINS, columns=STATUSES,
                                                                           fill_value=0)
    counts["items"] = counts.sum(axis=1)
    counts.columns.name = None
    return counts.reset_index()


class ReportingChecklist(Result):
    """The COREQ checklist of one paper: items per domain by status, and every item with the paper's words."""

    def __init__(self, study: Study | str) -> None:
        self.study = as_study(study)
        self.table = reporting_checklist(self.study)
        self.notes: list[str] = []

    @property
    def counts(self) -> pd.DataFrame:
        """Items per domain by status."""
        return checklist_counts(self.table)

    def tables(self) -> list[Table]:
        """Counts per domain, then the 32 items."""
        source = f"{CHECKLIST_FILE}, read by hand from the paper"
        name = self.study.short_name
        return [Table("coreq-counts", f"{name}: COREQ items by domain and status", self.counts,
                      "COREQ items (Tong, Sainsbury & Craig 2007) per domain, by how the paper reports them", "items",
                      source),
                Table("coreq", f"{name}: COREQ items", self.table.astype({"domain": str, "status": str}),
                      "Each of the 32 COREQ items: reported, partly or not, where, and in the paper's words", "items",
                      source, prose=("evidence",))]
