"""What the data cannot show, as the banner at the top of every report, and where the tables come from."""
from __future__ import annotations

from collections.abc import Iterable

from ...analyses.caveats import as_studies, data_warnings, has_paper, source_sentence
from ...model.study import Study
from ..escape import text
from ..html import fragment

BANNER_STYLE = "border-left:4px solid #b00;background:#fdecea;padding:.5em 1em;margin:.5em 0"


@fragment
def banner_html(texts: list[str]) -> str:
    """The warnings as one escaped HTML block ('' when there are none)."""
    if not texts:
        return ""
    items = "".join(f"<li>{text(t)}</li>" for t in texts)
    return (f'<div class="icevidence-data-warning" role="alert" style="{BANNER_STYLE}">'
            f"<strong>Read this first: what the data cannot show</strong><ul>{items}</ul></div>")


def data_warning_banner(studies: Study | str | Iterable[Study | str], group_by: str | None = None) -> str:
    """The banner for the top of a report (empty when all is well)."""
    return banner_html([w for s in as_studies(studies) for w in data_warnings(s, group_by)])


@fragment
def source_note(study: Study) -> str:
    """Where the study's tables come from, worded for a paper or for an imported export."""
    return f"<p>{text(source_sentence(study))}</p>"


@fragment
def section_heading(study: Study, paper: str, neutral: str) -> str:
    """A level-2 heading worded for a paper or, for an imported study, neutrally."""
    return f"<h2>{text(paper if has_paper(study) else neutral)}</h2>"
