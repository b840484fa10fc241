"""How coding coverage reads: by group and by participant (or document), each column naming what it rests on.

A study whose coverage cannot be computed (the published papers: quotes, no transcripts) gets the
reason in a sentence wherever the tables would stand: in a notebook, a report and an appendix,
never an empty table.
"""
from __future__ import annotations

from pathlib import Path

from ...analyses.coverage import Coverage, default_level
from ...analyses.result import collected, register_view
from ...model.study import Study
from ..document import Section, stating_suppression
from ..html import notes_html, paragraph, table_html
from .base import View

DEFINITION = ("Coverage is the share of a document's characters coded with a code (as NVivo reports it): the union "
              "of the code's coded passages in the document, overlapping codings counted once, divided by the "
              "document's full length; codes below the level roll up into it, and the documents of a participant "
              "or a group are pooled (their coded characters over their characters).")


class CoverageView(View):
    """Coverage by group, then by participant; the reason instead, where it cannot be computed."""

    title = "Coding coverage"
    order = 30

    def html(self, result: Coverage, keys: list[str] | None = None, **options) -> str:
        """The tables (the named ones, default both) and the notes; or why coverage cannot be computed."""
        if not result.available:
            return paragraph(result.reason)
        with collected(result.notes):
            tables = [table_html(t, notes=False) for t in self.shown(result, keys)]
        return "\n".join(tables) + notes_html(result.notes)

    def chart(self, result: Coverage, key: str | None = None):
        """The heatmap by group; where coverage cannot be computed, a sentence saying there is nothing to draw."""
        if not result.available:
            return paragraph(f"No figure: coverage cannot be computed for {result.study.short_name} (the reason is "
                             "given with its tables).")
        return super().chart(result, key)

    def write(self, result: Coverage, folder: Path, figures: Path | None = None, name: str | None = None) -> list[Path]:
        """Both tables as CSV and one XLSX, and the heatmap; nothing where coverage cannot be computed."""
        return super().write(result, folder, figures, name or "coverage") if result.available else []

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """Coverage by the study's groups and by participant, with the heatmap; or why it cannot be computed."""
        result = Coverage(study, level=default_level(study), min_cell=min_cell)
        if not result.available:
            return [Section(self.title, paragraphs=[result.reason])]
        groups, units = result.tables()
        groups.notes = []  # said once, in the section's paragraphs
        paragraphs = [DEFINITION, *result.notes]
        items = [stating_suppression(groups, min_cell)]
        if result.unit_mask.all() and len(result.unit_mask):
            paragraphs.append(f"Coverage per participant is not printed: every participant's figures rest on fewer "
                              f"than {min_cell} documents (or could recover one that does), so all are suppressed.")
        else:
            items.append(stating_suppression(units, min_cell))
        items += [stating_suppression(f, min_cell) for f in result.figures()]
        return [Section(self.title, paragraphs=paragraphs, items=items)]


register_view(Coverage, CoverageView())
