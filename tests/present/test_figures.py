"""Figures: data labels shown literally, suppressed cells never plotted, deterministic files."""
from __future__ import annotations

import pandas as pd
from lxml import etree

from fixture_project import FIXTURE_STUDIES
from icevidence import load_study
from icevidence.present.escape import slug
from icevidence.present.figures import (
    FORMATS, heatmap_chart, literal, matrix_heatmap, render, study_name,
)
from icevidence.present.results import SampleTables, ThemeMatrix

CODE = r"Budget $\undefinedmacro{x}$"
SITE = r"$\bad^$"


def svg_texts(svg: bytes) -> list[str]:
    root = etree.fromstring(svg, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_literal_escapes_every_dollar():
    assert literal(CODE) == r"Budget \$\undefinedmacro{x}\$" and literal(5) == "5"


def test_labels_that_would_break_mathtext_render_as_typed():
    counts = pd.DataFrame({SITE: [3, 7]}, index=pd.Index([CODE, "other"]))
    chart = heatmap_chart(counts, counts.astype(bool) & False, "references", "<5", f"{SITE} title", "caption")
    texts = svg_texts(render(chart.fig, "svg", 100))
    assert CODE in texts and SITE in texts and f"{SITE} title" in texts


def test_hostile_study_figures_render_in_every_format(tmp_path):
    study = load_study("hostile", root=FIXTURE_STUDIES)
    paths = ThemeMatrix(study, "sub").figure().save(tmp_path, "m") + SampleTables(study).figure().save(tmp_path, "s")
    assert sorted(p.suffix for p in paths) == sorted(f".{f}" for f in FORMATS * 2) and all(p.stat().st_size for p in paths)


def test_compatibility_heatmap_accepts_dollar_labels():
    matrix = pd.DataFrame({SITE: [1], "total": [1]}, index=[CODE])
    fig = matrix_heatmap(matrix, CODE)
    assert fig.axes[0].get_title(loc="left") == literal(CODE)


def test_suppressed_cells_are_blank_and_marked_never_labelled_with_their_value(mini):
    matrix = ThemeMatrix(mini, "main", min_cell=3)
    svg = render(matrix.figure().fig, "svg", 100)
    ids = {e.get("id") for e in etree.fromstring(svg).iter() if e.get("id")}
    hidden = [(r, c) for r in matrix.mask.index for c in matrix.mask.columns if matrix.mask.at[r, c] and c != "total"]
    assert hidden
    assert all(slug(r, c, prefix="value") not in ids and slug(r, c, prefix="hidden") in ids for r, c in hidden)


def test_same_figure_gives_the_same_bytes_in_every_format(mini):
    chart = ThemeMatrix(mini, "sub").figure()
    assert all(render(chart.fig, f, 100) == render(chart.fig, f, 100) for f in FORMATS)
    assert b"CreationDate" not in render(chart.fig, "pdf", 100)


def test_titles_name_the_study_by_its_short_citation():
    assert study_name(load_study("tracy2025")) == "Tracy et al. 2025"


def test_chart_shows_in_a_notebook_with_its_caption_as_alt_text(mini):
    data, metadata = ThemeMatrix(mini, "main").figure()._repr_mimebundle_()
    assert data["image/png"] and metadata["image/png"]["alt"].startswith(study_name(mini))
