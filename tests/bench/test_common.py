"""bench/common.py: interleaved rounds and their minimum/median statistics."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "common.py"


@pytest.fixture(scope="module")
def common():
    """bench/common.py loaded by path (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_common", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up while the module runs
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_interleave_alternates_the_contenders_round_by_round(common):
    calls = []
    contenders = {"a": lambda: calls.append("a") or 1.0, "b": lambda: calls.append("b") or 2.0}
    samples = common.interleave(contenders, rounds=3, log=lambda _line: None)
    assert calls == ["a", "b", "a", "b", "a", "b"]
    assert samples == {"a": [1.0, 1.0, 1.0], "b": [2.0, 2.0, 2.0]}


def test_min_median_gives_the_fastest_and_the_median_round(common):
    assert common.min_median([5.0, 1.0, 3.0, 9.0]) == (1.0, 4.0)


def test_ratios_divide_minimum_by_minimum_and_median_by_median(common):
    by_min, by_median = common.ratios(slow=[10.0, 30.0, 20.0], fast=[2.0, 4.0, 8.0])
    assert (by_min, by_median) == (5.0, 5.0)


def test_git_dirs_follow_a_linked_work_trees_git_file(common, tmp_path):
    own = tmp_path / "repo" / ".git" / "worktrees" / "wt"
    own.mkdir(parents=True)
    (own / "commondir").write_text("../..\n")
    tree = tmp_path / "wt"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {own}\n")
    assert common.git_dirs(tree) == (own, (tmp_path / "repo" / ".git").resolve())
