"""How the comparison reads: the concept matrix with each site's share, the heatmaps, the quotes side by side.

Every table is rendered by `present.html.table_html` and every other string from the data (study
citations, concept and site names, quotes, orderings) through `present.escape.text`; the figures
are drawn by `present.figures` ('heatmap'). In an appendix, the study's concepts by site, with
each site's share of its participants, suppressed as in the report.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analyses.comparison import BY, UNITS, Comparison, studies_compared_with
from ...analyses.crosswalk_reliability import CrosswalkReliability
from ...analyses.result import Table, collected, register_view
from ...model.study import Study
from ..document import Section, stating_suppression
from ..escape import text
from ..html import MAX_HTML_ROWS, folded, fragment, notes_html, table_html
from ..interactive import FILTERABLE_CLASS
from .base import View

TABLE_CLASS = "icevidence-comparison"
CELL_STYLE = "vertical-align:top;text-align:left"
QUOTES_PER_SITE = 6
REPORT_ORDER = ["concept-matrix", "study-matrix", "sensitivity", "similarity", "quotes", "grain", "grain-problems",
                "coverage", "left-out", "excluded-codes", "reuse-consistency", "concepts-by-study", "studies",
                "samples", "models-summary", "models"]
EMPTY = {"grain-problems": "none: every quote of a segment-grain study has its own row",
         "left-out": "none: every quote is mapped", "reuse-consistency": "none found",
         "kappa": "not yet made: coding B does not exist, so the comparison uses coding A alone"}
FULL = {"left-out": "left-out.csv, listed at the end of this report"}
CROSSWALK_SENTENCE = ("Each study's codes are mapped to shared concepts through the compendium's crosswalk (each "
                      "mapping with a rationale).")


class ComparisonView(View):
    """The report in reading order, the workbook of every matrix and check, and the appendix's concepts by site."""

    title = "Comparison with the other studies"
    order = 40

    def html(self, result: Comparison, keys: list[str] | None = None, **options) -> str:
        """The named parts (default: all, in reading order); the result's notes follow the concept matrix."""
        keys = keys or REPORT_ORDER
        with collected(result.notes):
            parts = [part_html(result, key) for key in keys]
        return "\n".join(parts) + (notes_html(result.notes) if "concept-matrix" in keys else "")

    def spreadsheets(self, result: Comparison) -> list[Table]:
        """The four matrices, the shares, similarity, quotes, the crosswalk's checks, samples, sensitivity, kappa."""
        checks = {t.key: t for t in result.crosswalk_tables()}
        tables = [*(result.matrix_table(f"{by}-{unit}") for by in BY for unit in UNITS), result.share_table(),
                  result.similarity_table(), result.quotes_table(), checks["coverage"], checks["left-out"],
                  checks["unmapped-codes"], result.samples_table(), checks["grain"], checks["reuse-consistency"],
                  result.sensitivity_table()]
        if result.reliability.second_coding:
            tables.append(result.reliability.kappa_table())
        return tables

    def write(self, result: Comparison, folder: Path, figures: Path | None = None, name: str | None = None):
        """Every table as CSV and one workbook, and the concept and similarity heatmaps as SVG/PDF/PNG."""
        return super().write(result, folder, figures, name or "comparison")

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """Where the crosswalk lists the study: its concepts by site beside the other studies', with shares."""
        studies = studies_compared_with(study)
        if not studies:
            return []
        result = Comparison(studies, "participants", min_cell)
        return [Section(self.title, paragraphs=[CROSSWALK_SENTENCE, result.share_sentence()],
                        items=[appendix_table(result)])]


class CrosswalkReliabilityView(View):
    """Kappa per concept and the disagreements with their resolution, each table with its own anchor."""

    title = "Reliability of the crosswalk"

    def html(self, result: CrosswalkReliability, keys: list[str] | None = None, **options) -> str:
        """The kappa table (or a sentence saying coding B is not yet made) and the disagreements."""
        with collected(result.notes):
            tables = [keyed_table_html(t) for t in self.shown(result, keys)]
        return "\n".join(tables) + notes_html(result.notes)


def part_html(result: Comparison, key: str) -> str:
    """One part of the report: a table, or the study list, the sensitivity lines, the quotes, the folded models."""
    if key == "studies":
        return study_headers(result.studies)
    if key == "sensitivity":
        return sensitivity_lines(result.sensitivity)
    if key == "quotes":
        return quotes_side_by_side(result.quotes, result.sites, withheld=result.withheld)
    if key == "models":
        return folded(keyed_table_html(result.by_key("models")), f"All {len(result.models)} components of the "
                      "integration models")
    return keyed_table_html(result.by_key(key))


def keyed_table_html(table: Table, max_rows: int = MAX_HTML_ROWS) -> str:
    """A table anchored by its key, with the sentence its emptiness means and where every row is."""
    return table_html(table, table_id=table.key, empty=EMPTY.get(table.key, "none"), full_name=FULL.get(table.key),
                      max_rows=max_rows, css_class=TABLE_CLASS)


def appendix_table(result: Comparison) -> Table:
    """The concepts by site, each site's count beside its share, as an appendix prints it."""
    table = result.concept_table()
    frame = table.frame.reset_index().rename(columns={"concept": "Concept"})
    frame.columns = [str(c) for c in frame.columns]
    names = ", ".join(s.short_name for s in result.studies)
    appendix = Table("comparison", "Shared concepts by site", frame, "Distinct participants quoted on each "
                     f"cross-study concept, per site, and as % of the site's participants, across {names}",
                     table.unit, table.source, table.suppression)
    return stating_suppression(appendix, result.min_cell)


@fragment
def study_headers(studies: list[Study]) -> str:
    """Each study's citation, licence and size, escaped."""
    items = [f"<li><strong>{text(s.id)}</strong>: {text(s.meta.get('citation', s.id))} (licence: "
             f"{text(s.meta.get('licence', 'not stated'))}; {len(s.participants)} participants, "
             f"{len(s.segments)} coded quotes)</li>" for s in studies]
    return f"<ul>{''.join(items)}</ul>"


@fragment
def sensitivity_lines(table: pd.DataFrame) -> str:
    """One line per concept: whether its site pattern holds by participants as by references."""
    items = [f"<li><strong>{text(row['concept'])}</strong>: {text(row['pattern'])} (references: "
             f"{text(row['by references'])}; participants: {text(row['by participants'])})</li>"
             for row in table.to_dict("records")]
    return f'<ul class="sensitivity">{"".join(items)}</ul>'


@fragment
def quotes_side_by_side(quotes: pd.DataFrame, sites: list[str], cap: int = QUOTES_PER_SITE,
                        withheld: pd.DataFrame | None = None) -> str:
    """Per concept, one column per site holding its quotes (capped, with the count of the rest).

    Cells marked in `withheld` (concept × site: a count hidden, or quotes left out so none can be
    counted) show neither their quotes nor their number.
    """
    parts = []
    for concept, block in quotes.groupby("concept", observed=True, sort=True):
        head, cells = [], []
        for site in sites:
            if is_withheld(withheld, concept, site):
                head.append(f'<th style="{CELL_STYLE}">{text(site)}</th>')
                cells.append(f'<td style="{CELL_STYLE}"><em>withheld: a count hidden by min_cell</em></td>')
                continue
            cell = block[block["site"] == site]
            head.append(f'<th style="{CELL_STYLE}">{text(site)} ({len(cell)})</th>')
            cells.append(f'<td style="{CELL_STYLE}">{quote_list(cell, cap)}</td>')
        parts.append(f'<h3>{text(concept)}</h3><table class="{TABLE_CLASS} quotes"><thead><tr>{"".join(head)}'
                     f"</tr></thead><tbody><tr>{''.join(cells)}</tr></tbody></table>")
    return f'<div class="{FILTERABLE_CLASS}">' + "\n".join(parts) + "</div>"


def quote_list(cell: pd.DataFrame, cap: int) -> str:
    """A site's quotes on one concept as a list (the first `cap`, then how many more), or 'none'."""
    items = [quote_item(q) for q in cell.head(cap).itertuples(index=False)]
    if len(cell) > cap:
        items.append(f"<li><em>{len(cell) - cap} more in the appendix table quotes.csv</em></li>")
    return f"<ul>{''.join(items)}</ul>" if items else "<em>none</em>"


def is_withheld(withheld: pd.DataFrame | None, concept: object, site: object) -> bool:
    """Whether a concept × site cell's quotes are withheld."""
    return (withheld is not None and concept in withheld.index and site in withheld.columns
            and bool(withheld.at[concept, site]))


def quote_item(q) -> str:
    """One quote with its attribution as printed, study and segment, and its other printing."""
    who = q.attribution_raw if isinstance(q.attribution_raw, str) else "no attribution printed"
    also = f"; also printed as {text(q.also_printed_as)}" if isinstance(q.also_printed_as, str) else ""
    return f"<li>“{text(q.text)}” <em>({text(who)}; {text(q.study)} {text(q.segment_id)}{also})</em></li>"


def overlapping_labels(fig, axis: str = "x") -> list[tuple[str, str]]:
    """Pairs of tick labels whose drawn bounding boxes overlap (empty when the labels are readable)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = fig.canvas if hasattr(fig.canvas, "get_renderer") else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in (ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()) if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    return [(a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1:] if box_a.overlaps(box_b)]


register_view(Comparison, ComparisonView())
register_view(CrosswalkReliability, CrosswalkReliabilityView())
