"""ATLAS.ti codebooks: a code name of thousands of ', ' parts is split in linear time, never a hang."""
from __future__ import annotations

import csv
from pathlib import Path

from .hostile import assert_one_line_refusal, run_measured

PARTS = 5_000
HEADER = ["Number", "Reference", "Name", "Text Content", "Document", "Codes", "Number of Codes", "Comment",
          "Initial Position", "Final Position"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    """A ';'-separated CSV with every cell quoted, as ATLAS.ti writes it."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    return path


def hostile_export(folder: Path, count: str) -> list[str]:
    """Import arguments: a codebook naming one code of PARTS ', ' parts (and near misses), quotations citing all
    but its last part, so no long name matches anywhere and a naive split tries every width at every token."""
    huge = ", ".join(f"p{i}" for i in range(PARTS))
    cited = ", ".join(f"p{i}" for i in range(PARTS - 1))
    near = [", ".join(f"p{i}" for i in range(start, start + 19)) + ", never" for start in range(0, PARTS, 7)]
    book = write_csv(folder / "codebook.csv", [["Code", "Comment", "Code Group 1"],
                                               *([name, "", ""] for name in [huge, *near[:2000]])])
    quotes = write_csv(folder / "quotations.csv", [HEADER, ["1:1", "¶ 1", "", '"money"', "P01 interview", cited, count,
                                                            "", "1", "1"]])
    return ["import", str(quotes), "--codebook", str(book), "--study", "x", "--out", str(folder / "out")]


def test_a_name_of_thousands_of_parts_without_a_count_imports_in_linear_time(tmp_path):
    code, err, peak_mb = run_measured(hostile_export(tmp_path, ""), timeout=600)
    assert code == 0, err
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    assert (tmp_path / "out" / "segments.csv").is_file()


def test_a_name_of_thousands_of_parts_with_a_count_is_refused_in_one_line(tmp_path):
    code, err, peak_mb = run_measured(hostile_export(tmp_path, "1"), timeout=600)
    assert_one_line_refusal(code, err, "quotations.csv, row 2, column 'Codes': cannot split")
    assert peak_mb < 1024, f"peak {peak_mb:.0f} MB"
    assert not (tmp_path / "out").exists()
