"""How an inter-coder agreement result reads: the overall figures, the per-code table and figure, the passages.

Every string here comes from an export (code names, coder names, document names, coded text): it
is escaped by present/html and present/escape (the figure's labels too), spreadsheet cells are
neutralised by the one CSV and XLSX writers, and files are written atomically by them.
"""
from __future__ import annotations

import numpy as np

from ...analyses.agreement import BANDS, Agreement
from ...analyses.result import Figure, Table, collected, register_view
from ..escape import label
from ..figures import new_figure, register_drawer
from ..html import fragment, notes_html, paragraph, table_html
from .base import View

BAND_COLOURS = {"reliable": "#e3f1e3", "tentative": "#fbf1d5", "do not rely": "#f8dede"}
PASSAGE_CAP = 30
SERIES = (("alpha", "#1f4e79", -0.12), ("kappa", "#c55a11", 0.12))


class AgreementView(View):
    """The overall figures with their notes, the per-code table, the figure, who coded what, and where they differ."""

    title = "Inter-coder agreement"

    def html(self, result: Agreement, keys: list[str] | None = None, bar: float = BANDS[1][0], **options) -> str:
        """The named parts (default all): 'overall' (with the notes), 'agreement', 'coverage', and 'disagreements'
        (the passages of every code whose alpha is below ``bar``)."""
        parts = []
        with collected(result.notes):
            for table in self.shown(result, keys):
                if table.key == "overall":
                    parts.append(table_html(table, css_class="icevidence-agreement-overall", notes=False)
                                 + notes_html(result.notes))
                elif table.key == "disagreements":
                    parts.append(weak_passages_html(result, bar))
                else:
                    parts.append(table_html(table, notes=False))  # the notes stand under the overall figures
        return "\n".join(parts)

    def spreadsheets(self, result: Agreement):
        """The coefficients (every code and the overall row), who coded which documents, the differing passages."""
        return [t for t in result.tables() if t.key != "overall"]


@fragment
def weak_passages_html(result: Agreement, bar: float) -> str:
    """The differing passages of every code whose alpha is below the bar, weakest first."""
    weak = result.below(bar)
    if not weak:
        return paragraph(f"Every code reaches alpha {bar:g}: no passages to show.")
    return "\n".join(passages_html(result, code) for code in weak)


@fragment
def passages_html(result: Agreement, code: str, cap: int = PASSAGE_CAP) -> str:
    """The passages where the coders differ on one code, each coder's text side by side (escaped)."""
    passages = result.passages(code)
    shown = passages.head(cap).assign(characters=lambda f: [f"{s}–{e}" for s, e in zip(f["start"], f["end"])])
    frame = shown[["document", "characters", *result.coders]].reset_index(drop=True)
    title = f"{code} — {len(passages)} passage{'s' if len(passages) != 1 else ''} where the coders differ"
    page = table_html(Table("passages", title, frame, prose=tuple(result.coders)), css_class="icevidence-passages")
    if len(passages) > cap:
        page += paragraph(f"{len(passages) - cap} more in the appendix table disagreements.csv.")
    return page


def draw_agreement(spec: Figure):
    """Per-code alpha (and kappa for two coders) with 95 % intervals, weakest first, over Krippendorff's bands."""
    rows = spec.data
    fig, ax = new_figure(8, max(2.5, 0.42 * len(rows) + 1.4))
    edges = [-1.0, BANDS[1][0], BANDS[0][0], 1.0]
    for (lo, hi), band in zip(zip(edges, edges[1:]), ("do not rely", "tentative", "reliable")):
        ax.axvspan(lo, hi, color=BAND_COLOURS[band], zorder=0, label=f"alpha: {band}")
    y = np.arange(len(rows))
    series = SERIES if spec.options.get("coders") == 2 else SERIES[:1]
    for name, colour, shift in series:
        values = rows[name].to_numpy(float)
        low = values - rows[f"{name} low"].to_numpy(float)
        high = rows[f"{name} high"].to_numpy(float) - values
        ax.errorbar(values, y + shift, xerr=np.nan_to_num(np.vstack([low, high])), fmt="o", color=colour,
                    capsize=3, label=f"{name} (95 % bootstrap interval)", zorder=3)
    ax.set_yticks(y, [label(c) for c in rows["code"]])
    ax.invert_yaxis()
    lows = rows[[f"{name} low" for name, _, _ in series] + [name for name, _, _ in series]].to_numpy(float)
    ax.set_xlim(min(-0.1, float(np.nanmin(lows, initial=0.0)) - 0.05), 1.05)
    ax.set_xlabel(label(spec.value_label))
    ax.set_title(label(spec.title), loc="left")
    ax.legend(frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


register_drawer("agreement", draw_agreement)
register_view(Agreement, AgreementView())
