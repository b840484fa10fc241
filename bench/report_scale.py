"""Report scale: every report kind built for one large synthetic study, time and HTML size of each.

A synthetic project (`icevidence synth`, 4,000 participants, 250 codes, --codings codings) is
imported into a snapshot of the project (tracked files copied to a temporary folder, so the work
tree and reports/ are untouched), and a compendium.yml naming one report of each kind for it is
written there: sample tables, theme matrix, comparison with the published studies, evidence review
and the QDA matrices. Each report is then built on its own (`icevidence build --only NAME --force
--jobs 1`, whole process wall time) and its HTML measured.
Usage: .venv/bin/python bench/report_scale.py [--codings 1000000] [--write-results]
"""
from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import yaml
from common import BIN, header, print_table, report_target, run_timed, snapshot_env, snapshot_project, synthetic_qdpx

STUDY = "synthscale"
TARGET_SECONDS, TARGET_MB = 120.0, 5.0
REPORTS = {
    "sample tables": {"notebook": "sample_tables.ipynb", "parameters": {"study": STUDY}},
    "theme matrix": {"notebook": "theme_matrix.ipynb", "parameters": {"study": STUDY, "level": "main"}},
    "comparison": {"notebook": "study_comparison.ipynb",
                   "parameters": {"studies": ["tracy2025", "mitchell2020", "mitchell2023", STUDY],
                                  "unit": "participants"}},
    "evidence review": {"notebook": "evidence_review.ipynb", "parameters": {"study": STUDY}},
    "qda matrices": {"notebook": "qda_matrices.ipynb",
                     "parameters": {"study": STUDY, "level": "main", "unit": "references",
                                    "group_by": "participant_id"}},
}
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## report_scale.py"


def output_name(kind: str) -> str:
    """The report's output name, e.g. 'scale-theme-matrix'."""
    return "scale-" + kind.replace(" ", "-")


def write_compendium(folder: Path) -> None:
    """A compendium.yml with one report of each kind for the synthetic study."""
    reports = [{"output": output_name(kind), "notebook": spec["notebook"], "title": f"{kind} at scale",
                "parameters": spec["parameters"]} for kind, spec in REPORTS.items()]
    (folder / "compendium.yml").write_text(yaml.safe_dump({"title": "report scale", "reports": reports}),
                                           encoding="utf-8")


def build_one(folder: Path, kind: str, timeout: float) -> dict:
    """Build one report in the snapshot and return its seconds, HTML size and whether it built; a build
    still running after ``timeout`` s is stopped (with its kernel) and counted as failed."""
    cmd = [str(BIN / "icevidence"), "build", "--only", output_name(kind), "--force", "--jobs", "1"]
    start = time.perf_counter()
    process = subprocess.Popen(cmd, env=snapshot_env(folder), cwd=folder, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        stopped = False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
        stopped = True
    seconds = time.perf_counter() - start
    html = folder / "reports" / f"{output_name(kind)}.html"
    ok = process.returncode == 0 and html.is_file() and not stopped
    size = html.stat().st_size / 1e6 if ok else float("nan")
    text = html.read_text(encoding="utf-8", errors="replace") if ok else ""
    return {"seconds": seconds, "mb": size, "ok": ok, "stopped": stopped,
            "error": "" if ok else f"stopped after {timeout:g} s" if stopped else output[-1500:],
            "python_warnings": len(re.findall(r"\b[A-Z]\w*Warning:", text))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=2 * TARGET_SECONDS,
                        help="stop a report's build after this many seconds (counted as failed)")
    parser.add_argument("--write-results", action="store_true", help=f"record this run in {RESULTS.name}")
    args = parser.parse_args()
    header(f"report scale: every report kind for one synthetic study of {args.codings} codings")
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="icevidence-report-scale-") as temp:
        folder = Path(temp)
        snapshot_project(folder)
        qdpx = synthetic_qdpx(args.codings)
        start = time.perf_counter()
        run_timed([BIN / "icevidence", "import", qdpx, "--study", STUDY], env=snapshot_env(folder), cwd=folder)
        lines.append(f"  import of {qdpx.name}: {time.perf_counter() - start:.1f} s")
        write_compendium(folder)
        rows, results = [], {}
        for kind in REPORTS:
            result = results[kind] = build_one(folder, kind, args.timeout)
            line = (f"  {kind}: {result['seconds']:.1f} s, HTML {result['mb']:.2f} MB"
                    + ("" if result["ok"] else f" (FAILED: {result['error'][:200]})" if result["stopped"]
                       else " (FAILED)"))
            print(line, flush=True)
            lines.append(line)
            if not result["ok"]:
                print(result["error"])
            rows.append([kind, round(result["seconds"], 1), round(result["mb"], 2), result["ok"],
                         result["python_warnings"]])
    print(lines[0])
    print_table(["report", "build s", "HTML MB", "built", "Python warnings in HTML"], rows,
                title=f"Each report built alone for {args.codings} codings (--jobs 1)")
    verdicts = []
    for kind, result in results.items():
        verdicts.append(report_target(f"{args.codings} codings: {kind} builds under {TARGET_SECONDS:g} s",
                                      result["ok"] and result["seconds"] < TARGET_SECONDS,
                                      f"{result['seconds']:.1f} s"))
        verdicts.append(report_target(f"{args.codings} codings: {kind} HTML under {TARGET_MB:g} MB",
                                      result["ok"] and result["mb"] < TARGET_MB, f"{result['mb']:.2f} MB"))
    if args.write_results:
        record(args.codings, args.timeout, lines, rows)


def record(codings: int, timeout: float, lines: list[str], rows: list[list]) -> None:
    """Replace this script's section of RESULTS.md with this run's figures (copied from the output)."""
    from common import load_average, machine_summary, project_state
    title = f"{SECTION} ({codings} codings)"
    section = [title, "", f"- Machine and date: {machine_summary()}", f"- Project: {project_state()}",
               f"- Command: `.venv/bin/python bench/report_scale.py --codings {codings} --timeout {timeout:g} "
               "--write-results`",
               f"- Load average when recorded: {load_average():.1f} "
               "(on 2 cores; above 1, other work inflated the times)",
               "",
               "| report | build s | HTML MB | built | Python warnings in HTML |", "|---|---|---|---|---|",
               *[f"| {' | '.join(str(v) for v in row)} |" for row in rows], "", "```", *lines, "```", ""]
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.is_file() else "# Benchmark results\n"
    start = text.find(title)
    if start >= 0:
        end = text.find("\n## ", start + len(title))
        text = text[:start] + text[end + 1:] if end >= 0 else text[:start]
    RESULTS.write_text(text.rstrip("\n") + "\n\n" + "\n".join(section), encoding="utf-8")


if __name__ == "__main__":
    main()
