"""The evidence review as a reader meets it: findings first, most serious first, with the rule for each severity.

The high and medium findings come first as one table, each row with the paper's sentence and the
quotes it offers in full beside it and the location in the paper's own terms; low findings and info
rows follow, each behind a click with its count. Long texts are folded at a word boundary with the
full text one click away; a triage row's list of claims is folded under it. Every data string passes
through `escape.text`, and tables through `html.table_html` (badges and folds are our markup).
Severity colours are chosen so that high, medium and low differ by at least WCAG's 3:1 contrast from
each other (`contrast_ratio`); four colours cannot all be 3:1 apart (black to white is 21:1, and a
chain of three 3:1 steps needs 27:1), so info is drawn as an outlined white bar, always labelled in
words. The severity figure is this view's own kind of figure, drawn through present/figures.
"""
from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure as MplFigure

from ...analyses.evidence.findings import SEVERITIES, SEVERITY_RULES, severity_counts
from ...analyses.evidence.review import Review
from ...analyses.evidence.review import review as run_review
from ...analyses.result import Figure, Table, collected, register_view
from ...model.study import Study
from ..document import Section
from ..escape import label, text
from ..figures import new_figure, register_drawer
from ..html import folded, fragment, notes_html, table_html, warning
from .base import View

SEVERITY_COLOURS = {"high": "#5c0000", "medium": "#c45a10", "low": "#ffe680", "info": "#ffffff"}
TEXT_ON = {"high": "#ffffff", "medium": "#000000", "low": "#000000", "info": "#000000"}
CONTRASTED = ["high", "medium", "low"]
SHORT = 280
ATTENTION = ["high", "medium"]
COLUMNS = [("severity", "severity"), ("kind", "finding"), ("study", "study"), ("location", "where in the paper"),
           ("claim", "the paper says"), ("quotes", "the quotes it offers"), ("detail", "why this is a finding")]
FOLDED = {"claim", "quotes", "detail"}
NOT_SUPPRESSED = "Not subject to suppression (no counts of participants)."
STYLE = """<style>
table.ev-findings{border-collapse:collapse;width:100%;font-size:.92em;table-layout:fixed}
table.ev-findings th,table.ev-findings td{border:1px solid #999;padding:.35em .5em;vertical-align:top;
  white-space:normal}
table.ev-findings th:nth-child(1){width:5.5em}
table.ev-findings th:nth-child(2){width:9em}
table.ev-findings th:nth-child(3){width:7em}
table.ev-findings th:nth-child(4){width:10em}
table.ev-findings caption,table.ev-legend caption{text-align:left;font-weight:bold}
table.ev-legend{border-collapse:collapse;font-size:.9em}
table.ev-legend td,table.ev-legend th{border:1px solid #bbb;padding:.25em .5em;vertical-align:top}
.ev-badge{display:inline-block;padding:.1em .5em;border-radius:.3em;font-weight:bold;border:1px solid #000}
.ev-text{white-space:pre-line}
</style>"""


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge(severity: object) -> str:
    """A severity label in its colour (the word is always printed, colour is never the only cue)."""
    severity = str(severity)
    return (f'<span class="ev-badge" data-severity="{text(severity)}" style="background:{SEVERITY_COLOURS[severity]};'
            f'color:{TEXT_ON[severity]}">{text(severity)}</span>')


def shorten(value: object, width: int = SHORT) -> str:
    """Escaped text, cut at a word boundary when longer than width, the full text one click away."""
    full = text(value)
    raw = "" if not full else str(value)
    if len(raw) <= width:
        return f'<span class="ev-text">{full}</span>'
    cut = raw[:width].rsplit(" ", 1)[0] if " " in raw[:width] else raw[:width]
    return folded(f'<div class="ev-text full">{full}</div>', f"{cut} …")


def cell_markup(findings: pd.DataFrame):
    """table_html's markup for a findings table: badges, locations, folded long texts and folded lists."""
    names = dict(COLUMNS)

    def markup(row: object, column: object, value: object) -> str | None:
        if column == names["severity"]:
            return badge(value)
        if column == names["location"]:
            return f'<span class="location">{text(value)}</span>'
        if column == names["detail"]:
            listed = findings.at[row, "listed"] if "listed" in findings.columns else ""
            more = folded(f'<div class="ev-text">{text(listed)}</div>', f"{len(str(listed).splitlines())} listed") \
                if listed else ""
            return shorten(value) + more
        if column in {names[k] for k in FOLDED}:
            return shorten(value)
        return None
    return markup


@fragment
def findings_table(findings: pd.DataFrame, caption: str, columns: Sequence[tuple[str, str]] = COLUMNS) -> str:
    """One HTML table of findings with a caption, through the one table renderer."""
    shown = findings.reset_index(drop=True)
    frame = shown[[k for k, _ in columns]].rename(columns=dict(columns))
    return table_html(Table("findings", "", frame), caption, markup=cell_markup(shown), css_class="ev-findings",
                      notes=False)


@fragment
def legend_html() -> str:
    """Each severity's badge beside the rule that decides it."""
    frame = pd.DataFrame({"severity": SEVERITIES, "the rule that decides it": [SEVERITY_RULES[s] for s in SEVERITIES]})
    return table_html(Table("rules", "", frame), "What each severity means",
                      markup=lambda row, column, value: badge(value) if column == "severity" else None,
                      css_class="ev-legend", notes=False)


@fragment
def findings_html(findings: pd.DataFrame, title: str = "Findings that need attention") -> str:
    """The findings section: a warning for high findings, the legend, high and medium in full, then low and info."""
    findings = findings.sort_values(["severity", "check", "kind", "study", "location"], kind="stable")
    attention = findings[findings["severity"].isin(ATTENTION)]
    high = int((findings["severity"] == "high").sum())
    parts = [STYLE, f"<h3>{text(title)}</h3>"]
    if high:
        parts.append(warning(f"{high} high-severity finding(s): the published evidence contradicts the text or cannot "
                             "be the named speaker's. They are the first rows of the table below."))
    counts = ", ".join(f"{int((findings['severity'] == s).sum())} {s}" for s in SEVERITIES)
    parts.append(f"<p>{text(counts)}.</p>")
    parts.append(folded(legend_html(), "What each severity means, and the rule that decides it"))
    parts.append(findings_table(attention, "High and medium findings, most serious first") if len(attention)
                 else "<p>No high or medium finding.</p>")
    for severity, name in (("low", "low-severity findings"), ("info", "info rows (recorded for completeness)")):
        rest = findings[findings["severity"] == severity]
        body = findings_table(rest, name.capitalize()) if len(rest) else ""
        parts.append(f'<details class="ev-{severity}"><summary>{len(rest)} {text(name)}</summary>{body}</details>')
    return "\n".join(parts)


class ReviewView(View):
    """The review: findings first; summaries, claims, checks and block quotes on request; the appendix summary."""

    title = "Evidence review"
    order = 50

    def html(self, result: Review, keys: list[str] | None = None, **options) -> str:
        """The findings (default), or the named tables ('summary', 'severity', 'claims', 'own', …)."""
        with collected(result.notes):
            if keys is None or keys == ["findings"]:
                title = "Findings across the papers" if result.across_only else "Findings that need attention"
                return findings_html(result.findings, title) + notes_html(result.notes)
            if keys == ["own"]:
                own = result.own_findings if result.own_findings is not None else result.findings
                return table_html(severity_counts(own), "Each paper's own findings, by severity (listed in its own "
                                  "review, not repeated here)")
            return "\n".join(table_html(result.by_key(k)) for k in keys)

    def spreadsheets(self, result: Review) -> list[Table]:
        """Every finding in full, every claim with both verdicts, the summary, the checks and the block quotes."""
        return [result.by_key(k) for k in ("findings", "claims", "summary", "checks", "block-quotes")]

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """With review=True: the review's findings per kind and its high and medium findings."""
        return review_sections(study) if review else []


def review_sections(study: Study) -> list[Section]:
    """The appendix's evidence-review section: what was checked, the counts per kind, the findings to act on."""
    result = run_review(study)
    summary = result.by_key("summary")
    summary.frame = summary.frame.drop(columns=["study"])
    summary.key, summary.suppression = "review", NOT_SUPPRESSED
    attention = result.attention()[["severity", "kind", "location", "detail"]].astype({"severity": str})
    table = Table("review-attention", "Evidence review: high and medium findings, most serious first", attention,
                  "One row per finding a reviewer should act on, where it stands in the paper and why", "findings",
                  summary.source, NOT_SUPPRESSED, prose=("detail",))
    counts = ", ".join(f"{int((result.findings['severity'] == s).sum())} {s}" for s in SEVERITIES)
    coverage = result.coverage().iloc[0]
    return [Section("Evidence review", paragraphs=[
        f"The evidence review checks the paper's attributions, sample counts, claims about who said what (for the "
        f"group, site or literature each names), reused quotes, its sections against each other, its anonymisation "
        f"and its framework coverage against the published evidence; it found {len(result.findings)} findings "
        f"({counts}). {coverage['cited by a claim']} of {coverage['block quotes']} block quotes are cited by a "
        "recorded claim.", *(f"{s.capitalize()}: {SEVERITY_RULES[s]}" for s in SEVERITIES)],
        items=[summary, table])]


def draw_severity(spec: Figure) -> MplFigure:
    """Bars of findings per severity, high at the top, each labelled with its severity and count."""
    counts = spec.data.iloc[:, 0].reindex(SEVERITIES, fill_value=0)
    fig, ax = new_figure(6.5, 2.6)
    y = list(range(len(SEVERITIES)))[::-1]
    ax.barh(y, counts.to_numpy(), color=[SEVERITY_COLOURS[s] for s in SEVERITIES], edgecolor="black")
    ax.set_yticks(y, [label(f"{s} ({n})") for s, n in counts.items()])
    ax.set_xlabel(label(spec.value_label))
    ax.set_title(label(spec.title), loc="left")
    fig.tight_layout()
    return fig


register_drawer("severity", draw_severity)
register_view(Review, ReviewView())
