"""YAML from the user (--config, study.yml, compendium.yml, claims.yml, coreq.yml) is read within bounds."""
from __future__ import annotations

import pytest

from icevidence.build.cli import main
from icevidence.model.study import load_study
from icevidence.model.yaml_loader import YamlError

from .hostile import assert_one_line_refusal, run_measured


def laughs(levels: int = 9, fan: int = 9) -> str:
    """A billion-laughs YAML: 9 ** levels values once its aliases are expanded, a few hundred bytes on disk."""
    lines = ["lol: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * fan)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


HOSTILE = {
    "alias bomb": (laughs(), "once its aliases are expanded"),
    "deep nesting": ("participants: " + "[" * 100_000 + "]" * 100_000 + "\n", "nested more than 64 levels"),
    "duplicate key": ("participants: {from: case}\nid: x\nparticipants: {from: document}\n",
                      "line 3: duplicate key 'participants' (first at line 1)"),
}


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_config_is_refused_in_one_line_within_memory(tmp_path, kind):
    text, needle = HOSTILE[kind]
    config = tmp_path / "study.yml"
    config.write_text(text)
    assert config.stat().st_size < 300_000
    export = tmp_path / "e.qdpx"
    export.write_bytes(b"not read")
    code, err, peak_mb = run_measured(["import", str(export), "--study", "x", "--config", str(config),
                                       "--out", str(tmp_path / "out")])
    assert_one_line_refusal(code, err, str(config), needle)
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    assert not (tmp_path / "out").exists()


def test_a_duplicate_key_in_study_yml_is_refused_naming_the_line(project, capsys):
    study_yml = project / "data" / "raw" / "mini" / "study.yml"
    study_yml.write_text(study_yml.read_text() + "licence: CC0\nlicence: all rights reserved\n")
    code = main(["matrices", "mini", "--out", str(project.parent / "m")])
    assert_one_line_refusal(code, capsys.readouterr().err, "study.yml, line", "duplicate key 'licence'")
    assert not (project.parent / "m").exists()


def test_an_alias_bomb_in_compendium_yml_is_refused_in_one_line(project, capsys):
    (project / "compendium.yml").write_text(laughs() + "reports: []\n")
    code = main(["list"])
    assert_one_line_refusal(code, capsys.readouterr().err, "compendium.yml, line", "once its aliases are expanded")


@pytest.mark.parametrize("name", ["claims.yml", "coreq.yml"])
def test_a_duplicate_key_in_a_study_record_file_is_refused(mini_copy, name):
    from icevidence.analyses.checklist import read_entries
    from icevidence.analyses.evidence.review import read_claims
    (mini_copy / name).write_text("- id: a\n  id: b\n")
    study = load_study("mini", root=mini_copy.parent)
    with pytest.raises(YamlError, match=f"{name}, line 2: duplicate key 'id'"):
        (read_claims if name == "claims.yml" else read_entries)(study)
