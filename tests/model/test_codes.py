"""The code tree: roll-up to a level, placeholders for higher-level codings, empty codes."""
from __future__ import annotations

import pytest

from icevidence.model.codes import codes_without_evidence, rollup_rows, row_labels, single_root
from icevidence.model.errors import ConfigError


def test_sub_codes_roll_up_to_their_main_code(mini):
    row_of, _ = rollup_rows(mini.codes, "main")
    assert row_of["a.x.1"] == row_of["a.x.2"] == "Main X"


def test_code_above_the_level_gets_a_not_further_coded_row(mini):
    row_of, order = rollup_rows(mini.codes, "main")
    assert row_of["a"] == "Theme A (not further coded)"
    assert order.index("Theme A (not further coded)") < order.index("Main X")


def test_rows_follow_codebook_order(mini):
    _, order = rollup_rows(mini.codes, "overarching")
    assert order == ["Theme A", "Theme B"]


def test_unknown_level_is_refused(mini):
    with pytest.raises(ConfigError, match="unknown level"):
        rollup_rows(mini.codes, "leaf")


def test_codes_without_any_quote_below_them_are_listed(mini):
    segments = mini.segments[mini.segments["code_id"] != "a.y"]
    assert codes_without_evidence(mini.codes, segments)["code_id"].tolist() == ["a.y"]


def test_a_flat_codebook_has_no_not_further_coded_rows_at_main_level(mini):
    flat = mini.codes.assign(parent_id=None, level="overarching")
    row_of, order = rollup_rows(flat, "main")
    assert order == flat["name"].tolist() and not any("not further coded" in r for r in order)
    assert row_of["a.x.1"] == "Sub X1"


def test_taguettes_flat_codebook_shows_each_tag_at_main_level(real_exports):
    from icevidence import read_export, theme_matrix
    study = read_export(real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3")
    matrix = theme_matrix(study, level="main")
    assert not matrix.index.str.contains("not further coded").any()
    assert len(matrix) == len(study.codes) and matrix["total"].sum() == len(study.segments)


def test_tree_depths_counts_levels_and_treats_unknown_parents_as_roots():
    from icevidence.model.codes import tree_depths
    assert tree_depths({"a": None, "b": "a", "c": "b", "d": "gone"}, "f", "p") == {"a": 0, "b": 1, "c": 2, "d": 0}


def test_tree_depths_reports_a_cycle_with_its_codes():
    from icevidence.model.codes import CodeTreeError, tree_depths
    with pytest.raises(CodeTreeError, match="f, p: the parent links form a cycle: a > b > c > a"):
        tree_depths({"root": None, "a": "b", "b": "c", "c": "a"}, "f", "p")


def test_tree_depths_reports_a_long_cycle_as_a_cycle_shortened():
    from icevidence.model.codes import CodeTreeError, tree_depths
    ring = {i: (i + 1) % 100_000 for i in range(100_000)}
    with pytest.raises(CodeTreeError, match=r"cycle: 0 > 1 > 2 > 3 > 4 > \.\.\. \(99995 more\) > 0"):
        tree_depths(ring, "f", "p")


def test_tree_depths_refuses_a_chain_deeper_than_the_cap():
    from icevidence.model.codes import CodeTreeError, tree_depths
    chain = {i: (i - 1 if i else None) for i in range(100_000)}
    with pytest.raises(CodeTreeError, match="more than 100 levels"):
        tree_depths(chain, "f", "p")


def test_tree_depths_accepts_a_chain_at_the_cap():
    from icevidence.model.codes import tree_depths
    chain = {i: (i - 1 if i else None) for i in range(101)}
    assert tree_depths(chain, "f", "p")[100] == 100


def tree(rows: list[tuple[str, str, str | None, str, str]]):
    """A codes table from (code_id, name, parent_id, level, path) rows."""
    import pandas as pd
    return pd.DataFrame(rows, columns=["code_id", "name", "parent_id", "level", "path"])


def test_codes_below_the_level_share_one_row_listed_once():
    codes = tree([("r", "Root", None, "overarching", "Root"), ("m", "Main", "r", "main", "Root > Main"),
                  ("s", "Sub", "m", "sub", "Root > Main > Sub"), ("d", "Deeper", "s", "sub", "Root > Main > Sub > Deeper")])
    row_of, order = rollup_rows(codes, "sub")
    assert row_of["d"] == row_of["s"] == "Sub" and order.count("Sub") == 1


def test_a_category_and_a_code_of_one_name_get_different_labels():
    # QualCoder writes categories and codes in one tree; both may be called "Trust"
    codes = tree([("c1", "Trust", None, "overarching", "Trust"), ("k1", "Trust", "c1", "main", "Trust > Trust"),
                  ("c2", "Other", None, "overarching", "Other"), ("k2", "Trust", "c2", "main", "Other > Trust")])
    labels = row_labels(codes)
    assert len(set(labels.values())) == 4 and labels["k2"] == "Other > Trust"
    _, order = rollup_rows(codes, "main")
    assert len(order) == len(set(order))


def test_codes_whose_paths_repeat_are_told_apart_by_id():
    codes = tree([("a", "X", None, "overarching", "X"), ("b", "X", None, "overarching", "X")])
    assert row_labels(codes) == {"a": "X [a]", "b": "X [b]"}


def test_a_single_root_category_is_left_out_of_path_labels():
    codes = tree([("r", "Everything", None, "overarching", "Everything"),
                  ("a", "A", "r", "main", "Everything > A"), ("b", "B", "r", "main", "Everything > B"),
                  ("a1", "Same", "a", "sub", "Everything > A > Same"), ("b1", "Same", "b", "sub", "Everything > B > Same")])
    assert single_root(codes) == "Everything"
    assert row_labels(codes)["a1"] == "A > Same" and row_labels(codes)["b1"] == "B > Same"
