"""Disclosure scan: sample and theme-matrix reports built with min_cell 5 show no hidden count anywhere.

The fixture study 'smallcells' has both large and small counts. Every file a report writes
(CSV, XLSX, HTML, SVG) is scanned cell by cell; the same scan of reports built without
suppression must find the small counts, so the scan is shown able to fail.
"""
from __future__ import annotations

import pytest
from disclosure_scan import (
    HiddenCell,
    formula_cells,
    masked_cells,
    primary_cells,
    scan_csv,
    scan_headings,
    scan_html,
    scan_quotes_csv,
    scan_svg,
    scan_xlsx,
)
from fixture_project import FIXTURE_STUDIES, build_project, make_project

from icevidence import SampleTables, ThemeMatrix, load_study
from icevidence.analyses.disclosure import anonymity_statement
from icevidence.analyses.sample import ATTRIBUTE_LABELS

MIN_CELL = 5
MATRICES = [("sub", "references"), ("sub", "participants"), ("sub", "share"), ("main", "participants")]


def report_list(min_cell: int, suffix: str) -> list[dict]:
    reports = [{"output": f"sample{suffix}", "notebook": "sample_tables.ipynb", "title": "Sample",
                "parameters": {"study": "smallcells", "min_cell": min_cell}}]
    reports += [{"output": f"matrix-{level}-{unit}{suffix}", "notebook": "theme_matrix.ipynb", "title": "Matrix",
                 "parameters": {"study": "smallcells", "level": level, "unit": unit, "min_cell": min_cell}}
                for level, unit in MATRICES]
    return reports


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = make_project(tmp_path_factory.mktemp("project"), {"smallcells": FIXTURE_STUDIES / "smallcells"},
                        report_list(MIN_CELL, "") + report_list(0, "-open"))
    done = build_project(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "reports"


@pytest.fixture(scope="module")
def study():
    return load_study("smallcells", root=FIXTURE_STUDIES)


def hidden_sample_cells(study) -> dict[str, list[HiddenCell]]:
    tables = SampleTables(study, min_cell=MIN_CELL)
    return {name: sorted(set(primary_cells(tables.caption[name], counts, MIN_CELL)
                             + masked_cells(tables.caption[name], counts, tables.mask[name])), key=str)
            for name, counts in tables.counts.items()}


def hidden_matrix_cells(matrix: ThemeMatrix) -> list[HiddenCell]:
    return sorted(set(primary_cells(matrix.caption, matrix.counts, MIN_CELL)
                      + masked_cells(matrix.caption, matrix.counts, matrix.mask)), key=str)


def scan_sample(reports, study, output: str) -> list[str]:
    folder, leaks = reports / "tables" / output, []
    for name, cells in hidden_sample_cells(study).items():
        key = "Tier" if name == "n" else ATTRIBUTE_LABELS.get(name, name)
        leaks += scan_csv(folder / f"{name}.csv", key, cells)
        leaks += scan_xlsx(folder / f"{output}.xlsx", name, key, cells)
        leaks += scan_html(reports / f"{output}.html", cells)
        leaks += scan_svg(reports / "figures" / output / "composition.svg", cells)
    return leaks


def scan_matrix(reports, study, level: str, unit: str, output: str) -> list[str]:
    folder, leaks = reports / "tables" / output, []
    quoted = []
    for other in ("references", "participants"):
        quoted += hidden_matrix_cells(ThemeMatrix(study, level, other, min_cell=MIN_CELL))
    for each in ("references", "participants", "share"):
        cells = hidden_matrix_cells(ThemeMatrix(study, level, each, min_cell=MIN_CELL))
        leaks += scan_csv(folder / f"{each}.csv", f"{level} code", cells)
        leaks += scan_xlsx(folder / f"{output}.xlsx", each, f"{level} code", cells)
    cells = hidden_matrix_cells(ThemeMatrix(study, level, unit, min_cell=MIN_CELL))
    leaks += scan_html(reports / f"{output}.html", cells)
    leaks += scan_svg(reports / "figures" / output / f"heatmap-{unit}.svg", cells)
    leaks += scan_headings(reports / f"{output}.html", quoted)
    leaks += scan_quotes_csv(folder / "quotes.csv", quoted)
    return leaks


def test_the_fixture_has_counts_to_hide(study):
    assert sum(len(c) for c in hidden_sample_cells(study).values()) >= 5
    assert len(hidden_matrix_cells(ThemeMatrix(study, "sub", "references", min_cell=MIN_CELL))) >= 3


def test_sample_report_shows_no_hidden_count(built, study):
    assert scan_sample(built, study, "sample") == []


@pytest.mark.parametrize(("level", "unit"), MATRICES)
def test_theme_matrix_report_shows_no_hidden_count(built, study, level, unit):
    assert scan_matrix(built, study, level, unit, f"matrix-{level}-{unit}") == []


def test_the_scan_finds_the_counts_in_reports_built_without_suppression(built, study):
    assert len(scan_sample(built, study, "sample-open")) >= 5
    leaks = scan_matrix(built, study, "sub", "references", "matrix-sub-references-open")
    assert any(".csv" in leak for leak in leaks) and any("drill-down heading" in leak for leak in leaks)
    assert any(".svg" in leak for leak in leaks) and any(".xlsx" in leak for leak in leaks)


def page_text(path) -> str:
    from lxml import html as lxml_html
    return " ".join(lxml_html.fromstring(path.read_text(encoding="utf-8")).text_content().split())


@pytest.mark.parametrize(("output", "min_cell"), [("sample", MIN_CELL), ("sample-open", 0)])
def test_sample_report_states_how_identifiable_the_participants_are(built, study, output, min_cell):
    statement = anonymity_statement(study, min_cell)
    assert "-anonymous" in statement and statement in page_text(built / f"{output}.html")


def test_no_workbook_written_holds_a_formula(built):
    workbooks = sorted((built / "tables").rglob("*.xlsx"))
    assert workbooks and [c for w in workbooks for c in formula_cells(w)] == []
