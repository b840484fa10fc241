"""Result objects: counts, one mask, display tables, exports, quotes of shown cells only."""
from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

import icevidence as ic
from icevidence.matrix import theme_matrix
from icevidence.present.results import SampleTables, ThemeMatrix


def test_classes_are_exposed_at_package_level():
    assert ic.SampleTables is SampleTables and ic.ThemeMatrix is ThemeMatrix


def test_share_is_hidden_where_the_participant_count_is(mini):
    share = ThemeMatrix(mini, "main", "share", min_cell=3)
    participants = theme_matrix(mini, "main", "participants")
    assert share.counts.equals(participants)
    hidden = share.mask.to_numpy()
    assert hidden.any() and all(str(v).startswith("n<") for v in share.table.to_numpy()[hidden])


def test_mask_is_decided_on_counts_not_percentages(mini):
    share = ThemeMatrix(mini, "main", "share", min_cell=3)
    assert share.mask.equals(ThemeMatrix(mini, "main", "participants", min_cell=3).mask)


def test_quotes_of_hidden_cells_are_left_out(mini):
    matrix = ThemeMatrix(mini, "main", min_cell=3)
    shown = {(r, g) for r, g in zip(matrix.quotes()["row"].astype(str), matrix.quotes()["group"].astype(str))}
    assert all(matrix.shown_cells.at[r, g] for r, g in shown)
    assert len(matrix.quotes()) < len(ThemeMatrix(mini, "main").quotes())


def test_without_min_cell_nothing_is_hidden_and_every_quote_is_listed(mini):
    matrix = ThemeMatrix(mini, "sub")
    assert not matrix.mask.to_numpy().any() and len(matrix.quotes()) == len(mini.segments)


def test_sub_level_export_carries_its_parents_as_columns(mini):
    export = ThemeMatrix(mini, "sub").export()
    assert list(export.columns[:3]) == ["overarching code", "main code", "sub code"]
    assert export.set_index("sub code").at["Sub X1", "main code"] == "Main X"


def test_rows_group_under_their_parents_in_html(mini):
    page = ThemeMatrix(mini, "sub").html()
    assert page.index("Theme A › Main X") < page.index("Sub X1") and 'class="icevidence-child"' in page


def test_sample_export_has_separate_numeric_count_and_percent_columns(mini):
    export = SampleTables(mini).export("gender")
    assert {"micro n", "micro %"} <= set(export.columns)
    assert export.at["Female", "micro n"] == 2 and export.at["Female", "micro %"] == 50.0


def test_group_size_hidden_in_n_is_hidden_in_every_total_row(mini):
    tables = SampleTables(mini, min_cell=3)
    assert tables.mask["n"].at["macro", "n"]
    assert all(tables.mask[name].at["Total", "macro"] for name in tables.attributes)


def test_percentages_are_dropped_where_the_column_total_is_hidden(mini):
    table = SampleTables(mini, min_cell=3).table["professional_group"]
    assert not any("%" in str(v) for v in table["macro"])


def test_write_makes_a_captioned_workbook_fit_to_paste(mini, tmp_path):
    paths = ThemeMatrix(mini, "sub", min_cell=2).write(tmp_path / "t", tmp_path / "f", name="m")
    assert {p.suffix for p in paths} == {".csv", ".xlsx", ".svg", ".pdf", ".png"}
    sheet = load_workbook(tmp_path / "t" / "m.xlsx")["references"]
    assert "sub codes by tier" in sheet["A1"].value
    assert sheet["A3"].font.bold and sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    assert any(str(c.value).startswith("Source:") for row in sheet.iter_rows() for c in row if c.value)
    share = load_workbook(tmp_path / "t" / "m.xlsx")["share"]
    formats = {c.number_format for row in share.iter_rows(min_row=4) for c in row if isinstance(c.value, float)}
    assert formats == {"0.0%"}


def test_warnings_become_one_note_not_output(mini, recwarn):
    import warnings

    from icevidence.present.results import collected
    notes: list[str] = []
    with collected(notes):
        warnings.warn("something odd", UserWarning)
        warnings.warn("something odd", UserWarning)
    assert notes == ["Note from the software: something odd"] and len(recwarn) == 0


def test_single_group_shows_counts_as_the_matrix_does(mini):
    table = ThemeMatrix(mini, "main", min_cell=3).single_group()
    assert set(table.columns) == {"theme", "only group", "references"}
    assert all(isinstance(v, str) and v.startswith("<") or v >= 3 for v in table["references"])


def test_existing_dataframe_functions_still_return_frames(mini):
    assert isinstance(ic.theme_matrix(mini), pd.DataFrame) and isinstance(ic.sample_tables(mini)["n"], pd.DataFrame)
