"""The printed page, once for every renderer: A4, its margins, the text block a figure or table must fit.

DOCX (docx.py), PDF (pdf.py, through appendix.typ) and the figure drawer (figures.py) all size
from these numbers, so a figure that fits one fits the others. Long heatmaps are split into
parts that each fit a page at a readable font; column widths follow their content.
"""
from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd

from ..analyses.result import Figure

PAGE_WIDTH_IN = 8.27  # A4
PAGE_HEIGHT_IN = 11.69
MARGIN_IN = 0.79  # 2 cm on every side
TEXT_WIDTH_IN = PAGE_WIDTH_IN - 2 * MARGIN_IN
TEXT_HEIGHT_IN = PAGE_HEIGHT_IN - 2 * MARGIN_IN
CAPTION_ROOM_IN = 1.6  # a figure leaves room on its page for a caption of several lines
FIGURE_HEIGHT_IN = TEXT_HEIGHT_IN - CAPTION_ROOM_IN
HEATMAP_ROW_IN = 0.32  # the height of one heatmap row at the drawing's own size
HEATMAP_ROWS_PER_PART = 24  # rows per printed part: at most ~9 in tall, so scaling keeps labels >= 6 pt
CHAR_WIDTH_IN = 0.075  # an average character of the table font (8 pt, bold headers included), for column widths
CELL_PADDING_IN = 0.22  # the cell margins (0.08 in a side) and borders
LONGEST_COLUMN_CHARS = 60  # a column asks for no more than this many characters per line
PROSE_COLUMN_CHARS = 120  # ... unless it holds running text (cells of PROSE_MEAN_CHARS on average), which asks more
PROSE_MEAN_CHARS = 80
ROUNDING_IN = 0.01  # a figure stays this much inside the text width (page sizes are rounded to EMU in Word)
NEARLY_EMPTY = 0.1  # a heatmap with fewer shown non-zero cells than this share says so in words instead


def fitted(width_in: float, height_in: float) -> tuple[float, float]:
    """A figure's printed size: its drawn size scaled (never enlarged) to fit the text block with its caption."""
    scale = min(1.0, (TEXT_WIDTH_IN - ROUNDING_IN) / width_in, FIGURE_HEIGHT_IN / height_in)
    return width_in * scale, height_in * scale


def split_heatmap(spec: Figure, rows: int = HEATMAP_ROWS_PER_PART) -> list[Figure]:
    """A heatmap with more rows than fit a page, as consecutive parts ('part 1 of 3'), each a figure."""
    if spec.kind != "heatmap" or len(spec.data) <= rows:
        return [spec]
    count = math.ceil(len(spec.data) / rows)
    size = math.ceil(len(spec.data) / count)
    parts = []
    for i in range(count):
        data = spec.data.iloc[i * size:(i + 1) * size]
        mask = None if spec.mask is None else spec.mask.reindex(index=data.index, columns=data.columns)
        groups = None if spec.groups is None else spec.groups.reindex(data.index)
        parts.append(replace(spec, key=f"{spec.key}-part{i + 1}", title=f"{spec.title} (part {i + 1} of {count})",
                             data=data, mask=mask, groups=groups))
    return parts


def shown_share(spec: Figure) -> float:
    """The share of a heatmap's cells that are shown and not zero (1.0 for other kinds)."""
    if spec.kind != "heatmap" or spec.data.size == 0:
        return 1.0 if spec.kind != "heatmap" else 0.0
    values = spec.data.apply(pd.to_numeric, errors="coerce").fillna(0).to_numpy()
    hidden = (spec.mask.reindex(index=spec.data.index, columns=spec.data.columns, fill_value=False)
              .astype(bool).to_numpy() if spec.mask is not None else values != values)
    return float(((values != 0) & ~hidden).sum()) / values.size


def says_little(spec: Figure) -> bool:
    """True when suppression or zeros leave a heatmap (nearly) empty: a sentence serves the reader better."""
    if spec.kind != "heatmap":
        return False
    share = shown_share(spec)
    return share == 0 or (spec.min_cell > 1 and share < NEARLY_EMPTY)


def column_widths(columns: list[str], rows: list[list[str]], width_in: float = TEXT_WIDTH_IN,
                  prose: tuple[str, ...] = ()) -> list[float]:
    """Column widths (inches) from their content, summing to the text width; no column narrower than its
    longest word, where the page allows, so no word breaks inside a word; running text (`prose`) asks most."""
    cells = [[columns[j], *(r[j] for r in rows)] for j in range(len(columns))]
    words = [max((len(w) for c in col for w in str(c).split()), default=1) for col in cells]
    caps = [PROSE_COLUMN_CHARS if name in prose else line_cap(col) for name, col in zip(columns, cells)]
    wants = [min(cap, max(max((len(line) for c in col for line in str(c).splitlines() or [""]), default=1), 1))
             for cap, col in zip(caps, cells)]
    floor = [min(w, LONGEST_COLUMN_CHARS) * CHAR_WIDTH_IN + CELL_PADDING_IN for w in words]
    want = [max(w * CHAR_WIDTH_IN + CELL_PADDING_IN, f) for w, f in zip(wants, floor)]
    if sum(want) <= width_in:
        spare = width_in - sum(want)
        return [w + spare * w / sum(want) for w in want]
    if sum(floor) >= width_in:
        return [width_in * f / sum(floor) for f in floor]
    extra = width_in - sum(floor)
    growth = [w - f for w, f in zip(want, floor)]
    return [f + extra * g / sum(growth) for f, g in zip(floor, growth)]


def line_cap(cells: list[object]) -> int:
    """How many characters per line a column asks for at most: more for running text than for labels."""
    lengths = [len(str(c)) for c in cells[1:]] or [0]
    return PROSE_COLUMN_CHARS if sum(lengths) / len(lengths) >= PROSE_MEAN_CHARS else LONGEST_COLUMN_CHARS
