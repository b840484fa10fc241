"""The build: compendium.yml parsing, HTML reports with provenance, reproducible tables."""
from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest

from icevidence.build.runner import read_compendium
from icevidence.model import config
from icevidence.model.errors import ConfigError

PUBLISHED = {"tracy2025", "mitchell2020", "mitchell2023"}  # named: a user's own study added to compendium.yml is not built here
SAMPLE_REPORTS = [s.output for s in read_compendium()
                  if s.notebook == "sample_tables.ipynb" and s.parameters.get("study") in PUBLISHED]


def build(reports_dir: Path, *names: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(reports_dir)}
    return subprocess.run([sys.executable, "-m", "icevidence", "build", "--only", *names],
                          env=env, capture_output=True, text=True, cwd=config.ROOT)


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("first"), tmp_path_factory.mktemp("second")
    for folder in (first, second):
        done = build(folder, *SAMPLE_REPORTS)
        assert done.returncode == 0, done.stdout + done.stderr
    return first, second


def test_compendium_lists_a_sample_report_per_study_with_data():
    studies = {s.parameters["study"] for s in read_compendium() if s.notebook == "sample_tables.ipynb"}
    assert PUBLISHED <= studies


def test_each_report_and_the_index_are_written(two_builds):
    first, _ = two_builds
    assert all((first / f"{name}.html").is_file() for name in SAMPLE_REPORTS)
    index = (first / "index.html").read_text()
    assert all(f'href="{name}.html"' in index for name in SAMPLE_REPORTS)


def test_report_footer_records_parameters_hashes_commit_and_versions(two_builds):
    html = (two_builds[0] / "sample-tables-tracy2025.html").read_text()
    assert "Provenance" in html and "tracy2025" in html
    assert "data/raw/tracy2025/participants.csv" in html
    assert "Git commit" in html and "pandas" in html and "python" in html


def test_code_is_hidden_in_reports_by_default(two_builds):
    html = (two_builds[0] / "sample-tables-tracy2025.html").read_text()
    assert "ic.load_study(study)" not in html


def test_two_builds_give_byte_identical_tables(two_builds):
    first, second = (folder / "tables" for folder in two_builds)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert any(f.suffix == ".xlsx" for f in files) and any(f.suffix == ".csv" for f in files)
    match, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors


def test_unchanged_reports_are_skipped_on_the_next_build(two_builds):
    again = build(two_builds[0], *SAMPLE_REPORTS)
    assert again.returncode == 0
    assert again.stdout.count("skipped") == len(SAMPLE_REPORTS)
    assert f"0 built, {len(SAMPLE_REPORTS)} up to date" in again.stdout


def test_failing_notebook_names_the_cell_and_keeps_the_partial_notebook_aside(tmp_path, monkeypatch):
    import nbformat

    from icevidence.build.compendium import Report
    from icevidence.build.runner import build_report
    monkeypatch.setattr(config, "NOTEBOOKS", tmp_path)
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                 "display_name": "Python 3"}})
    notebook.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(notebook, tmp_path / "bad.ipynb")
    result = build_report(Report(output="bad", notebook="bad.ipynb", title="bad"))
    assert not result.ok and "ZeroDivisionError" in result.error and "bad.ipynb" in result.error
    assert (tmp_path / "reports" / "notebooks" / "bad.failed.ipynb").is_file()
    assert not (tmp_path / "reports" / "notebooks" / "bad.ipynb").exists()  # never taken for a finished one


def test_unknown_report_name_is_refused_with_the_remedy(tmp_path):
    done = build(tmp_path, "no-such-report")
    assert done.returncode == 2 and "icevidence list" in done.stderr


def test_compendium_entry_without_notebook_is_a_config_error(tmp_path):
    bad = tmp_path / "compendium.yml"
    bad.write_text("reports:\n  - output: x\n")
    with pytest.raises(ConfigError, match=r"reports\[1\].*required key 'notebook' is missing"):
        read_compendium(bad)


HEAVY = ("pandas", "matplotlib", "seaborn", "papermill", "nbconvert", "lxml", "jinja2")
PROBE = ("import sys\nfrom icevidence.build.cli import main\n"
         "assert main(['build', '--only', *sys.argv[1:]]) == 0\n"
         f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n")


def test_a_build_that_changed_nothing_imports_no_heavy_library(two_builds):
    build(two_builds[1], *SAMPLE_REPORTS)   # states now 'up to date': this build may rewrite the index
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(two_builds[1])}
    done = subprocess.run([sys.executable, "-c", PROBE, *SAMPLE_REPORTS], env=env, capture_output=True, text=True,
                          cwd=config.ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_an_unchanged_index_is_kept_and_a_deleted_one_written_again(two_builds):
    build(two_builds[1], *SAMPLE_REPORTS)
    index = two_builds[1] / "index.html"
    before = index.stat().st_mtime_ns
    assert build(two_builds[1], *SAMPLE_REPORTS).returncode == 0
    assert index.stat().st_mtime_ns == before
    index.unlink()
    assert build(two_builds[1], *SAMPLE_REPORTS).returncode == 0
    assert f'href="{SAMPLE_REPORTS[0]}.html"' in index.read_text(encoding="utf-8")
