"""The one result shape: tables and figures with captions, views found through the registry, warnings as notes."""
from __future__ import annotations

import pandas as pd
import pytest

import icevidence as ic
from icevidence import SampleTables, ThemeMatrix
from icevidence.analyses.result import Result, Table, view_of


def test_classes_are_exposed_at_package_level():
    assert ic.SampleTables is SampleTables and ic.ThemeMatrix is ThemeMatrix


def test_warnings_become_one_note_not_output(mini, recwarn):
    import warnings

    from icevidence.analyses.result import collected
    notes: list[str] = []
    with collected(notes):
        warnings.warn("something odd", UserWarning, stacklevel=1)
        warnings.warn("something odd", UserWarning, stacklevel=1)
    assert notes == ["Note from the software: something odd"] and len(recwarn) == 0


def test_existing_dataframe_functions_still_return_frames(mini):
    assert isinstance(ic.theme_matrix(mini), pd.DataFrame) and isinstance(ic.sample_tables(mini)["n"], pd.DataFrame)


def test_a_caption_says_what_is_counted_the_unit_the_suppression_and_the_source():
    table = Table("t", "Title", pd.DataFrame(), counted="People per group", unit="participants",
                  suppression="Counts below 5 hidden.", source="Paper, Table 2")
    assert table.caption == "Title. People per group; unit: participants. Counts below 5 hidden. Source: Paper, Table 2."


def test_every_result_finds_its_view_and_renders_itself_as_html(mini):
    for result in (SampleTables(mini), ThemeMatrix(mini)):
        assert view_of(result) is not None and "<table" in result._repr_html_()


def test_a_result_without_a_view_of_its_own_gets_the_base_view():
    class Bare(Result):
        notes: list[str] = []

        def tables(self):
            return [Table("t", "Bare", pd.DataFrame({"n": [1]}))]
    assert "Bare." in Bare()._repr_html_()


def test_asking_for_a_table_that_is_not_there_names_those_that_are(mini):
    with pytest.raises(KeyError, match="'n'"):
        SampleTables(mini).by_key("nothing")
