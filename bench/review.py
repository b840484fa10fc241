"""Evidence review at scale: time and peak memory of `icevidence.review` on synthetic imported studies.

For each size (codings; 4,000 participants and 250 codes, as bench/scale.py) a synthetic REFI-QDA
project is written and imported once; the review then runs in a fresh Python process that loads
the imported Study from a pickle (not timed) and reports its own time (perf_counter around
`review`) and peak RSS (getrusage: the whole process). An imported study has no paper, so the
review runs attributions, bands, reused or duplicate codings and coverage, and skips claims and
stated counts (checks_run says why). Growth per 10x is printed; targets: 100k under 30 s and
growth <= 10x per 10x.
Usage: .venv/bin/python bench/review.py [--sizes 10000,100000,1000000] [--profile]
"""
from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, WORK, header, peak_rss_mb, print_table, report_target

PARTICIPANTS, CODES, SEED = 4000, 250, 1
TARGET_SECONDS, TARGET_SIZE, TARGET_GROWTH = 30.0, 100_000, 10.0


def label(codings: int) -> str:
    """10000 -> 10k, 1000000 -> 1M."""
    return f"{codings // 1_000_000}M" if codings % 1_000_000 == 0 else f"{codings // 1000}k"


def prepare(codings: int, pickled: Path) -> dict:
    """Write and import one synthetic project, pickling the Study for the timed process."""
    import icevidence as ic
    from icevidence.io.synth import SynthSpec, write_synthetic_qdpx
    qdpx = WORK / f"review-{codings}.qdpx"
    write_synthetic_qdpx(SynthSpec(PARTICIPANTS, codings, CODES, SEED), qdpx)
    study = ic.read_export(qdpx)
    with pickled.open("wb") as handle:
        pickle.dump(study, handle, protocol=pickle.HIGHEST_PROTOCOL)
    qdpx.unlink(missing_ok=True)
    return {"segments": len(study.segments)}


def run_review(pickled: Path, profile: bool) -> dict:
    """Time one review of the pickled study in this (fresh) process."""
    from icevidence.analyses.evidence.registry import checks_run
    from icevidence.analyses.evidence.review import review
    with pickled.open("rb") as handle:
        study = pickle.load(handle)
    before = peak_rss_mb()
    start = time.perf_counter()
    if profile:
        import cProfile
        import pstats
        profiler = cProfile.Profile()
        findings = profiler.runcall(review, study).findings
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(20)
    else:
        findings = review(study).findings
    seconds = time.perf_counter() - start
    skipped = checks_run(study).query("status != 'run'")["check"].tolist()
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "before_mb": before, "findings": len(findings),
            "not fully run": skipped}


def child(args: argparse.Namespace) -> None:
    result = prepare(args.codings, args.pickle) if args.child == "prepare" else run_review(args.pickle, args.profile)
    print(json.dumps(result))


def in_child(step: str, codings: int, profile: bool) -> dict:
    """Run a step in a fresh process and read back its figures."""
    pickled = WORK / f"review-{codings}.pickle"
    cmd = [PYTHON, __file__, "--child", step, "--codings", str(codings), "--pickle", str(pickled)]
    done = subprocess.run(cmd + (["--profile"] if profile else []), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{step} at {codings} codings failed:\n{done.stderr[-3000:]}")
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated numbers of codings")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of each review")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--codings", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pickle", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    shown = ", ".join(label(s) for s in sizes)
    header(f"evidence review: {shown} codings ({PARTICIPANTS} participants, {CODES} codes)")
    WORK.mkdir(parents=True, exist_ok=True)
    results = {}
    for codings in sizes:
        print(f"  [{label(codings)}] import ...", end=" ", flush=True)
        prepared = in_child("prepare", codings, False)
        print(f"{prepared['segments']} segments; review ...", end=" ", flush=True)
        results[codings] = in_child("review", codings, args.profile)
        (WORK / f"review-{codings}.pickle").unlink(missing_ok=True)
        r = results[codings]
        print(f"{r['seconds']:.2f} s, peak {r['peak_mb']:.0f} MB, {r['findings']} findings", flush=True)
    seconds = [results[s]["seconds"] for s in sizes]
    peaks = [results[s]["peak_mb"] for s in sizes]
    growth = [b / a if a else None for a, b in zip(seconds, seconds[1:])]
    mem_growth = [b / a if a else None for a, b in zip(peaks, peaks[1:])]
    rows = [[label(s), round(results[s]["seconds"], 2), round(results[s]["peak_mb"]),
             round(results[s]["peak_mb"] - results[s]["before_mb"]), results[s]["findings"],
             ", ".join(results[s]["not fully run"])] for s in sizes]
    print_table(["codings", "review s", "peak MB", "+MB by review", "findings", "checks skipped or in part"], rows,
                title="Evidence review of an imported study (fresh process per size)")
    if len(sizes) > 1:
        print_table(["step", *[f"x {label(a)}->{label(b)}" for a, b in zip(sizes, sizes[1:])]],
                    [["time", *growth], ["peak memory", *mem_growth]], title="Growth per size step (10 = linear)")
    if TARGET_SIZE in results:
        report_target(f"review of {label(TARGET_SIZE)} codings under {TARGET_SECONDS:g} s",
                      results[TARGET_SIZE]["seconds"] < TARGET_SECONDS, f"{results[TARGET_SIZE]['seconds']:.1f} s")
    if growth:
        worst = max(g for g in growth if g)
        report_target(f"review time growth no worse than linear (factor <= {TARGET_GROWTH:g} per 10x)",
                      worst <= TARGET_GROWTH, f"worst x{worst:.1f}")


if __name__ == "__main__":
    main()
