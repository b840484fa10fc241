"""compendium.yml is validated before anything runs: every problem listed, with its entry and remedy."""
from __future__ import annotations

from pathlib import Path

import pytest

from icevidence.build import compendium
from icevidence.build.cli import main
from icevidence.build.compendium import CompendiumSchemaError
from icevidence.model import config

from .hostile import files_under


def problems_of(project: Path, text: str) -> list[str]:
    (project / "compendium.yml").write_text(text)
    with pytest.raises(CompendiumSchemaError) as caught:
        compendium.load()
    return [p.line() for p in caught.value.problems]


def test_the_projects_own_compendium_is_valid():
    assert len(compendium.load(config.COMPENDIUM).reports) > 0


def test_a_misspelt_parameter_is_refused_with_the_close_name(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb, parameters: {studdy: mini}}\n")
    assert len(lines) == 1 and "reports[1] ('a')" in lines[0] and "'studdy' -> 'study'" in lines[0]


def test_an_unknown_entry_key_is_refused(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb, min_cel: 5}\n")
    assert "unknown key 'min_cel'" in lines[0]


def test_an_unknown_top_level_key_is_refused(project):
    lines = problems_of(project, "reprots: []\nreports: []\n")
    assert "'reprots' -> 'reports'" in lines[0]


@pytest.mark.parametrize("name", ["../../x", "sub/dir", "/tmp/abs", "a b", "x.html", ""])
def test_an_output_that_is_not_a_plain_name_is_refused(project, name):
    lines = problems_of(project, f"reports:\n  - {{output: '{name}', notebook: tiny.ipynb}}\n")
    assert any("not a plain name" in line for line in lines)


def test_two_entries_with_the_same_output_are_refused(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb}\n"
                                 "  - {output: a, notebook: tiny.ipynb}\n")
    assert lines == ["reports[2] ('a'): output 'a' repeats reports[1]. What to do: give each entry its own output"]


def test_a_missing_notebook_is_refused_naming_those_that_exist(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: gone.ipynb}\n")
    assert "no notebook 'gone.ipynb'" in lines[0] and "tiny.ipynb" in lines[0]


def test_a_parameter_of_the_wrong_type_is_refused(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb, parameters: {hold: fast}}\n")
    assert "expects whole number" in lines[0]


def test_report_id_is_reserved_for_the_build(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb, parameters: {report_id: x}}\n")
    assert "may not be set here" in lines[0]


def test_a_study_without_a_folder_is_refused(project):
    lines = problems_of(project, "reports:\n  - {output: a, notebook: tiny.ipynb, parameters: {study: nobody}}\n")
    assert "no folder data/raw/nobody/" in lines[0]


def test_every_problem_is_listed_at_once(project):
    lines = problems_of(project, "colour: red\nreports:\n  - {output: ../x, notebook: tiny.ipynb}\n"
                                 "  - {output: b, notebook: gone.ipynb}\n  - {notebook: tiny.ipynb}\n")
    assert len(lines) == 4


def test_appendix_entries_are_accepted_and_checked(project):
    ok = "reports: []\nappendices:\n  - {study: mini, min_cell: 5, review: true}\n"
    (project / "compendium.yml").write_text(ok)
    assert compendium.load().appendices == [compendium.AppendixEntry("mini", 5, True)]
    lines = problems_of(project, "reports: []\nappendices:\n  - {study: mini, min_cell: -1, colour: red}\n"
                                 "  - {study: ../x}\n")
    assert len(lines) == 3


def test_build_with_a_bad_compendium_exits_2_and_writes_nothing(project, capsys):
    (project / "compendium.yml").write_text("reports:\n  - {output: a, notebook: tiny.ipynb, "
                                            "parameters: {studdy: mini}}\n  - {output: ../../x, notebook: t.ipynb}\n")
    before = files_under(project)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "nothing was built" in err and "studdy" in err and "../../x" in err
    assert files_under(project) == before


def test_each_notebook_declares_its_inputs():
    for notebook in sorted(config.NOTEBOOKS.glob("*.ipynb")):
        assert compendium.declared_input_patterns(notebook), notebook.name


def test_declared_inputs_are_filled_from_the_parameters():
    inputs = compendium.notebook_inputs(config.NOTEBOOKS / "study_comparison.ipynb",
                                        {"studies": ["tracy2025", "mitchell2020"]})
    names = {str(p.relative_to(config.ROOT)) for p in inputs}
    assert {"data/raw/tracy2025/participants.csv", "data/raw/mitchell2020/segments.csv",
            "data/raw/tracy2020/study.yml", "data/crosswalk.csv"} <= names
    assert not any(n.startswith("data/raw/mitchell2023/") for n in names)


def test_a_placeholder_that_is_none_or_not_a_name_names_no_file():
    assert compendium.expand_pattern("data/raw/{study}/*", {"study": None}) == []
    assert compendium.expand_pattern("data/raw/{study}/*", {"study": "../.."}) == []
    assert compendium.expand_pattern("data/raw/{studies}/*", {"studies": ["a", "b"]}) == [
        "data/raw/a/*", "data/raw/b/*"]


def test_declared_parameters_agree_with_papermill():
    import ast

    import papermill
    for notebook in sorted(config.NOTEBOOKS.glob("*.ipynb")):
        seen = {name: ast.literal_eval(info["default"])
                for name, info in papermill.inspect_notebook(str(notebook)).items()}
        assert compendium.declared_parameters(notebook) == seen, notebook.name
