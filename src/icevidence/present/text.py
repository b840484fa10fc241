"""How a cell reads as text, the same in HTML, DOCX and PDF: whole numbers bare, percentages to one decimal."""
from __future__ import annotations

import math
import numbers
import re

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


FIELD_LABELS = {
    "segment_id": "Quote ID", "participant_id": "Participant", "code_id": "Code ID", "parent_id": "Parent code ID",
    "attribution_raw": "Attribution as printed", "attribution_status": "Attribution status", "row": "Row",
    "text": "Quote", "location": "Location in the paper", "n": "n", "k": "k",
}
FIELD_NAME = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")


def column_label(name: object) -> str:
    """A column's label for a reader: known field names in words, other snake_case names spaced and capitalised;
    labels already in words are kept."""
    text = str(name)
    if text in FIELD_LABELS:
        return FIELD_LABELS[text]
    if FIELD_NAME.fullmatch(text):
        words = text.replace("_", " ")
        return words[:1].upper() + words[1:]
    return text
