"""The one figure renderer: draws a result's figures and saves them as SVG, PDF and 300-dpi PNG.

Every label that comes from data goes through `escape.label` (shown as typed, never mathtext);
suppressed cells are never plotted, only marked; count axes have whole-number ticks, and with
suppression only ticks at 0 and at shown values, so no tick reads as a hidden count. Figures
are saved with fixed metadata, so the same data give the same bytes.
"""
from __future__ import annotations

import base64
import io
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure as MplFigure

from ..analyses.result import Figure
from ..model.atomic import write_bytes
from .escape import label, slug
from .page import HEATMAP_ROW_IN

FORMATS = ("svg", "pdf", "png")
PRINT_DPI = 300
SCREEN_DPI = 100
RC = {"svg.hashsalt": "icevidence", "text.usetex": False, "svg.fonttype": "none", "pdf.compression": 6,
      "axes.unicode_minus": False}
METADATA = {"svg": {"Date": None, "Creator": None},
            "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
            "png": {"Software": None}}
HIDDEN_COLOUR = "#d9d9d9"
MAX_HEATMAP_ROWS = 80
MAX_DRAWN_WIDTH_IN = 18.0  # wider drawings are scaled to the text block (present/page.py) when printed
COLUMN_LABEL_WIDTH = 10  # characters per line of a heatmap's column label (horizontal, one column wide)


@dataclass
class Chart:
    """A drawn figure with its caption: shown in a notebook with the caption as alt text, saved in every format."""

    fig: MplFigure
    caption: str

    def _repr_mimebundle_(self, include=None, exclude=None):
        """PNG for the notebook, with the caption as the image's alt text."""
        data = base64.b64encode(render(self.fig, "png", SCREEN_DPI)).decode("ascii")
        return {"image/png": data, "text/plain": self.caption}, {"image/png": {"alt": self.caption}}

    def save(self, folder: Path, stem: str) -> list[Path]:
        """Write the figure as SVG, PDF and 300-dpi PNG; return the paths."""
        return save(self.fig, folder, stem)


def chart(spec: Figure) -> Chart:
    """Draw a result's figure, its caption attached."""
    return Chart(draw(spec), spec.caption)


def draw(spec: Figure) -> MplFigure:
    """Draw a figure of any kind the results use."""
    if spec.kind not in DRAWERS:
        raise ValueError(f"no drawer for figure kind {spec.kind!r}; known: {sorted(DRAWERS)}")
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DRAWERS[spec.kind](spec)


def render(fig: MplFigure, fmt: str, dpi: int = PRINT_DPI) -> bytes:
    """A figure as bytes in one format, with fixed metadata (no dates, fixed SVG ids)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt], bbox_inches="tight")
    return buffer.getvalue()


def save(fig: MplFigure, folder: Path, stem: str) -> list[Path]:
    """Write a figure as SVG, PDF and 300-dpi PNG, atomically; return the paths."""
    return [write_bytes(Path(folder) / f"{stem}.{fmt}", render(fig, fmt, PRINT_DPI)) for fmt in FORMATS]


def new_figure(width: float, height: float) -> tuple[MplFigure, object]:
    """A figure and its axes, outside pyplot's global state."""
    fig = MplFigure(figsize=(width, height))
    return fig, fig.subplots()


def hidden_of(spec: Figure) -> pd.DataFrame:
    """The figure's mask aligned to its data (nothing hidden when it has none)."""
    if spec.mask is None:
        return pd.DataFrame(False, index=spec.data.index, columns=spec.data.columns).astype(bool)  # empty: bool too
    return spec.mask.reindex(index=spec.data.index, columns=spec.data.columns, fill_value=False).astype(bool)


def count_ticks(ax, shown: np.ndarray, suppressed: bool, axis: str = "y") -> None:
    """Whole-number ticks on a count axis; with suppression only 0 and the shown values."""
    from matplotlib.ticker import FixedLocator, MaxNLocator
    target = ax.yaxis if axis == "y" else ax.xaxis
    if suppressed:
        target.set_major_locator(FixedLocator(sorted({0.0, *shown.tolist()})))
    else:
        target.set_major_locator(MaxNLocator(integer=True))


def bars(spec: Figure) -> MplFigure:
    """Grouped bars (rows: colours, columns: x groups); a hidden count gets no bar, only its '<k' mark."""
    counts, hidden = spec.data, hidden_of(spec)
    rows, columns = list(counts.index), list(counts.columns)
    fig, ax = new_figure(7, 3.8)
    width = 0.8 / max(len(rows), 1)
    palette = matplotlib.colormaps["tab10"]
    x = np.arange(len(columns))
    for i, row in enumerate(rows):
        values = counts.loc[row].astype(float).to_numpy()
        masked = hidden.loc[row].to_numpy(dtype=bool)
        drawn = ax.bar(x - 0.4 + width * (i + 0.5), np.where(masked, 0.0, values), width=width,
                       color=palette(i % 10), label=label(row) if len(rows) > 1 else None)
        for column, bar, value, is_hidden in zip(columns, drawn, values, masked):
            ax.annotate(spec.hidden_label if is_hidden else f"{value:.0f}",
                        (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8,
                        xytext=(0, 2), textcoords="offset points", color="#666" if is_hidden else "#222",
                        gid=slug(row, column, prefix="hidden" if is_hidden else "value"))
    ax.set_xticks(x, [label(c) for c in columns])
    count_ticks(ax, counts.to_numpy(dtype=float)[~hidden.to_numpy(dtype=bool)], spec.min_cell > 1)
    ax.set_xlabel(label(spec.options.get("x_label", counts.columns.name or "")))
    ax.set_ylabel(label(spec.value_label))
    ax.set_title(label(spec.title), loc="left")
    if len(rows) > 1:
        ax.legend(title=label(spec.options.get("colour_label", counts.index.name or "")), frameon=False,
                  bbox_to_anchor=(1.01, 1), loc="upper left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def heatmap(spec: Figure) -> MplFigure:
    """An annotated heatmap, tall enough to read every row; hidden cells blank on a hatched ground, marked '<k'."""
    import seaborn as sns
    shown, title = spec.data, spec.title
    if len(shown) > MAX_HEATMAP_ROWS:
        keep = set(shown.apply(pd.to_numeric, errors="coerce").sum(axis=1).nlargest(MAX_HEATMAP_ROWS).index)
        shown = shown.loc[[r for r in shown.index if r in keep]]
        title = f"{title} (the {MAX_HEATMAP_ROWS} rows with most evidence)"
    groups = spec.groups.reindex(shown.index) if spec.groups is not None else None
    longest = max((len(str(r)) for r in shown.index), default=10)
    columns = [wrapped(label(c), COLUMN_LABEL_WIDTH) for c in shown.columns]
    lines = max((c.count("\n") + 1 for c in columns), default=1)
    width = max(6.0, 1.1 * len(shown.columns) + 0.09 * longest + (2.0 if groups is not None else 0))
    height = max(2.5, HEATMAP_ROW_IN * len(shown) + 1.5 + 0.18 * (lines - 1))
    fig, ax = new_figure(min(width, MAX_DRAWN_WIDTH_IN), height)
    values = shown.apply(pd.to_numeric, errors="coerce").astype(float)
    blank = hidden_of(spec).reindex(index=shown.index).to_numpy(dtype=bool)
    ax.set_facecolor(HIDDEN_COLOUR)
    ax.patch.set_hatch("///")
    ax.patch.set_edgecolor("#bbbbbb")
    colourbar = {"label": label(spec.value_label), "shrink": 0.5}
    if groups is not None:  # the group names sit at the right, so the colour bar goes below
        colourbar.update(orientation="horizontal", location="bottom", pad=0.08, shrink=0.4)
    frame = values.fillna(0)
    frame.index, frame.columns = [label(i) for i in frame.index], columns
    visible = values.to_numpy()[~blank]
    top = float(pd.Series(visible).max()) if visible.size and pd.Series(visible).notna().any() else 0.0
    if spec.min_cell > 1:  # colour-bar ticks only at 0 and the largest shown value: no tick reads as a hidden count
        colourbar["ticks"] = [0.0, top] if top > 0 else [0.0]
    elif whole_numbers(visible):  # a count's colour bar ticks at whole numbers only (no '2.5 participants')
        from matplotlib.ticker import MaxNLocator
        colourbar["ticks"] = MaxNLocator(integer=True)
    sns.heatmap(frame, mask=blank, annot=True, fmt=spec.options.get("fmt", ".0f"), cmap="Blues", linewidths=0.5,
                linecolor="#eee", cbar_kws=colourbar, vmin=0, vmax=max(top, 1.0), ax=ax)
    name_annotations(ax, shown)
    for i, j in zip(*blank.nonzero()):
        ax.text(j + 0.5, i + 0.5, spec.hidden_label, ha="center", va="center", fontsize=8, color="#444",
                gid=slug(shown.index[i], shown.columns[j], prefix="hidden"))
    if groups is not None:
        mark_groups(ax, groups.tolist(), len(shown.columns))
    ax.set_title(label(title), loc="left")
    ax.set_xlabel(label(shown.columns.name or ""))
    ax.set_ylabel("")
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0)
    fig.tight_layout()
    return fig


def whole_numbers(values: np.ndarray) -> bool:
    """True when every shown value is a whole number (counts), so an axis of them ticks at integers."""
    finite = values[np.isfinite(values)] if values.size else values
    return bool(finite.size) and bool(np.all(np.equal(np.mod(finite, 1), 0)))


def wrapped(text: str, width: int) -> str:
    """A label broken onto lines of at most `width` characters (words never split), so neighbours never overlap."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def name_annotations(ax, shown: pd.DataFrame) -> None:
    """Give each value annotation an SVG id naming its cell, so a scan can tell which cell it labels."""
    for annotation in ax.texts:
        x, y = annotation.get_position()
        i, j = int(y), int(x)
        if 0 <= i < len(shown.index) and 0 <= j < len(shown.columns):
            annotation.set_gid(slug(shown.index[i], shown.columns[j], prefix="value"))


def mark_groups(ax, groups: list, width: int) -> None:
    """Lines between the groups of a heatmap's rows, each group named at its right."""
    start = 0
    for i in range(1, len(groups) + 1):
        if i == len(groups) or groups[i] != groups[start]:
            if i < len(groups):
                ax.axhline(i, color="#333", linewidth=1.5)
            name = groups[start] if isinstance(groups[start], str) else "(no parent)"
            ax.text(width + 0.15, (start + i) / 2, label(name), va="center", ha="left", fontsize=8, style="italic",
                    transform=ax.transData, clip_on=False)
            start = i


DRAWERS: dict[str, Callable[[Figure], MplFigure]] = {"bars": bars, "heatmap": heatmap}


def register_drawer(kind: str, drawer: Callable[[Figure], MplFigure]) -> None:
    """Add a drawer for a figure kind (a view's own kind of figure)."""
    DRAWERS[kind] = drawer
