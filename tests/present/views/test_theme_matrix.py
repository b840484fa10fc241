"""The theme-matrix view: rows grouped under their parents, a captioned workbook of every unit."""
from __future__ import annotations

from openpyxl import load_workbook

from icevidence import ThemeMatrix


def test_rows_group_under_their_parents_in_html(mini):
    page = ThemeMatrix(mini, "sub")._repr_html_()
    assert page.index("Theme A › Main X") < page.index("Sub X1") and 'class="icevidence-child"' in page


def test_write_makes_a_captioned_workbook_fit_to_paste(mini, tmp_path):
    paths = ThemeMatrix(mini, "sub", min_cell=2).write(tmp_path / "t", tmp_path / "f", name="m")
    assert {p.suffix for p in paths} == {".csv", ".xlsx", ".svg", ".pdf", ".png"}
    sheet = load_workbook(tmp_path / "t" / "m.xlsx")["references"]
    assert "sub codes by tier" in sheet["A1"].value
    assert sheet["A3"].font.bold and sheet.freeze_panes == "A4" and sheet.auto_filter.ref.startswith("A3:")
    assert "Source: " in sheet["A1"].value
    share = load_workbook(tmp_path / "t" / "m.xlsx")["share"]
    formats = {c.number_format for row in share.iter_rows(min_row=4) for c in row if isinstance(c.value, float)}
    assert formats == {"0.0%"}


def test_workbook_points_to_the_csv_when_quotes_are_too_many(mini, tmp_path, monkeypatch):
    import pandas as pd

    from icevidence.present import xlsx
    monkeypatch.setattr(xlsx, "MAX_SHEET_ROWS", 3)
    ThemeMatrix(mini, "main").write(tmp_path, name="r")
    sheet = load_workbook(tmp_path / "r.xlsx")["quotes"]
    notes = (c.value for row in sheet.iter_rows() for c in row if c.value and "rows:" in str(c.value))
    assert "quotes.csv" in next(notes)
    assert len(pd.read_csv(tmp_path / "quotes.csv")) == len(mini.segments)


def test_the_code_tree_folds_each_parent_with_its_segments(mini):
    from icevidence.analyses.result import view_of
    matrix = ThemeMatrix(mini, "sub")
    tree = view_of(matrix).html(matrix, ["tree"])
    assert tree.startswith('<ul class="icevidence-code-tree">') and "<details><summary>" in tree
    assert tree.count("<details>") == int(mini.codes["code_id"].isin(mini.codes["parent_id"]).sum())
    assert "segment" in tree


def test_the_code_tree_prints_no_counts_when_small_counts_are_suppressed(mini):
    from icevidence.present.views.theme_matrix import code_tree_html
    assert "segment" not in code_tree_html(mini, counted=False)


def test_the_code_tree_prints_code_names_as_text():
    import pandas as pd

    from icevidence.present.views.theme_matrix import code_tree_html

    class Study:
        codes = pd.DataFrame({"code_id": ["a", "b"], "parent_id": [None, "a"], "name": ["<b>A</b>", "<img src=x>"]})
        segments = pd.DataFrame({"code_id": ["b"]})
    tree = code_tree_html(Study())
    assert "<b>" not in tree and "<img" not in tree and "&lt;img src=x&gt; (1 segment)" in tree


def test_the_drilldown_is_a_list_the_reports_script_can_filter(mini):
    from icevidence.analyses.result import view_of
    matrix = ThemeMatrix(mini, "sub")
    quotes = view_of(matrix).html(matrix, ["quotes"])
    assert quotes.startswith('<div class="icevidence-filterable">') and "<h4 id=\"cell-" in quotes


def test_the_workbook_holds_each_count_unit_as_column_percentages(mini, tmp_path):
    ThemeMatrix(mini, "main").write(tmp_path, name="m")
    book = load_workbook(tmp_path / "m.xlsx")
    assert {"references-column-percent", "participants-column-percent"} <= set(book.sheetnames)
    sheet = book["references-column-percent"]
    header, rows = [c.value for c in sheet[3]], [r[1].value for r in sheet.iter_rows()]
    cell = sheet.cell(row=rows.index("Main X") + 1, column=header.index("micro %") + 1)
    assert cell.value == 0.667 and cell.number_format == "0.0%"


def test_column_percentages_show_under_their_parents_in_html(mini):
    from icevidence.analyses.result import view_of
    result = ThemeMatrix(mini, "sub")
    html = view_of(result).html(result, ["column-percent"])
    assert "as % of each column" in html and "micro %" in html and html.index("Theme A › Main X") < html.index("Sub X1")
    assert 'class="icevidence-matrix"' not in html  # the matrix a reader clicks through is the counts' alone
