"""How the codebook reads: one table; in an appendix, its own section after the sample."""
from __future__ import annotations

from ...analyses.codebook import Codebook
from ...analyses.result import register_view
from ...model.study import Study
from ..document import Section, stating_suppression
from .base import View


class CodebookView(View):
    """The codebook table, in reports and in every appendix."""

    title = "Codebook"
    order = 15

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """The codebook: every code with its parent, level, definition and number of quotes."""
        [table] = Codebook(study, min_cell).tables()
        return [Section(self.title, items=[stating_suppression(table, min_cell)])]


register_view(Codebook, CodebookView())
