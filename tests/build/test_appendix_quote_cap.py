"""The appendix's quote table lists at most QUOTES_PER_CELL quotes per cell, and every caption says so.

The mini study has one cell with two quotes; built with the cap set to 1 (the one constant the
table, its rows and its caption read), the caption in the DOCX, the PDF and the XLSX README must
name the cap and the number of quotes it left out.
"""
from __future__ import annotations

import re

import appendix_helpers as helpers
import openpyxl
import pytest
from fixture_paths import FIXTURES as TEST_FIXTURES

from icevidence.analyses.theme_matrix import drilldown
from icevidence.build.appendix import build_appendix
from icevidence.model import config
from icevidence.model.study import load_study
from icevidence.present.views import theme_matrix as content

FIXTURES = TEST_FIXTURES / "studies"
CAP = 1


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def capped(tmp_path_factory):
    """The mini study's appendix built with a cap of one quote per cell: (folder, quotes caption, quotes left out)."""
    study = load_study("mini", root=FIXTURES)
    sizes = drilldown(study, content.evidence_level(study), study.group_by).groupby(["row", "group"], observed=True).size()
    left_out = int((sizes - CAP).clip(lower=0).sum())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(content, "QUOTES_PER_CELL", CAP)
        patch.setattr(config, "RAW", FIXTURES)
        patch.setattr(config, "CROSSWALK", FIXTURES / "no-crosswalk.csv")
        caption = content.quotes_section(study, 0).items[0].caption
        out = tmp_path_factory.mktemp("appendix") / "mini"
        build_appendix("mini", out=out)
    return out, caption, left_out


def test_the_fixture_has_a_cell_above_the_cap(capped):
    assert capped[2] >= 1


def test_caption_names_the_cap_and_the_quotes_left_out(capped):
    _, caption, left_out = capped
    assert f"at most {CAP} quote listed per cell" in caption
    assert f"so {left_out} quote{'s' if left_out != 1 else ''} in " in caption


def test_docx_pdf_and_xlsx_readme_carry_the_cap_caption(capped):
    folder, caption, _ = capped
    statement = caption[caption.index("at most"):caption.index("; unit:")]
    assert statement in flat(helpers.docx_text(folder / "mini-appendix.docx"))
    assert statement in flat(helpers.pdf_text(folder / "mini-appendix.pdf"))
    readme = openpyxl.load_workbook(folder / "mini-tables.xlsx")["README"]
    assert any(statement in flat(str(cell)) for row in readme.iter_rows(values_only=True) for cell in row if cell)


def test_caption_says_when_no_cell_reaches_the_cap():
    caption = content.quotes_section(load_study("tracy2025"), 0).items[0].caption
    assert f"at most {content.QUOTES_PER_CELL} quotes listed per cell (no cell has more)" in caption
