"""Identifiers: plain names, never Windows device names, never a case-only twin of an existing study."""
from __future__ import annotations

import pytest

from icevidence.model.names import UnsafeNameError, case_twin, check_name, check_new_study_id, is_name


@pytest.mark.parametrize("name", ["CON", "con", "Prn", "aux", "NUL", "com1", "COM9", "lpt1", "LPT0"])
def test_windows_device_names_are_not_names(name):
    assert not is_name(name)


@pytest.mark.parametrize("name", ["console", "nul2", "com10", "lpt", "tracy2025", "a-b_c"])
def test_names_that_only_start_like_a_device_are_names(name):
    assert is_name(name)


def test_a_device_name_is_refused_saying_why():
    with pytest.raises(UnsafeNameError, match="'nul' is a name Windows reserves for a device"):
        check_name("nul", "study id", "--study")


def test_a_case_twin_is_found_among_existing_names():
    assert case_twin("Tracy2025", ["mini", "tracy2025"]) == "tracy2025"
    assert case_twin("tracy2025", ["tracy2025"]) is None


def test_a_new_study_id_differing_only_by_case_is_refused():
    with pytest.raises(UnsafeNameError, match="'Mini' differs only by case from the existing study 'mini'"):
        check_new_study_id("Mini", ["mini"], "--study")
