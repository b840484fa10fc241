"""Figures people would rather look at than read: sample composition and matrices.

Every label that comes from data is shown literally (`$` escaped, so mathtext never parses
it); suppressed cells are never plotted, only marked; figures are saved as SVG, PDF and
300-dpi PNG with fixed metadata, so the same data give the same bytes.
"""
from __future__ import annotations

import base64
import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from ..sample import ATTRIBUTE_LABELS, groups_of
from ..study import Study
from .escape import slug

HUE_CANDIDATES = ["site", "sector", "level", "professional_group"]
FORMATS = ("svg", "pdf", "png")
PRINT_DPI = 300
SCREEN_DPI = 100
RC = {"svg.hashsalt": "icevidence", "text.usetex": False, "svg.fonttype": "none", "pdf.compression": 6}
METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {"Software": None}}
UNIT_LABELS = {"references": "coded segments", "participants": "participants", "share": "% of group's participants"}
HIDDEN_COLOUR = "#d9d9d9"


def literal(label: object) -> str:
    """A label from data shown as typed: '$' escaped so matplotlib never reads it as mathtext."""
    return str(label).replace("\\$", "$").replace("$", r"\$")


def literal_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose index and column labels are literal."""
    out = frame.copy()
    out.index = [literal(i) for i in out.index]
    out.columns = [literal(c) for c in out.columns]
    return out


@dataclass
class Chart:
    """A figure with its caption: shown in a notebook with the caption as alt text, saved in every format."""

    fig: Figure
    caption: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        """PNG for the notebook, with the caption as the image's alt text."""
        data = base64.b64encode(self.png_bytes(SCREEN_DPI)).decode("ascii")
        return {"image/png": data, "text/plain": self.caption}, {"image/png": {"alt": self.caption}}

    def png_bytes(self, dpi: int = PRINT_DPI) -> bytes:
        """The figure as PNG bytes at the given resolution."""
        return render(self.fig, "png", dpi)

    def save(self, folder: Path, stem: str) -> list[Path]:
        """Write the figure as SVG, PDF and 300-dpi PNG; return the paths."""
        from ..atomic import write_bytes
        return [write_bytes(folder / f"{stem}.{fmt}", render(self.fig, fmt, PRINT_DPI)) for fmt in FORMATS]


def render(fig: Figure, fmt: str, dpi: int) -> bytes:
    """Render a figure with fixed metadata (no dates, fixed SVG ids)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt], bbox_inches="tight")
    return buffer.getvalue()


def new_figure(width: float, height: float, pyplot: bool = False):
    """A figure and its axes; through pyplot only when a notebook shows it implicitly."""
    if pyplot:
        import matplotlib.pyplot as plt
        return plt.subplots(figsize=(width, height))
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def draw_bars(ax, counts: pd.DataFrame, hidden: pd.DataFrame, label: str) -> None:
    """Grouped bars of counts (rows: colours, columns: x groups); hidden cells are marked, not drawn."""
    import numpy as np
    rows, columns = list(counts.index), list(counts.columns)
    width = 0.8 / max(len(rows), 1)
    palette = matplotlib.colormaps["tab10"]
    x = np.arange(len(columns))
    for i, row in enumerate(rows):
        positions = x - 0.4 + width * (i + 0.5)
        values = counts.loc[row].astype(float).to_numpy()
        masked = hidden.loc[row].to_numpy(dtype=bool)
        shown = np.where(masked, 0.0, values)
        bars = ax.bar(positions, shown, width=width, color=palette(i % 10), label=literal(row) if len(rows) > 1 else None)
        for column, bar, value, is_hidden in zip(columns, bars, values, masked):
            ax.annotate(label if is_hidden else f"{value:.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points",
                        color="#666" if is_hidden else "#222",
                        gid=slug(row, column, prefix="hidden" if is_hidden else "value"))
    ax.set_xticks(x, [literal(c) for c in columns])


def composition_chart(counts: pd.DataFrame, hidden: pd.DataFrame, hidden_label: str, x_label: str,
                      colour_label: str | None, title: str, caption: str) -> Chart:
    """Participants per group (columns of counts), coloured by the rows; suppressed bars marked '<k'."""
    fig, ax = new_figure(7, 3.8)
    draw_bars(ax, counts, hidden, hidden_label)
    ax.set_xlabel(literal(x_label))
    ax.set_ylabel("Participants (n)")
    ax.set_title(literal(title), loc="left")
    if colour_label and len(counts.index) > 1:
        ax.legend(title=literal(colour_label), frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return Chart(fig, caption)


def draw_heatmap(ax, shown: pd.DataFrame, hidden: pd.DataFrame, unit: str, hidden_label: str,
                 parents: pd.Series | None = None) -> None:
    """An annotated heatmap; hidden cells left blank on a hatched background and labelled '<k'."""
    import seaborn as sns
    values = shown.apply(pd.to_numeric, errors="coerce").astype(float)
    blank = hidden.reindex(index=shown.index, columns=shown.columns, fill_value=False).to_numpy(dtype=bool)
    ax.set_facecolor(HIDDEN_COLOUR)
    ax.patch.set_hatch("///")
    ax.patch.set_edgecolor("#bbbbbb")
    colourbar = {"label": UNIT_LABELS.get(unit, unit), "shrink": 0.5}
    if parents is not None:  # the group names sit at the right, so the colour bar goes below
        colourbar.update(orientation="horizontal", location="bottom", pad=0.08, shrink=0.4)
    sns.heatmap(literal_frame(values.fillna(0)), mask=blank, annot=True, fmt=".0f", cmap="Blues", linewidths=0.5,
                linecolor="#eee", cbar_kws=colourbar, ax=ax)
    label_cells(ax, shown)
    for i, j in zip(*blank.nonzero()):
        ax.text(j + 0.5, i + 0.5, hidden_label, ha="center", va="center", fontsize=8, color="#444",
                gid=slug(shown.index[i], shown.columns[j], prefix="hidden"))
    if parents is not None:
        mark_groups(ax, [parents.get(r) for r in shown.index], len(shown.columns))


def label_cells(ax, shown: pd.DataFrame) -> None:
    """Give each value annotation an SVG id naming its cell, so a scan can tell which cell it labels."""
    for annotation in ax.texts:
        x, y = annotation.get_position()
        i, j = int(y), int(x)
        if 0 <= i < len(shown.index) and 0 <= j < len(shown.columns):
            annotation.set_gid(slug(shown.index[i], shown.columns[j], prefix="value"))


def mark_groups(ax, parents: list, width: int) -> None:
    """Lines between the parent groups of a heatmap's rows, each group named at its right."""
    start = 0
    for i in range(1, len(parents) + 1):
        if i == len(parents) or parents[i] != parents[start]:
            if i < len(parents):
                ax.axhline(i, color="#333", linewidth=1.5)
            name = parents[start] if isinstance(parents[start], str) else "(no parent)"
            ax.text(width + 0.15, (start + i) / 2, literal(name), va="center", ha="left", fontsize=8, style="italic",
                    transform=ax.transData, clip_on=False)
            start = i


def heatmap_chart(shown: pd.DataFrame, hidden: pd.DataFrame, unit: str, hidden_label: str, title: str,
                  caption: str, parents: pd.Series | None = None, max_rows: int = 80) -> Chart:
    """A theme-matrix heatmap, tall enough to read every row; beyond max_rows the busiest rows."""
    if len(shown) > max_rows:
        keep = set(shown.apply(pd.to_numeric, errors="coerce").sum(axis=1).nlargest(max_rows).index)
        shown = shown.loc[[r for r in shown.index if r in keep]]
        title = f"{title} (top {max_rows} rows)"
    height = max(2.5, 0.32 * len(shown) + 1.5)
    longest = max((len(str(r)) for r in shown.index), default=10)
    width = max(6.0, 1.1 * len(shown.columns) + 0.09 * longest + (2.0 if parents is not None else 0))
    fig, ax = new_figure(min(width, 18), height)
    draw_heatmap(ax, shown, hidden, unit, hidden_label, parents)
    ax.set_title(literal(title), loc="left")
    ax.set_xlabel(literal(shown.columns.name or ""))
    ax.set_ylabel("")
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0)
    fig.tight_layout()
    return Chart(fig, caption)


def composition_figure(study: Study, group_by: str | None = None):
    """Bar chart of participants per group, coloured by site, sector or level where reported (no suppression)."""
    group_by = group_by or study.group_by
    groups = groups_of(study, group_by)
    hue = next((h for h in HUE_CANDIDATES if h != group_by and study.participants[h].nunique() > 1), None)
    colours = groups_of(study, hue) if hue else pd.Series("participants", index=groups.index)
    counts = pd.crosstab(colours, groups)
    fig, ax = new_figure(7, 3.8, pyplot=True)
    draw_bars(ax, counts, counts.astype(bool) & False, "")
    label = ATTRIBUTE_LABELS.get(group_by, group_by)
    ax.set_xlabel(label)
    ax.set_ylabel("Participants (n)")
    ax.set_title(literal(f"{study_name(study)}: participants by {label.lower()} (N = {len(groups)})"), loc="left")
    if hue:
        ax.legend(title=ATTRIBUTE_LABELS.get(hue, hue), frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def matrix_heatmap(matrix, title: str, unit: str = "references", max_rows: int = 80):
    """Annotated heatmap of a matrix (no suppression), one row per code; labels shown literally."""
    shown = matrix.drop(columns=["total"], errors="ignore")
    if len(shown) > max_rows:
        keep = matrix["total"].nlargest(max_rows).index
        shown = shown.loc[[r for r in shown.index if r in set(keep)]]
        title = f"{title} (top {max_rows} of {len(matrix)} rows by total)"
    height = max(2.5, 0.32 * len(shown) + 1.5)
    width = max(6.0, 1.1 * len(shown.columns) + 0.09 * max((len(str(r)) for r in shown.index), default=10))
    fig, ax = new_figure(min(width, 16), height, pyplot=True)
    draw_heatmap(ax, shown, shown.astype(bool) & False, unit, "")
    ax.set_title(literal(title), loc="left")
    ax.set_xlabel(literal(matrix.columns.name or ""))
    ax.set_ylabel("")
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0)
    fig.tight_layout()
    return fig


def study_name(study: Study) -> str:
    """The study's short citation for titles ('Tracy et al. 2025'): study.yml `short`, else from its citation."""
    meta = study.meta
    if meta.get("short"):
        return str(meta["short"])
    citation = str(meta.get("citation") or "")
    found = re.match(r"\s*([^\s,(]+)([^(]*)\((\d{4})[a-z]?\)", citation)
    if not found:
        return study.id
    surname, rest, year = found.groups()
    return f"{surname} et al. {year}" if "," in rest or "&" in rest or " and " in rest else f"{surname} {year}"
