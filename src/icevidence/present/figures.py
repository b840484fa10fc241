"""Figures people would rather look at than read: sample composition and matrices."""
from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from ..sample import ATTRIBUTE_LABELS, groups_of
from ..study import Study

HUE_CANDIDATES = ["site", "sector", "level", "professional_group"]


def composition_figure(study: Study, group_by: str | None = None) -> plt.Figure:
    """Bar chart of participants per group, coloured by site, sector or level where reported."""
    group_by = group_by or study.group_by
    frame = study.participants.assign(group=groups_of(study, group_by))
    hue = next((h for h in HUE_CANDIDATES if h != group_by and frame[h].nunique() > 1), None)
    if hue:
        frame = frame.assign(**{hue: groups_of(study, hue)})
    fig, ax = plt.subplots(figsize=(7, 3.8))
    sns.countplot(data=frame, x="group", hue=hue, ax=ax, palette="colorblind" if hue else None,
                  color=None if hue else "#4c72b0")
    ax.set_xlabel(ATTRIBUTE_LABELS.get(group_by, group_by))
    ax.set_ylabel("Participants (n)")
    ax.set_title(f"{study.id}: participants by {ATTRIBUTE_LABELS.get(group_by, group_by).lower()}"
                 f" (N = {len(frame)})")
    for container in ax.containers:
        ax.bar_label(container, fmt="%d", padding=2)
    if hue:
        ax.legend(title=ATTRIBUTE_LABELS.get(hue, hue), frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    sns.despine(fig)
    fig.tight_layout()
    return fig


def matrix_heatmap(matrix, title: str, unit: str = "references", max_rows: int = 80) -> plt.Figure:
    """Annotated heatmap of a theme matrix, one row per code, tall enough to read every row.

    Beyond max_rows the rows with the most evidence are shown and the title says so.
    """
    shown = matrix.drop(columns=["total"], errors="ignore")
    if len(shown) > max_rows:
        keep = matrix["total"].nlargest(max_rows).index
        shown = shown.loc[[r for r in shown.index if r in set(keep)]]
        title = f"{title} (top {max_rows} of {len(matrix)} rows by total)"
    height = max(2.5, 0.32 * len(shown) + 1.5)
    width = max(6.0, 1.1 * len(shown.columns) + 0.09 * max((len(str(r)) for r in shown.index), default=10))
    fig, ax = plt.subplots(figsize=(min(width, 16), height))
    fmt = ".0f" if unit == "share" else "d"
    sns.heatmap(shown.fillna(0).astype(float if unit == "share" else int), annot=True, fmt=fmt, cmap="Blues",
                linewidths=0.5, linecolor="#eee", cbar_kws={"label": {"references": "coded segments",
                "participants": "participants", "share": "% of group's participants"}[unit], "shrink": 0.5}, ax=ax)
    ax.set_title(title, loc="left")
    ax.set_xlabel(matrix.columns.name or "")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0)
    fig.tight_layout()
    return fig
