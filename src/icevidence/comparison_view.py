"""What the comparison report shows: escaped HTML tables, the concept heatmap, quotes side by side.

Every string from the data (concept names, sites, quotes, rationales) is passed through
html.escape (or pandas' html escaping) before it reaches the page, and through `figure_text`
before it reaches a figure; nothing is built as Markdown from data.
"""
from __future__ import annotations

import html
import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML

from .present.escape import slug
from .present.figures import Chart, label_cells
from .study import Study

TABLE_CLASS = "icevidence-comparison"
LABEL_WIDTH = 12  # characters per line of a wrapped column label
CELL_STYLE = "vertical-align:top;text-align:left"
ROW_LABEL_WIDTH = 34  # characters per line of a wrapped row label


MAX_HTML_ROWS = 500  # a longer table shows its first rows in the report; its CSV holds every row


def html_table(df: pd.DataFrame, caption: str, table_id: str, empty: str = "none",
               max_rows: int = MAX_HTML_ROWS, full: str | None = None) -> HTML:
    """A captioned table with a stable id, every cell and label escaped; a sentence when it is empty;
    only the first max_rows rows, with a note saying so (and naming ``full``, the file holding every
    row), when it is longer."""
    if df.empty:
        return HTML(f'<p id="{html.escape(table_id)}"><strong>{html.escape(caption)}:</strong> {html.escape(empty)}.</p>')
    if len(df) > max_rows:
        where = f"; every row is in {html.escape(full)}, listed at the end of this report" if full else ""
        note = f"<p><em>Showing the first {max_rows:,} of {len(df):,} rows{where}.</em></p>"
        return HTML(html_table(df.iloc[:max_rows], caption, table_id, empty, max_rows).data + note)
    text = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    styler = (df.style.format(escape="html", na_rep="", precision=3)
              .format_index(escape="html", axis=0).format_index(escape="html", axis=1)
              .set_caption(html.escape(caption)).set_uuid(table_id)
              .set_table_attributes(f'class="{TABLE_CLASS}" id="{html.escape(table_id)}"')
              .set_properties(subset=text, **{"text-align": "left"}))
    if isinstance(df.index, pd.RangeIndex):
        styler = styler.hide(axis="index")
    return HTML(styler.to_html())


def folded(content: HTML, summary: str) -> HTML:
    """Long content folded under a <details> summary line."""
    return HTML(f"<details><summary>{html.escape(summary)}</summary>{content.data}</details>")


def file_list(paths: list) -> HTML:
    """The files written, as a list of paths relative to the project."""
    from .provenance import relative
    return HTML("<ul>" + "".join(f"<li><code>{html.escape(relative(p))}</code></li>" for p in paths) + "</ul>")


def heading(anchor: str, title: str, level: int = 2) -> HTML:
    """A section heading with a fixed anchor the contents link to."""
    return HTML(f'<h{level} id="{html.escape(anchor)}">{html.escape(title)}</h{level}>')


def study_headers(studies: list[Study]) -> HTML:
    """Each study's citation, licence and size, escaped."""
    items = []
    for study in studies:
        meta = study.meta
        items.append(f"<li><strong>{html.escape(study.id)}</strong>: {html.escape(str(meta.get('citation', study.id)))}"
                     f" (licence: {html.escape(str(meta.get('licence', 'not stated')))}; "
                     f"{len(study.participants)} participants, {len(study.segments)} coded quotes)</li>")
    return HTML(f"<ul>{''.join(items)}</ul>")


def figure_text(value: object, width: int | None = None) -> str:
    """A data string made safe for a matplotlib label (no mathtext), optionally wrapped."""
    text = str(value).replace("$", r"\$")
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) if width else text


def concept_heatmap(matrix: pd.DataFrame, title: str, unit: str = "participants",
                    hidden: pd.DataFrame | None = None, hidden_text: str = "") -> plt.Figure:
    """Heatmap of a concept × site matrix in the table's orientation, sized from its labels so none overlap.

    Concept names run along the rows (horizontal, wrapped when long); site names head the columns,
    wrapped onto short lines. Cells marked in `hidden` (suppressed counts) are left blank and marked
    `hidden_text`; every value label carries an SVG id naming its cell.
    """
    import seaborn as sns
    rows = [figure_text(r, ROW_LABEL_WIDTH) for r in matrix.index]
    columns = [figure_text(c, LABEL_WIDTH) for c in matrix.columns]
    longest_row = max((len(line) for r in rows for line in r.split("\n")), default=10)
    column_lines = max((c.count("\n") + 1 for c in columns), default=1)
    width = 0.085 * longest_row + 1.2 * len(columns) + 2.0
    height = 0.34 * sum(r.count("\n") + 1 for r in rows) + 0.25 * column_lines + 1.4
    fig, ax = plt.subplots(figsize=(max(width, 5.0), max(height, 3.0)))
    data = matrix.set_axis(rows, axis=0).set_axis(columns, axis=1).astype(float)
    mask = None if hidden is None else hidden.to_numpy()
    sns.heatmap(data, annot=True, fmt=".0f", cmap="Blues", linewidths=0.5, linecolor="#eee", mask=mask,
                cbar_kws={"label": unit, "shrink": 0.6}, ax=ax)
    label_cells(ax, matrix)
    for i, j in zip(*(mask.nonzero() if mask is not None else ((), ()))):
        ax.text(j + 0.5, i + 0.5, hidden_text, ha="center", va="center", fontsize=8, color="#444",
                gid=slug(matrix.index[i], matrix.columns[j], prefix="hidden"))
    ax.set_title(figure_text(title), loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", labeltop=True, labelbottom=False, rotation=0)
    ax.tick_params(axis="y", rotation=0)
    fig.tight_layout()
    return fig


def chart(fig: plt.Figure, caption: str) -> Chart:
    """A figure shown once with its caption as alt text, and savable as SVG/PDF/300-dpi PNG (Chart.save)."""
    plt.close(fig)
    return Chart(fig, caption)


def overlapping_labels(fig: plt.Figure, axis: str = "x") -> list[tuple[str, str]]:
    """Pairs of tick labels whose drawn bounding boxes overlap (empty when the labels are readable)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()) if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]


def similarity_figure(similarity: pd.DataFrame) -> plt.Figure:
    """Heatmap of the sites' pairwise similarity, labels wrapped."""
    import seaborn as sns
    labels = [figure_text(s, LABEL_WIDTH) for s in similarity.index]
    size = 1.2 * len(similarity) + 2.5
    fig, ax = plt.subplots(figsize=(size + 1, size))
    sns.heatmap(similarity.astype(float).set_axis(labels, axis=0).set_axis(labels, axis=1), annot=True, fmt=".2f",
                vmin=0, vmax=1, cmap="Greens", square=True,
                cbar_kws={"label": "Jaccard similarity of concept sets", "shrink": 0.6}, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.tick_params(axis="x", rotation=0)
    ax.tick_params(axis="y", rotation=0)
    ax.set_title("Similarity of the sites' concept profiles", loc="left")
    fig.tight_layout()
    return fig


def sensitivity_lines(table: pd.DataFrame) -> HTML:
    """One line per concept: whether its site pattern holds by participants as by references."""
    items = []
    for row in table.to_dict("records"):
        items.append(f"<li><strong>{html.escape(str(row['concept']))}</strong>: {html.escape(row['pattern'])} "
                     f"(references: {html.escape(row['by references'])}; "
                     f"participants: {html.escape(row['by participants'])})</li>")
    return HTML(f'<ul class="sensitivity">{"".join(items)}</ul>')


def quotes_side_by_side(quotes: pd.DataFrame, sites: list[str], cap: int = 6,
                        withheld: pd.DataFrame | None = None) -> HTML:
    """Per concept, one column per site holding its quotes (capped, with the count of the rest).

    Cells marked in `withheld` (concept × site: a count hidden, or quotes left out so none can be
    counted) show neither their quotes nor their number.
    """
    parts = []
    for concept, block in quotes.groupby("concept", observed=True, sort=True):
        cells, head = [], []
        for site in sites:
            cell = block[block["site"] == site]
            if _is_withheld(withheld, concept, site):
                cells.append(f'<td style="{CELL_STYLE}"><em>withheld: a count hidden by min_cell</em></td>')
                head.append(f'<th style="{CELL_STYLE}">{html.escape(str(site))}</th>')
                continue
            items = [_quote_item(q) for q in cell.head(cap).itertuples(index=False)]
            if len(cell) > cap:
                items.append(f"<li><em>{len(cell) - cap} more in the appendix table quotes.csv</em></li>")
            cells.append(f'<td style="{CELL_STYLE}"><ul>{"".join(items)}</ul></td>' if items
                         else f'<td style="{CELL_STYLE}"><em>none</em></td>')
            head.append(f'<th style="{CELL_STYLE}">{html.escape(str(site))} ({len(cell)})</th>')
        head = "".join(head)
        parts.append(f"<h3>{html.escape(str(concept))}</h3><table class=\"{TABLE_CLASS} quotes\">"
                     f"<thead><tr>{head}</tr></thead><tbody><tr>{''.join(cells)}</tr></tbody></table>")
    return HTML("\n".join(parts))


def _is_withheld(withheld: pd.DataFrame | None, concept: object, site: object) -> bool:
    return (withheld is not None and concept in withheld.index and site in withheld.columns
            and bool(withheld.at[concept, site]))


def _quote_item(q) -> str:
    who = q.attribution_raw if isinstance(q.attribution_raw, str) else "no attribution printed"
    also = f"; also printed as {html.escape(str(q.also_printed_as))}" if isinstance(q.also_printed_as, str) else ""
    return (f"<li>“{html.escape(str(q.text))}” <em>({html.escape(who)}; {html.escape(str(q.study))} "
            f"{html.escape(str(q.segment_id))}{also})</em></li>")
