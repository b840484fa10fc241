"""Small display helpers for the notebooks: headers, captioned tables, visible warnings."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from .provenance import relative
from .sample import ATTRIBUTE_LABELS
from .study import Study

WARNING_STYLE = "border-left:4px solid #c60;background:#fff4e5;padding:.5em 1em;margin:.5em 0"


def study_header(study: Study) -> Markdown:
    """The study's citation, licence, sample size and declared assumptions."""
    meta = study.meta
    lines = [f"**Study:** {meta.get('citation', study.id)}",
             f"**Licence of the source:** {meta.get('licence', 'not stated')}",
             f"**Participants:** {len(study.participants)} · **coded segments:** {len(study.segments)}"
             f" · **codes:** {len(study.codes)}"]
    if study.assumptions:
        lines.append("**Assumptions declared for this study (not the paper's own):**")
        lines += [f"- {a}" for a in study.assumptions]
    return Markdown("\n\n".join(lines))


def captioned(df: pd.DataFrame, caption: str):
    """A table with a caption, rendered with stable element ids."""
    return df.style.set_caption(caption).set_uuid("t")


def show_sample_tables(tables: dict[str, pd.DataFrame], group_by: str) -> None:
    """Display every attribute table with a caption saying what it counts."""
    by = ATTRIBUTE_LABELS.get(group_by, group_by).lower()
    for name, table in tables.items():
        if name == "n":
            continue
        label = ATTRIBUTE_LABELS.get(name, name)
        display(captioned(table, f"{label} by {by}: n (% of the column's participants)"))


def warning(text: str) -> HTML:
    """A visible warning box."""
    return HTML(f'<div class="icevidence-warning" style="{WARNING_STYLE}"><strong>Warning:</strong> '
                f"{html.escape(text)}</div>")


def show_checks(counts: pd.DataFrame, arithmetic: pd.DataFrame) -> None:
    """Display the recomputed published counts, with a warning for each that does not hold."""
    if counts.empty:
        display(Markdown("_This study's folder records no published counts to recompute._"))
        return
    for row in counts[counts["status"] == "DIFFERS"].itertuples():
        display(warning(f"{row.location}: '{row.statement}' is stated as {row.stated}, "
                        f"but the participant table gives {row._3}."))
    for row in arithmetic[arithmetic["status"] != "adds up"].itertuples():
        display(warning(f"{row.location}: the paper's {row.attribute} figures for {row.group} add up to "
                        f"{row._4}, but it states n = {row._5} ({row._6})."))
    display(captioned(counts, "Every sample count the paper states, recomputed from the participant table"))
    if len(arithmetic):
        display(captioned(arithmetic, "Do the paper's breakdowns add up to its stated group sizes?"))


def file_list(paths: list[Path]) -> Markdown:
    """A bulleted list of written files, relative to the project root."""
    return Markdown("\n".join(f"- `{relative(p)}`" for p in paths))
