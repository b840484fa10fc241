"""Small display helpers for the notebooks: headers, captioned tables, visible warnings."""
from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from ..provenance import relative
from ..sample import ATTRIBUTE_LABELS
from ..study import Study

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


def captioned(df: pd.DataFrame, caption: str, empty: str = "none"):
    """A table with a caption, rendered with stable element ids; a sentence when it is empty."""
    if df.empty:
        return Markdown(f"**{caption}:** {empty}.")
    styler = df.style.set_caption(caption).set_uuid("t")
    return styler.hide(axis="index") if isinstance(df.index, pd.RangeIndex) else styler


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
    for row in counts[counts["status"] == "DIFFERS"].to_dict("records"):
        display(warning(f"{row['location']}: '{row['statement']}' is stated as {row['stated']}, "
                        f"but the participant table gives {row['from data']}."))
    for row in arithmetic[arithmetic["status"] != "adds up"].to_dict("records"):
        display(warning(f"{row['breakdown stated at']}: the paper's {row['attribute']} figures for {row['group']} "
                        f"add up to {row['sum of parts']}, but it states n = {row['stated n']} ({row['stated n at']})."))
    display(captioned(counts, "Every sample count the paper states, recomputed from the participant table"))
    if len(arithmetic):
        display(captioned(arithmetic, "Do the paper's breakdowns add up to its stated group sizes?"))


def file_list(paths: list[Path]) -> Markdown:
    """A bulleted list of written files, relative to the project root."""
    return Markdown("\n".join(f"- `{relative(p)}`" for p in paths))


def suppress_matrix(matrix: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """A matrix for display with counts below min_cell (not 0) shown as '<k', margins protected."""
    from ..sample import suppress
    masked = suppress(matrix.fillna(0), min_cell)
    return matrix.astype(object).where(~masked, f"<{min_cell}")


def findings_figure(findings: pd.DataFrame, title: str = "Evidence review: findings by kind and severity"):
    """Bars of findings per kind, stacked by severity (imports seaborn only when called)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from ..evidence import SEVERITIES
    order = findings["kind"].value_counts().index.tolist()
    frame = findings.assign(kind=pd.Categorical(findings["kind"], categories=order),
                            severity=findings["severity"].astype(str))
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(order) + 1.2)))
    sns.histplot(data=frame, y="kind", hue="severity", hue_order=SEVERITIES, multiple="stack", discrete=True,
                 shrink=0.8, palette="rocket", ax=ax)
    ax.set_xlabel("Findings (n)")
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    legend = ax.get_legend()
    if legend is not None:
        legend.set_frame_on(False)
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title="severity")
    sns.despine(fig)
    fig.tight_layout()
    return fig
