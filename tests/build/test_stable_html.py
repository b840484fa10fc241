"""Reproducible HTML: two forced builds of the same report give byte-identical pages, figures and tables."""
from __future__ import annotations

import filecmp
import shutil

from fixture_project import FIXTURE_STUDIES, build_project, make_project

REPORTS = [{"output": "mini-matrix", "notebook": "theme_matrix.ipynb", "title": "Mini matrix",
            "parameters": {"study": "mini", "level": "sub", "min_cell": 2}},
           {"output": "mini-sample", "notebook": "sample_tables.ipynb", "title": "Mini sample",
            "parameters": {"study": "mini"}}]


def test_two_forced_builds_give_byte_identical_output(tmp_path):
    root = make_project(tmp_path / "project", {"mini": FIXTURE_STUDIES / "mini"}, REPORTS)
    for folder in ("first", "second"):
        done = build_project(root)
        assert done.returncode == 0, done.stdout + done.stderr
        shutil.move(root / "reports", tmp_path / folder)  # the same place each time: pages name their files
    first, second = tmp_path / "first", tmp_path / "second"
    files = sorted(str(p.relative_to(first)) for p in first.rglob("*")
                   if p.is_file() and p.suffix in {".html", ".svg", ".pdf", ".png", ".csv", ".xlsx"})
    assert any(f.endswith("mini-matrix.html") for f in files) and any(f.endswith(".svg") for f in files)
    _, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert mismatch == [] and errors == []
    assert 'id="cell-id=' not in (first / "mini-matrix.html").read_text(encoding="utf-8")
