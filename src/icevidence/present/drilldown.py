"""HTML of a theme matrix whose cells link to the quotes behind them; every value escaped."""
from __future__ import annotations

import pandas as pd

from .escape import anchor_link, slug, text

DRILL_CAP = 50


def anchor(row: str, group: str) -> str:
    """A stable HTML id for one matrix cell, made from its labels but holding no markup."""
    return slug(row, group, prefix="cell")


def cell_text(value: object) -> str:
    """A matrix value as escaped text: numbers without trailing zeros, hidden cells as '<k'."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return text(f"{value:g}" if isinstance(value, float) else value)


def linked_matrix_html(matrix: pd.DataFrame, linkable: set[tuple[str, str]],
                       parents: pd.Series | None = None, caption: str | None = None) -> str:
    """The matrix as an HTML table; each shown cell with quotes links to its drill-down.

    `parents` (the parent code of each row) groups the rows under a heading row per parent,
    with the rows indented beneath it.
    """
    head = "".join(f"<th>{text(c)}</th>" for c in matrix.columns)
    lines = ['<table class="icevidence-matrix">']
    if caption:
        lines.append(f"<caption>{text(caption)}</caption>")
    lines.append(f"<thead><tr><th>{text(matrix.index.name or '')}</th>{head}</tr></thead><tbody>")
    previous = object()
    for row, values in matrix.iterrows():
        parent = None if parents is None else parents.get(row)
        if parents is not None and parent != previous:
            lines.append(f'<tr class="icevidence-parent"><th colspan="{len(matrix.columns) + 1}">'
                         f"{text(parent if isinstance(parent, str) else '(no parent)')}</th></tr>")
            previous = parent
        cells = []
        for column, value in values.items():
            shown = cell_text(value)
            if (str(row), str(column)) in linkable and value and not str(value).startswith("<"):
                shown = anchor_link(anchor(str(row), str(column)), shown)
            cells.append(f"<td>{shown}</td>")
        indent = ' class="icevidence-child"' if parents is not None else ""
        lines.append(f"<tr><th{indent}>{text(row)}</th>{''.join(cells)}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def drilldown_html(quotes: pd.DataFrame, cap: int = DRILL_CAP, full_csv: str | None = None) -> str:
    """The quotes behind each cell, grouped under an anchored heading per cell.

    Pass only the quotes of cells a report shows: a suppressed cell's quotes and its heading
    ("3 segments") would disclose its count.
    """
    parts = []
    for (row, group), cell in quotes.groupby(["row", "group"], observed=True, sort=True):
        parts.append(f'<h4 id="{anchor(str(row), str(group))}">{text(row)} — '
                     f"{text(group)} ({len(cell)} segment{'s' if len(cell) != 1 else ''})</h4><ul>")
        for quote in cell.head(cap).itertuples():
            who = quote.attribution_raw if isinstance(quote.attribution_raw, str) else "no attribution printed"
            status = "" if quote.attribution_status == "valid" else f" [{quote.attribution_status} attribution]"
            parts.append(f"<li>“{text(quote.text)}” <em>({text(who)}{text(status)};"
                         f" {text(quote.location)})</em></li>")
        if len(cell) > cap:
            more = f" — see <code>{text(full_csv)}</code>" if full_csv else ""
            parts.append(f"<li><em>{len(cell) - cap} more not shown{more}.</em></li>")
        parts.append("</ul>")
    return "\n".join(parts)


def cells_with_quotes(quotes: pd.DataFrame) -> set[tuple[str, str]]:
    """The (row, group) cells that have at least one quote."""
    return {(str(r), str(g)) for r, g in quotes[["row", "group"]].drop_duplicates().itertuples(index=False)}
