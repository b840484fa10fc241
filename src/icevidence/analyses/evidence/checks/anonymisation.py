"""Anonymisation: what the paper says it withholds, against what its quotes and IDs print.

conduct.yml records each statement (`anonymisation`): a site the Methods do not name (`withholds:
site`, with the `names` a reader must not find) named in a quote; professions the paper withholds
(`withholds: profession`) revealed of a speaker by an editorial insertion after 'we', 'us' or 'our'
('for us [community nurses]'); quote IDs said not to link to a participant (`withholds:
participant`) that are rows of the participant table, so a quote links to a person's printed
attributes. Each is medium: the paper undoes an anonymisation it states.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ....model.study import Study
from ..conduct import CONDUCT_FILE, read_conduct
from ..findings import as_findings, finding, location_in_paper, quote_excerpt
from ..pairs import quotes_for_reuse, reused_pairs
from ..quotes import id_form, printed_quotes
from ..registry import Check, register_check

CHECK = "anonymisation"
FIRST_PERSON = r"\b(?:we|we're|we’re|us|our|ours|i|i'm|i’m|me|my)\s*\["


def check_anonymisation(study: Study) -> pd.DataFrame:
    """One finding per anonymisation statement the paper's own quotes or IDs undo."""
    quotes = printed_quotes(study)
    rows = []
    for statement in read_conduct(study)["anonymisation"]:
        made = {"site": named_site, "profession": disclosed_profession, "participant": linked_ids}
        row = made[statement["withholds"]](study, statement, quotes)
        if row:
            rows.append(row)
    return as_findings(rows)


def named_site(study: Study, statement: dict[str, Any], quotes: pd.DataFrame) -> dict[str, str] | None:
    """Quotes that print a site name the paper withholds."""
    names = [str(n) for n in statement.get("names") or []]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")", re.IGNORECASE) if names else None
    hits = quotes[quotes["text"].astype(str).str.contains(pattern, regex=True)] if pattern else quotes.iloc[0:0]
    if hits.empty:
        return None
    printed = [n for n in names if hits["text"].str.contains(n, case=False, regex=False).any()]
    return finding(study.id, CHECK, "withheld site named in quotes", "medium",
                   "; ".join(dict.fromkeys(hits["location"])),
                   f"{statement['id']}: the paper withholds the site's name ({paper_terms(statement)}), yet "
                   f"{len(hits)} quote(s) print {', '.join(repr(n) for n in printed)}",
                   "; ".join(hits["segment_ids"]), claim=str(statement["text"]), quotes=listing(hits))


def disclosed_profession(study: Study, statement: dict[str, Any], quotes: pd.DataFrame) -> dict[str, str] | None:
    """Editorial insertions after a first-person word that name a profession the paper withholds."""
    terms = [str(n) for n in statement.get("names") or []]
    insertion = re.compile(FIRST_PERSON + r"([^\]]*)\]", re.IGNORECASE)
    hits = []
    for quote in quotes.itertuples(index=False):
        for inserted in insertion.findall(str(quote.text)):
            if any(re.search(rf"\b{re.escape(t)}\b", inserted, re.IGNORECASE) for t in terms):
                hits.append((quote, inserted))
    if not hits:
        return None
    said = "; ".join(f"{q.attribution_raw or '—'} '[{inserted}]'" for q, inserted in hits)
    return finding(study.id, CHECK, "withheld profession revealed", "medium",
                   "; ".join(dict.fromkeys(q.location for q, _ in hits)),
                   f"{statement['id']}: the paper withholds professions ({paper_terms(statement)}), yet editorial "
                   f"insertions name the speaker's own: {said}",
                   "; ".join(q.segment_ids for q, _ in hits), claim=str(statement["text"]),
                   quotes=listing(pd.DataFrame([q._asdict() for q, _ in hits])))


def linked_ids(study: Study, statement: dict[str, Any], quotes: pd.DataFrame) -> dict[str, str] | None:
    """Quote IDs that are participant-table rows, and IDs of two forms one quote links to each other."""
    table = set(study.participants["participant_id"].dropna())
    linked = quotes[quotes["participant_id"].isin(table)]
    bridges = form_bridges(study, table)
    if linked.empty and not bridges:
        return None
    where = "; ".join(dict.fromkeys(location_in_paper(loc)[0].split(",")[0] for loc in linked["location"]))
    detail = (f"{statement['id']}: the paper says quote IDs do not link to a participant ({paper_terms(statement)}), "
              f"yet {len(linked)} quote(s) ({where}) carry IDs that are rows of the participant table "
              f"({', '.join(dict.fromkeys(linked['participant_id']))}), so each links to that person's printed "
              "attributes")
    if bridges:
        detail += f"; and one quote printed under two ID forms links them: {', '.join(bridges)}"
    return finding(study.id, CHECK, "quote IDs link to the participant table", "medium", statement["location"],
                   detail, "; ".join(linked["segment_ids"]), claim=str(statement["text"]))


def paper_terms(statement: dict[str, Any]) -> str:
    """Where a statement stands, in the paper's own terms."""
    return location_in_paper(statement["location"])[0]


def form_bridges(study: Study, table: set[str]) -> list[str]:
    """'G1PK = G1P13' for each quote printed under a table ID and an ID of another form."""
    pairs = reused_pairs(quotes_for_reuse(study))
    bridges = []
    for pair in pairs.to_dict("records") if len(pairs) else []:
        a, b = pair["participant_id_a"], pair["participant_id_b"]
        if pd.isna(a) or pd.isna(b) or id_form(a) == id_form(b) or not ({a, b} & table):
            continue
        listed, other = (a, b) if a in table else (b, a)
        bridges.append(f"{other} = {listed}")
    return list(dict.fromkeys(bridges))


def listing(quotes: pd.DataFrame) -> str:
    """Quotes one per line with their attribution as printed."""
    return "\n".join(f"{q['segment_ids']} ({q['attribution_raw'] if isinstance(q['attribution_raw'], str) else '—'}): "
                     f"{quote_excerpt(q['text'])}" for q in quotes.to_dict("records"))


register_check(Check(CHECK, check_anonymisation, "site names, professions and linkable IDs the paper says it withholds",
                     needs=(CONDUCT_FILE,), why="no conduct.yml: no anonymisation statement recorded", order=45))
