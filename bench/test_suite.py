"""Wall time of the whole test suite as `make test` runs it (`python -m pytest -n 2`: pytest-xdist on both cores).

Runs in the project itself (the tests read its data and build into temporary folders), prints pytest's
closing line, the slowest tests (`--durations`), the tests that failed and the wall and CPU seconds of the run.
Usage: .venv/bin/python bench/test_suite.py [--jobs 2]
"""
from __future__ import annotations

import argparse

from common import PROJECT, PYTHON, header, load_average, print_table, report_target, run_timed

TARGET_SECONDS = 300.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", default="2", help="pytest-xdist processes (-n), as `make test` passes (default 2)")
    args = parser.parse_args()
    header(f"test suite: python -m pytest -n {args.jobs} (what `make test` runs)")
    run = run_timed([PYTHON, "-m", "pytest", "-n", args.jobs, "-q", "--durations=12", "-p", "no:randomly"],
                    cwd=PROJECT, check=False)
    lines = run.stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if "slowest" in line and "durations" in line), None)
    for line in (lines[start:start + 14] if start is not None else []):
        print(f"  {line}")
    for line in lines:
        if line.startswith(("FAILED ", "ERROR ")):
            print(f"  {line}")
    closing = lines[-1] if lines else "(no output)"
    print_table(["run", "exit", "wall s", "CPU s", "pytest's closing line"],
                [[f"pytest -n {args.jobs}", run.returncode, run.wall, run.cpu, closing.strip("= ")]],
                title=f"Whole suite (load average after: {load_average():.2f})")
    report_target(f"test suite under {TARGET_SECONDS:g} s wall on 2 cores (pytest -n {args.jobs})",
                  run.wall < TARGET_SECONDS and run.returncode == 0,
                  f"{run.wall:.0f} s wall, {run.cpu:.0f} s CPU, exit {run.returncode}: {closing.strip('= ')}")


if __name__ == "__main__":
    main()
