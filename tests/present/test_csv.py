"""The one CSV writer: text quoted and neutralised, numbers bare, line breaks kept inside their cell."""
from __future__ import annotations

import io

import pandas as pd

from icevidence.present.csv import csv_text, write_csv


def test_a_table_with_its_index_reads_back_as_written(tmp_path):
    df = pd.DataFrame({"n": [1, 2]}, index=pd.Index(["a", "b"], name="k"))
    assert pd.read_csv(write_csv(df, tmp_path / "t.csv"), index_col="k").equals(df)


def test_a_carriage_return_inside_a_quote_stays_in_its_row():
    df = pd.DataFrame({"quote": ["first\rsecond", "third"], "n": [1, 2]})
    back = pd.read_csv(io.StringIO(csv_text(df, index=False)))
    assert len(back) == 2 and back.at[0, "quote"] == "first\rsecond"


def test_formula_starts_get_an_apostrophe_and_numbers_stay_bare():
    text = csv_text(pd.DataFrame({"c": ["=1+1", "plain"], "n": [3, 4]}), index=False)
    assert "\"'=1+1\",3" in text and '"plain",4' in text
