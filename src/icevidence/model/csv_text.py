"""CSV text as every table is written: UTF-8, LF line ends, and a carriage return never bare.

Python's csv module (3.11) quotes a cell holding the line terminator ("\\n") but not a lone
carriage return, which every CSV reader takes as a row end: the rows after it shift. A table
holding one is therefore written with every text cell quoted (numbers stay bare), so the cell
reads back whole; a table without one is written as before, byte for byte.
"""
from __future__ import annotations

import csv

import pandas as pd


def holds_carriage_return(frame: pd.DataFrame, index: bool = False) -> bool:
    """True when any text cell, column label (or, with ``index``, index label) holds a carriage return."""
    labels = [*map(str, frame.columns), *(map(str, frame.index) if index else [])]
    if any("\r" in label for label in labels):
        return True
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_object_dtype(values):
            continue
        if values.map(lambda v: isinstance(v, str) and "\r" in v).any():
            return True
    return False


def csv_text(frame: pd.DataFrame, index: bool = False) -> str:
    """The table as CSV text with LF line ends; every text cell quoted when a carriage return is in it."""
    quoting = csv.QUOTE_NONNUMERIC if holds_carriage_return(frame, index) else csv.QUOTE_MINIMAL
    return frame.to_csv(index=index, lineterminator="\n", quoting=quoting)
