"""The `appendices:` list of compendium.yml: parsed strictly, built after the reports, skipped when unchanged."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fixture_paths import FIXTURES, PROJECT

from icevidence.build import appendices as compendium
from icevidence.build.appendices import build_appendices, read_appendix_specs
from icevidence.build.cli import main
from icevidence.build.compendium import AppendixEntry
from icevidence.model import config
from icevidence.model.errors import ConfigError

FIXTURE = FIXTURES / "studies" / "mini"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "compendium.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_entries_become_specs_with_defaults(tmp_path):
    path = write(tmp_path, "reports: []\nappendices:\n  - {study: tracy2025, min_cell: 5, review: true}\n"
                           "  - {study: mitchell2020}\n")
    assert read_appendix_specs(path) == [AppendixEntry("tracy2025", 5, True), AppendixEntry("mitchell2020", 0, False)]


def test_every_bad_entry_is_named_at_once(tmp_path):
    path = write(tmp_path, "reports: []\nappendices:\n  - {study: tracy2025, min_cel: 5}\n  - {min_cell: 5}\n"
                           "  - {study: mitchell2020, min_cell: five, review: 1}\n")
    with pytest.raises(ConfigError) as caught:
        read_appendix_specs(path)
    message = str(caught.value)
    for part in ("appendices[1] ('tracy2025'): unknown key 'min_cel'", "appendices[2]: required key 'study' is missing",
                 "appendices[3] ('mitchell2020'), min_cell: 'five' is not a whole number",
                 "appendices[3] ('mitchell2020'), review: 1 is not true or false"):
        assert part in message


def test_no_appendices_key_means_none(tmp_path):
    assert read_appendix_specs(write(tmp_path, "reports: []\n")) == []


@pytest.fixture
def mini_root(tmp_path, monkeypatch):
    """A project root holding only the mini study and an appendices list naming it."""
    raw = tmp_path / "data" / "raw"
    shutil.copytree(FIXTURE, raw / "mini")
    reports = tmp_path / "reports"
    compendium_file = write(tmp_path, "reports: []\nappendices:\n  - {study: mini, min_cell: 2}\n")
    for name, value in {"RAW": raw, "DATA": tmp_path / "data", "CROSSWALK": tmp_path / "data" / "crosswalk.csv",
                        "COMPENDIUM": compendium_file, "REPORTS": reports, "APPENDIX": reports / "appendix",
                        "ROOT": tmp_path}.items():
        monkeypatch.setattr(config, name, value)
    return tmp_path


def test_appendices_build_then_skip_when_nothing_changed(mini_root):
    lines: list[str] = []
    first = build_appendices(log=lines.append)
    assert [r.skipped for r in first] == [False] and first[0].error is None
    assert (config.APPENDIX / "mini" / "mini-appendix.pdf").is_file()
    second = build_appendices(log=lines.append)
    assert [r.skipped for r in second] == [True]
    assert any("built   appendix-mini" in line for line in lines)
    assert any("skipped  appendix-mini" in line for line in lines)
    row = second[0].index_row()
    assert row["href"] == "appendix/mini/mini-appendix.pdf" and row["exists"]


def test_cli_appendix_writes_the_files_and_lists_them(mini_root, capsys):
    out = mini_root / "elsewhere"
    assert main(["appendix", "mini", "--min-cell", "3", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mini-appendix.docx" in printed and (out / "mini-tables.xlsx").is_file()


def test_cli_appendix_refuses_an_unknown_study(mini_root, capsys):
    assert main(["appendix", "nope"]) == 2
    assert "no study 'nope'" in capsys.readouterr().err


def test_a_failed_appendix_stops_the_build_after_the_index(mini_root):
    results = [compendium.AppendixResult(AppendixEntry("mini"), 0.0, error="boom")]
    with pytest.raises(ConfigError, match="appendix-mini failed: boom"):
        compendium.raise_if_failed(results)


def test_the_compendium_lists_an_appendix_for_each_study_with_coded_evidence():
    specs = read_appendix_specs(PROJECT / "compendium.yml")
    assert {"tracy2025", "mitchell2020", "mitchell2023"} <= {s.study for s in specs}


def test_up_to_date_appendices_load_no_appendix_renderer():
    probe = ("import sys\nfrom icevidence.build import appendices, cache\n"
             "cache.is_fresh = lambda *args: True\n"
             "results = appendices.build_appendices(log=lambda message: None)\n"
             "assert results and all(r.skipped for r in results)\n"
             "print(sorted(m for m in ('icevidence.build.appendix', 'matplotlib', 'pandas') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=config.ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_an_appendix_of_a_study_off_the_crosswalk_is_keyed_on_its_own_folder_only(mini_root):
    (mini_root / "data" / "raw" / "other").mkdir()
    (mini_root / "data" / "raw" / "other" / "segments.csv").write_text("segment_id\n", encoding="utf-8")
    inputs = compendium.appendix_inputs("mini")
    assert inputs and all(p.is_relative_to(mini_root / "data" / "raw" / "mini") for p in inputs)


def test_an_appendix_of_a_crosswalk_study_is_keyed_on_the_studies_it_is_compared_with():
    inputs = {p.relative_to(config.ROOT).as_posix() for p in compendium.appendix_inputs("tracy2025")}
    assert {"data/raw/mitchell2023/segments.csv", "data/crosswalk.csv", "data/raw/tracy2025/segments.csv"} <= inputs
    assert not any(p.startswith("data/raw/synthcoders/") for p in inputs)


def test_the_build_runs_a_stale_appendix_in_its_queue_and_skips_it_when_unchanged(mini_root):
    from icevidence.build.runner import build
    lines: list[str] = []
    build(jobs=1, log=lines.append)
    assert "building 1 appendix with 1 parallel job(s)" in lines
    assert (config.APPENDIX / "mini" / "mini-appendix.pdf").is_file()
    build(jobs=1, log=lines.append)
    assert lines[-1] == "  skipped  appendix-mini (unchanged since its last build)"
