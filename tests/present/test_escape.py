"""The escaping boundary: HTML text, figure labels and spreadsheet cells from data never run as code."""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence.present.escape import anchor_link, label, neutralise_frame, slug, text


def test_spreadsheet_cells_that_look_like_formulas_are_prefixed():
    table = pd.DataFrame({"text": ["=SUM(A1)", "+1", "-x", "@me", "\tx", "\rx", "plain"], "n": range(7)})
    assert neutralise_frame(table)["text"].tolist() == ["'=SUM(A1)", "'+1", "'-x", "'@me", "'\tx", "'\rx", "plain"]


def test_numbers_and_labels_of_a_neutralised_table_stay_numbers_and_lose_their_formulas():
    table = neutralise_frame(pd.DataFrame({"=x": [-1]}, index=pd.Index(["@y"])))
    assert table.iloc[0, 0] == -1 and list(table.columns) == ["'=x"] and list(table.index) == ["'@y"]


def test_html_text_escapes_markup_and_quotes():
    assert text('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;" and text(None) == ""


def test_a_figure_label_escapes_every_dollar():
    assert label("$5 and $6") == r"\$5 and \$6"


def test_slugs_hold_only_letters_digits_and_hyphens():
    assert all(ch.isalnum() or ch == "-" for ch in slug('"><script>', "x y"))


def test_a_link_to_anything_but_a_generated_anchor_is_refused():
    with pytest.raises(ValueError):
        anchor_link("javascript:alert(1)", "x")
