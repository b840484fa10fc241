"""Robustness of parallel builds: N consecutive forced builds, counting any that fail.

Parallel kernels started over TCP can race for the same free port (papermill#511, nbclient#114);
the build starts kernels on IPC sockets instead. This runs `icevidence build --force` N times
(default 20) with parallel jobs on a snapshot of the project and prints each run's outcome.
Usage: .venv/bin/python bench/repeat_builds.py [--runs 20] [--only REPORT ...]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from common import BIN, header, print_table, report_target, run_timed, snapshot_env, snapshot_project

DEFAULT_REPORTS = ["sample-tables-tracy2025", "sample-tables-mitchell2020", "sample-tables-mitchell2023",
                   "theme-matrix-mitchell2020"]


def build_repeatedly(folder: Path, runs: int, reports: list[str]) -> list[list]:
    """Run the forced parallel build `runs` times; one row (run, exit code, seconds, built, failed) each."""
    env = snapshot_env(folder)
    rows = []
    for run in range(1, runs + 1):
        done = run_timed([BIN / "icevidence", "build", "--force", "--jobs", "2", "--only", *reports],
                         env=env, cwd=folder, check=False)
        built, failed = done.stdout.count(" built "), done.stdout.count("FAILED")
        rows.append([run, done.returncode, round(done.wall, 1), built, failed])
        print(f"  run {run}/{runs}: exit {done.returncode}, {built} built, {failed} failed, {done.wall:.1f} s",
              flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--only", nargs="+", default=DEFAULT_REPORTS)
    args = parser.parse_args()
    header(f"{args.runs} consecutive forced parallel builds of {len(args.only)} reports")
    with tempfile.TemporaryDirectory(prefix="icevidence-repeat-") as tmp:
        folder = Path(tmp)
        snapshot_project(folder)
        rows = build_repeatedly(folder, args.runs, args.only)
    print_table(["run", "exit", "seconds", "built", "failed"], rows)
    bad = [r for r in rows if r[1] != 0 or r[4]]
    report_target(f"no failed build in {args.runs} consecutive parallel builds", not bad,
                  f"{len(bad)} of {args.runs} builds failed")


if __name__ == "__main__":
    main()
