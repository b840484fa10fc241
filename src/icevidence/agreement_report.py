"""Presentation of an inter-coder agreement result: figure, side-by-side passages, appendix tables.

Every string here comes from an export (code names, coder names, document names, coded text):
HTML output goes through html.escape, figure labels have '$' escaped so matplotlib shows them
literally, and spreadsheet cells that a spreadsheet would read as a formula are prefixed with "'".
Files are written atomically (a temporary file in the same folder, then renamed).
"""
from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .agreement import BANDS, Agreement
from .atomic import write_bytes
from .present.tables import neutralise_frame, xlsx_bytes

BAND_COLOURS = {"reliable": "#e3f1e3", "tentative": "#fbf1d5", "do not rely": "#f8dede"}
PASSAGE_CAP = 30


def figure_label(text: object) -> str:
    """A data string as a literal matplotlib label (no mathtext from '$')."""
    return str(text).replace("\\", "\\\\").replace("$", r"\$")


def agreement_figure(result: Agreement):
    """Per-code alpha (and kappa for two coders) with 95 % intervals, weakest first, over the bands."""
    import matplotlib.pyplot as plt
    rows = result.by_code()
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.42 * len(rows) + 1.4)))
    edges = [-1.0, BANDS[1][0], BANDS[0][0], 1.0]
    for (lo, hi), label in zip(zip(edges, edges[1:]), ("do not rely", "tentative", "reliable")):
        ax.axvspan(lo, hi, color=BAND_COLOURS[label], zorder=0, label=f"alpha: {label}")
    y = np.arange(len(rows))
    series = [("alpha", "#1f4e79", -0.12)] + ([("kappa", "#c55a11", 0.12)] if len(result.coders) == 2 else [])
    for name, colour, shift in series:
        values = rows[name].to_numpy(float)
        low = values - rows[f"{name} low"].to_numpy(float)
        high = rows[f"{name} high"].to_numpy(float) - values
        ax.errorbar(values, y + shift, xerr=np.nan_to_num(np.vstack([low, high])), fmt="o", color=colour,
                    capsize=3, label=f"{name} (95 % bootstrap interval)", zorder=3)
    ax.set_yticks(y, [figure_label(c) for c in rows["code"]])
    ax.invert_yaxis()
    lows = rows[[f"{name} low" for name, _, _ in series] + [name for name, _, _ in series]].to_numpy(float)
    ax.set_xlim(min(-0.1, float(np.nanmin(lows, initial=0.0)) - 0.05), 1.05)
    ax.set_xlabel("coefficient")
    ax.set_title(figure_label(f"{result.study}: agreement per code ({result.unit} units, "
                              f"{', '.join(result.coders)})"), loc="left")
    ax.legend(frameon=False, bbox_to_anchor=(1.01, 1), loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


def overall_html(result: Agreement) -> str:
    """The overall figures with their intervals, as one escaped sentence-like table."""
    row = result.overall
    cells = [("coders", row["coders"]), ("units", f"{row['units']:,.0f} ({result.unit}s)"),
             ("percent agreement", f"{row['percent agreement']:.1f} % of all units; "
                                   f"{row['percent agreement where coded']:.1f} % of those any coder coded"),
             ("Cohen's kappa", estimate(row, "kappa")), ("Krippendorff's alpha", estimate(row, "alpha")),
             ("reading (Krippendorff 2004)", row["band"])]
    body = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in cells)
    return f'<table class="icevidence-agreement-overall">{body}</table>'


def estimate(row: pd.Series, name: str) -> str:
    """'0.812 (95 % CI 0.74 to 0.87)', or 'not defined' when the coefficient is missing."""
    value = row[name]
    if not np.isfinite(value):
        return "not defined (two coders only, or no variation)" if name == "kappa" else "not defined (no variation)"
    low, high = row[f"{name} low"], row[f"{name} high"]
    interval = f" (95 % CI {low:.3f} to {high:.3f})" if np.isfinite(low) else ""
    return f"{value:.3f}{interval}"


def band_table(result: Agreement) -> pd.DataFrame:
    """The per-code table for display: weakest alpha first, counts whole, coefficients to 3 places."""
    rows = result.by_code().drop(columns=["coders"])
    shown = rows[["code"]].copy()
    for column in rows.columns[1:]:
        values = rows[column]
        if column == "band":
            shown[column] = values
        elif column in ("units", "units with the code"):
            shown[column] = values.map(lambda v: f"{v:,.0f}")
        else:
            digits = 1 if column.startswith("percent agreement") else 3
            shown[column] = values.map(lambda v, d=digits: f"{v:.{d}f}" if np.isfinite(v) else "—")
    return shown


def passages_html(result: Agreement, code: str, cap: int = PASSAGE_CAP) -> str:
    """The passages where the coders differ on one code, each coder's text side by side (escaped)."""
    passages = result.passages(code)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in ["document", "characters", *result.coders])
    lines = [f"<h4>{html.escape(str(code))} — {len(passages)} passage{'s' if len(passages) != 1 else ''} where "
             f"the coders differ</h4>", f'<table class="icevidence-passages"><thead><tr>{head}</tr></thead><tbody>']
    for values in passages.head(cap).to_dict("records"):
        cells = [values["document"], f"{values['start']}–{values['end']}", *(values[c] for c in result.coders)]
        lines.append("<tr>" + "".join(f'<td style="vertical-align:top;text-align:left">{html.escape(str(v))}</td>'
                                      for v in cells)
                     + "</tr>")
    lines.append("</tbody></table>")
    if len(passages) > cap:
        lines.append(f"<p><em>{len(passages) - cap} more in the appendix table disagreements.csv.</em></p>")
    return "\n".join(lines)


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells and labels cannot run as spreadsheet formulas (a leading = + - @ tab or CR gets a ')."""
    return neutralise_frame(table)


def agreement_sheets(result: Agreement) -> dict[str, pd.DataFrame]:
    """The appendix tables: coefficients, who coded which documents, and the differing passages."""
    return {"agreement": result.table, "coverage": result.coverage.reset_index(),
            "disagreements": result.disagreements}


def write_agreement_tables(result: Agreement, report_id: str, folder: Path | None = None) -> list[Path]:
    """Write each table as CSV and all of them as one XLSX workbook, formulas neutralised, atomically."""
    folder = folder or config.TABLES / report_id
    sheets = {name: spreadsheet_safe(table) for name, table in agreement_sheets(result).items()}
    paths = [write_bytes(folder / f"{name}.csv", table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
             for name, table in sheets.items()]
    paths.append(write_bytes(folder / f"{report_id}.xlsx", xlsx_bytes(sheets, index=False)))
    return paths
