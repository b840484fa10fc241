"""Display helpers for the notebooks: headers, captioned tables, visible warnings; every value escaped."""
from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from ..provenance import relative
from ..sample import ATTRIBUTE_LABELS
from ..study import Study
from ..suppression import suppress_counts
from .escape import styled, text

WARNING_STYLE = "border-left:4px solid #c60;background:#fff4e5;padding:.5em 1em;margin:.5em 0"


def study_header(study: Study) -> HTML:
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
    return HTML("\n".join(lines))


def captioned(df: pd.DataFrame, caption: str, empty: str = "none"):
    """A table with a caption, every value escaped, with stable element ids; a sentence when it is empty."""
    if df.empty:
        return HTML(f"<p><strong>{text(caption)}:</strong> {text(empty)}.</p>")
    return styled(df, caption)


def paragraph(sentence: str) -> HTML:
    """One escaped paragraph of text."""
    return HTML(f"<p>{text(sentence)}</p>")


def show_sample_tables(tables: dict[str, pd.DataFrame], group_by: str) -> None:
    """Display every attribute table with a caption saying what it counts."""
    by = ATTRIBUTE_LABELS.get(group_by, group_by).lower()
    for name, table in tables.items():
        if name == "n":
            continue
        label = ATTRIBUTE_LABELS.get(name, name)
        display(captioned(table, f"{label} by {by}: n (% of the column's participants)"))


def warning(message: str) -> HTML:
    """A visible warning box."""
    return HTML(f'<div class="icevidence-warning" style="{WARNING_STYLE}"><strong>Warning:</strong> '
                f"{text(message)}</div>")


def show_checks(counts: pd.DataFrame, arithmetic: pd.DataFrame, min_cell: int = 0) -> None:
    """Display the recomputed published counts, with a warning for each that does not hold.

    A report with suppression omits them: they print every count, however small.
    """
    if min_cell > 1:
        display(paragraph(f"Not shown in this report: the check prints every count, and this report "
                          f"suppresses counts below {min_cell}."))
        return
    if counts.empty:
        display(HTML("<p><em>This study's folder records no published counts to recompute.</em></p>"))
        return
    for row in counts[counts["status"] == "DIFFERS"].to_dict("records"):
        display(warning(f"{row['location']}: '{row['statement']}' is stated as {row['stated']}, "
                        f"but the participant table gives {row['from data']}."))
    for row in arithmetic[arithmetic["status"] != "adds up"].to_dict("records"):
        display(warning(f"{row['breakdown stated at']}: the paper's {row['attribute']} figures for {row['group']} "
                        f"add up to {row['sum of parts']}, but it states n = {row['stated n']} ({row['stated n at']})."))
    display(captioned(counts, "Every sample count the paper states, recomputed from the participant table"))
    if len(arithmetic):
        display(captioned(arithmetic, "Do the paper's breakdowns add up to its stated group sizes?"))


def file_list(paths: list[Path]) -> HTML:
    """A bulleted list of written files, relative to the project root."""
    items = "".join(f"<li><code>{text(relative(p))}</code></li>" for p in paths)
    return HTML(f"<ul>{items}</ul>")


def suppress_matrix(matrix: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """A matrix for display with counts below min_cell (not 0) shown as '<k', margins protected."""
    return suppress_counts(matrix, min_cell)


def findings_figure(findings: pd.DataFrame, title: str = "Evidence review: findings by kind and severity"):
    """Bars of findings per kind, stacked by severity (imports seaborn only when called)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    from ..evidence import SEVERITIES
    order = findings["kind"].value_counts().index.tolist()
    frame = findings.assign(kind=pd.Categorical(findings["kind"], categories=order),
                            severity=findings["severity"].astype(str))
    fig, ax = plt.subplots(figsize=(8, max(2.5, 0.35 * len(order) + 1.2)))
    sns.histplot(data=frame, y="kind", hue="severity", hue_order=SEVERITIES, multiple="stack", discrete=True,
                 shrink=0.8, palette="rocket", ax=ax)
    ax.set_xlabel("Findings (n)")
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    legend = ax.get_legend()
    if legend is not None:
        legend.set_frame_on(False)
        sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title="severity")
    sns.despine(fig)
    fig.tight_layout()
    return fig


CONTENTS_MIN_SECTIONS = 4
NEXT_CELL = re.compile(r'<div\s+class="jp-Cell ')
SECTION = re.compile(r'<h2 id="([^"<>]+)">(.*?)<a class="anchor-link"', re.S)


def add_contents(page: str, min_sections: int = CONTENTS_MIN_SECTIONS) -> str:
    """Insert a table of contents after a long report's title, linking its own section headings."""
    sections = SECTION.findall(page)
    title_end = page.find("</h1>")
    if len(sections) < min_sections or title_end < 0:
        return page
    items = "".join(f'<li><a href="#{text(html_lib.unescape(anchor))}">{text(html_lib.unescape(strip_tags(label)))}</a></li>'
                    for anchor, label in sections)
    nav = f'<nav class="icevidence-toc" aria-label="Contents"><strong>Contents</strong><ol>{items}</ol></nav>'
    next_cell = NEXT_CELL.search(page, title_end)
    cut = next_cell.start() if next_cell else title_end + len("</h1>")
    return page[:cut] + nav + page[cut:]


def strip_tags(fragment: str) -> str:
    """The text of a small HTML fragment (a heading)."""
    return re.sub(r"<[^>]+>", "", fragment)
