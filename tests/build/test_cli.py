"""The command line: each subcommand, and user mistakes as messages with exit code 2."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd

from icevidence.model import config


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "icevidence", *args], capture_output=True, text=True, cwd=config.ROOT)


def test_list_prints_every_report():
    done = run("list")
    assert done.returncode == 0 and "sample-tables-tracy2025\tsample_tables.ipynb" in done.stdout


def test_export_then_import_gives_back_the_study(tmp_path):
    qdpx = tmp_path / "m.qdpx"
    assert run("export-qdpx", "mitchell2020", str(qdpx)).returncode == 0
    done = run("import", str(qdpx), "--study", "m", "--out", str(tmp_path / "m"))
    assert done.returncode == 0, done.stderr
    segments = pd.read_csv(tmp_path / "m" / "segments.csv")
    original = pd.read_csv(config.RAW / "mitchell2020" / "segments.csv")
    assert sorted(segments["text"]) == sorted(original["text"])


def test_import_of_a_missing_file_fails_cleanly_without_output(tmp_path):
    done = run("import", str(tmp_path / "nope.qdpx"), "--study", "x", "--out", str(tmp_path / "x"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and "nope.qdpx" in done.stderr
    assert not (tmp_path / "x").exists()


def test_synth_refuses_zero_sizes(tmp_path):
    done = run("synth", "--participants", "0", "--segments", "5", "--codes", "3", "--out", str(tmp_path / "s.qdpx"))
    assert done.returncode == 2 and "outside the allowed range 1 to" in done.stderr


def test_import_help_explains_the_three_ways_to_map_tiers(capsys):
    from icevidence.build.cli import main as _main
    assert _main(["import", "--help"]) == 0
    text = capsys.readouterr().out
    assert "by case or participant id" in text and "by document-name pattern" in text and "by variable" in text
    assert "--codebook" in text


def test_matrices_command_writes_the_three_matrices(tmp_path, capsys):
    from icevidence.build.cli import main as _main
    assert _main(["matrices", "tracy2025", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["codes_by_cases.csv", "codes_by_cases_column_percent.csv",
                                                          "cooccurrence.csv", "framework_matrix.csv",
                                                          "framework_matrix.xlsx"]
    assert "wrote" in capsys.readouterr().out
