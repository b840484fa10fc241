"""Cold `icevidence build` vs the naive way (papermill CLI then `nbconvert --no-input`), same reports, interleaved.

Both sides build exactly the same reports: every report of compendium.yml (or those named with
--only). The build side is `icevidence build --only <those reports> --force` (so no appendix is
built: the naive way has none), the naive side runs, for each of them one after another, the
papermill CLI with its parameters and then `jupyter nbconvert --to html --no-input` (the build's
HTML hides code too). Rounds alternate (build, naive, build, naive, ...; at least 3), each side into
a fresh reports folder, on one snapshot of the project's tracked files (ICEVIDENCE_ROOT and the
library imported from it, same venv), so the project's reports/ is not touched. The minimum and the
median of each side's rounds are printed, and their ratios: on a machine shared with other work the
minimum is the least disturbed figure.
Usage: .venv/bin/python bench/build_vs_naive.py [--rounds 3] [--jobs N] [--only REPORT ...]
"""
from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import yaml
from common import (
    BIN,
    PYTHON,
    Timed,
    header,
    interleave,
    load_average,
    min_median,
    print_table,
    ratios,
    report_target,
    run_timed,
    snapshot_env,
    snapshot_project,
)

TARGET_RATIO = 5.0
MIN_ROUNDS = 3


def compendium_reports(root: Path, only: list[str] | None = None) -> list[dict]:
    """The report entries of compendium.yml (only the named ones, when names are given)."""
    entries = yaml.safe_load((root / "compendium.yml").read_text(encoding="utf-8"))["reports"]
    unknown = set(only or []) - {e["output"] for e in entries}
    if unknown:
        raise SystemExit(f"no report named {sorted(unknown)} in compendium.yml")
    return [e for e in entries if not only or e["output"] in only]


def warm_up(env: dict) -> None:
    """Import the library once so neither contender pays for a cold disk cache."""
    run_timed([PYTHON, "-c", "import icevidence.build.runner, papermill, nbconvert, pandas, matplotlib"], env=env)


def build_cold(root: Path, entries: list[dict], reports: Path, jobs: int | None) -> Timed:
    """`icevidence build --only <the reports> --force` into an empty reports folder, timed."""
    cmd = [BIN / "icevidence", "build", "--force", "--only", *(e["output"] for e in entries)]
    cmd += ["--jobs", str(jobs)] if jobs else []
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
    """The two commands a person would type for one report: papermill, then nbconvert to HTML without code."""
    executed = out / f"{entry['output']}.ipynb"
    papermill = [BIN / "papermill", root / "notebooks" / entry["notebook"], executed, "-k", "icevidence",
                 "--cwd", root / "notebooks", "--no-progress-bar",
                 *parameter_options({**(entry.get("parameters") or {}), "report_id": entry["output"]})]
    nbconvert = [BIN / "jupyter", "nbconvert", "--to", "html", "--no-input", executed, "--output-dir", out]
    return [papermill, nbconvert]


def run_naive(root: Path, entries: list[dict], out: Path) -> Timed:
    """Every report the naive way, one after another, into out: total wall and CPU seconds."""
    env = snapshot_env(root, ICEVIDENCE_REPORTS=out)
    wall = cpu = 0.0
    for entry in entries:
        for command in naive_commands(root, entry, out):
            run = run_timed(command, env=env, cwd=root)
            wall, cpu = wall + run.wall, cpu + run.cpu
    return Timed(wall, cpu, 0, "", "")


class Rounds:
    """The two contenders, each round into a fresh reports folder; keeps every round's timing and HTML count."""

    def __init__(self, root: Path, entries: list[dict], scratch: Path, jobs: int | None):
        self.root, self.entries, self.scratch, self.jobs = root, entries, scratch, jobs
        self.timings: dict[str, list[Timed]] = {"build": [], "naive": []}
        self.html: dict[str, list[int]] = {"build": [], "naive": []}

    def folder(self, side: str) -> Path:
        """A new, empty reports folder for one round of one side."""
        return Path(tempfile.mkdtemp(prefix=f"{side}-", dir=self.scratch))

    def build(self) -> float:
        """One cold build round: wall seconds."""
        out = self.folder("build")
        self.timings["build"].append(build_cold(self.root, self.entries, out, self.jobs))
        self.html["build"].append(len(list(out.glob("*.html"))) - 1)   # minus index.html
        return self.timings["build"][-1].wall

    def naive(self) -> float:
        """One naive round: wall seconds."""
        out = self.folder("naive")
        self.timings["naive"].append(run_naive(self.root, self.entries, out))
        self.html["naive"].append(len(list(out.glob("*.html"))))
        return self.timings["naive"][-1].wall


def print_rounds(rounds: Rounds) -> None:
    """One row per round: each side's wall and CPU seconds and the ratio of that round."""
    rows = [[n + 1, b.wall, b.cpu, v.wall, v.cpu, v.wall / b.wall]
            for n, (b, v) in enumerate(zip(rounds.timings["build"], rounds.timings["naive"]))]
    print_table(["round", "build wall s", "build CPU s", "naive wall s", "naive CPU s", "naive / build"], rows,
                title="Each round (build first, then naive)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=MIN_ROUNDS, help=f"rounds per side (at least {MIN_ROUNDS})")
    parser.add_argument("--jobs", type=int, default=None, help="passed to icevidence build (default: its own)")
    parser.add_argument("--only", nargs="+", metavar="REPORT", help="compare only these reports")
    args = parser.parse_args()
    if args.rounds < MIN_ROUNDS:
        parser.error(f"--rounds must be at least {MIN_ROUNDS}")
    header("cold build vs naive papermill + nbconvert --no-input, same reports, interleaved rounds")
    with tempfile.TemporaryDirectory(prefix="bench-project-") as project, \
            tempfile.TemporaryDirectory(prefix="bench-rounds-") as scratch:
        root = Path(project)
        print(f"  snapshot of {snapshot_project(root)} tracked files in {root}", flush=True)
        entries = compendium_reports(root, args.only)
        print(f"  {len(entries)} reports on both sides: {', '.join(e['output'] for e in entries)}", flush=True)
        warm_up(snapshot_env(root))
        rounds = Rounds(root, entries, Path(scratch), args.jobs)
        samples = interleave({"build": rounds.build, "naive": rounds.naive}, args.rounds)
    load = load_average()
    print_rounds(rounds)
    by_min, by_median = ratios(samples["naive"], samples["build"])
    (b_min, b_median), (n_min, n_median) = min_median(samples["build"]), min_median(samples["naive"])
    jobs = f"jobs={args.jobs or 'default'}, {os.cpu_count()} cores"
    print_table(["way", "reports (HTML per round)", "min wall s", "median wall s"],
                [[f"icevidence build --only ... --force ({jobs})", "/".join(map(str, rounds.html["build"])),
                  b_min, b_median],
                 ["naive: papermill + nbconvert --no-input, sequential", "/".join(map(str, rounds.html["naive"])),
                  n_min, n_median],
                 ["ratio naive / build", "-", by_min, by_median]],
                title=f"{args.rounds} interleaved rounds of {len(entries)} reports (load average after: {load:.2f})")
    same = rounds.html["build"] == rounds.html["naive"] == [len(entries)] * args.rounds
    report_target("both sides rendered the same reports in every round", same,
                  f"build {rounds.html['build']}, naive {rounds.html['naive']}, expected {len(entries)} each")
    report_target(f"cold build at least {TARGET_RATIO:g}x faster than naive (minimum of {args.rounds} interleaved "
                  f"rounds, {os.cpu_count()} cores)", by_min >= TARGET_RATIO,
                  f"{by_min:.2f}x by minimum ({b_min:.1f} s vs {n_min:.1f} s), {by_median:.2f}x by median")


if __name__ == "__main__":
    main()
