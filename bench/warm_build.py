"""Warm `icevidence build` (nothing changed since the last build) vs a cold one, and what a warm build spends.

It runs on a snapshot of the project's tracked files (ICEVIDENCE_ROOT and the library imported
from it, same venv), so edits made to the project meanwhile cannot make a warm build rebuild.
The warm time is the whole `icevidence build` process, start-up included. When it misses the
target, the script measures where the time goes: interpreter start-up, importing the CLI's
modules (with `python -X importtime`) and the build itself (the cache check).
With --baseline REF (a git commit), the same is done on a snapshot of that commit too (`git archive`),
and the warm builds of the two alternate (baseline, current, baseline, current, ...), so a change's
effect is measured under the same load; the minimum and median of each are printed.
Usage: .venv/bin/python bench/warm_build.py [--repeat N] [--baseline REF]
"""
from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import tarfile
import tempfile
from pathlib import Path

from common import (
    BIN,
    PROJECT,
    PYTHON,
    header,
    interleave,
    min_median,
    print_table,
    report_target,
    run_timed,
    snapshot_env,
    snapshot_project,
)

TARGET_WARM_SECONDS = 0.5
TARGET_RATIO = 20.0
IN_PROCESS = """
import time
t0 = time.perf_counter()
from icevidence.build import cli
t1 = time.perf_counter()
from icevidence.build import runner
t2 = time.perf_counter()
results = runner.build(log=lambda *a: None)
t3 = time.perf_counter()
assert all(r.skipped for r in results), "a report was rebuilt: the build was not warm"
print(t1 - t0, t2 - t1, t3 - t2)
"""


def build(root: Path, force: bool = False):
    """One `icevidence build` of the snapshot, timed."""
    return run_timed([BIN / "icevidence", "build", *(["--force"] if force else [])], env=snapshot_env(root), cwd=root)


def warm_builds(root: Path, repeat: int) -> list[float] | None:
    """Wall times of repeated warm builds; None when one rebuilt something (the project changed
    while we measured, e.g. an edit to compendium.yml or the library)."""
    times = []
    for _ in range(repeat):
        run = build(root)
        if not run.stdout.splitlines()[-1].startswith("0 built"):
            print(f"  a warm build rebuilt reports (the project changed meanwhile): {run.stdout.splitlines()[-1]}")
            return None
        times.append(run.wall)
    return times


def cold_then_warm(root: Path, repeat: int, attempts: int = 3):
    """A cold build then repeated warm ones; starts again if the project changed in between."""
    for _ in range(attempts):
        cold = build(root, force=True)
        print(f"  cold build --force: {cold.wall:.1f} s", flush=True)
        warm = warm_builds(root, repeat)
        if warm:
            return cold, warm
    raise SystemExit("the project kept changing while measuring; run again when it is quiet")


def start_up_breakdown(root: Path) -> list[list]:
    """Seconds of a warm build's parts, each measured in its own fresh interpreter."""
    bare = run_timed([PYTHON, "-c", "pass"]).wall
    out = run_timed([PYTHON, "-c", IN_PROCESS], env=snapshot_env(root), cwd=root)
    cli, report, cache_check = (float(x) for x in out.stdout.split())
    return [["interpreter start-up (python -c pass)", bare],
            ["import icevidence.build.cli (and all it imports)", cli],
            ["then import icevidence.build.runner (and all it imports)", report],
            ["build(): read compendium.yml, hash inputs, compare keys, write index", cache_check]]


def import_times(root: Path) -> list[tuple[float, float, int, str]]:
    """`python -X importtime -m icevidence build` as (own s, cumulative s, depth, module), in the
    order Python prints them (a module after everything it imported)."""
    out = run_timed([PYTHON, "-X", "importtime", "-m", "icevidence", "build"], env=snapshot_env(root), cwd=root)
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line[len("import time:"):].split("|", 2)
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((int(own) / 1e6, int(cumulative) / 1e6, depth, name.strip()))
    return rows


def slowest_imports(rows: list[tuple], top: int = 12) -> tuple[list[list], list[list]]:
    """The imports two levels deep (what the CLI pulls in) by cumulative time, and the single modules
    with the most time of their own."""
    shallow = sorted((r for r in rows if r[2] <= 1), key=lambda r: -r[1])[:top]
    own = sorted(rows, key=lambda r: -r[0])[:top]
    return ([["  " * r[2] + r[3], r[1], r[0]] for r in shallow], [[r[3], r[0], r[1]] for r in own])


def import_chain(rows: list[tuple], module: str) -> str:
    """Who imported a module: its chain of importers up to the top level."""
    index = next(i for i, r in enumerate(rows) if r[3] == module)
    chain, depth = [module], rows[index][2]
    for row in rows[index + 1:]:
        if row[2] < depth:
            chain.append(row[3])
            depth = row[2]
    return " <- ".join(chain)


def snapshot_commit(ref: str, target: Path) -> str:
    """Extract a commit's tracked files into target (`git archive`); returns its short hash."""
    commit = subprocess.run(["git", "-C", PROJECT, "rev-parse", "--short=12", ref], capture_output=True, text=True,
                            check=True).stdout.strip()
    archive = subprocess.run(["git", "-C", PROJECT, "archive", commit], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return commit


def warm_once(root: Path) -> float:
    """One warm build's wall seconds; stops when it rebuilt something (the build was not warm)."""
    run = build(root)
    if not run.stdout.splitlines()[-1].startswith("0 built"):
        raise SystemExit(f"a warm build of {root} rebuilt reports: {run.stdout.splitlines()[-1]}")
    return run.wall


def compare_with_baseline(ref: str, root: Path, repeat: int):
    """Warm builds of a baseline commit and of the current snapshot, alternating, after a cold build of each;
    prints both; returns the current snapshot's cold build and warm times."""
    with tempfile.TemporaryDirectory(prefix="bench-warm-baseline-") as folder:
        base = Path(folder)
        commit = snapshot_commit(ref, base)
        print(f"  cold build --force of baseline {commit}: {build(base, force=True).wall:.1f} s", flush=True)
        cold = build(root, force=True)
        print(f"  cold build --force of current: {cold.wall:.1f} s", flush=True)
        samples = interleave({f"baseline {commit}": lambda: warm_once(base), "current": lambda: warm_once(root)},
                             repeat)
    rows = [[name, len(times), *min_median(times)] for name, times in samples.items()]
    print_table(["warm build (nothing changed)", "rounds", "min wall s", "median wall s"], rows,
                title="Warm build, baseline vs current, interleaved")
    return cold, samples["current"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="warm builds to time (the median counts)")
    parser.add_argument("--baseline", metavar="REF", help="also time this git commit's warm build, interleaved")
    args = parser.parse_args()
    header("warm build (nothing changed) vs cold build")
    with tempfile.TemporaryDirectory(prefix="bench-warm-") as folder:
        root = Path(folder)
        print(f"  snapshot of {snapshot_project(root)} tracked files in {root}", flush=True)
        if args.baseline:
            cold, warm = compare_with_baseline(args.baseline, root, args.repeat)
        else:
            cold, warm = cold_then_warm(root, args.repeat)
        median = statistics.median(warm)
        ratio = cold.wall / median
        print_table(["build", "wall s"],
                    [["cold (icevidence build --force, empty reports folder)", cold.wall],
                     [f"warm, median of {len(warm)} (icevidence build, nothing changed)", median],
                     ["warm, fastest", min(warm)], ["warm, slowest", max(warm)],
                     ["ratio cold / warm (median)", ratio]],
                    title="Cold vs warm build, whole process wall time")
        parts = start_up_breakdown(root)
        total = sum(p[1] for p in parts)
        print_table(["part of a warm build", "s", "% of parts"], [[p[0], p[1], 100 * p[1] / total] for p in parts],
                    title="Where a warm build's time goes (each measured in a fresh interpreter)")
        rows = import_times(root)
        shallow, own = slowest_imports(rows)
        print_table(["import (indented: imported by the line above it)", "cumulative s", "own s"], shallow,
                    title="python -X importtime -m icevidence build: slowest imports, two levels deep")
        print_table(["module", "own s", "cumulative s"], own,
                    title="python -X importtime -m icevidence build: modules with the most time of their own")
        print(f"\n  imported by: {import_chain(rows, own[0][0])}")
    report_target(f"warm build under {TARGET_WARM_SECONDS:g} s", median < TARGET_WARM_SECONDS,
                  f"{median:.2f} s median wall (imports {parts[1][1] + parts[2][1]:.2f} s, "
                  f"cache check {parts[3][1]:.3f} s)")
    report_target(f"warm build at least {TARGET_RATIO:g}x faster than cold", ratio >= TARGET_RATIO,
                  f"{ratio:.1f}x ({cold.wall:.1f} s cold vs {median:.2f} s warm)")


if __name__ == "__main__":
    main()
