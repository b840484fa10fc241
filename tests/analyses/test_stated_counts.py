"""Published counts recomputed from the participant table, and the paper's own arithmetic."""
from __future__ import annotations

from icevidence.analyses.stated_counts import check_arithmetic, check_reported_counts


def test_a_stated_count_that_matches_the_data_agrees(mini):
    checks = check_reported_counts(mini).set_index("statement")
    assert checks.at["group 3 female", "status"] == "agrees"


def test_count_over_a_group_with_some_values_missing_is_not_recomputable(mini):
    checks = check_reported_counts(mini).set_index("statement")
    assert checks.at["group 1 female", "status"].startswith("not recomputable")


def test_a_stated_count_that_the_data_contradicts_differs(mini):
    checks = check_reported_counts(mini).set_index("statement")
    assert checks.at["group 2 female", "status"] == "DIFFERS"
    assert (checks.at["group 2 female", "stated"], checks.at["group 2 female", "from data"]) == (2, 1)


def test_breakdown_not_adding_up_to_group_n_is_flagged(mini):
    sums = check_arithmetic(mini).set_index("group")
    assert sums.at["tier = micro", "status"] == "DOES NOT ADD UP (-1)"
    assert sums.at["tier = meso", "status"] == "DOES NOT ADD UP (+1)"


def test_subgroup_breakdown_is_added_up_against_the_subgroup_count(mini_copy):
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Text,female nurses,gender,Female,setting,ward,1\n"
                    "Text,female others,gender,Female,setting,community,2\n"
                    "Text,women,,,gender,Female,4\n")
    from icevidence import load_study
    sums = check_arithmetic(load_study("mini", root=mini_copy.parent)).set_index("group")
    assert sums.at["gender = Female", "status"] == "DOES NOT ADD UP (-1)"


def test_count_of_an_attribute_absent_from_the_table_is_not_recomputable(mini, mini_copy):
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Text,health staff,,,sector,health,3\n")
    from icevidence import load_study
    checks = check_reported_counts(load_study("mini", root=mini_copy.parent)).set_index("statement")
    assert checks.at["health staff", "status"].startswith("not recomputable")


def test_participant_without_a_group_value_is_outside_the_group(mini_copy):
    # G1P4 has no gender; women in the micro tier are then G1P1 and G1P2.
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Text,women in micro,gender,Female,tier,micro,2\n")
    from icevidence import load_study
    checks = check_reported_counts(load_study("mini", root=mini_copy.parent)).set_index("statement")
    assert checks.at["women in micro", "status"] == "agrees"
