"""Say what a study's data cannot show, before any table does: the banner at the top of every report.

A report on a study whose codings resolve to no participant, or whose evidence sits mostly in the
*unknown* group, still builds; it opens with a warning saying why and how to fix it. Wording that
only fits a published paper ("built by hand from the paper") is kept for studies that have one.
"""
from __future__ import annotations

from collections.abc import Iterable

from ..model.study import Study, load_study

UNKNOWN_SHARE = 0.5      # more than this share of the evidence in unknown gets a banner
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
    from .groups import UNKNOWN, group_of_segments
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


def source_sentence(study: Study) -> str:
    """Where the study's tables come from, worded for a paper or for an imported export (plain text)."""
    if has_paper(study):
        return (f"The participant table was built by hand from {study.table_source('participants')} "
                "and cites the paper row by row.")
    return (f"The participant table was imported from a QDA export ({study.meta.get('source', 'not stated')}); "
            "attributes the export does not record show as not stated.")
