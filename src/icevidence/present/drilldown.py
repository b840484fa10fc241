"""HTML of a theme matrix whose cells link to the quotes behind them."""
from __future__ import annotations

import html
import re

import pandas as pd

DRILL_CAP = 50


def anchor(row: str, group: str) -> str:
    """A stable HTML id for one matrix cell."""
    return "cell-" + re.sub(r"[^a-z0-9]+", "-", f"{row}--{group}".lower()).strip("-")


def linked_matrix_html(matrix: pd.DataFrame, linkable: set[tuple[str, str]]) -> str:
    """The matrix as an HTML table; each non-empty cell with quotes links to its drill-down."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in matrix.columns)
    lines = [f'<table class="icevidence-matrix"><thead><tr><th>{html.escape(str(matrix.index.name or ""))}</th>'
             f"{head}</tr></thead><tbody>"]
    for row, values in matrix.iterrows():
        cells = []
        for column, value in values.items():
            text = "" if pd.isna(value) else (f"{value:g}" if isinstance(value, float) else str(value))
            if (str(row), str(column)) in linkable and value:
                text = f'<a href="#{anchor(str(row), str(column))}">{text}</a>'
            cells.append(f"<td>{text}</td>")
        lines.append(f"<tr><th>{html.escape(str(row))}</th>{''.join(cells)}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def drilldown_html(quotes: pd.DataFrame, cap: int = DRILL_CAP, full_csv: str | None = None) -> str:
    """The quotes behind each cell, grouped under an anchored heading per cell."""
    parts = []
    for (row, group), cell in quotes.groupby(["row", "group"], observed=True, sort=True):
        parts.append(f'<h4 id="{anchor(str(row), str(group))}">{html.escape(str(row))} — '
                     f"{html.escape(str(group))} ({len(cell)} segment{'s' if len(cell) != 1 else ''})</h4><ul>")
        for quote in cell.head(cap).itertuples():
            who = quote.attribution_raw if isinstance(quote.attribution_raw, str) else "no attribution printed"
            status = "" if quote.attribution_status == "valid" else f" [{quote.attribution_status} attribution]"
            parts.append(f"<li>“{html.escape(str(quote.text))}” <em>({html.escape(who)}{status};"
                         f" {html.escape(str(quote.location))})</em></li>")
        if len(cell) > cap:
            more = f" — see <code>{html.escape(full_csv)}</code>" if full_csv else ""
            parts.append(f"<li><em>{len(cell) - cap} more not shown{more}.</em></li>")
        parts.append("</ul>")
    return "\n".join(parts)


def cells_with_quotes(quotes: pd.DataFrame) -> set[tuple[str, str]]:
    """The (row, group) cells that have at least one quote."""
    return {(str(r), str(g)) for r, g in quotes[["row", "group"]].drop_duplicates().itertuples(index=False)}
