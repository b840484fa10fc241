"""The codebook: each code with its parent, level, definition and quotes at it and at or below it."""
from __future__ import annotations

from icevidence.analyses.codebook import Codebook


def test_every_code_is_listed_with_its_parent_in_tree_order(mini):
    frame = Codebook(mini).frame
    assert frame["Code"].tolist()[:3] == ["Theme A", "Theme A > Main X", "Theme A > Main X > Sub X1"]
    assert frame.set_index("Code").at["Theme A > Main X > Sub X1", "Parent"] == "Main X"


def test_quotes_are_counted_at_the_code_and_at_or_below_it(mini):
    # mini: S1, S2 at a.x.1; S3 at a.x.2; S4 at a.y; S6 at a (7 segments; S5 and S7 at b.z)
    frame = Codebook(mini).frame.set_index("Code")
    assert frame.at["Theme A", "Quotes at the code"] == 1 and frame.at["Theme A", "Quotes at or below it"] == 5
    assert frame["Quotes at the code"].sum() == len(mini.segments)


def test_small_quote_counts_are_suppressed_with_the_shared_rule(mini):
    [table] = Codebook(mini, min_cell=5).tables()
    assert "<5" in set(table.frame["Quotes at the code"].astype(str)) and "cells hidden" in table.caption
