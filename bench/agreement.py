"""Inter-coder agreement at scale: a 100k-coding two-coder synthetic study, character and segment units.

The study is written by `icevidence synth --coders 2 --agreement 0.9` (500 participants, 60 codes,
55,556 codings each kept by each coder with probability 0.9: about 100k codings in all) and imported
once. Each unit then runs in a fresh Python process that loads the imported Study from a pickle (not
timed) and times one `icevidence.analyses.agreement(study, unit=..., level=...)` call with the default 1,000
bootstrap replicates, reporting its wall time and peak RSS.
Usage: .venv/bin/python bench/agreement.py [--codings 55556] [--write-results]
"""
from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import time
from pathlib import Path

from common import (
    BIN,
    PYTHON,
    WORK,
    header,
    load_average,
    machine_summary,
    peak_rss_mb,
    print_table,
    project_state,
    run_timed,
)

PARTICIPANTS, CODES, CODERS, KEEP, SEED = 500, 60, 2, 0.9, 1
TARGET_SECONDS = 30.0
RUNS = [("character", "main"), ("segment", "main"), ("character", "sub"), ("segment", "sub")]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## agreement.py"


def run_child(pickled: Path, unit: str, level: str) -> dict:
    """Time one agreement call in this (fresh) process."""
    import icevidence as ic
    with pickled.open("rb") as handle:
        study = pickle.load(handle)
    start = time.perf_counter()
    result = ic.agreement(study, unit=unit, level=level)
    seconds = time.perf_counter() - start
    overall = result.overall
    return {"seconds": seconds, "peak_mb": peak_rss_mb(), "codes": len(result.table) - 1,
            "units": int(overall["units"]), "alpha": float(overall["alpha"]), "kappa": float(overall["kappa"]),
            "passages_differing": len(result.disagreements)}


def prepare(segments: int) -> tuple[Path, int]:
    """Write (or reuse) the synthetic project and pickle its imported Study; return the pickle and codings."""
    qdpx = WORK / f"agreement-p{PARTICIPANTS}-s{segments}-c{CODES}-k{CODERS}-a{KEEP}-seed{SEED}.qdpx"
    pickled = qdpx.with_suffix(".pickle")
    if not qdpx.is_file():
        WORK.mkdir(parents=True, exist_ok=True)
        partial = qdpx.with_suffix(".part.qdpx")
        timed = run_timed([BIN / "icevidence", "synth", "--participants", PARTICIPANTS, "--segments", segments,
                           "--codes", CODES, "--coders", CODERS, "--agreement", KEEP, "--seed", SEED,
                           "--out", partial, "--force"])
        partial.rename(qdpx)
        print(f"  synth: {timed.wall:.1f} s", flush=True)
    import icevidence as ic
    start = time.perf_counter()
    study = ic.read_export(qdpx)
    print(f"  import: {time.perf_counter() - start:.1f} s ({len(study.segments):,} codings, "
          f"{study.segments['coder'].nunique()} coders)", flush=True)
    with pickled.open("wb") as handle:
        pickle.dump(study, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return pickled, len(study.segments)


def measure(pickled: Path, unit: str, level: str) -> dict:
    """Run one agreement call in a fresh subprocess and read back its figures."""
    done = subprocess.run([PYTHON, __file__, "--child", unit, level, str(pickled)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"agreement ({unit}, {level}) failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def record(lines: list[str]) -> None:
    """Put this run's output into bench/RESULTS.md as its own section (replacing an earlier one)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else "# Benchmark results\n"
    head, _, rest = text.partition(f"\n{SECTION}")
    tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
    body = [SECTION, "", f"Written by `bench/agreement.py --write-results` ({machine_summary()}; {project_state()}); "
            "every figure is copied by the script from its output.", "", "```", *lines, "```", ""]
    RESULTS.write_text(head.rstrip("\n") + "\n\n" + "\n".join(body) + tail, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=55_556, help="codings before the coders' choices "
                        "(each coder keeps each with probability 0.9; the default gives ~100k)")
    parser.add_argument("--write-results", action="store_true", help="record this run in bench/RESULTS.md")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        unit, level, pickled = args.child
        print(json.dumps(run_child(Path(pickled), unit, level)))
        return 0
    lines: list[str] = []
    real_print = print

    def echo(*parts, **kwargs) -> None:
        text = " ".join(str(p) for p in parts)
        lines.extend(text.splitlines())
        real_print(text, **{k: v for k, v in kwargs.items() if k != "end"}, flush=True)

    header(f"agreement: two coders, ~{2 * args.codings * KEEP / 1000:.0f}k codings, character and segment units")
    lines.append(f"load average before measuring: {load_average():.2f} (over 1 means other work inflates the times)")
    pickled, codings = prepare(args.codings)
    rows, ok = [], True
    for unit, level in RUNS:
        figures = measure(pickled, unit, level)
        rows.append([unit, level, figures["codes"], f"{figures['units']:,.0f}", figures["seconds"],
                     figures["peak_mb"], round(figures["alpha"], 3), round(figures["kappa"], 3)])
        echo(f"  {unit:9} units, {level:4} codes: {figures['seconds']:.2f} s, peak {figures['peak_mb']:.0f} MB, "
             f"alpha {figures['alpha']:.3f}, kappa {figures['kappa']:.3f}, {figures['units']:,.0f} units")
        passed = figures["seconds"] < TARGET_SECONDS
        ok &= passed
        echo(f"TARGET: {'PASS' if passed else 'FAIL'} | agreement on {codings:,} codings ({unit} units, {level} "
             f"level, 1000 replicates) under {TARGET_SECONDS:.0f} s | {figures['seconds']:.2f} s")
    print_table(["unit", "level", "codes", "units", "seconds", "peak MB", "alpha", "kappa"], rows,
                title=f"Agreement on {codings:,} codings, 2 coders (python bench/agreement.py)")
    if args.write_results:
        table = [f"  {r[0]:9} {r[1]:4} codes={r[2]} units={r[3]} seconds={r[4]:.2f} peak_MB={r[5]:.0f} "
                 f"alpha={r[6]} kappa={r[7]}" for r in rows]
        record([f"machine: {machine_summary()}", f"{codings:,} codings, {CODERS} coders, {PARTICIPANTS} transcripts, "
                f"{CODES} codes", *lines, *table])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
