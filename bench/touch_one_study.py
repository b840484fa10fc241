"""Incremental build: change one study's data in a copy of the project and see what rebuilds.

The project's tracked files (read from the git index file, without running git) are copied to a
temporary folder; `icevidence build` runs there (ICEVIDENCE_ROOT, same venv, the library imported
from the copy so edits elsewhere cannot interfere) once, then one quote's
note in data/raw/<study>/segments.csv is changed and the build runs again. Expected: exactly the
reports whose inputs include that file rebuild; every other report is skipped.
Usage: .venv/bin/python bench/touch_one_study.py [--study mitchell2023] [--keep]
"""
from __future__ import annotations

import argparse
import csv
import fnmatch
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from common import BIN, header, print_table, report_target, run_timed, snapshot_env, snapshot_project

def change_one_note(segments: Path) -> str:
    """Append a sentence to the note of the file's last quote; returns that quote's id."""
    with segments.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0].keys())
    rows[-1]["note"] = ((rows[-1].get("note") or "") + " Benchmark edit: note changed.").strip()
    with segments.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows[-1]["segment_id"]


def reports_reading(root: Path, changed: str) -> list[str]:
    """Reports of compendium.yml whose inputs include the changed file (relative path): the data
    folder of a study they name, or one of their declared input globs."""
    entries = yaml.safe_load((root / "compendium.yml").read_text(encoding="utf-8"))["reports"]
    hits = []
    for entry in entries:
        parameters = entry.get("parameters") or {}
        studies = ([parameters["study"]] if "study" in parameters else []) + list(parameters.get("studies") or [])
        folders = [f"data/raw/{s}/*" for s in studies]
        if any(fnmatch.fnmatch(changed, pattern) for pattern in folders + list(entry.get("inputs") or [])):
            hits.append(entry["output"])
    return hits


def build_states(stdout: str) -> dict[str, str]:
    """Each report's state from `icevidence build` output: built, skipped or FAILED."""
    states = {}
    for line in stdout.splitlines():
        match = re.match(r"\s+(?:\[\d+/\d+\]\s+)?(built|skipped|FAILED)\s+(\S+)", line)
        if match:
            states[match.group(2)] = match.group(1)
    return states


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", default="mitchell2023", help="the study whose data is changed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy and print its path")
    args = parser.parse_args()
    header(f"incremental build after changing one quote's note in {args.study}")
    folder = Path(tempfile.mkdtemp(prefix="bench-touch-"))
    try:
        print(f"  copied {snapshot_project(folder)} tracked files to {folder}", flush=True)
        env = snapshot_env(folder)
        first = run_timed([BIN / "icevidence", "build"], env=env, cwd=folder)
        print(f"  first build (all reports): {first.wall:.1f} s", flush=True)
        changed = f"data/raw/{args.study}/segments.csv"
        segment = change_one_note(folder / changed)
        print(f"  changed the note of quote {segment} in {changed}", flush=True)
        second = run_timed([BIN / "icevidence", "build"], env=env, cwd=folder)
        states = build_states(second.stdout)
        expected = reports_reading(folder, changed)
    finally:
        if args.keep:
            print(f"  kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    rows = [[name, state, "rebuild" if name in expected else "skip",
             "ok" if (state == "built") == (name in expected) else "UNEXPECTED"] for name, state in states.items()]
    print_table(["report", "second build", "expected", "check"], rows,
                title=f"Second build after the change: {second.wall:.1f} s wall, {second.cpu:.1f} s CPU")
    ran = sorted(n for n, s in states.items() if s == "built")
    skipped = sorted(n for n, s in states.items() if s == "skipped")
    print(f"\n  ran ({len(ran)}): {', '.join(ran)}\n  skipped ({len(skipped)}): {', '.join(skipped)}")
    print(f"  first build {first.wall:.1f} s; rebuild after the change {second.wall:.1f} s")
    report_target(f"changing {changed} rebuilds exactly the reports reading it",
                  ran == sorted(expected) and not any(s == "FAILED" for s in states.values()),
                  f"{len(ran)} ran (expected {len(expected)}), {len(skipped)} skipped, rebuild {second.wall:.1f} s")


if __name__ == "__main__":
    main()
