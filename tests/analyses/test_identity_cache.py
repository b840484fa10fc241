"""Results remembered by the identity of their arguments (studies are not hashable)."""
from __future__ import annotations

import pandas as pd

from icevidence.analyses.identity_cache import remember_recent


def counted() -> tuple[list, object]:
    calls: list = []

    @remember_recent(size=2)
    def rows(studies: list, crosswalk: object) -> pd.DataFrame:
        calls.append(1)
        return pd.DataFrame({"n": [len(studies)]})
    return calls, rows


def test_the_same_objects_in_a_new_list_are_computed_once():
    calls, rows = counted()
    a, b, crosswalk = object(), object(), object()
    rows([a, b], crosswalk)
    rows([a, b], crosswalk)
    assert len(calls) == 1


def test_other_objects_are_computed_again():
    calls, rows = counted()
    a, crosswalk = object(), object()
    rows([a], crosswalk)
    rows([a], object())
    rows([object()], crosswalk)
    assert len(calls) == 3


def test_only_the_most_recent_results_are_kept():
    calls, rows = counted()
    first, second, third, crosswalk = object(), object(), object(), object()
    for study in (first, second, third, first):
        rows([study], crosswalk)
    assert len(calls) == 4


def test_a_caller_changing_its_copy_does_not_change_the_next():
    calls, rows = counted()
    a, crosswalk = object(), object()
    rows([a], crosswalk).loc[0, "n"] = 99
    assert rows([a], crosswalk).loc[0, "n"] == 1
