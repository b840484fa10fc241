"""Readings of our copy of a paper, recorded as data with a reason: where the copy is damaged, and labels.

* `transcription.csv` — the transcription ledger: each place where our copy of the text (a PDF text
  extraction) is damaged: `item` (a segment or claim id), `field` (attribution_raw or text), `ours`
  (what our copy has), `printed` (what the published PDF most likely prints; empty when unknown) and
  `reason` (why we read it as damage). A finding resting on a damaged place is shown at info level as
  "text damaged in our copy — check the published PDF", never charged to the authors.
* `labels.csv` — quoted phrases that are the authors' own labels, not participants' words: `item`
  (the segment id), `own_voice_location` and `own_voice_text` (where the authors use the phrase in
  their own voice) and `reason`. A label printed without an attribution is not a missing attribution.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ...model import config
from ...model.errors import FAILURE_COLUMNS, DataValidationError
from ...model.study import Study

LEDGER_FILE = "transcription.csv"
LABELS_FILE = "labels.csv"
LEDGER_COLUMNS = ["item", "field", "ours", "printed", "reason"]
LABEL_COLUMNS = ["item", "own_voice_location", "own_voice_text", "reason"]
FIELDS = ["attribution_raw", "text"]
DAMAGED = "text damaged in our copy — check the published PDF"


@dataclass(frozen=True)
class Damage:
    """One damaged place in our copy: what we have, what the PDF most likely prints, and why."""

    item: str
    field: str
    ours: str
    printed: str
    reason: str

    def describe(self) -> str:
        """The damage in one sentence for a finding."""
        likely = f"the published PDF most likely prints {self.printed!r}" if self.printed else \
            "what the published PDF prints is not known"
        return f"our copy has {self.ours!r}; {likely} ({self.reason})"


def read_table(study: Study, name: str, columns: list[str]) -> pd.DataFrame:
    """A readings file as text columns (empty when the study has none), every row complete or listed."""
    path = (study.folder or config.study_dir(study.id)) / name
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    failures = [{"file": str(path), "row": None, "column": c, "value": None, "problem": "column missing"}
                for c in columns if c not in table.columns]
    required = [c for c in columns if c in table.columns and c != "printed"]
    for number, row in enumerate(table.to_dict("records"), start=2):
        failures += [{"file": str(path), "row": number, "column": c, "value": row[c], "problem": "empty; give a value"}
                     for c in required if not str(row[c]).strip()]
    if "field" in table.columns:
        failures += [{"file": str(path), "row": n, "column": "field", "value": v, "problem": f"not one of {FIELDS}"}
                     for n, v in enumerate(table["field"], start=2) if v not in FIELDS]
    if failures:
        raise DataValidationError(pd.DataFrame(failures, columns=FAILURE_COLUMNS))
    return table[columns]


def ledger(study: Study) -> dict[tuple[str, str], Damage]:
    """The study's transcription ledger by (item, field)."""
    table = read_table(study, LEDGER_FILE, LEDGER_COLUMNS)
    return {(r["item"], r["field"]): Damage(**r) for r in table.to_dict("records")}


def damage_to(book: dict[tuple[str, str], Damage], field: str, items: str) -> list[Damage]:
    """The damaged places (of a study's ledger) a finding on these items ('R-001; R-002') rests on, for one field."""
    if not book:
        return []
    return [book[(i.strip(), field)] for i in str(items).split(";") if (i.strip(), field) in book]


def labels(study: Study) -> pd.DataFrame:
    """The study's quoted phrases read as the authors' own labels, by segment id."""
    return read_table(study, LABELS_FILE, LABEL_COLUMNS).set_index("item", drop=False)
