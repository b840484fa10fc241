"""How the sample tables read: n per group and each attribute by group; workbooks keep counts and % apart.

In an appendix: n per group, the participants' characteristics in one table, the composition
figure, the table's k-anonymity, and the participant-level table only where k allows it.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analyses.disclosure import participant_release, study_anonymity
from ...analyses.groups import attribute_label
from ...analyses.result import Table, register_view
from ...analyses.sample import SampleTables
from ...model.study import Study
from ..csv import write_csv
from ..document import Section, stating_suppression
from ..html import fragment, paragraph, table_html, warning
from .base import View

APPENDIX_KEYS = {"n": "sample-n", "characteristics": "sample-attributes", "composition": "sample-figure"}


class SampleView(View):
    """The sample tables: report tables per attribute; in an appendix, n, one characteristics table and a figure."""

    title = "Sample"
    order = 10

    def sections(self, result: SampleTables) -> list[Section]:
        """n per group, the participants' characteristics in one table, and the composition figure."""
        items = [result.by_key("n")]
        if result.attributes:
            items.append(result.characteristics())
        return [Section(self.title, items=[*items, *result.figures()])]

    def write(self, result: SampleTables, folder: Path, figures: Path | None = None,
              name: str | None = None) -> list[Path]:
        """The tables, figure and workbook, and identifiability.csv (k: the headline the index shows)."""
        paths = super().write(result, folder, figures, name)
        k = write_csv(identifiability_table(result.study), Path(folder) / "identifiability.csv", index=False)
        return [*paths, k]

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """The sample section, its k-anonymity sentence, and the participant-level table where k allows."""
        [section] = self.sections(SampleTables(study, min_cell=min_cell))
        for item in section.items:
            item.key = APPENDIX_KEYS[item.key]
            stating_suppression(item, min_cell)
        section.paragraphs, extra = participant_level(study, min_cell)
        return [section, *extra]


def identifiability_table(study: Study) -> pd.DataFrame:
    """k of the participant table, the participants unique on its quasi-identifiers, and which they are."""
    result = study_anonymity(study)
    return pd.DataFrame([{"k": result.k, "participants": result.participants, "unique": result.unique,
                          "quasi_identifiers": "; ".join(result.quasi_identifiers)}])


def participant_level(study: Study, min_cell: int) -> tuple[list[str], list[Section]]:
    """State k; print the participant-level table only where the disclosure rule allows (analyses/disclosure.py)."""
    result = study_anonymity(study)
    paragraphs = [result.sentence()]
    attributes = [q for q in result.quasi_identifiers if q not in {study.group_by, "tier", "site"}]
    if not attributes:
        return paragraphs, []
    release = participant_release(study, min_cell)
    if not release.printed:
        by = attribute_label(study.group_by).lower()
        paragraphs.append(f"{release.reason} The cross-tabulation of each attribute by {by} in this section is "
                          "given instead.")
        return paragraphs, []
    columns = ["participant_id", *result.quasi_identifiers]
    frame = study.participants[columns].astype("object").where(study.participants[columns].notna(), "")
    frame = frame.rename(columns={c: attribute_label(c) for c in columns} | {"participant_id": "Participant"})
    table = Table("participants", "Participants and their quasi-identifiers",
                  frame, f"One row per participant, with the attributes a reader could know about a person "
                  f"(k = {result.k})", "participants", study.table_source("participants"), release.reason)
    return paragraphs, [Section("Participant-level table", level=2, items=[table])]


@fragment
def checks_html(counts: pd.DataFrame, arithmetic: pd.DataFrame, min_cell: int = 0) -> str:
    """The paper's stated sample counts recomputed, a warning for each that does not hold.

    A report with suppression omits them: they print every count, however small.
    """
    if min_cell > 1:
        return paragraph(f"Not shown in this report: the check prints every count, and this report suppresses counts "
                         f"below {min_cell}.")
    if counts.empty:
        return "<p><em>This study's folder records no published counts to recompute.</em></p>"
    differs = counts[counts["status"] == "DIFFERS"].to_dict("records")
    parts = [warning(f"{row['location']}: '{row['statement']}' is stated as {row['stated']}, but the participant "
                     f"table gives {row['from data']}.") for row in differs]
    parts += [warning(f"{row['breakdown stated at']}: the paper's {row['attribute']} figures for {row['group']} add up "
                      f"to {row['sum of parts']}, but it states n = {row['stated n']} ({row['stated n at']}).")
              for row in arithmetic[arithmetic["status"] != "adds up"].to_dict("records")]
    parts.append(table_html(counts, "Every sample count the paper states, recomputed from the participant table"))
    if len(arithmetic):
        parts.append(table_html(arithmetic, "Do the paper's breakdowns add up to its stated group sizes?"))
    return "\n".join(parts)


register_view(SampleTables, SampleView())
