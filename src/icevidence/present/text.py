"""How a cell reads as text, the same in HTML, DOCX and PDF: whole numbers bare, percentages to one decimal."""
from __future__ import annotations

import math
import numbers

import pandas as pd

PERCENT_SUFFIX = "%"


def cell_text(value: object, column: object = "") -> str:
    """A value as printed: missing blank, whole numbers without decimals, a '%' column to one decimal."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (bool, str)) or not isinstance(value, numbers.Real):
        return str(value)
    number = float(value)
    if math.isnan(number):
        return ""
    if str(column).endswith(PERCENT_SUFFIX):
        return f"{number:.1f}"
    if number.is_integer():
        return str(int(number))
    return f"{number:.0f}" if abs(number) >= 100 else f"{number:.3g}"


def is_numeric(values: pd.Series) -> bool:
    """True when a column holds numbers (or numbers and hidden '<k' cells, or 'n (p%)'), so it aligns right."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return True
    shown = values.dropna().astype(str)
    shown = shown[shown != ""]
    return bool(len(shown)) and bool(shown.str.fullmatch(r"n?<?-?[0-9][0-9.,]*( \([0-9.]+%\))?%?").all())
