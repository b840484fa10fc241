"""The one HTML renderer: tables, notes, warnings and headers for reports and notebooks; every value escaped.

`table_html` is the only place a table becomes HTML. It is written here rather than through
pandas' Styler because reports need what Styler cannot express: heading rows that group a
matrix's rows under their parent codes, cells that link to the quotes behind them, and cells
whose markup we generate (badges, folded long text). Every value still passes through
`escape.text`; links point only to anchors we make.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path

import pandas as pd

from ..analyses.result import Table
from ..model.provenance import relative
from ..model.study import Study
from .escape import anchor_link, attribute, slug, text, unescape
from .interactive import INTERACTIVE_CLASS
from .text import cell_text, is_numeric

WARNING_STYLE = "border-left:4px solid #c60;background:#fff4e5;padding:.5em 1em;margin:.5em 0"
MAX_HTML_ROWS = 500
INTERACTIVE_ROWS = 10       # a table with more rows (or columns) than these is searchable and sortable in a report
INTERACTIVE_COLUMNS = 12
NUMBER_STYLE = "text-align:right;font-variant-numeric:tabular-nums"
TEXT_STYLE = "text-align:left"
PROSE_STYLE = "text-align:left;white-space:pre-wrap;overflow-wrap:anywhere;max-width:48em;vertical-align:top"
PROSE_PAGE_EM = 40      # the width running-text columns share on a narrow page (A4 printed, a small window)
PROSE_MIN_EM = (8, 16)  # the narrowest a running-text column may get: 16em alone, never below 8em
CellMarkup = Callable[[object, object, object], "str | None"]


class Fragment(str):
    """An HTML fragment a notebook displays as HTML (our escaped markup, never data)."""

    def _repr_html_(self) -> str:
        return str(self)


def fragment(render: Callable[..., str]) -> Callable[..., Fragment]:
    """Make a renderer's output display as HTML when it ends a notebook cell."""
    @wraps(render)
    def wrapped(*args, **kwargs) -> Fragment:
        return Fragment(render(*args, **kwargs))
    return wrapped


@fragment
def table_html(table: Table | pd.DataFrame, caption: str | None = None, *, table_id: str | None = None,
               links: set[tuple[str, str]] | None = None, groups: pd.Series | None = None,
               max_rows: int = MAX_HTML_ROWS, full_name: str | None = None, empty: str = "none",
               markup: CellMarkup | None = None, css_class: str = "icevidence-table", notes: bool = True,
               interactive: bool | None = None) -> str:
    """A table as escaped HTML with its caption and notes; a sentence when it is empty.

    links: (row, column) cells whose value links to the anchor `slug(row, column)`; groups: a
    label per row, shown as a heading row above each run of rows sharing it; markup(row, column,
    value): our own HTML for a cell, or None for the escaped value; beyond max_rows the first rows
    are shown and the note names `full_name`, the file holding every row; interactive: mark the
    table for the report's script (search, sort, filter per column); None marks long tables
    without heading rows.
    """
    if isinstance(table, pd.DataFrame):
        table = Table("table", caption or "", table, index=not isinstance(table.index, pd.RangeIndex))
    caption = table.caption if caption is None and table.title else (caption or "")
    frame = table.frame
    anchor = f' id="{slug(table_id, prefix="table")}"' if table_id else ""
    if frame.empty:
        return f"<p{anchor}><strong>{text(caption.rstrip('.'))}:</strong> {text(empty)}.</p>"
    shown = frame.head(max_rows)
    head = ([text(frame.index.name or "")] if table.index else []) + [text(c) for c in frame.columns]
    prose_columns = sum(str(c) in table.prose for c in frame.columns)
    styles = [column_style(frame[c], str(c) in table.prose, prose_columns) for c in frame.columns]
    if interactive if interactive is not None else is_long(frame) and groups is None:
        css_class = f"{css_class} {INTERACTIVE_CLASS}"
    lines = [f'<table class="{css_class}"{anchor}>']
    if caption:
        lines.append(f"<caption>{text(caption)}</caption>")
    lines.append("<thead><tr>" + "".join(f'<th style="{TEXT_STYLE}">{h}</th>' for h in head) + "</tr></thead><tbody>")
    previous = object()
    for row, values in zip(shown.index, shown.itertuples(index=False, name=None)):
        if groups is not None and groups.get(row) != previous:
            previous = groups.get(row)
            label = previous if isinstance(previous, str) else "(no parent)"
            lines.append(f'<tr class="icevidence-parent"><th colspan="{len(head)}" style="{TEXT_STYLE}">'
                         f"{text(label)}</th></tr>")
        cells = []
        if table.index:
            child = ' class="icevidence-child"' if groups is not None else ""
            cells.append(f'<th{child} style="{TEXT_STYLE}">{text(row)}</th>')
        for column, value, style in zip(frame.columns, values, styles):
            cells.append(f'<td style="{style}">{cell_html(row, column, value, links, markup)}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    extra = list(table.notes) if notes else []
    if len(frame) > len(shown):
        where = f"; every row is in {full_name}" if full_name else ""
        extra.insert(0, f"Showing the first {len(shown)} of {len(frame)} rows{where}.")
    return "\n".join(lines) + notes_html(extra)


def is_long(frame: pd.DataFrame) -> bool:
    """Whether a table is long or wide enough that a reader needs to search and sort it."""
    return len(frame) > INTERACTIVE_ROWS or len(frame.columns) > INTERACTIVE_COLUMNS


def column_style(values: pd.Series, prose: bool, prose_columns: int = 1) -> str:
    """Right-aligned numbers, left-aligned text, wrapped running text with its line breaks kept; running-text
    columns side by side share a narrow page (each at least PROSE_MIN_EM), so the table fits it."""
    if prose:
        low, high = PROSE_MIN_EM
        return f"{PROSE_STYLE};min-width:{max(low, min(high, PROSE_PAGE_EM // max(prose_columns, 1)))}em"
    return NUMBER_STYLE if is_numeric(values) else TEXT_STYLE


def cell_html(row: object, column: object, value: object, links: set[tuple[str, str]] | None,
              markup: CellMarkup | None) -> str:
    """One cell: our own markup where asked for, else the escaped value, linked when it has quotes."""
    if markup is not None:
        made = markup(row, column, value)
        if made is not None:
            return made
    shown = text(cell_text(value, column))
    if links and (str(row), str(column)) in links and shown and not shown.startswith("&lt;"):
        return anchor_link(slug(row, column, prefix="cell"), cell_text(value, column))
    return shown


@fragment
def notes_html(notes: Sequence[str]) -> str:
    """Notes as an escaped list ('' when there are none)."""
    if not notes:
        return ""
    return '<ul class="icevidence-note">' + "".join(f"<li>{text(n)}</li>" for n in notes) + "</ul>"


@fragment
def study_header(study: Study) -> str:
    """The study's citation, licence, sample size and declared assumptions, as escaped text.

    Citation and assumptions come from study.yml: they are shown literally, never as Markdown.
    """
    meta = study.meta
    lines = [f"<p><strong>Study:</strong> {text(meta.get('citation', study.id))}</p>",
             f"<p><strong>Licence of the source:</strong> {text(meta.get('licence', 'not stated'))}</p>",
             f"<p><strong>Participants:</strong> {len(study.participants)} · <strong>coded segments:</strong> "
             f"{len(study.segments)} · <strong>codes:</strong> {len(study.codes)}</p>"]
    if study.assumptions:
        lines.append("<p><strong>Assumptions declared for this study (not the paper's own):</strong></p><ul>")
        lines += [f"<li>{text(a)}</li>" for a in study.assumptions]
        lines.append("</ul>")
    return "\n".join(lines)


@fragment
def paragraph(sentence: str) -> str:
    """One escaped paragraph of text."""
    return f"<p>{text(sentence)}</p>"


@fragment
def heading(title: str, level: int = 2, anchor: str | None = None) -> str:
    """An escaped heading, with an id we make when an anchor name is given."""
    ident = f' id="{slug(anchor, prefix="section")}"' if anchor else ""
    return f"<h{level}{ident}>{text(title)}</h{level}>"


@fragment
def warning(message: str) -> str:
    """A visible warning box."""
    return (f'<div class="icevidence-warning" style="{WARNING_STYLE}"><strong>Warning:</strong> '
            f"{text(message)}</div>")


@fragment
def folded(content: str, summary: str) -> str:
    """Content behind a click (<details> needs no script)."""
    return f"<details><summary>{text(summary)}</summary>{content}</details>"


@fragment
def file_list(paths: Sequence[Path]) -> str:
    """A bulleted list of written files, relative to the project root."""
    items = "".join(f"<li><code>{text(relative(p))}</code></li>" for p in paths)
    return f"<ul>{items}</ul>"



CONTENTS_MIN_SECTIONS = 4
NEXT_CELL = re.compile(r'<div\s+class="jp-Cell ')
SECTION = re.compile(r'<h2 id="([^"<>]+)">(.*?)<a class="anchor-link"', re.S)


def add_contents(page: str, min_sections: int = CONTENTS_MIN_SECTIONS) -> str:
    """Insert a table of contents after a long report's title, linking its own section headings."""
    sections = SECTION.findall(page)
    title_end = page.find("</h1>")
    if len(sections) < min_sections or title_end < 0:
        return page
    items = "".join(f'<li><a href="#{attribute(unescape(anchor))}">{text(unescape(strip_tags(label)))}</a></li>'
                    for anchor, label in sections)
    nav = f'<nav class="icevidence-toc" aria-label="Contents"><strong>Contents</strong><ol>{items}</ol></nav>'
    next_cell = NEXT_CELL.search(page, title_end)
    cut = next_cell.start() if next_cell else title_end + len("</h1>")
    return page[:cut] + nav + page[cut:]


def strip_tags(fragment: str) -> str:
    """The text of a small HTML fragment (a heading)."""
    return re.sub(r"<[^>]+>", "", fragment)
