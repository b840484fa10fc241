"""CSV text: LF line ends, and a carriage return inside a cell always quoted so the rows never shift."""
from __future__ import annotations

import io

import pandas as pd

from icevidence.model.csv_text import csv_text


def read_back(text: str) -> list[dict]:
    return pd.read_csv(io.StringIO(text, newline=""), dtype="string", keep_default_na=False,
                       na_values=[""]).to_dict("records")


def test_a_bare_carriage_return_reads_back_whole():
    frame = pd.DataFrame({"text": ["one\rtwo", None, "three"], "n": [1, 2, 3]}).astype(object)
    assert read_back(csv_text(frame)) == [{"text": "one\rtwo", "n": "1"}, {"text": None, "n": "2"},
                                          {"text": "three", "n": "3"}]


def test_a_table_without_carriage_returns_is_written_as_pandas_writes_it():
    frame = pd.DataFrame({"text": ["a, b", "c"], "n": [1, 2]})
    assert csv_text(frame) == frame.to_csv(index=False, lineterminator="\n")
