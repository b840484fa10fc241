"""Every real QDA export in ../shared/fixtures/real-exports goes through the whole pipeline without a traceback.

Each file is imported as a new user would (then again with the suggested study.yml the import
writes), every report kind is computed and rendered (HTML and files), and the study's appendix is
written. A file that is not a coded export (a codebook, a schema) must be refused with a domain
error saying what to do, never a traceback. Group columns must be the study's own: a study that
records no tiers gets no tier columns.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from icevidence.analyses.codes_by_cases import CodesByCases
from icevidence.analyses.cooccurrence import Cooccurrence
from icevidence.analyses.coverage import Coverage
from icevidence.analyses.framework import FrameworkMatrix
from icevidence.analyses.sample import SampleTables
from icevidence.analyses.theme_matrix import ThemeMatrix
from icevidence.build.cli import main
from icevidence.model import config
from icevidence.model.errors import CompendiumError
from icevidence.model.study import load_study
from icevidence.model.vocabulary import TIERS
from icevidence.present.appendix import appendix_document, write_appendix

REAL = config.SHARED / "fixtures" / "real-exports"
NOT_EXPORTS = {".md", ".xsd"}
EXPORTS = sorted(p for p in REAL.rglob("*") if p.is_file() and p.suffix.lower() not in NOT_EXPORTS) \
    if REAL.is_dir() else []
pytestmark = pytest.mark.skipif(not EXPORTS, reason=f"{REAL} is absent (CI has it); it holds the real exports")


def import_as_a_user(export: Path, out: Path) -> int:
    """`icevidence import`, then again with the suggested study.yml when the import wrote one."""
    code = main(["import", str(export), "--study", out.name, "--out", str(out)])
    suggested = out.parent / f"{out.name}-suggested-study.yml"
    if code == 0 and suggested.is_file():
        code = main(["import", str(export), "--study", out.name, "--out", str(out), "--config", str(suggested),
                     "--force"])
    return code


def every_result(study) -> list:
    """One result of every report kind a study can have."""
    results = [SampleTables(study), ThemeMatrix(study, level="main"), ThemeMatrix(study, level="sub"),
               ThemeMatrix(study, unit="participants"), CodesByCases(study), Cooccurrence(study),
               FrameworkMatrix(study)]
    return results + ([Coverage(study)] if not study.documents.empty else [])


@pytest.mark.parametrize("export", EXPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_real_export_imports_and_builds_every_report_kind_and_an_appendix(export, tmp_path, capsys):
    out = tmp_path / "raw" / "realstudy"
    try:
        code = import_as_a_user(export, out)
    except CompendiumError as refused:  # a file that is not a coded export: refused with a remedy
        assert "What to do:" in str(refused), f"{export.name}: refused without a remedy: {refused}"
        return
    err = capsys.readouterr().err
    if code != 0:
        assert "Traceback" not in err and "What to do" in err, f"{export.name}: refused without a remedy: {err}"
        return
    study = load_study("realstudy", root=out.parent)
    for result in every_result(study):
        assert result._repr_html_()
        result.write(tmp_path / "tables" / type(result).__name__, tmp_path / "figures")
    (tmp_path / "appendix").mkdir()
    write_appendix(appendix_document(study), tmp_path / "appendix")
    assert (tmp_path / "appendix" / "realstudy-appendix.docx").is_file()
    records_tiers = study.participants["tier"].notna().any()
    matrix = ThemeMatrix(study).table
    assert records_tiers or not set(TIERS) & set(map(str, matrix.columns)), \
        f"{export.name}: tier columns for a study without tiers"
