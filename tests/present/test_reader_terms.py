"""Reports speak in the paper's terms: no compendium source number ('seed 000') and no data/raw/ path in
the HTML, CSV or XLSX any view writes for the papers' studies (the provenance annex aside)."""
from __future__ import annotations

import re
import zipfile

import pytest

from icevidence import Cooccurrence, FrameworkMatrix, SampleTables, ThemeMatrix, review
from icevidence.model.study import load_study

INTERNAL = re.compile(r"\bseed\s+\d{3}\b|data/raw/", re.IGNORECASE)
PAPERS = ["tracy2025", "mitchell2020", "mitchell2023"]


def results(study):
    return [SampleTables(study), ThemeMatrix(study, "sub", "participants"), FrameworkMatrix(study, "main"),
            Cooccurrence(study), review(study)]


@pytest.mark.parametrize("study_id", PAPERS)
def test_views_print_no_source_number_or_data_path(study_id, tmp_path):
    study = load_study(study_id)
    found = []
    for result in results(study):
        name = type(result).__name__
        found += [(name, "html", m) for m in INTERNAL.findall(result._repr_html_())]
        for path in result.write(tmp_path / name):
            if path.suffix == ".csv":
                text = path.read_text(encoding="utf-8")
            else:
                with zipfile.ZipFile(path) as book:
                    text = " ".join(book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml"))
            found += [(name, path.name, m) for m in INTERNAL.findall(text)]
    assert found == []
