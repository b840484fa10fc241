"""The bounded YAML reader: aliases, depth, duplicate keys and encoding refused naming the line."""
from __future__ import annotations

import pytest

from icevidence.model.yaml_loader import MAX_ALIASES, MAX_DEPTH, YamlError, load_yaml, read_yaml


def laughs(levels: int, fan: int = 9) -> str:
    """A billion-laughs document: each level lists the previous one `fan` times by alias."""
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * fan)}]")
    return "\n".join(lines) + "\n"


def test_plain_yaml_loads_as_safe_load_would():
    assert load_yaml("a: 1\nb: [x, y]\nc: {d: null}\n", "f.yml") == {"a": 1, "b": ["x", "y"], "c": {"d": None}}


def test_a_few_aliases_and_a_merge_key_are_fine():
    text = "base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  x: 3\nagain: *b\n"
    assert load_yaml(text, "f.yml")["item"] == {"x": 3, "y": 2}


def test_a_billion_laughs_is_refused_before_it_is_built():
    with pytest.raises(YamlError, match="more than 100000 values once its aliases are expanded"):
        load_yaml(laughs(9), "f.yml")


def test_more_aliases_than_the_budget_are_refused_naming_the_line():
    text = "a: &a 1\n" + "".join(f"k{i}: *a\n" for i in range(MAX_ALIASES + 1))
    with pytest.raises(YamlError, match=f"f.yml, line {MAX_ALIASES + 2}: more than {MAX_ALIASES} aliases"):
        load_yaml(text, "f.yml")


def test_an_alias_inside_its_own_node_is_refused():
    with pytest.raises(YamlError, match="refers to the node that contains it"):
        load_yaml("a: &a [1, *a]\n", "f.yml")


def test_deep_nesting_is_refused_not_a_recursion_error():
    with pytest.raises(YamlError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load_yaml("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "f.yml")


def test_a_duplicate_key_is_refused_naming_both_lines():
    with pytest.raises(YamlError, match=r"f.yml, line 3: duplicate key 'id' \(first at line 1\)"):
        load_yaml("id: a\ncitation: c\nid: b\n", "f.yml")


def test_a_duplicate_key_in_a_nested_mapping_is_refused():
    with pytest.raises(YamlError, match="line 4: duplicate key 'pattern'"):
        load_yaml("mapping:\n  tier:\n    - {field: x,\n       pattern: a, pattern: b}\n", "f.yml")


def test_a_syntax_error_names_the_line():
    with pytest.raises(YamlError, match=r"f.yml, line 2: not valid YAML"):
        load_yaml("a: [1, 2\nb: 3\n", "f.yml")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path):
    path = tmp_path / "s.yml"
    path.write_bytes(b"id: x\ncitation: caf\xe9\n")
    with pytest.raises(YamlError, match="line 2: not UTF-8 text"):
        read_yaml(path)


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "s.yml"
    path.write_bytes("\ufeffid: x\n".encode("utf-8"))
    assert read_yaml(path) == {"id": "x"}
