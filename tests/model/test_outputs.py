"""The output guard: the project's own folders are never targets; the user's files need --force."""
from __future__ import annotations

from pathlib import Path

import pytest

from icevidence.model import config
from icevidence.model.outputs import (
    UnsafeOutputError,
    check_output_file,
    check_output_folder,
    check_reports_folder,
    check_study_folder,
    project_folders,
)


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """A project root with data/raw/mini (a study), notebooks/ and reports/ moved into tmp_path."""
    root = tmp_path / "project"
    (root / "data" / "raw" / "mini").mkdir(parents=True)
    (root / "data" / "raw" / "mini" / "study.yml").write_text("id: mini\n")
    (root / "notebooks").mkdir()
    for name, value in {"ROOT": root, "DATA": root / "data", "RAW": root / "data" / "raw",
                        "NOTEBOOKS": root / "notebooks", "REPORTS": root / "reports"}.items():
        monkeypatch.setattr(config, name, value)
    return root


def test_project_folders_include_data_raw_and_the_build_cache(root):
    folders = project_folders()
    assert (root / "data" / "raw").resolve() in folders and (root / "reports" / ".cache").resolve() in folders


def test_a_new_folder_outside_the_project_is_accepted(root, tmp_path):
    assert check_output_folder(tmp_path / "new", force=False) == (tmp_path / "new").resolve()


def test_an_empty_existing_folder_is_accepted_without_force(root, tmp_path):
    (tmp_path / "empty").mkdir()
    assert check_output_folder(tmp_path / "empty", force=False) == (tmp_path / "empty").resolve()


def test_a_non_empty_folder_needs_force(root, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "a.txt").write_text("a")
    with pytest.raises(UnsafeOutputError, match="already holds 1"):
        check_output_folder(tmp_path / "full", force=False)
    assert check_output_folder(tmp_path / "full", force=True) == (tmp_path / "full").resolve()


def test_a_file_is_not_an_output_folder(root, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(UnsafeOutputError, match="is a file"):
        check_output_folder(tmp_path / "f", force=True)


def test_an_ancestor_of_the_project_is_refused_with_force(root):
    with pytest.raises(UnsafeOutputError, match="folder holding the project's own folder"):
        check_output_folder(root.parent, force=True)


def test_a_folder_inside_data_is_refused(root):
    with pytest.raises(UnsafeOutputError, match="lies inside the project's own folder"):
        check_output_folder(root / "data" / "elsewhere", force=True)


def test_a_folder_inside_the_project_but_not_its_own_is_accepted(root):
    assert check_output_folder(root / "appendix-for-journal", force=False) == (root / "appendix-for-journal").resolve()


def test_an_existing_file_needs_force(root, tmp_path):
    (tmp_path / "out.qdpx").write_bytes(b"x")
    with pytest.raises(UnsafeOutputError, match="already exists"):
        check_output_file(tmp_path / "out.qdpx", force=False, option="OUT")
    assert check_output_file(tmp_path / "out.qdpx", force=True, option="OUT") == (tmp_path / "out.qdpx").resolve()


def test_a_folder_is_not_an_output_file(root, tmp_path):
    with pytest.raises(UnsafeOutputError, match="is a folder"):
        check_output_file(tmp_path, force=True, option="OUT")


def test_a_file_of_the_project_root_is_never_replaced(root):
    (root / "compendium.yml").write_text("reports: []\n")
    with pytest.raises(UnsafeOutputError, match="project's own files"):
        check_output_file(root / "compendium.yml", force=True, option="OUT")


def test_an_import_may_write_a_new_study_folder_under_data_raw(root):
    assert check_study_folder(root / "data" / "raw" / "new", force=False) == (root / "data" / "raw" / "new").resolve()


def test_an_import_may_not_write_deeper_inside_data(root):
    with pytest.raises(UnsafeOutputError, match="lies inside"):
        check_study_folder(root / "data" / "raw" / "mini" / "x", force=True)


def test_an_import_replaces_a_study_folder_only_with_force(root):
    with pytest.raises(UnsafeOutputError, match="already exists"):
        check_study_folder(root / "data" / "raw" / "mini", force=False)
    assert check_study_folder(root / "data" / "raw" / "mini", force=True) == (root / "data" / "raw" / "mini").resolve()


def test_the_reports_folder_may_not_be_the_project_root(root, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", root)
    with pytest.raises(UnsafeOutputError, match="ICEVIDENCE_REPORTS"):
        check_reports_folder()


def test_the_default_reports_folder_is_accepted(root):
    assert check_reports_folder() == (root / "reports").resolve()
