"""The compendium as one site: reports/index.html grouped by task and by study, each entry with a headline
read from the tables its build wrote, and the search index over every built report.

Headlines are computed from a report's outputs (reports/tables/<name>/*.csv), never typed: an
evidence review's high findings, a sample's n and k, an agreement report's bands. The search
index is one entry per section of each built report (its heading's anchor, its text), written as
reports/search-index.json for other tools and embedded in the index page as escaped HTML that
the page's script searches offline.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..model import config
from ..model.atomic import write_text
from ..model.errors import ConfigError
from ..present.site import (
    TASKS,
    SearchEntry,
    index_resources,
    navigation_html,
    report_crumbs,
    search_index_html,
    study_anchor,
    task_anchor,
)

PURPOSES = {
    "rerun": "The analyses, rerun from the data: samples, theme matrices, the comparison, agreement, QDA matrices.",
    "review": "Does each paper's evidence support what its text says: findings first, most serious first.",
    "appendix": "Supplementary material to take away: PDF, DOCX, XLSX and figures per study.",
}
TASK_OF_NOTEBOOK = {"evidence_review.ipynb": "review"}
SEARCH_INDEX = "search-index.json"
ANCHOR = re.compile(r"[A-Za-z0-9_.-]+")
HEADINGS = ("h1", "h2", "h3", "h4")
SECTION_CHARS = 20_000  # text kept per section in the index (a drill-down section of one cell is far shorter)


def studies_of(parameters: dict[str, Any]) -> list[str]:
    """The studies a report is about, from its parameters (`study` or `studies`)."""
    studies = parameters.get("studies")
    if isinstance(studies, list) and studies:
        return [str(s) for s in studies]
    return [str(parameters["study"])] if parameters.get("study") else []


def task_of(notebook: str) -> str:
    """What a reader comes to a report for: rerun an analysis or review a paper."""
    return TASK_OF_NOTEBOOK.get(notebook, "rerun")


def report_navigation(spec) -> str:
    """The navigation bar of one report: links to its groups on the index page and to the search."""
    return navigation_html(report_crumbs(spec.title, studies_of(spec.parameters), task_of(spec.notebook)))


def read_csv(folder: Path, name: str) -> pd.DataFrame:
    """A table a report wrote (text cells kept as printed)."""
    return pd.read_csv(folder / name, dtype=str, keep_default_na=False)


def plural(n: int, word: str) -> str:
    """'1 finding', '3 findings'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def review_headline(folder: Path) -> str:
    """High and medium findings of an evidence review."""
    severity = read_csv(folder, "findings.csv")["severity"]
    return f"{plural(int((severity == 'high').sum()), 'high finding')}, {int((severity == 'medium').sum())} medium"


def sample_headline(folder: Path) -> str:
    """Participants, and k of the participant table when the report wrote it."""
    counts = read_csv(folder, "n.csv")
    total = counts.iloc[-1, -1]
    identifiability = folder / "identifiability.csv"
    k = f", k = {read_csv(folder, 'identifiability.csv').at[0, 'k']}" if identifiability.is_file() else ""
    return f"n = {total}{k}"


def matrix_headline(folder: Path) -> str:
    """Themes by groups, and the quotes listed behind the cells."""
    matrix = read_csv(folder, "references.csv")
    groups = [c for c in matrix.columns if c not in ("total", "unknown") and not c.endswith(" code")]
    return (f"{plural(len(matrix), 'theme')} × {plural(len(groups), 'group')}; "
            f"{plural(len(read_csv(folder, 'quotes.csv')), 'quote')} listed")


def comparison_headline(folder: Path) -> str:
    """Shared concepts and sites compared."""
    matrix = read_csv(folder, "site-participants.csv")
    sites = [s for s in matrix["site"] if s != "unknown"]
    return f"{plural(len(matrix.columns) - 1, 'concept')} across {plural(len(sites), 'site')}"


def agreement_headline(folder: Path) -> str:
    """Codes per Krippendorff band."""
    bands = read_csv(folder, "agreement.csv")["band"].value_counts()
    return "alpha per code: " + ", ".join(f"{n} {band}" for band, n in bands.items())


def qda_headline(folder: Path) -> str:
    """Codes by cases of the matrix coding query."""
    matrix = read_csv(folder, "codes_by_cases.csv")
    cases = [c for c in matrix.columns[1:] if c not in ("total", "unknown")]
    return f"{plural(len(matrix), 'code')} × {plural(len(cases), 'case')}"


HEADLINES: dict[str, Callable[[Path], str]] = {
    "evidence_review.ipynb": review_headline, "sample_tables.ipynb": sample_headline,
    "theme_matrix.ipynb": matrix_headline, "study_comparison.ipynb": comparison_headline,
    "intercoder_agreement.ipynb": agreement_headline, "qda_matrices.ipynb": qda_headline,
}


def headline(notebook: str, output: str) -> str:
    """A report's headline from the tables its last build wrote ('' when there is none to read)."""
    read = HEADLINES.get(notebook)
    folder = config.inside(config.TABLES, output, what="report name")
    try:
        return read(folder) if read else ""
    except (OSError, KeyError, IndexError, ValueError, pd.errors.ParserError):
        return ""


def appendix_headline(pdf: Path) -> str:
    """Supplementary tables (sheets of the appendix workbook, README aside) and figures of an appendix."""
    from openpyxl import load_workbook
    folder = pdf.parent
    try:
        [workbook] = sorted(folder.glob("*-tables.xlsx"))
        sheets = [s for s in load_workbook(workbook, read_only=True).sheetnames if s != "README"]
    except (OSError, ValueError):
        return ""
    figures = {p.stem for p in (folder / "figures").glob("*.svg")}
    return f"{plural(len(sheets), 'table')}, {plural(len(figures), 'figure')}"


def report_rows(specs, results) -> list[dict[str, Any]]:
    """An index row per report: link, state, parameters, headline, studies and task."""
    from .runner import html_path, state_of
    status = {r.spec.output: r for r in results}
    return [{"title": s.title, "href": f"{s.output}.html", "output": s.output, "exists": html_path(s).is_file(),
             "state": state_of(status.get(s.output)),
             "parameters": ", ".join(f"{k}={v}" for k, v in s.parameters.items()),
             "headline": headline(s.notebook, s.output) if html_path(s).is_file() else "",
             "studies": studies_of(s.parameters), "task": task_of(s.notebook)} for s in specs]


def appendix_rows(appendices) -> list[dict[str, Any]]:
    """An index row per appendix, with its headline and study."""
    rows = []
    for appendix in appendices:
        row = appendix.index_row()
        row.update(headline=appendix_headline(appendix.spec.pdf) if row["exists"] else "",
                   studies=[appendix.spec.study], task="appendix")
        rows.append(row)
    return rows


def study_citation(study: str) -> str:
    """The citation study.yml gives a study ('' when it has none or cannot be read)."""
    try:
        meta = yaml.safe_load((config.study_dir(study) / "study.yml").read_text("utf-8"))
    except (OSError, ConfigError, yaml.YAMLError):
        return ""
    return str(meta.get("citation", "")) if isinstance(meta, dict) else ""


def grouped(rows: list[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """The rows by task (in TASKS order) and by study (in order of first appearance)."""
    tasks = [{"anchor": task_anchor(t), "title": title, "purpose": PURPOSES[t],
              "rows": [r for r in rows if r["task"] == t]} for t, title in TASKS.items()]
    names = list(dict.fromkeys(s for r in rows for s in r["studies"]))
    studies = [{"anchor": study_anchor(s), "id": s, "citation": study_citation(s),
                "rows": [r for r in rows if s in r["studies"]]} for s in names]
    return tasks, studies


def section_entries(page: str, report: str, title: str) -> list[SearchEntry]:
    """One search entry per headed section of a built report: the heading's anchor, its text up to the next."""
    from lxml import html as lxml_html
    tree = lxml_html.fromstring(page)
    for junk in tree.xpath("//script | //style | //nav | //*[@id='icevidence-search-index']"):
        junk.drop_tree()
    entries, current, parts = [], None, []
    for element in tree.iter(*HEADINGS, "p", "li", "td", "th", "caption", "summary", "pre"):
        if element.tag in HEADINGS:
            entries += finished(current, parts, report, title)
            current, parts = element, []
        elif current is not None and not any(a.tag in ("li", "td", "th") for a in element.iterancestors()):
            parts.append(" ".join(element.text_content().split()))
    return entries + finished(current, parts, report, title)


def finished(heading, parts: list[str], report: str, title: str) -> list[SearchEntry]:
    """The search entry of a section, when it has text (linked to its heading's anchor where it has one)."""
    if heading is None or not any(parts):
        return []
    anchor = heading.get("id", "")
    href = f"{report}.html" + (f"#{anchor}" if anchor and is_anchor(anchor) else "")
    label = " ".join(heading.text_content().replace("¶", "").split())
    return [SearchEntry(href, title, label, " ".join(p for p in parts if p)[:SECTION_CHARS])]


def is_anchor(anchor: str) -> bool:
    """Whether a heading id is a plain anchor the index may link to (our slugs; nbconvert's heading ids)."""
    return ANCHOR.fullmatch(anchor) is not None


def search_entries(rows: list[dict[str, Any]]) -> list[SearchEntry]:
    """Search entries of every built report, in index order."""
    entries = []
    for row in rows:
        path = config.REPORTS / row["href"]
        if row["task"] != "appendix" and row["exists"]:
            entries += section_entries(path.read_text(encoding="utf-8"), row["output"], row["title"])
    return entries


def site_pages(specs, results, appendices, title: str) -> dict[Path, str]:
    """reports/index.html (grouped, with headlines and search) and reports/search-index.json, path -> text."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    from markupsafe import Markup
    rows = report_rows(specs, results) + appendix_rows(appendices or [])
    tasks, studies = grouped(rows)
    entries = search_entries(rows)
    page = {k: Markup(v) for k, v in index_resources().items()}
    env = Environment(loader=PackageLoader("icevidence", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True))
    html = env.get_template("index.html.j2").render(
        title=title, tasks=tasks, studies=studies, page=page, search_index=Markup(search_index_html(entries)),
        sections=len(entries), reports=sum(1 for r in rows if r["exists"] and r["task"] != "appendix"))
    index = json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=1)
    return {config.REPORTS / "index.html": html, config.REPORTS / SEARCH_INDEX: index}


def write_site(specs, results, appendices, title: str) -> Path:
    """Write reports/index.html and reports/search-index.json; return the index page's path."""
    pages = site_pages(specs, results, appendices, title)
    for path, text in pages.items():
        write_text(path, text)
    return config.REPORTS / "index.html"
