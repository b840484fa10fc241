"""conduct.yml: how the study was done, as the paper tells it; validated, every problem listed."""
from __future__ import annotations

import pytest
from evidence_helpers import with_file

from icevidence import load_study
from icevidence.analyses.evidence import conduct as cd
from icevidence.model.errors import ConfigError


def test_a_study_without_conduct_yml_has_empty_lists(mini):
    assert cd.read_conduct(mini) == {name: [] for name in cd.SECTIONS}


def test_bad_records_are_listed_together(mini_copy):
    study = with_file(mini_copy, "conduct.yml", {"sampling_aims": [{"id": "A-1", "location": "M", "text": "t",
                                                                    "attribute": "sector", "values": [], "aim": "big"}],
                                                 "anonymisation": [{"id": "N-1"}], "speakers": []})
    with pytest.raises(ConfigError) as error:
        cd.read_conduct(study)
    assert "unknown list 'speakers'" in str(error.value) and "aim 'big'" in str(error.value)
    assert "anonymisation #1 lacks location, text, withholds" in str(error.value)


@pytest.mark.parametrize("study", ["tracy2025", "mitchell2020", "mitchell2023"])
def test_the_papers_conduct_files_are_valid_and_say_who_interviewed(study):
    assert cd.read_conduct(load_study(study))["interviewers"]
