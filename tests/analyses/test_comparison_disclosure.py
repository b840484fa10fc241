"""Disclosure scan of the comparison report: built with min_cell 5, no file it writes shows a hidden count.

The report is built (as compendium entries of a fixture project holding the three studies and the
project's crosswalk) once per unit with min_cell 5, and once without suppression. Every file it
writes is scanned: the four matrices (site / study × references / participants) and the sites'
shares in CSV and XLSX, the HTML tables (a share beside each participant count), the heatmap's SVG
labels, the quotes (HTML columns and quotes.csv) and the sample composition. The same scan of the
unsuppressed build must find the counts, so the scan can fail.
"""
from __future__ import annotations

import pandas as pd
import pytest
from disclosure_scan import (
    HiddenCell,
    masked_cells,
    primary_cells,
    scan_csv,
    scan_html,
    scan_quote_columns,
    scan_quote_rows,
    scan_svg,
    scan_xlsx,
)
from fixture_project import add_crosswalk, build_project, make_project

from icevidence import Comparison, load_study
from icevidence.analyses import comparison as cmp
from icevidence.analyses.crosswalk import read_concepts, read_crosswalk
from icevidence.model import config

MIN_CELL = 5
STUDIES = ["tracy2025", "mitchell2020", "mitchell2023"]
SAMPLE_COLUMNS = ["tier", "level", "locality", "sector"]


def entry(output: str, unit: str, min_cell: int) -> dict:
    return {"output": output, "notebook": "study_comparison.ipynb", "title": "Comparison",
            "parameters": {"studies": STUDIES, "unit": unit, "min_cell": min_cell}}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    studies = {s: config.RAW / s for s in [*STUDIES, "tracy2020"]}
    reports = [entry(f"comparison-{unit}", unit, MIN_CELL) for unit in cmp.UNITS]
    reports.append(entry("comparison-open", "participants", 0))
    root = add_crosswalk(make_project(tmp_path_factory.mktemp("project"), studies, reports))
    done = build_project(root)
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "reports"


@pytest.fixture(scope="module")
def hidden() -> dict[str, list[HiddenCell]]:
    """Per matrix ('site-participants' ...): every count below 5 and every cell the library hides."""
    loaded = [load_study(s) for s in STUDIES]
    concepts = read_concepts()
    crosswalk = read_crosswalk(loaded, concepts=concepts)
    counts = cmp.comparison_counts(loaded, crosswalk, concepts)
    masks = cmp.comparison_masks(loaded, counts, MIN_CELL, crosswalk, concepts)
    return {name: sorted(set(primary_cells(name, table, MIN_CELL) + masked_cells(name, table, masks[name])), key=str)
            for name, table in counts.items()}


@pytest.fixture(scope="module")
def captions() -> dict[tuple[str, int], dict[str, str]]:
    """The captions of the concept and study matrices each report prints, per (unit, min_cell)."""
    loaded = [load_study(s) for s in STUDIES]
    concepts = read_concepts()
    crosswalk = read_crosswalk(loaded, concepts=concepts)
    found = {}
    for unit, min_cell in [*((u, MIN_CELL) for u in cmp.UNITS), ("participants", 0)]:
        result = Comparison(loaded, unit, min_cell, crosswalk, concepts)
        found[unit, min_cell] = {t.key: t.caption for t in (result.concept_table(), result.study_table())}
    return found


@pytest.fixture(scope="module")
def small_sample_counts() -> list[tuple[str, str, str]]:
    """(study, attribute, 'value n') of every sample composition count below 5, computed here."""
    found = []
    for study in (load_study(s) for s in STUDIES):
        for column in SAMPLE_COLUMNS:
            counts = study.participants[column].astype("object").fillna("not stated").value_counts()
            found += [(study.id, column, f"{value} {n}") for value, n in counts.items()
                      if study.participants[column].notna().any() and 0 < n < MIN_CELL]
    return found


def as_shown(cells: list[HiddenCell], caption: str, transpose: bool = False) -> list[HiddenCell]:
    """The cells as a report table shows them: its caption, rows and columns swapped when transposed."""
    return [HiddenCell(caption, c.column, c.row, c.value) if transpose
            else HiddenCell(caption, c.row, c.column, c.value) for c in cells]


def scan_report(reports, output: str, unit: str, hidden: dict[str, list[HiddenCell]],
                captions: dict[str, str]) -> list[str]:
    """Every place a hidden count (or its share) shows in the files one comparison report wrote."""
    folder, leaks = reports / "tables" / output, []
    for name, cells in hidden.items():
        by = name.split("-")[0]
        leaks += scan_csv(folder / f"{name}.csv", by, cells)
        leaks += scan_xlsx(folder / f"{output}.xlsx", name, by, cells)
    leaks += scan_csv(folder / "site-share.csv", "site", hidden["site-participants"])
    leaks += scan_xlsx(folder / f"{output}.xlsx", "site-share", "site", hidden["site-participants"])
    page = reports / f"{output}.html"
    site_cells = as_shown(hidden[f"site-{unit}"], captions["concept-matrix"], transpose=True)
    leaks += scan_html(page, site_cells)
    leaks += scan_html(page, as_shown(hidden[f"study-{unit}"], captions["study-matrix"]))
    leaks += scan_svg(reports / "figures" / output / "concept-heatmap.svg", site_cells)
    either_unit = {by: [c for u in cmp.UNITS for c in hidden[f"{by}-{u}"]] for by in cmp.BY}
    leaks += scan_quote_columns(page, as_shown(either_unit["site"], "quotes", transpose=True))
    for by in cmp.BY:
        leaks += scan_quote_rows(folder / "quotes.csv", as_shown(either_unit[by], "quotes", transpose=True),
                                 row_column="concept", column_column=by)
    return leaks


def scan_samples(reports, output: str, small: list[tuple[str, str, str]]) -> list[str]:
    """Sample composition counts below 5 printed in the samples table (CSV)."""
    samples = pd.read_csv(reports / "tables" / output / "samples.csv", dtype=str, keep_default_na=False)
    rows = samples.set_index("study")
    return [f"samples.csv: {study} {column} shows {text!r}" for study, column, text in small
            if text in [part.strip() for part in rows.at[study, column].split(";")]]


def test_the_studies_have_counts_to_hide(hidden, small_sample_counts):
    assert all(len(cells) >= 5 for cells in hidden.values()) and small_sample_counts


@pytest.mark.parametrize("unit", cmp.UNITS)
def test_comparison_report_shows_no_hidden_count(built, hidden, captions, unit):
    assert scan_report(built, f"comparison-{unit}", unit, hidden, captions[unit, MIN_CELL]) == []


@pytest.mark.parametrize("unit", cmp.UNITS)
def test_comparison_report_prints_no_small_sample_count(built, small_sample_counts, unit):
    assert scan_samples(built, f"comparison-{unit}", small_sample_counts) == []


def test_the_scan_finds_the_counts_in_a_comparison_built_without_suppression(built, hidden, captions,
                                                                            small_sample_counts):
    leaks = scan_report(built, "comparison-open", "participants", hidden, captions["participants", 0])
    for where in (".csv: cell", ".xlsx[", ".html «", ".svg:", "quote column", "quotes.csv: quote",
                  "site-share.csv: cell", ".xlsx[site-share]", " %) shows"):
        assert any(where in leak for leak in leaks), where
    assert scan_samples(built, "comparison-open", small_sample_counts)
