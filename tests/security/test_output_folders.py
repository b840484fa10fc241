"""Output folders are the user's: no command replaces a folder of files or a folder of the project's own."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from icevidence.build.cli import main
from icevidence.model import config
from icevidence.model.atomic import STAGING_PREFIX

from .hostile import GONE_PID, assert_one_line_refusal


def snapshot(folder: Path) -> dict[Path, bytes]:
    """Every file below a folder with its bytes, to check that nothing was changed or removed."""
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def users_folder(tmp_path) -> Path:
    """A folder of the user's own files, outside the project."""
    folder = tmp_path / "mine"
    (folder / "notes").mkdir(parents=True)
    (folder / "thesis.docx").write_bytes(b"years of work")
    (folder / "notes" / "todo.txt").write_text("finish chapter 3")
    return folder


def test_appendix_refuses_an_existing_folder_of_user_files(project, users_folder, capsys):
    before = snapshot(users_folder)
    code = main(["appendix", "mini", "--out", str(users_folder)])
    assert_one_line_refusal(code, capsys.readouterr().err, str(users_folder), "--force")
    assert snapshot(users_folder) == before


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_appendix_refuses_data_raw_even_with_force(project, capsys, force):
    before = snapshot(project / "data")
    code = main(["appendix", "mini", "--out", str(project / "data" / "raw"), *force])
    assert_one_line_refusal(code, capsys.readouterr().err, "data/raw", "project's own folder")
    assert snapshot(project / "data") == before


@pytest.mark.parametrize("folder", ["notebooks", "data", "data/raw/mini", "reports/.cache", "src", "tests", ".",
                                    "..", "data/raw/new-folder"])
def test_appendix_refuses_every_project_folder_with_force(project, capsys, folder):
    (project / "reports" / ".cache").mkdir(parents=True)
    (project / "reports" / ".cache" / "tiny.json").write_text("{}")
    before = snapshot(project)
    code = main(["appendix", "mini", "--out", str(project / folder), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own folder")
    assert snapshot(project) == before


def test_appendix_refuses_a_symlink_to_data_raw(project, tmp_path, capsys):
    link = tmp_path / "innocent"
    link.symlink_to(project / "data" / "raw")
    before = snapshot(project / "data")
    code = main(["appendix", "mini", "--out", str(link), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own folder")
    assert snapshot(project / "data") == before


def test_appendix_with_force_writes_beside_the_users_files(project, users_folder, capsys):
    before = snapshot(users_folder)
    assert main(["appendix", "mini", "--out", str(users_folder), "--force"]) == 0, capsys.readouterr().err
    after = snapshot(users_folder)
    assert all(after[path] == data for path, data in before.items())
    assert (users_folder / "mini-appendix.pdf").is_file()
    assert not [p for p in users_folder.parent.iterdir() if p.name.startswith(STAGING_PREFIX)]


def test_appendix_replaces_its_own_default_folder(project, capsys):
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    stale = config.APPENDIX / "mini" / "figures" / "S99.svg"
    stale.write_text("<svg/>")
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    assert (config.APPENDIX / "mini" / "mini-appendix.pdf").is_file() and not stale.exists()
    assert [p.name for p in config.APPENDIX.iterdir()] == ["mini"]


def test_a_staging_folder_of_a_killed_appendix_is_removed_at_the_next_run(project, capsys):
    abandoned = config.APPENDIX / f"{STAGING_PREFIX}{GONE_PID}-mini-x1y2"
    (abandoned / "mini").mkdir(parents=True)
    (abandoned / "mini" / "mini-appendix.pdf").write_bytes(b"half")
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    assert not abandoned.exists()


def test_a_staging_folder_of_a_running_appendix_is_kept(project, capsys):
    alive = config.APPENDIX / f"{STAGING_PREFIX}{os.getppid()}-mini-x1y2"
    alive.mkdir(parents=True)
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    assert alive.is_dir()


def test_matrices_refuses_a_study_folder(project, capsys):
    before = snapshot(project / "data")
    code = main(["matrices", "mini", "--out", str(project / "data" / "raw" / "mini"), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own folder")
    assert snapshot(project / "data") == before


def test_matrices_refuses_a_folder_of_user_files(project, users_folder, capsys):
    before = snapshot(users_folder)
    code = main(["matrices", "mini", "--out", str(users_folder)])
    assert_one_line_refusal(code, capsys.readouterr().err, "--force")
    assert snapshot(users_folder) == before


def test_matrices_with_force_keeps_the_users_files(project, users_folder, capsys):
    before = snapshot(users_folder)
    assert main(["matrices", "mini", "--out", str(users_folder), "--force"]) == 0, capsys.readouterr().err
    assert all(snapshot(users_folder)[path] == data for path, data in before.items())
    assert (users_folder / "codes_by_cases.csv").is_file()


def test_import_force_refuses_a_folder_that_is_not_a_study(project, users_folder, capsys, tmp_path):
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    before = snapshot(users_folder)
    code = main(["import", str(export), "--study", "x", "--out", str(users_folder), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "not a study folder")
    assert snapshot(users_folder) == before


def test_import_refuses_an_out_inside_notebooks(project, capsys, tmp_path):
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    code = main(["import", str(export), "--study", "x", "--out", str(project / "notebooks" / "x")])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own folder")
    assert not (project / "notebooks" / "x").exists()


def test_export_refuses_to_replace_a_file_without_force(project, users_folder, capsys):
    target = users_folder / "thesis.docx"
    code = main(["export-qdpx", "mini", str(target)])
    assert_one_line_refusal(code, capsys.readouterr().err, "already exists", "--force")
    assert target.read_bytes() == b"years of work"


def test_export_refuses_a_file_inside_a_study_folder(project, capsys):
    target = project / "data" / "raw" / "mini" / "segments.csv"
    before = target.read_bytes()
    code = main(["export-qdpx", "mini", str(target), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own folder")
    assert target.read_bytes() == before


def test_export_refuses_the_projects_own_files(project, capsys):
    before = (project / "compendium.yml").read_bytes()
    code = main(["export-qdpx", "mini", str(project / "compendium.yml"), "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "project's own files")
    assert (project / "compendium.yml").read_bytes() == before


def test_synth_refuses_to_replace_a_file_without_force(project, users_folder, capsys):
    target = users_folder / "thesis.docx"
    code = main(["synth", "--participants", "2", "--segments", "4", "--codes", "2", "--out", str(target)])
    assert_one_line_refusal(code, capsys.readouterr().err, "already exists")
    assert target.read_bytes() == b"years of work"


def test_build_refuses_a_reports_folder_that_is_data(project, monkeypatch, capsys):
    monkeypatch.setattr(config, "REPORTS", project / "data")
    before = snapshot(project / "data")
    code = main(["build"])
    assert_one_line_refusal(code, capsys.readouterr().err, "ICEVIDENCE_REPORTS", "project's own folder")
    assert snapshot(project / "data") == before


def test_a_staging_folder_left_by_an_earlier_version_is_removed(project, capsys):
    legacy = config.APPENDIX / ".mini-k3j_9x2a"
    (legacy / "mini").mkdir(parents=True)
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    assert not legacy.exists()
