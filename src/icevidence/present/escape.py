"""The escaping boundary: every value from data passes through here before it becomes HTML, a figure label
or a spreadsheet cell.

Data never becomes Markdown or HTML: it is escaped as text, and only our own templates and
these helpers write markup. Links point only to anchors we generate (slugs), never to data.
Figure labels are shown literally (matplotlib never reads them as mathtext). Spreadsheet cells
that a spreadsheet would run as a formula are neutralised (OWASP CSV injection advice): a text
starting with '=', '+', '-', '@', a tab or a carriage return gets a leading apostrophe.
"""
from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

from ..model.characters import visible

SLUG_PATTERN = re.compile(r"[^a-z0-9]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# right-to-left letters (Hebrew, Arabic, Syriac, Thaana, NKo, ... and their presentation forms) and bidi controls
RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
                           "\u061c\u200f\u202a-\u202e\u2066-\u2069]")


def text(value: object) -> str:
    """A value as HTML element content: quotes and angle brackets escaped, bidi text isolated; missing values empty.

    For element content only; an attribute value takes html.escape (a <bdi> there would be text).
    """
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return isolated(html.escape(str(value), quote=True))


def attribute(value: object) -> str:
    """A value as an HTML attribute value: quotes and angle brackets escaped (no <bdi>, which would be text there)."""
    return html.escape(str(value), quote=True)


def isolated(escaped: str) -> str:
    """Escaped text in <bdi> when it holds right-to-left letters or bidi controls, so neither its direction nor
    an unclosed override (U+202E) can reorder the page around it; other text unchanged."""
    return f"<bdi>{escaped}</bdi>" if RIGHT_TO_LEFT.search(escaped) else escaped


def unescape(fragment: str) -> str:
    """The text an escaped HTML fragment stands for (to re-escape text taken from our own markup)."""
    return html.unescape(fragment)


def label(value: object) -> str:
    """A data string as a figure label, shown as typed: '$' escaped so matplotlib never reads it as mathtext."""
    return visible(value).replace("$", r"\$")


def neutralise(value: object) -> object:
    """A text value that a spreadsheet cannot run: a leading apostrophe before =, +, -, @, tab or CR."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of a table with every text cell, index label and column label neutralised."""
    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            out[column] = neutralise_column(out[column])
    out.index = neutralise_index(out.index)
    out.columns = neutralise_index(out.columns)
    return out


def neutralise_column(column: pd.Series) -> pd.Series:
    """A column as objects with its risky text cells neutralised (vectorised: reports can hold 1M quotes)."""
    values = column.astype(object)
    try:
        risky = values.str.startswith(FORMULA_STARTS, na=False).astype(bool)
    except AttributeError:  # no text in the column
        return values
    if risky.any():
        values = values.copy()
        values[risky] = "'" + values[risky]
    return values


def neutralise_index(index: pd.Index) -> pd.Index:
    """An index whose text labels and names are neutralised."""
    if isinstance(index, pd.MultiIndex):
        return pd.MultiIndex.from_tuples([tuple(neutralise(v) for v in t) for t in index],
                                         names=[neutralise(n) for n in index.names])
    if pd.api.types.is_numeric_dtype(index):
        return index
    return pd.Index([neutralise(v) for v in index], name=neutralise(index.name), dtype=object)


def slug(*parts: object, prefix: str = "cell") -> str:
    """An HTML id made from data: lowercase letters, digits and '-' only, so never a URL or markup."""
    joined = "--".join(str(p) for p in parts).lower()
    cleaned = SLUG_PATTERN.sub("-", joined).strip("-")
    digest = hashlib.sha1(joined.encode("utf-8")).hexdigest()[:6]
    return f"{prefix}-{cleaned[:60]}-{digest}" if cleaned else f"{prefix}-{digest}"


def anchor_link(target: str, label: str) -> str:
    """A link to an anchor on this page; the target must be a slug we made."""
    if not re.fullmatch(r"[a-z0-9-]+", target):
        raise ValueError(f"not a generated anchor: {target!r}")
    return f'<a href="#{target}">{text(label)}</a>'
