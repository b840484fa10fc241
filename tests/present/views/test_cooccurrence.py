"""The co-occurrence view: the strongest pairs capped, the square, a sentence when nothing co-occurs, pairs as CSV."""
from __future__ import annotations

import pandas as pd

from icevidence import Cooccurrence
from icevidence.present import preview as qm


def doubled(mini):
    """The mini study with its first quote also coded Main Z: one co-occurring pair."""
    again = mini.segments.iloc[[0]].assign(segment_id="S1b", code_id="b.z")
    mini.segments = pd.concat([mini.segments, again], ignore_index=True)
    return mini


def test_html_says_so_when_no_passage_carries_two_codes(mini):
    page = Cooccurrence(mini, "main")._repr_html_()
    assert page.count("none: no passage carries two codes at this level") == 2 and "<table" not in page
    assert "<strong>mini: co-occurring main codes (references), strongest first:</strong> none" in page


def test_html_shows_the_pairs_and_the_square(mini):
    page = Cooccurrence(doubled(mini), "main")._repr_html_()
    assert page.count("<table") == 2 and "c-coefficient among the codes of the strongest pairs" in page


def test_the_pairs_are_capped_with_a_note(mini, monkeypatch):
    monkeypatch.setattr("icevidence.present.views.cooccurrence.MAX_PAIRS", 1)
    again = mini.segments.iloc[[0]].assign(segment_id="S1c", code_id="a.y")
    mini.segments = pd.concat([doubled(mini).segments, again], ignore_index=True)
    page = Cooccurrence(mini, "main")._repr_html_()
    assert "showing 1 of 3 rows" in page and "cooccurrence.csv, listed at the end" in page and qm.MAX_PAIRS == 50


def test_write_gives_every_pair_as_one_csv(mini, tmp_path):
    [path] = Cooccurrence(doubled(mini), "main").write(tmp_path)
    assert path.name == "cooccurrence.csv"
    assert pd.read_csv(path).to_dict("records") == [{"code_a": "Main X", "code_b": "Main Z", "n_a": 3, "n_b": 3,
                                                     "n_ab": 1, "c": 0.2}]
