"""Hostile strings in a study (code names, quotes, citation) print literally in every appendix file."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import appendix_helpers as helpers
import openpyxl
import pandas as pd
import pytest
from fixture_paths import FIXTURES

from icevidence.build.appendix import build_appendix
from icevidence.model import config
from icevidence.model.errors import ConfigError

FIXTURE = FIXTURES / "studies" / "mini"
HOSTILE = {
    "Theme A": '#eval("1+1")',
    "Main X": "]",
    "Main Y": "$x$ <script>alert(1)</script>",
    "Main Z": '=HYPERLINK("http://example.org","click")',
}
QUOTE = '#set page(width: 1cm) ] [ *bold* @ref <lab> \\ `raw`'
CONTROL = "bell\x07 and form feed\x0c in a quote"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The mini study with hostile code names and a hostile quote, built in a temporary data root."""
    raw = tmp_path_factory.mktemp("raw")
    study = raw / "mini"
    shutil.copytree(FIXTURE, study)
    codes = pd.read_csv(study / "codes.csv", dtype=str, keep_default_na=False)
    codes["name"] = codes["name"].replace(HOSTILE)
    codes.to_csv(study / "codes.csv", index=False)
    segments = pd.read_csv(study / "segments.csv", dtype=str, keep_default_na=False)
    segments.loc[0, "text"] = QUOTE
    segments.loc[1, "text"] = CONTROL
    segments.to_csv(study / "segments.csv", index=False)
    out = tmp_path_factory.mktemp("out") / "mini"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "RAW", raw)
        patch.setattr(config, "CROSSWALK", raw / "no-crosswalk.csv")
        build_appendix("mini", out=out)
    return out


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_pdf_prints_typst_markup_and_html_literally(folder):
    text = flat(helpers.pdf_text(folder / "mini-appendix.pdf"))
    for name in HOSTILE.values():
        assert name in text, name
    assert "[ *bold* @ref <lab>" in text


def test_docx_prints_hostile_names_literally(folder):
    text = helpers.docx_text(folder / "mini-appendix.docx")
    assert all(name in text for name in HOSTILE.values())
    assert QUOTE in text


def test_xlsx_neutralises_formulas_and_keeps_text(folder):
    book = openpyxl.load_workbook(folder / "mini-tables.xlsx")
    values = [c for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
              if isinstance(c, str)]
    assert "'" + HOSTILE["Main Z"] in values
    assert not any(v.startswith(("=", "+", "@")) for v in values)
    assert HOSTILE["Main Y"] in values and HOSTILE["Theme A"] in values


def test_svg_labels_show_dollars_and_tags_as_text(folder):
    labels = [label for svg in (folder / "figures").glob("*.svg") for label in helpers.svg_labels(svg)]
    assert HOSTILE["Main Y"] in labels and HOSTILE["Theme A"] in labels


def test_unknown_or_path_like_study_id_is_refused(tmp_path):
    for bad in ("../tracy2025", "no-such-study", "tracy2025/../x"):
        with pytest.raises(ConfigError, match="no study"):
            build_appendix(bad, out=tmp_path / "x")
    assert not (tmp_path / "x").exists()


def test_negative_min_cell_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="min_cell"):
        build_appendix("tracy2025", min_cell=-1, out=tmp_path / "x")


def test_control_characters_are_dropped_not_fatal(folder):
    text = helpers.docx_text(folder / "mini-appendix.docx")
    assert "bell and form feed in a quote" in text
