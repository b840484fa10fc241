"""After an import: the summary and the suggested study.yml (real NVivo and Taguette exports)."""
from __future__ import annotations

import pandas as pd
import yaml
from fixture_paths import FIXTURES

from icevidence.io import read_export
from icevidence.io.importer import import_export
from icevidence.io.suggest import (
    document_pattern,
    import_summary,
    render_suggestion,
    suggest_config,
    suggestion_path,
    tree_depth,
)

NVIVO = FIXTURES / "refi" / "oltas0517.qdpx"


def test_nvivo_project_without_cases_gets_a_suggested_config(tmp_path):
    lines: list[str] = []
    out = import_export(NVIVO, "oltas", out_dir=tmp_path / "oltas", echo=lines.append)
    suggested = yaml.safe_load(suggestion_path(out).read_text(encoding="utf-8"))
    assert suggested["id"] == "oltas"
    assert suggested["participants"] == {"from": "document"}
    assert {r["value"] for r in suggested["mapping"]["tier"]} == {None}
    assert any("suggested config" in line for line in lines)


def test_summary_counts_resolved_codings_groups_and_depth():
    study = read_export(NVIVO)
    lines = import_summary(study)
    assert lines[0] == "participants: 0 listed; codings with a participant: 0 of 303 (303 unresolved)"
    assert "4 level(s) deep" in lines[1]
    assert "codings per tier: unknown 303" in lines


def test_the_suggestion_re_imports_and_its_filled_values_take_effect(tmp_path, real_exports):
    source = real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3"
    out = import_export(source, "serdif", out_dir=tmp_path / "serdif")
    path = suggestion_path(out)
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["participants"] == {"from": "document", "pattern": "^(P[0-9]+)"}
    config["mapping"]["tier"][0]["value"] = "micro"   # what a researcher would fill in
    filled = tmp_path / "filled.yml"
    filled.write_text(yaml.safe_dump(config), encoding="utf-8")
    study = read_export(source, config=yaml.safe_load(filled.read_text(encoding="utf-8")))
    assert len(study.participants) == 17
    first = config["mapping"]["tier"][0]["pattern"].strip("^$")
    assert study.participants.set_index("participant_id").at[first, "tier"] == "micro"


def test_reimporting_with_the_suggestion_as_config_does_not_overwrite_it(tmp_path, real_exports):
    source = real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3"
    out = import_export(source, "serdif", out_dir=tmp_path / "serdif")
    path = suggestion_path(out)
    path.write_text(path.read_text(encoding="utf-8") + "# my edit\n", encoding="utf-8")
    import_export(source, "serdif", out_dir=out, config_path=path, overwrite=True)
    assert path.read_text(encoding="utf-8").endswith("# my edit\n")


def role_case(refi, n: int, name: str, role: str, source: bool) -> str:
    ref = f'<SourceRef targetGUID="{refi.guid(1)}"/>' if source else ""
    return (f'<Case guid="{refi.guid(300 + n)}" name="{name}"><VariableValue><VariableRef targetGUID="'
            f'{refi.guid(200)}"/><TextValue>{role}</TextValue></VariableValue>{ref}</Case>')


def test_variables_with_few_values_become_tier_rules_to_fill(text_project, refi):
    variables = f'<Variables><Variable guid="{refi.guid(200)}" name="Role" typeOfVariable="Text"/></Variables>'
    cases = "<Cases>" + role_case(refi, 1, "C1", "GP", True) + role_case(refi, 2, "C2", "Manager", False) + "</Cases>"
    study = read_export(text_project("Some text here", refi.selection_xml(5, 0, 4), cases=cases, variables=variables))
    config, comments = suggest_config(study)
    rules = config["mapping"]["tier"]
    assert [(r["field"], r["pattern"], r["value"]) for r in rules] == [("Role", "^GP$", None),
                                                                      ("Role", "^Manager$", None)]
    assert any('"Role"' in line for line in comments["variables_seen"])


def test_hostile_names_stay_data_in_the_yaml():
    from icevidence.model.study import Study
    evil = "P1\nmapping: {tier: evil}\n# x: '\"]"
    segments = pd.DataFrame({"participant_id": pd.array([None], dtype="string"), "document": [evil],
                             "tier": pd.array([None], dtype="string"), "site": pd.array([None], dtype="string")})
    people = pd.DataFrame(columns=["participant_id", "tier", "site"])
    codes = pd.DataFrame({"code_id": ["a"], "parent_id": [None], "name": ["A"], "level": ["overarching"]})
    study = Study("s", people, codes, segments, meta={"source": evil, "citation": evil, "licence": "x"})
    text = render_suggestion(*suggest_config(study))
    loaded = yaml.safe_load(text)
    assert set(loaded) == {"id", "citation", "licence", "participants", "mapping"}
    assert loaded["citation"] == evil and loaded["mapping"]["tier"][0]["pattern"].startswith("^P1\\\n")


def test_document_pattern_needs_most_names_to_share_an_id_shape():
    assert document_pattern(["P1_a.docx", "P2_b.docx", "P10.docx"]) == ("^(P[0-9]+)", 3)
    assert document_pattern(["Interview notes", "summary", "P1"]) == (None, 0)
    assert document_pattern(["videos_10_selected"]) == (None, 0)


def test_a_flat_codebook_has_depth_one():
    codes = pd.DataFrame({"code_id": ["a", "b"], "parent_id": [None, None]})
    assert tree_depth(codes) == 1
