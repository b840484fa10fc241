"""Cold `icevidence build --force` vs the naive way: papermill CLI then nbconvert, one report at a time.

Both run in the same run, on one snapshot of the project's tracked files (ICEVIDENCE_ROOT and the
library imported from it, same venv), each into its own fresh reports folder (ICEVIDENCE_REPORTS),
so the project's reports/ is not touched and edits made meanwhile do not interfere.
Usage: .venv/bin/python bench/build_vs_naive.py [--jobs N]
"""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import yaml

from common import (BIN, PYTHON, Timed, header, load_average, print_table, report_target, run_timed, snapshot_env,
                    snapshot_project)

TARGET_RATIO = 2.0


def compendium_reports(root: Path) -> list[dict]:
    """The report entries of compendium.yml."""
    return yaml.safe_load((root / "compendium.yml").read_text(encoding="utf-8"))["reports"]


def warm_up(env: dict) -> None:
    """Import the library once so neither contender pays for a cold disk cache."""
    run_timed([PYTHON, "-c", "import icevidence.build.runner, papermill, nbconvert"], env=env)


def build_cold(root: Path, reports: Path, jobs: int | None) -> Timed:
    """`icevidence build --force` into an empty reports folder, timed."""
    cmd = [BIN / "icevidence", "build", "--force"] + (["--jobs", str(jobs)] if jobs else [])
    return run_timed(cmd, env=snapshot_env(root, ICEVIDENCE_REPORTS=reports), cwd=root)


def parameter_options(parameters: dict) -> list[str]:
    """papermill options for a report's parameters: -p for scalars, -y for lists and mappings."""
    options = []
    for name, value in parameters.items():
        if isinstance(value, (list, dict)):
            options += ["-y", yaml.safe_dump({name: value}, default_flow_style=True).strip()]
        else:
            options += ["-p", name, str(value)]
    return options


def naive_commands(root: Path, entry: dict, out: Path) -> list[list]:
    """The two commands a person would type for one report: papermill, then nbconvert to HTML."""
    executed = out / f"{entry['output']}.ipynb"
    papermill = [BIN / "papermill", root / "notebooks" / entry["notebook"], executed, "-k", "icevidence",
                 "--cwd", root / "notebooks", "--no-progress-bar",
                 *parameter_options({**(entry.get("parameters") or {}), "report_id": entry["output"]})]
    nbconvert = [BIN / "jupyter", "nbconvert", "--to", "html", executed, "--output-dir", out]
    return [papermill, nbconvert]


def run_naive(root: Path, entries: list[dict], out: Path) -> tuple[float, float, list[list]]:
    """Run every report the naive way, one after another: total wall and CPU seconds, per-report rows."""
    env = snapshot_env(root, ICEVIDENCE_REPORTS=out)
    wall = cpu = 0.0
    rows = []
    for entry in entries:
        papermill, nbconvert = naive_commands(root, entry, out)
        run, html = run_timed(papermill, env=env, cwd=root), run_timed(nbconvert, env=env, cwd=root)
        wall, cpu = wall + run.wall + html.wall, cpu + run.cpu + html.cpu
        rows.append([entry["output"], run.wall, html.wall, run.wall + html.wall])
        print(f"  naive: {entry['output']} {run.wall + html.wall:.1f} s", flush=True)
    return wall, cpu, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="passed to icevidence build (default: its own)")
    args = parser.parse_args()
    header("cold build vs naive papermill + nbconvert")
    with tempfile.TemporaryDirectory(prefix="bench-build-") as a, tempfile.TemporaryDirectory(prefix="bench-naive-") as b, \
            tempfile.TemporaryDirectory(prefix="bench-project-") as project:
        root = Path(project)
        print(f"  snapshot of {snapshot_project(root)} tracked files in {root}", flush=True)
        entries = compendium_reports(root)
        warm_up(snapshot_env(root, ICEVIDENCE_REPORTS=a))
        build = build_cold(root, Path(a), args.jobs)
        print(f"  icevidence build --force: {build.wall:.1f} s", flush=True)
        naive_seconds, naive_cpu, rows = run_naive(root, entries, Path(b))
        load = load_average()
        built = len(list(Path(a).glob("*.html"))) - 1   # minus index.html
        rendered = len(list(Path(b).glob("*.html")))
    print_table(["report (naive)", "papermill s", "nbconvert s", "total s"], rows,
                title=f"Naive: {len(entries)} reports, papermill CLI then jupyter nbconvert --to html, sequential")
    ratio = naive_seconds / build.wall
    print_table(["way", "reports", "wall s", "CPU s"],
                [[f"icevidence build --force (jobs={args.jobs or 'default'}, {os.cpu_count()} cores)", built,
                  build.wall, build.cpu],
                 ["naive papermill + nbconvert, one after another", rendered, naive_seconds, naive_cpu],
                 ["ratio naive / build", "-", ratio, naive_cpu / build.cpu]],
                title=f"Cold build of all reports (load average after: {load:.2f})")
    report_target(f"cold build at least {TARGET_RATIO:g}x faster than naive on {os.cpu_count()} cores",
                  ratio >= TARGET_RATIO, f"{ratio:.2f}x ({build.wall:.1f} s vs {naive_seconds:.1f} s wall)")


if __name__ == "__main__":
    main()
