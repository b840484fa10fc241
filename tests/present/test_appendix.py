"""A study's appendix document: honest title, sites in the study's own words, readings listed, empty figures
replaced by a sentence."""
from __future__ import annotations

import pandas as pd
import pytest
from fixture_paths import FIXTURES

from icevidence.analyses.result import Figure, Table
from icevidence.model.study import load_study
from icevidence.present.appendix import appendix_document, appendix_title, laid_out
from icevidence.present.document import Section


@pytest.fixture(scope="module")
def readings():
    return appendix_document(load_study("readings", root=FIXTURES / "studies"), min_cell=0)


def test_title_of_a_paper_appendix_says_it_is_a_reanalysis_made_with_icevidence():
    title = appendix_title(load_study("tracy2025"))
    assert title == "Reanalysis of the published evidence of Tracy et al. 2025, produced with icevidence"


def test_sites_are_named_as_study_yml_site_names_says(readings):
    printed = " ".join(str(v) for t in readings.tables for v in t.printed.astype(str).to_numpy().ravel())
    printed += " ".join(str(c) for t in readings.tables for c in t.printed.columns)
    assert "the northern site" in printed and "North " not in printed.replace("the northern site", "")


def test_every_recode_and_alias_is_listed_in_the_assumptions(readings):
    [section] = [s for s in readings.sections if s.title == "Declared assumptions"]
    text = " ".join(section.paragraphs)
    assert "'0–5' is counted as '<5'" in text and "ID PA is counted as P1" in text


def test_a_heatmap_suppression_leaves_empty_becomes_a_sentence():
    data = pd.DataFrame({"a": [1, 2], "b": [0, 3]}, index=["x", "y"])
    figure = Figure("h", "Codes by group", "heatmap", data, data.gt(0), "participants", min_cell=5)
    table = Table("t", "Counts", data)
    section = laid_out(Section("Themes", items=[table, figure]))
    assert section.items == [table] and "No figure is drawn for 'Codes by group'" in section.paragraphs[0]
