"""Run every benchmark in order, print all their figures and a summary of the targets.

With --write-results the run is also recorded in bench/RESULTS.md (machine, date, the targets met
and missed, and every script's full output), so no figure there is typed by hand.
Usage: .venv/bin/python bench/run_all.py [--sizes 10000,100000,1000000] [--only NAME ...] [--warm-baseline REF]
       [--naive-reports REPORT ...] [--write-results] [--note TEXT]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, load_average, machine_summary, project_state

HERE = Path(__file__).resolve().parent
SCRIPTS = ["build_vs_naive", "warm_build", "touch_one_study", "repeat_builds", "scale", "report_scale",
           "hostile_workbooks", "vs_pypi_readers", "agreement", "review", "appendix", "test_suite"]


def run_script(name: str, extra: list[str]) -> tuple[list[str], int, float]:
    """Run one benchmark, echoing its output line by line; returns the lines, exit code and seconds."""
    start = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-u", HERE / f"{name}.py", *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, cwd=HERE.parent)
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.rstrip("\n"))
    return lines, process.wait(), time.perf_counter() - start


def targets_of(lines: list[str]) -> list[tuple[str, str, str]]:
    """The (PASS/FAIL, target, measured) lines a script printed."""
    found = []
    for line in lines:
        if line.startswith("TARGET: "):
            verdict, target, measured = (part.strip() for part in line[len("TARGET: "):].split("|", 2))
            found.append((verdict, target, measured))
    return found


def write_results(path: Path, machine: str, state: str, command: str, outputs: dict, summary: list,
                  note: str = "", load: float | None = None) -> None:
    """Record the run in Markdown: machine, date, targets, and each script's full output."""
    lines = ["# Benchmark results", "",
             "Written by `bench/run_all.py --write-results` from the output of one run (rewritten after each "
             "script, so a run cut short keeps what it measured); every figure below is copied by the script from "
             "that output. See `bench/README.md` for what each benchmark measures.", "",
             f"- Machine and date: {machine}", f"- Project: {state}", f"- Command: `{command}`",
             *([f"- Load average when the run started: {load:.2f}"] if load is not None else []),
             *([f"- Note: {note}"] if note else []), "",
             "## Targets", "", "| result | target | measured |", "|---|---|---|"]
    lines += [f"| **{v}** | {t} | {m} |" for v, t, m in summary]
    met = sum(v == "PASS" for v, _, _ in summary)
    lines += ["", f"{met} of {len(summary)} targets met; not met: "
              + (", ".join(t for v, t, _ in summary if v != "PASS") or "none") + ".", ""]
    for name, (out, code, seconds) in outputs.items():
        status = "" if code == 0 else f" — exited with code {code}"
        shown = [line.split("\r")[-1] for line in out]
        lines += [f"## {name}.py ({seconds:.0f} s{status})", "", "```", *shown, "```", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=None,
                        help="passed to scale.py and review.py (default: 10k, 100k and 1M codings)")
    parser.add_argument("--only", nargs="+", choices=SCRIPTS, help="run only these benchmarks")
    parser.add_argument("--warm-baseline", metavar="REF", help="passed to warm_build.py as --baseline (a git commit)")
    parser.add_argument("--naive-reports", nargs="+", metavar="REPORT",
                        help="passed to build_vs_naive.py as --only (default: every report of compendium.yml)")
    parser.add_argument("--write-results", action="store_true", help="record this run in bench/RESULTS.md")
    parser.add_argument("--note", default="",
                        help="a sentence recorded with the run (e.g. that the machine was shared)")
    args = parser.parse_args()
    machine, state = machine_summary(), project_state()
    print(f"icevidence benchmarks on {machine}\nproject: {state}", flush=True)
    outputs, load, command = {}, load_average(), " ".join(["python bench/run_all.py", *sys.argv[1:]])
    for name in args.only or SCRIPTS:
        extra = ["--sizes", args.sizes] if name in ("scale", "review") and args.sizes else []
        extra += ["--baseline", args.warm_baseline] if name == "warm_build" and args.warm_baseline else []
        extra += ["--only", *args.naive_reports] if name == "build_vs_naive" and args.naive_reports else []
        outputs[name] = run_script(name, extra)
        if args.write_results:
            summary = [t for out, _, _ in outputs.values() for t in targets_of(out)]
            write_results(HERE / "RESULTS.md", machine, state, command, outputs, summary, args.note, load)
    summary = [t for out, _, _ in outputs.values() for t in targets_of(out)]
    failed = [name for name, (_, code, _) in outputs.items() if code != 0]
    print("\n== Summary of targets")
    for verdict, target, measured in summary:
        print(f"  {verdict}  {target}: {measured}")
    for name in failed:
        print(f"  ERROR  {name}.py exited with code {outputs[name][1]}")
    if args.write_results:
        print(f"\nrecorded in {HERE / 'RESULTS.md'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
