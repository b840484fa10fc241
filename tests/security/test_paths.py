"""Identifiers are names, never paths: refused by the CLI and config.inside before anything is written."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from icevidence.build.cli import main
from icevidence.model import config
from icevidence.model.errors import CompendiumError

from .hostile import assert_one_line_refusal, files_under

BAD_IDS = ["../../../x", "/tmp/icevidence-absolute-study", "a/b", "..", "a\\b", "x y", "a.b", "-", "é" * 3]


@pytest.mark.parametrize("study", BAD_IDS)
def test_import_refuses_a_study_id_that_is_not_a_name(project, tmp_path, capsys, study):
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    before = files_under(tmp_path)
    code = main(["import", str(export), "--study", study])
    assert_one_line_refusal(code, capsys.readouterr().err, "study id", "plain name")
    assert files_under(tmp_path) == before
    assert not Path("/tmp/icevidence-absolute-study").exists()


def test_export_refuses_a_study_id_that_is_not_a_name(project, tmp_path, capsys):
    code = main(["export-qdpx", "../../etc", str(tmp_path / "out.qdpx")])
    assert_one_line_refusal(code, capsys.readouterr().err, "study id")
    assert not (tmp_path / "out.qdpx").exists()


def test_build_only_refuses_a_report_name_that_is_a_path(project, capsys):
    code = main(["build", "--only", "../../x"])
    assert_one_line_refusal(code, capsys.readouterr().err, "report name")
    assert not (project / "reports").exists()


@pytest.mark.parametrize("name", ["../x", "a/b", "/abs", ""])
def test_inside_refuses_names_that_are_paths(project, name):
    with pytest.raises(CompendiumError):
        config.inside(config.REPORTS, name)


def test_inside_refuses_a_root_that_is_not_an_output_folder(project, tmp_path):
    with pytest.raises(CompendiumError, match="output folders"):
        config.inside(tmp_path, "fine")


def test_inside_returns_the_path_for_a_plain_name(project):
    assert config.inside(config.REPORTS, "tiny", suffix=".html") == project / "reports" / "tiny.html"


def test_study_dir_refuses_a_path(project):
    with pytest.raises(CompendiumError, match="not a plain name"):
        config.study_dir("../../etc")


def test_refusal_from_a_separate_process_is_one_line_with_exit_code_2(tmp_path):
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(tmp_path / "reports")}
    done = subprocess.run([sys.executable, "-m", "icevidence", "import", str(tmp_path / "x.qdpx"),
                           "--study", "../../../x"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert_one_line_refusal(done.returncode, done.stderr, "--study", "'../../../x'")
    assert not (tmp_path.parent.parent / "x").exists()
