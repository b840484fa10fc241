"""Sample arithmetic: stated counts recomputed, breakdowns added up, bands read."""
from __future__ import annotations

import pytest

from icevidence import load_study
from icevidence.analyses.evidence.checks import sample as sm


def test_bands_in_order_without_gaps_or_overlaps_pass():
    assert sm.band_problems(["<5", "5-10", "11-20", ">20"]) == []


@pytest.mark.parametrize("bands, kind", [
    (["10-5"], "inverted band"),
    (["5-10", "10-15"], "bands share a boundary"),
    (["<5", "0–5"], "overlapping bands"),
    (["15–20", "15-20"], "band printed two ways"),
])
def test_invalid_bands_are_found(bands, kind):
    assert [p[0] for p in sm.band_problems(bands)] == [kind]


def test_band_reading():
    assert sm.parse_band("5–10") == (5, 10) and sm.parse_band(">30")[0] == 31
    assert sm.parse_band("<5") == (float("-inf"), 4) and sm.parse_band("senior") is None


def test_counts_that_agree_and_add_up_give_no_high_finding(mini_copy):
    (mini_copy / "reported_counts.csv").write_text(
        "location,statement,group_field,group_value,attribute,attribute_value,count\n"
        "Table 2,group 2 n,tier,meso,,,2\nTable 2,group 2 female,tier,meso,gender,Female,1\n"
        "Table 2,group 2 male,tier,meso,gender,Male,1\nText,total,,,,,7\n")
    found = sm.check_sample(load_study("mini", root=mini_copy.parent))
    assert not (found["severity"] == "high").any()


def test_counts_that_differ_or_do_not_add_up_are_high(mini):
    found = sm.check_sample(mini)
    kinds = set(found.loc[found["severity"] == "high", "kind"])
    assert {"count differs from the data", "breakdown does not add up"} <= kinds


def test_the_same_count_stated_differently_in_text_and_table_is_found(mini_copy):
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Abstract,total,,,,,8\n")
    found = sm.check_sample(load_study("mini", root=mini_copy.parent))
    conflict = found[found["kind"] == "stated counts disagree"]
    assert len(conflict) == 1 and "8 at Abstract" in conflict.iloc[0]["detail"]
