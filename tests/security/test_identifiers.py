"""Identifiers are checked the same way by every command: device names and case-only twins refused."""
from __future__ import annotations

import pytest

from icevidence.build.cli import main

from .hostile import assert_one_line_refusal, files_under

DEVICES = ["CON", "nul", "Com1", "LPT9", "aux", "prn"]


@pytest.mark.parametrize("name", DEVICES)
def test_import_refuses_a_windows_device_name(project, tmp_path, capsys, name):
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    code = main(["import", str(export), "--study", name])
    assert_one_line_refusal(code, capsys.readouterr().err, "reserves for a device")
    assert not (project / "data" / "raw" / name).exists()


@pytest.mark.parametrize("command", [["matrices"], ["appendix"], ["export-qdpx"], ["build", "--only"]])
def test_every_command_refuses_a_device_name(project, tmp_path, capsys, command):
    extra = [str(tmp_path / "o.qdpx")] if command == ["export-qdpx"] else []
    code = main([*command, "NUL", *extra])
    assert_one_line_refusal(code, capsys.readouterr().err, "'NUL'")
    assert not (tmp_path / "o.qdpx").exists()


@pytest.mark.parametrize("command", [["matrices"], ["appendix"]])
def test_matrices_and_appendix_refuse_a_path_as_study_id(project, capsys, command):
    code = main([*command, "../../etc"])
    assert_one_line_refusal(code, capsys.readouterr().err, "not a plain name")


def test_import_refuses_a_study_id_differing_only_by_case(project, tmp_path, capsys):
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    before = files_under(project / "data")
    code = main(["import", str(export), "--study", "MINI", "--force"])
    assert_one_line_refusal(code, capsys.readouterr().err, "differs only by case", "'mini'")
    assert files_under(project / "data") == before


@pytest.mark.parametrize("command", [["matrices"], ["appendix"]])
def test_a_case_twin_of_a_study_is_no_study(project, capsys, command):
    code = main([*command, "Mini"])
    assert_one_line_refusal(code, capsys.readouterr().err, "no study 'Mini'")


def test_compendium_outputs_differing_only_by_case_are_refused(project, capsys):
    (project / "compendium.yml").write_text("reports:\n  - {output: Tiny, notebook: tiny.ipynb}\n"
                                            "  - {output: tiny, notebook: tiny.ipynb}\n  - {output: con, "
                                            "notebook: tiny.ipynb}\n")
    code = main(["list"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "output 'tiny' repeats reports[1] ('Tiny') except for case" in err
    assert "output 'con' is a name Windows reserves for a device" in err
