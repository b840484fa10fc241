"""Scale: time and peak memory of each step on synthetic projects of growing size.

For each size (codings; 4,000 participants and 250 codes) every step runs in a fresh Python
process that reports its own time (perf_counter around the step; for the quick steps after the
import, the median of 3 calls) and peak RSS (getrusage: the whole process, interpreter, libraries
and data included, plus the peak of any helper process the step started, e.g. the import's
parallel XSD check; the two are added, an upper bound of their peak together). Steps after the
import load the imported Study from a pickle first (not timed), so each step's time is its own.
Usage: .venv/bin/python bench/scale.py [--sizes 10000,100000,1000000] [--profile STEP]
"""
from __future__ import annotations

import argparse
import json
import pickle
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, WORK, children_peak_rss_mb, header, peak_rss_mb, print_table, report_target

PARTICIPANTS, CODES, SEED = 4000, 250, 1
MATRICES = [f"matrix {level} {unit}" for level in ("main", "sub") for unit in ("references", "participants", "share")]
STEPS = ["synth", "import", "sample table", *MATRICES, "comparison"]
TARGET_SECONDS, TARGET_MB, TARGET_GROWTH = 30.0, 2048.0, 10.0
REPEAT = 3   # calls of each step after the import (median counts); synth and import run once


# ----------------------------------------------------------------------------- in the child process

def synthetic_crosswalk(study):
    """A crosswalk mapping every main-level code to one of six concepts (codes below inherit)."""
    import pandas as pd
    main = study.codes.loc[study.codes["level"] == "main", "code_id"].tolist()
    crosswalk = pd.DataFrame({"study": study.id, "code_id": main,
                              "concept_id": [f"concept{i % 6 + 1}" for i in range(len(main))],
                              "rationale": "synthetic mapping"})
    concepts = pd.DataFrame({"concept_id": [f"concept{i}" for i in range(1, 7)],
                             "name": [f"Concept {i}" for i in range(1, 7)]})
    return crosswalk, concepts


def step_function(step: str, study):
    """The call a step times, as a function of the loaded study."""
    import icevidence as ic
    if step == "sample table":
        return lambda: ic.sample_tables(study)
    if step.startswith("matrix "):
        _, level, unit = step.split()
        return lambda: ic.theme_matrix(study, level=level, unit=unit, group_by="tier")
    if step == "comparison":
        crosswalk, concepts = synthetic_crosswalk(study)
        return lambda: ic.compare([study], unit="participants", by="site", crosswalk=crosswalk, concepts=concepts)
    raise ValueError(step)


def run_step(step: str, qdpx: Path, pickled: Path, codings: int, profile: bool) -> dict:
    """Run one step in this (fresh) process and return its seconds and memory."""
    import icevidence as ic
    from icevidence.io.synth import SynthSpec, write_synthetic_qdpx
    if step == "synth":
        def call():
            return write_synthetic_qdpx(SynthSpec(PARTICIPANTS, codings, CODES, SEED), qdpx)
    elif step == "import":
        def call():
            return ic.read_export(qdpx)
    else:
        with pickled.open("rb") as handle:
            study = pickle.load(handle)
        call = step_function(step, study)
    before = peak_rss_mb()
    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        start = time.perf_counter()
        result = profiler.runcall(call)
        times = [time.perf_counter() - start]
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        times = []
        for _ in range(1 if step in ("synth", "import") else REPEAT):
            start = time.perf_counter()
            result = call()
            times.append(time.perf_counter() - start)
    own, children = peak_rss_mb(), children_peak_rss_mb()
    if step == "import":
        with pickled.open("wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return {"seconds": statistics.median(times), "peak_mb": own + children, "children_mb": children,
            "before_mb": before}


# ----------------------------------------------------------------------------- in the parent

def measure(step: str, codings: int, profile: bool) -> dict:
    """Run one step in a fresh subprocess and read back its figures."""
    qdpx = WORK / f"scale-{codings}.qdpx"
    pickled = WORK / f"scale-{codings}.pickle"
    cmd = [PYTHON, __file__, "--child", step, "--codings", str(codings), "--qdpx", str(qdpx), "--pickle", str(pickled)]
    done = subprocess.run(cmd + (["--profile", step] if profile else []), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"step {step!r} at {codings} codings failed:\n{done.stderr[-3000:]}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def growth(values: list[float]) -> list[float | None]:
    """Factor between consecutive sizes (sizes are 10x apart when run as designed)."""
    return [b / a if a else None for a, b in zip(values, values[1:])]


def label(codings: int) -> str:
    """10000 -> 10k, 1000000 -> 1M."""
    return f"{codings // 1_000_000}M" if codings % 1_000_000 == 0 else f"{codings // 1000}k"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of codings")
    parser.add_argument("--profile", metavar="STEP", help="print a cProfile of this step (slows it down)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--codings", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--qdpx", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--pickle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_step(args.child, args.qdpx, args.pickle, args.codings, args.profile == args.child)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    header(f"scale: {', '.join(label(s) for s in sizes)} codings ({PARTICIPANTS} participants, {CODES} codes)")
    WORK.mkdir(parents=True, exist_ok=True)
    figures: dict[tuple[str, int], dict] = {}
    for codings in sizes:
        for step in STEPS:
            print(f"  [{label(codings)}] {step} ...", end=" ", flush=True)
            result = figures[step, codings] = measure(step, codings, args.profile == step)
            print(f"{result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB", flush=True)
        for suffix in (".qdpx", ".pickle"):
            (WORK / f"scale-{codings}{suffix}").unlink(missing_ok=True)
    print_results(sizes, figures)
    judge(sizes, figures)


def print_results(sizes: list[int], figures: dict) -> None:
    """The time and memory tables, with growth per 10x."""
    steps_pairs = [f"{label(a)}->{label(b)}" for a, b in zip(sizes, sizes[1:])]
    time_rows, memory_rows = [], []
    for step in STEPS:
        seconds = [figures[step, s]["seconds"] for s in sizes]
        peaks = [figures[step, s]["peak_mb"] for s in sizes]
        helpers = [round(figures[step, s]["children_mb"]) for s in sizes]
        added = [round(figures[step, s]["peak_mb"] - figures[step, s]["children_mb"] - figures[step, s]["before_mb"])
                 for s in sizes]
        time_rows.append([step, *seconds, *growth(seconds)])
        memory_rows.append([step, *[round(p) for p in peaks], *helpers, *added, *growth(peaks)])
    print_table(["step", *[f"{label(s)} s" for s in sizes], *[f"x {p}" for p in steps_pairs]], time_rows,
                title="Time per step (s) and growth factor per size step (10 = linear)")
    print_table(["step", *[f"{label(s)} peak MB" for s in sizes], *[f"{label(s)} of it helper" for s in sizes],
                 *[f"{label(s)} +MB by step" for s in sizes], *[f"x {p}" for p in steps_pairs]], memory_rows,
                title="Peak RSS (MB) of the step's process plus any helper process it started; the helper's "
                      "share; what the step added in its own process; growth")
    analysis = [[label(s), sum(figures[step, s]["seconds"] for step in ["import", *MATRICES]),
                 sum(figures[step, s]["seconds"] for step in STEPS[1:]),
                 round(max(figures[step, s]["peak_mb"] for step in STEPS[1:]))] for s in sizes]
    print_table(["codings", "import + 6 matrices s", "all steps but synth s", "max peak MB (not synth)"], analysis,
                title="Totals")


def judge(sizes: list[int], figures: dict) -> None:
    """Print the scale targets: 1M import plus matrices under 30 s, peak under 2 GB, linear growth."""
    largest = max(sizes)
    total = sum(figures[step, largest]["seconds"] for step in ["import", *MATRICES])
    peak = max(figures[step, s]["peak_mb"] for step in STEPS[1:] for s in sizes)
    name = label(largest)
    if largest == 1_000_000:
        report_target(f"{name} codings: import plus all matrices under {TARGET_SECONDS:g} s",
                      total < TARGET_SECONDS, f"{total:.1f} s")
    else:
        print(f"  (target 'import plus matrices under {TARGET_SECONDS:g} s' is for 1M codings; "
              f"{name} ran: {total:.1f} s)")
    report_target(f"peak memory under {TARGET_MB / 1024:g} GB (every step but synth, every size)",
                  peak < TARGET_MB, f"max {peak:.0f} MB")
    worst = [(g, step) for step in STEPS[1:] for g in growth([figures[step, s]["seconds"] for s in sizes]) if g]
    if worst:
        factor, step = max(worst)
        report_target(f"time growth no worse than linear (factor <= {TARGET_GROWTH:g} per 10x, every step but synth)",
                      factor <= TARGET_GROWTH, f"worst x{factor:.1f} ({step})")


if __name__ == "__main__":
    main()
