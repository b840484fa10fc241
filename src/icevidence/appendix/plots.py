"""The appendix's figures, drawn without pyplot state; hidden cells are left blank, never plotted."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

PNG_DPI = 300
# No dates, no software stamps: the same figure gives the same bytes.
METADATA = {"svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
            "png": {"Software": None}}
RC = {"svg.fonttype": "none", "svg.hashsalt": "icevidence", "font.size": 8,
      "text.usetex": False, "axes.unicode_minus": False}


def literal(text: object) -> str:
    """A data string as a figure label: '$' escaped so matplotlib never reads it as mathtext."""
    return str(text).replace("$", r"\$")


def bars(counts: pd.Series, mask: pd.Series, xlabel: str, ylabel: str, min_cell: int = 0) -> Figure:
    """Bars of counts per group; a hidden count gets no bar and no label."""
    fig = Figure(figsize=(6.5, 3.2))
    ax = fig.add_subplot()
    positions = np.arange(len(counts))
    visible = ~mask.to_numpy()
    heights = counts.to_numpy()[visible].astype(float)
    drawn = ax.bar(positions[visible], heights, color="#4c72b0")
    ax.bar_label(drawn, labels=[str(int(h)) for h in heights], padding=2)
    ax.set_xticks(positions, [literal(i) for i in counts.index])
    ax.set_xlabel(literal(xlabel))
    ax.set_ylabel(literal(ylabel))
    ax.spines[["top", "right"]].set_visible(False)
    if min_cell > 1:  # axis ticks only at 0 and the visible bars, so no tick reads as a hidden count
        ax.set_yticks(sorted({0.0, *heights}))
    fig.tight_layout()
    return fig


def heatmap(counts: pd.DataFrame, mask: pd.DataFrame, label: str) -> Figure:
    """Annotated heatmap of a matrix; hidden cells are blank (no colour, no number)."""
    height = max(2.5, 0.3 * len(counts) + 1.4)
    width = min(10.0, max(5.5, 0.9 * len(counts.columns) + 0.07 * max((len(str(r)) for r in counts.index), default=10)))
    fig = Figure(figsize=(width, height))
    ax = fig.add_subplot()
    values = np.ma.masked_array(counts.to_numpy(dtype=float), mask=mask.to_numpy(dtype=bool))
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(1.0, float(values.max() or 0)),
                      interpolation="nearest")
    if len(counts) <= 80:
        limit = 0.6 * max(1.0, float(values.max() or 0))
        for (i, j), value in np.ndenumerate(values.filled(np.nan)):
            if not np.isnan(value):
                ax.text(j, i, f"{value:.0f}", ha="center", va="center", fontsize=7,
                        color="white" if value > limit else "black")
    ax.set_xticks(range(len(counts.columns)), [literal(c) for c in counts.columns])
    ax.set_yticks(range(len(counts)), [literal(r) for r in counts.index])
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, length=0)
    ax.tick_params(axis="y", length=0)
    ax.spines[:].set_visible(False)
    visible_max = float(values.max()) if values.count() else 0.0
    ticks = [0.0, visible_max] if visible_max > 0 else [0.0]  # ticks only at 0 and a shown value, never a hidden one
    fig.colorbar(image, ax=ax, shrink=0.5, label=literal(label), ticks=ticks)
    fig.tight_layout()
    return fig


def save_all(draw, folder: Path, name: str) -> list[Path]:
    """Draw a figure and write it as SVG, PDF and 300-dpi PNG with fixed metadata."""
    import matplotlib
    with matplotlib.rc_context(RC):
        fig = draw()
        paths = []
        for fmt in ("svg", "pdf", "png"):
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=PNG_DPI if fmt == "png" else None, metadata=METADATA[fmt])
            paths.append(path)
    return paths
