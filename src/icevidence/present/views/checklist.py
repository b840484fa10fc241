"""How the COREQ reporting checklist reads: counts per domain, then every item with the paper's words."""
from __future__ import annotations

from ...analyses.checklist import ReportingChecklist
from ...analyses.result import register_view
from .base import View


class ChecklistView(View):
    """The checklist's two tables, through the one table renderer (the base view's rendering)."""

    title = "Reporting checklist (COREQ)"


register_view(ReportingChecklist, ChecklistView())
