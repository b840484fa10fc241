"""The evidence review as a reader meets it: findings first, most serious first, every string escaped.

`findings_html` renders the high and medium findings as one table, each row with the claim and
the cited quotes in full beside it and the location in the paper's own terms; low findings and
info rows follow, each behind a <details> with its count. Long texts are cut at a word boundary
with the full text one click away. Every data string passes through html.escape; no Markdown is
built from data. Severity colours are chosen so that high, medium and low differ by at least
WCAG's 3:1 contrast from each other (checked by `contrast_ratio` in the tests); four colours
cannot all be 3:1 apart (black to white is 21:1, and a chain of three 3:1 steps needs 27:1), so
info is drawn as an outlined white bar and is always labelled in words.
"""
from __future__ import annotations

import html
from collections.abc import Sequence

import matplotlib.pyplot as plt
import pandas as pd

from .evidence import SEVERITIES

SEVERITY_COLOURS = {"high": "#5c0000", "medium": "#c45a10", "low": "#ffe680", "info": "#ffffff"}
TEXT_ON = {"high": "#ffffff", "medium": "#000000", "low": "#000000", "info": "#000000"}
CONTRASTED = ["high", "medium", "low"]
SHORT = 400
ATTENTION = ["high", "medium"]
STYLE = """
<style>
table.ev-findings{border-collapse:collapse;width:100%;font-size:.92em;table-layout:fixed}
table.ev-findings th,table.ev-findings td{border:1px solid #999;padding:.35em .5em;vertical-align:top;
  text-align:left !important;white-space:normal}
table.ev-findings td.claim,table.ev-findings td.quotes{white-space:pre-line !important}
table.ev-findings .severity{width:5.5em}
table.ev-findings .kind{width:9em}
table.ev-findings .study{width:7em}
table.ev-findings .location{width:11em}
table.ev-findings caption{text-align:left;font-weight:bold}
.ev-badge{display:inline-block;padding:.1em .5em;border-radius:.3em;font-weight:bold;border:1px solid #000}
</style>
"""

def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def shorten(text: object, width: int = SHORT) -> str:
    """Escaped text, cut at a word boundary when longer than width, the full text behind <details>."""
    full = "" if text is None or (isinstance(text, float) and pd.isna(text)) else str(text)
    if len(full) <= width:
        return html.escape(full)
    cut = full[:width].rsplit(" ", 1)[0] if " " in full[:width] else full[:width]
    return (f"<details><summary>{html.escape(cut)} …</summary>"
            f"<div class=\"full\">{html.escape(full)}</div></details>")


def badge(severity: str) -> str:
    """A severity label in its colour (the word is always printed, colour is never the only cue)."""
    severity = str(severity)
    return (f'<span class="ev-badge" style="background:{SEVERITY_COLOURS[severity]};color:{TEXT_ON[severity]}">'
            f"{html.escape(severity)}</span>")


COLUMNS = [("severity", "severity"), ("kind", "finding"), ("study", "study"), ("location", "where in the paper"),
           ("claim", "the paper says"), ("quotes", "the quotes it offers"), ("detail", "why this is a finding")]


def findings_rows(findings: pd.DataFrame, columns: Sequence[tuple[str, str]] = COLUMNS) -> str:
    """Table rows (<tr class="finding">) for findings, in the order given."""
    rows = []
    for record in findings.to_dict("records"):
        severity = str(record["severity"])
        cells = []
        for key, _ in columns:
            value = badge(severity) if key == "severity" else shorten(record.get(key, ""))
            cells.append(f'<td class="{key}">{value}</td>')
        rows.append(f'<tr class="finding" data-severity="{html.escape(severity)}">{"".join(cells)}</tr>')
    return "\n".join(rows)


def findings_table(findings: pd.DataFrame, caption: str, columns: Sequence[tuple[str, str]] = COLUMNS) -> str:
    """One HTML table of findings with a caption (escaped)."""
    head = "".join(f'<th class="{key}">{html.escape(label)}</th>' for key, label in columns)
    return (f'<table class="ev-findings"><caption>{html.escape(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{findings_rows(findings, columns)}</tbody></table>")


def ordered(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings most serious first, whatever study they belong to."""
    return findings.sort_values(["severity", "check", "kind", "study", "location"], kind="stable")


def findings_html(findings: pd.DataFrame, title: str = "Findings that need attention") -> str:
    """The findings section: high and medium in full, then low and info behind counted <details>."""
    findings = ordered(findings)
    attention = findings[findings["severity"].isin(ATTENTION)]
    parts = [STYLE, f"<h3>{html.escape(title)}</h3>"]
    counts = ", ".join(f"{int((findings['severity'] == s).sum())} {s}" for s in SEVERITIES)
    parts.append(f"<p>{html.escape(counts)}.</p>")
    if attention.empty:
        parts.append("<p>No high or medium finding.</p>")
    else:
        parts.append(findings_table(attention, "High and medium findings, most serious first"))
    for severity, label in (("low", "low-severity findings"), ("info", "info rows (recorded for completeness)")):
        rest = findings[findings["severity"] == severity]
        parts.append(f'<details class="ev-{severity}"><summary>{len(rest)} {html.escape(label)}</summary>'
                     f"{findings_table(rest, label.capitalize()) if len(rest) else ''}</details>")
    return "\n".join(parts)


def table_html(table: pd.DataFrame, caption: str) -> str:
    """Any small table as escaped HTML (pandas escapes cell text)."""
    return table.to_html(index=False, escape=True, border=1, classes="ev-findings") \
        .replace("<thead>", f"<caption>{html.escape(caption)}</caption><thead>", 1)


def severity_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per severity (most serious first) and per study."""
    table = pd.crosstab(findings["severity"].astype(str), findings["study"])
    table = table.reindex(SEVERITIES, fill_value=0)
    table.index.name = "severity"
    table["total"] = table.sum(axis=1)
    return table.reset_index()


def severity_figure(findings: pd.DataFrame, title: str = "Findings by severity, most serious first") -> plt.Figure:
    """Bars of findings per severity, high at the top, each labelled with its count and severity."""
    counts = findings["severity"].astype(str).value_counts().reindex(SEVERITIES, fill_value=0)
    fig, ax = plt.subplots(figsize=(6.5, 2.6))
    y = list(range(len(SEVERITIES)))[::-1]
    ax.barh(y, counts.to_numpy(), color=[SEVERITY_COLOURS[s] for s in SEVERITIES], edgecolor="black")
    ax.set_yticks(y, [f"{s} ({n})" for s, n in counts.items()])
    ax.set_xlabel("findings")
    ax.set_title(title)
    fig.tight_layout()
    return fig
