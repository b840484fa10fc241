"""Incremental build: change one study's data in a copy of the project and see what rebuilds.

The project's tracked files (read from the git index file, without running git) are copied to a
temporary folder; `icevidence build` runs there (ICEVIDENCE_ROOT, same venv, the library imported
from the copy so edits elsewhere cannot interfere) once, then one quote's
note in data/raw/<study>/segments.csv is changed and the build runs again. Expected: exactly the
reports whose inputs include that file rebuild, and the appendices reading it (the study's own and,
for a study of the crosswalk, those of the studies compared with it); everything else is skipped.
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


def crosswalk_studies(root: Path) -> set[str]:
    """The studies data/crosswalk.csv lists."""
    path = root / "data" / "crosswalk.csv"
    if not path.is_file():
        return set()
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["study"] for row in csv.DictReader(handle)}


def appendices_reading(root: Path, study: str) -> list[str]:
    """Appendices of compendium.yml that read the study's data: its own, and (their comparison section sets a
    crosswalk study beside the others the crosswalk lists) every crosswalk study's when it is one of them."""
    entries = yaml.safe_load((root / "compendium.yml").read_text(encoding="utf-8")).get("appendices") or []
    listed = crosswalk_studies(root)
    return [f"appendix-{e['study']}" for e in entries
            if e["study"] == study or (study in listed and e["study"] in listed)]


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
        expected = reports_reading(folder, changed) + appendices_reading(folder, args.study)
    finally:
        if args.keep:
            print(f"  kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    rows = [[name, state, "rebuild" if name in expected else "skip",
             "ok" if (state == "built") == (name in expected) else "UNEXPECTED"] for name, state in states.items()]
    print_table(["report or appendix", "second build", "expected", "check"], rows,
                title=f"Second build after the change: {second.wall:.1f} s wall, {second.cpu:.1f} s CPU")
    ran = sorted(n for n, s in states.items() if s == "built")
    skipped = sorted(n for n, s in states.items() if s == "skipped")
    print(f"\n  ran ({len(ran)}): {', '.join(ran)}\n  skipped ({len(skipped)}): {', '.join(skipped)}")
    print(f"  first build {first.wall:.1f} s; rebuild after the change {second.wall:.1f} s")
    report_target(f"changing {changed} rebuilds exactly the reports and appendices reading it",
                  ran == sorted(expected) and not any(s == "FAILED" for s in states.values()),
                  f"{len(ran)} ran (expected {len(expected)}), {len(skipped)} skipped, rebuild {second.wall:.1f} s")
    appendices = [n for n in ran if n.startswith("appendix-")]
    report_target(f"changing {changed} rebuilds only its own appendix", appendices == [f"appendix-{args.study}"],
                  f"rebuilt: {', '.join(appendices) or 'none'}" + ("" if len(appendices) <= 1 else
                  " (each crosswalk study's appendix compares it with the others the crosswalk lists)"))


if __name__ == "__main__":
    main()
