"""Figures people would rather look at than read: sample composition and matrices."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from .sample import ATTRIBUTE_LABELS, groups_of  # noqa: E402
from .study import Study  # noqa: E402

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
