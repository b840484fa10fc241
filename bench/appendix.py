"""Appendix: wall time of `icevidence appendix` for tracy2025 and for a 100k-coding synthetic study.

Both run in fresh processes (start-up and imports included, as an author runs it) on a snapshot of
the project's tracked files. The synthetic study is written by `icevidence synth --participants 200
--segments 100000 --codes 60 --seed 1` and imported into the snapshot with `icevidence import`.
Targets (2 cores): tracy2025 under 20 s, the synthetic study under 60 s.
Usage: .venv/bin/python bench/appendix.py [--record]   (--record writes the output into bench/RESULTS.md)
"""
from __future__ import annotations

import argparse
import io
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

from common import BIN, header, print_table, report_target, run_timed, snapshot_env, snapshot_project, synthetic_qdpx

HERE = Path(__file__).resolve().parent
PARTICIPANTS, CODINGS, CODES, SEED = 200, 100_000, 60, 1
TARGETS = {"tracy2025": 20.0, "synth100k": 60.0}
MARK = "<!-- bench/appendix.py -->"


def measure(folder: Path) -> list[list]:
    """Import the synthetic study into the snapshot, then time each appendix; one row per study."""
    env = snapshot_env(folder)
    qdpx = synthetic_qdpx(CODINGS, participants=PARTICIPANTS, codes=CODES, seed=SEED)
    imported = run_timed([BIN / "icevidence", "import", qdpx, "--study", "synth100k"], env=env, cwd=folder)
    print(f"   imported {qdpx.name} in {imported.wall:.1f} s (not part of the appendix time)", flush=True)
    for line in (imported.stdout + imported.stderr).strip().splitlines()[-4:]:
        print(f"     {line.strip()}", flush=True)
    rows = []
    for study, extra in (("tracy2025", ["--review"]), ("synth100k", [])):
        out = folder / "reports" / "appendix" / study
        timed = run_timed([BIN / "icevidence", "appendix", study, *extra], env=env, cwd=folder)
        sizes = {p.suffix: p.stat().st_size // 1024 for p in out.glob(f"{study}-*")}
        figures = len(list((out / "figures").glob("*.svg")))
        rows.append([study, " ".join(extra) or "-", round(timed.wall, 1), round(timed.cpu, 1),
                     sizes.get(".pdf"), sizes.get(".docx"), sizes.get(".xlsx"), figures])
    return rows


def run() -> bool:
    header("Appendix: icevidence appendix STUDY, fresh process each")
    with tempfile.TemporaryDirectory(prefix="bench-appendix-") as tmp:
        folder = Path(tmp)
        print(f"   snapshot of {snapshot_project(folder)} tracked files", flush=True)
        rows = measure(folder)
    print_table(["study", "options", "wall s", "cpu s", "PDF KB", "DOCX KB", "XLSX KB", "figures"], rows)
    ok = True
    for study, _, wall, *_ in rows:
        label = "tracy2025 (33 participants, 119 codings)" if study == "tracy2025" else \
            f"synthetic study ({PARTICIPANTS} participants, {CODINGS:,} codings, {CODES} codes)"
        ok &= report_target(f"appendix of {label} under {TARGETS[study]:.0f} s", wall < TARGETS[study], f"{wall:.1f} s")
    return ok


def record(output: str) -> None:
    """Replace this script's section of bench/RESULTS.md with the output just printed."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    before = text.split(MARK)[0].rstrip("\n")
    section = [MARK, "## appendix.py (recorded by `bench/appendix.py --record`)", "", "```",
               *[line.split("\r")[-1] for line in output.strip("\n").splitlines()], "```", MARK]
    after = text.split(MARK)[2] if text.count(MARK) >= 2 else ""
    path.write_text(before + "\n\n" + "\n".join(section) + after.rstrip("\n") + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write this run's output into bench/RESULTS.md")
    args = parser.parse_args()
    if not args.record:
        return 0 if run() else 1
    buffer = io.StringIO()

    class Tee(io.TextIOBase):
        def write(self, text: str) -> int:
            sys.__stdout__.write(text)
            sys.__stdout__.flush()
            return buffer.write(text)

    with redirect_stdout(Tee()):
        ok = run()
    record(buffer.getvalue())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
