"""The one CSV writer: UTF-8, LF line ends, every text cell quoted and neutralised, written atomically."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ..model.atomic import write_bytes
from .escape import neutralise_frame


def csv_text(df: pd.DataFrame, index: bool = True) -> str:
    """A table as CSV text: text cells neutralised and quoted, numbers bare.

    Every text cell is quoted: a carriage return or line break inside a quoted cell stays inside
    it, so a spreadsheet never starts a new row (or a formula) there.
    """
    return neutralise_frame(df).to_csv(index=index, lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC)


def write_csv(df: pd.DataFrame, path: Path, index: bool = True) -> Path:
    """Write a table as CSV (see csv_text), atomically."""
    return write_bytes(path, csv_text(df, index).encode("utf-8"))
