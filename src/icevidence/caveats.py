"""Say what a study's data cannot show, before any table does: the banner at the top of every report.

A report on a study whose codings resolve to no participant, or whose evidence sits mostly in the
*unknown* group, still builds; it opens with a warning saying why and how to fix it. Wording that
only fits a published paper ("built by hand from the paper") is kept for studies that have one.
"""
from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd

from .study import Study, load_study

UNKNOWN_SHARE = 0.5      # more than this share of the evidence in unknown gets a banner
BANNER_STYLE = "border-left:4px solid #b00;background:#fdecea;padding:.5em 1em;margin:.5em 0"
FIX_PARTICIPANTS = ("say where participant ids come from under 'participants:' in the study's study.yml "
                    "(`icevidence import` writes a suggested config beside the study folder), then import again "
                    "with --config and --force")


def as_studies(studies: Study | str | Iterable[Study | str]) -> list[Study]:
    """One study, an id, or several, as loaded Studies."""
    if isinstance(studies, (Study, str)):
        studies = [studies]
    return [load_study(s) if isinstance(s, str) else s for s in studies]


def data_warnings(study: Study | str, group_by: str | None = None) -> list[str]:
    """Plain-text warnings about what this study's data cannot show, each with its remedy."""
    study = as_studies(study)[0]
    segments, people = study.segments, study.participants
    if segments.empty:
        return [f"{study.id}: the study has no coded segments, so there is nothing to count"
                + ("; the paper publishes no coded quotes." if has_paper(study) else
                   "; check that the export holds codings (not only a codebook).")]
    warnings = []
    resolved = int(segments["participant_id"].notna().sum())
    if resolved == 0 or people.empty:
        warnings.append(f"{study.id}: none of the {len(segments)} coded segments is attributed to a participant "
                        f"({len(people)} participants listed), so counts by participant or group are empty and all "
                        f"evidence shows as unknown. To fix it, {FIX_PARTICIPANTS}.")
    column = group_by or study.group_by
    if column in segments.columns or column in people.columns:
        unknown = unknown_share(study, column)
        if unknown > UNKNOWN_SHARE and resolved > 0:
            warnings.append(f"{study.id}: {unknown:.0%} of the coded segments have no known {column}, so the "
                            f"{column} columns cannot show who voiced most themes. To fix it, give each participant "
                            f"a {column} ('mapping.{column}' rules or a case variable named {column} in study.yml; "
                            "the suggested config lists one rule per value to fill), then import again.")
    return warnings


def unknown_share(study: Study, column: str) -> float:
    """Share of segments whose group in ``column`` (own value, else the participant's) is unknown."""
    from .matrix import UNKNOWN, group_of_segments
    if study.segments.empty:
        return 0.0
    return float((group_of_segments(study, column) == UNKNOWN).mean())


def has_paper(study: Study) -> bool:
    """True when the study was built from a published paper (study.yml says so, or it records the
    paper's counts or claims); imported exports are not."""
    meta = study.meta
    if meta.get("paper") or str(meta.get("source", "")).strip().lower() == "paper":
        return True
    folder = study.folder
    return bool(folder and any((folder / f).is_file() for f in ("reported_counts.csv", "claims.yml")))


def banner_html(texts: list[str]) -> str:
    """The warnings as one escaped HTML block ('' when there are none)."""
    if not texts:
        return ""
    items = "".join(f"<li>{html.escape(t)}</li>" for t in texts)
    return (f'<div class="icevidence-data-warning" role="alert" style="{BANNER_STYLE}">'
            f"<strong>Read this first: what the data cannot show</strong><ul>{items}</ul></div>")


def data_warning_banner(studies: Study | str | Iterable[Study | str], group_by: str | None = None):
    """The banner for the top of a notebook (an IPython HTML object; empty when all is well)."""
    from IPython.display import HTML
    return HTML(banner_html([w for s in as_studies(studies) for w in data_warnings(s, group_by)]))


def source_sentence(study: Study) -> str:
    """Where the study's tables come from, worded for a paper or for an imported export (plain text)."""
    if has_paper(study):
        return ("The participant table in data/raw/<study>/participants.csv was built by hand from the paper "
                "and cites it row by row.")
    return (f"The participant table was imported from a QDA export ({study.meta.get('source', 'not stated')}); "
            "attributes the export does not record show as not stated.")


def source_note(study: Study):
    """The source sentence for a notebook (escaped HTML)."""
    from IPython.display import HTML
    return HTML(f"<p>{html.escape(source_sentence(study))}</p>")


def section_heading(study: Study, paper: str, neutral: str):
    """A level-2 heading worded for a paper or, for an imported study, neutrally (escaped HTML)."""
    from IPython.display import HTML
    return HTML(f"<h2>{html.escape(paper if has_paper(study) else neutral)}</h2>")
