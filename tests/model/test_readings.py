"""study.yml readings on the fixture study 'readings': recode, aliases, site names, and their errors."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icevidence.model.errors import ConfigError
from icevidence.model.readings import reading_notes, with_site_names
from icevidence.model.study import load_study
from icevidence.model.yaml_loader import read_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures" / "studies"


@pytest.fixture(scope="module")
def study():
    return load_study("readings", root=FIXTURES)


def copy_with(tmp_path: Path, **changes) -> Path:
    """The fixture study copied into tmp_path with study.yml keys replaced (None removes a key)."""
    folder = tmp_path / "readings"
    shutil.copytree(FIXTURES / "readings", folder)
    meta = read_yaml(folder / "study.yml")
    for key, value in changes.items():
        meta.pop(key, None) if value is None else meta.__setitem__(key, value)
    import yaml
    (folder / "study.yml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    return tmp_path


def test_recode_merges_the_spellings_of_one_band(study):
    bands = study.participants.set_index("participant_id")["years_of_service"].astype(str)
    assert bands.to_dict() == {"P1": "15–20", "P2": "15–20", "P3": "<5", "P4": "<5", "P5": "5–10", "P6": "5–10"}


def test_alias_counts_two_ids_of_one_person_once(study):
    assert study.segments["participant_id"].tolist() == ["P1", "P1", "P3", "P5"]
    assert study.segments["attribution_raw"].tolist()[1] == "PA"  # the printed ID is kept


def test_every_recode_and_alias_is_listed_with_its_reason(study):
    notes = reading_notes(study.meta)
    assert len(notes) == 3
    assert any("'15-20' is counted as '15–20' (the same band printed with a hyphen)" in n for n in notes)
    assert any(n.startswith("ID PA is counted as P1") for n in notes)


def test_site_names_rename_sites_for_display_only(study):
    shown = with_site_names(study)
    assert set(shown.participants["site"]) == {"the northern site", "South"}
    assert set(study.participants["site"]) == {"North", "South"}


def test_recode_entry_without_reason_is_refused_with_file_key_and_remedy(tmp_path):
    root = copy_with(tmp_path, recode={"years_of_service": {"15-20": {"to": "15–20"}}})
    with pytest.raises(ConfigError) as error:
        load_study("readings", root=root)
    assert "recode.years_of_service.15-20" in str(error.value) and "reason" in str(error.value)


def test_alias_to_an_unknown_participant_is_refused(tmp_path):
    root = copy_with(tmp_path, aliases={"PA": {"same_as": "P9", "reason": "x"}})
    with pytest.raises(ConfigError, match="P9"):
        load_study("readings", root=root)


def test_recode_of_a_column_the_table_lacks_is_refused(tmp_path):
    root = copy_with(tmp_path, recode={"shoe_size": {"9": {"to": "10", "reason": "x"}}})
    with pytest.raises(ConfigError, match="shoe_size"):
        load_study("readings", root=root)


def test_site_names_must_map_sites_to_text(tmp_path):
    root = copy_with(tmp_path, site_names=["North"])
    with pytest.raises(ConfigError, match="site_names"):
        load_study("readings", root=root)
