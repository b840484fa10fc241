"""The crosswalk: validation against concepts and codes, inheritance, unmapped codes."""
from __future__ import annotations

from pathlib import Path

import pytest

from icevidence.crosswalk import concept_of_codes, read_concepts, read_crosswalk, unmapped_codes
from icevidence.errors import DataValidationError


FIXTURES = Path(__file__).parent / "fixtures" / "crosswalk"


@pytest.fixture
def concepts():
    return read_concepts(FIXTURES / "concepts.csv")


def test_valid_crosswalk_loads(mini, concepts):
    table = read_crosswalk([mini], FIXTURES / "crosswalk.csv", concepts)
    assert len(table) == 3


def test_code_mapped_to_an_unknown_concept_is_an_error(mini, concepts, tmp_path):
    bad = tmp_path / "crosswalk.csv"
    bad.write_text((FIXTURES / "crosswalk.csv").read_text() + "mini,b,culture,Theme B is culture\n")
    with pytest.raises(DataValidationError, match=r"row 5, column 'concept_id': value 'culture'"):
        read_crosswalk([mini], bad, concepts)


def test_concept_with_no_codes_is_an_error(mini, concepts, tmp_path):
    bad = tmp_path / "crosswalk.csv"
    bad.write_text("study,code_id,concept_id,rationale\nmini,a,lead,Theme A is about leadership\n")
    with pytest.raises(DataValidationError, match="'money'.*no codes mapped"):
        read_crosswalk([mini], bad, concepts)


def test_mapping_a_code_the_study_lacks_is_an_error(mini, concepts, tmp_path):
    bad = tmp_path / "crosswalk.csv"
    bad.write_text((FIXTURES / "crosswalk.csv").read_text() + "mini,zz,lead,no such code here\n")
    with pytest.raises(DataValidationError, match="'zz'.*has no such code"):
        read_crosswalk([mini], bad, concepts)


def test_code_inherits_its_nearest_mapped_ancestor(mini, concepts):
    table = read_crosswalk([mini], FIXTURES / "crosswalk.csv", concepts)
    mapped = concept_of_codes(mini, table).set_index("code_id")["concept_id"]
    assert mapped["a.x.1"] == "lead" and mapped["a.y"] == "money"


def test_unmapped_codes_are_listed(mini, concepts):
    table = read_crosswalk([mini], FIXTURES / "crosswalk.csv", concepts)
    assert unmapped_codes([mini], table)["code_id"].tolist() == ["b"]
