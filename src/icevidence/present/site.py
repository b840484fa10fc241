"""The compendium as one site: the navigation bar on every report, each page's script and policy, and the
search index the index page carries.

Everything here is our markup around escaped text: titles and section names come from
compendium.yml and the reports (untrusted), so they pass through `escape.text`; links are only
to report files whose names were checked and to anchors we generate (slugs). The search index is
HTML (hidden list items), never data inside a script: the page's script reads it as text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .escape import slug, text
from .html import fragment
from .interactive import needs_tables, page_script, page_style, policy

HREF = re.compile(r"^(index\.html|[A-Za-z0-9][A-Za-z0-9_-]*\.html)?(#[A-Za-z0-9_.-]+)?$")
TASKS = {"rerun": "Rerun an analysis", "review": "Review a paper", "appendix": "Take an appendix"}


@dataclass
class Crumb:
    """One link of the navigation bar: a label and where it goes (None: the current page)."""

    label: str
    href: str | None = None


@dataclass
class SearchEntry:
    """One searchable passage: a section of a report, where it is, and its text."""

    href: str
    report: str
    section: str
    text: str


def checked_href(href: str) -> str:
    """A link the site makes: a report file of the site and/or a generated anchor, never data."""
    if not HREF.fullmatch(href):
        raise ValueError(f"not a link the site generates: {href!r}")
    return href


def study_anchor(study: str) -> str:
    """The index page's anchor for a study's group."""
    return slug(study, prefix="study")


def task_anchor(task: str) -> str:
    """The index page's anchor for a task's group."""
    return f"task-{task}"


@fragment
def navigation_html(crumbs: Sequence[Crumb]) -> str:
    """The navigation bar: the compendium's index, then the report's groups, then search."""
    items = []
    for crumb in crumbs:
        if crumb.href is None:
            items.append(f'<span aria-current="page">{text(crumb.label)}</span>')
        else:
            items.append(f'<a href="{text(checked_href(crumb.href))}">{text(crumb.label)}</a>')
    return f'<nav class="icevidence-site" aria-label="Compendium">{"".join(items)}</nav>'


def report_crumbs(title: str, studies: Iterable[str], task: str) -> list[Crumb]:
    """A report's navigation: all reports, its studies' and its task's groups on the index, search."""
    crumbs = [Crumb("All reports", "index.html")]
    crumbs += [Crumb(f"Study: {s}", f"index.html#{study_anchor(s)}") for s in studies]
    crumbs += [Crumb(TASKS[task], f"index.html#{task_anchor(task)}"), Crumb(title),
               Crumb("Search all reports", "index.html#search")]
    return crumbs


def page_resources(body_html: str, navigation: str = "") -> dict[str, dict[str, str]]:
    """What the report template needs: the policy, styles, script (only when a table needs it), navigation."""
    tables = needs_tables(body_html)
    script = page_script("tables.js") if tables else None
    site = {"policy": policy(script), "style": page_style(tables), "navigation": navigation}
    if script:
        site["script"] = script
    return {"icevidence": site}


@fragment
def search_index_html(entries: Sequence[SearchEntry]) -> str:
    """The search index as a hidden list the index page's script reads (each entry escaped text)."""
    items = "".join(f'<li data-href="{text(checked_href(e.href))}"><b>{text(e.report)}</b><i>{text(e.section)}</i>'
                    f"<span>{text(e.text)}</span></li>" for e in entries)
    return f'<ol id="icevidence-search-index" hidden>{items}</ol>'


def index_resources() -> dict[str, str]:
    """The index page's script (the site search), its policy and styles."""
    script = page_script("search.js")
    return {"script": script, "policy": policy(script), "style": page_style(False)}

