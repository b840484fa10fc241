"""The escaping boundary: every value from data passes through here before it becomes HTML.

Data never becomes Markdown or HTML: it is escaped as text, and only our own templates and
these helpers write markup. Links point only to anchors we generate (slugs), never to data.
"""
from __future__ import annotations

import hashlib
import html
import re

import pandas as pd

SLUG_PATTERN = re.compile(r"[^a-z0-9]+")


def text(value: object) -> str:
    """A value as HTML text: quotes and angle brackets escaped; missing values empty."""
    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


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


def table_uuid(df: pd.DataFrame, caption: str) -> str:
    """A Styler id derived from the table's caption and columns, so two builds give the same HTML."""
    seed = caption + "|" + "|".join(map(str, df.columns)) + "|" + str(len(df))
    return "t" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:10]


def is_numeric_column(values: pd.Series) -> bool:
    """True when a column holds numbers (or numbers and hidden '<k' cells), so it aligns right."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return True
    shown = values.dropna().astype(str)
    return bool(len(shown)) and bool(shown.str.fullmatch(r"<?-?[0-9][0-9.,]*( \([0-9.]+%\))?%?").all())


def styled(df: pd.DataFrame, caption: str):
    """A pandas Styler that escapes every cell, label and the caption; text left, numbers right."""
    df = with_escaped_axis_names(df)
    styler = df.style.format(escape="html", na_rep="").format_index(escape="html", axis=0) \
        .format_index(escape="html", axis=1).set_caption(text(caption)).set_uuid(table_uuid(df, caption))
    rules = [{"selector": "caption", "props": "text-align: left; font-weight: bold; padding: .3em 0;"},
             {"selector": "th", "props": "text-align: left;"}]
    for position, column in enumerate(df.columns):
        align = "right" if is_numeric_column(df[column]) else "left"
        rules.append({"selector": f"td.col{position}", "props": f"text-align: {align};"})
    styler = styler.set_table_styles(rules)
    return styler.hide(axis="index") if isinstance(df.index, pd.RangeIndex) else styler


def with_escaped_axis_names(df: pd.DataFrame) -> pd.DataFrame:
    """A shallow copy whose index and column names are escaped (Styler prints names verbatim)."""
    out = df.copy(deep=False)
    out.index = out.index.set_names([None if n is None else text(n) for n in out.index.names])
    out.columns = out.columns.set_names([None if n is None else text(n) for n in out.columns.names])
    return out
