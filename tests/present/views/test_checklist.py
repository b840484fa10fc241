"""The COREQ checklist as a notebook shows it: both tables through the one renderer, data escaped."""
from __future__ import annotations

from icevidence.analyses.checklist import ReportingChecklist


def test_the_checklist_shows_its_counts_and_its_items_with_captions():
    page = ReportingChecklist("tracy2025")._repr_html_()
    assert page.index("COREQ items by domain and status") < page.index("COREQ items.")
    assert page.count("<table") == 2 and "Interviewer/facilitator" in page
