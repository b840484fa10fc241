"""Figures: data labels shown literally, suppressed cells never plotted, deterministic files."""
from __future__ import annotations

import pandas as pd
from fixture_project import FIXTURE_STUDIES
from lxml import etree

from icevidence import SampleTables, ThemeMatrix, load_study
from icevidence.analyses.result import Figure
from icevidence.present.escape import label as literal
from icevidence.present.escape import slug
from icevidence.present.figures import FORMATS, draw, render

CODE = r"Budget $\undefinedmacro{x}$"
SITE = r"$\bad^$"


def svg_texts(svg: bytes) -> list[str]:
    root = etree.fromstring(svg, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    return ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_literal_escapes_every_dollar():
    assert literal(CODE) == r"Budget \$\undefinedmacro{x}\$" and literal(5) == "5"


def test_a_typed_backslash_dollar_is_shown_as_typed():
    counts = pd.DataFrame({"a": [1]}, index=pd.Index([r"cost \$5"]))
    texts = svg_texts(render(draw(Figure("h", r"cost \$5 title", "heatmap", counts)), "svg", 100))
    assert r"cost \$5" in texts and r"cost \$5 title" in texts


def test_labels_that_would_break_mathtext_render_as_typed():
    counts = pd.DataFrame({SITE: [3, 7]}, index=pd.Index([CODE, "other"]))
    fig = draw(Figure("h", f"{SITE} title", "heatmap", counts, value_label="references", hidden_label="<5"))
    texts = svg_texts(render(fig, "svg", 100))
    assert CODE in texts and SITE in texts and f"{SITE} title" in texts


def test_hostile_study_figures_render_in_every_format(tmp_path):
    study = load_study("hostile", root=FIXTURE_STUDIES)
    paths = ThemeMatrix(study, "sub").figure().save(tmp_path, "m") + SampleTables(study).figure().save(tmp_path, "s")
    assert sorted(p.suffix for p in paths) == sorted(f".{f}" for f in FORMATS * 2)
    assert all(p.stat().st_size for p in paths)


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


def test_chart_shows_in_a_notebook_with_its_caption_as_alt_text(mini):
    data, metadata = ThemeMatrix(mini, "main").figure()._repr_mimebundle_()
    assert data["image/png"] and metadata["image/png"]["alt"].startswith(mini.short_name)


def test_long_heatmap_column_labels_wrap_onto_lines_without_splitting_a_word():
    counts = pd.DataFrame({"Manchester locality A": [1], "Supercalifragilistic": [2]}, index=["c"])
    labels = [t.get_text() for t in draw(Figure("h", "t", "heatmap", counts)).axes[0].get_xticklabels()]
    assert labels == ["Manchester\nlocality A", "Supercalifragilistic"]
