"""qdpx import: icevidence.read_export vs the REFI-QDA readers on PyPI, on the same synthetic file.

Each PyPI reader is pip-installed into its own venv under $TMPDIR/icevidence-bench-readers/ (never
into the project's .venv, never into its requirements) and run in a fresh process that times the
read (perf_counter) and reports its peak RSS (getrusage: the process plus the largest helper
process it started, added). A reader that cannot be installed,
imported or read the file is reported as such, not as a crash.
Usage: .venv/bin/python bench/vs_pypi_readers.py [--codings 100000] [--timeout 1200]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from common import PYTHON, env_with, header, print_table, run_timed, synthetic_qdpx

VENVS = Path(tempfile.gettempdir()) / "icevidence-bench-readers"

# Each reader: pip requirements, its imports (not timed), the code that reads `path` and sets `n`
# (codings read), and notes.
READERS = {
    "icevidence": {"pip": None,
                   "imports": ("import icevidence as ic, icevidence.model.study, icevidence.io.detect, "
                               "icevidence.io.refi_qda"),
                   "read": "n = len(ic.read_export(path).segments)",
                   "note": "this project: parse, join cases and codes, validate"},
    "pyqdpx": {"pip": ["pyqdpx"], "python": ["3.11", "3.12"], "imports": "import pyqdpx",
               "read": "project = pyqdpx.QDPX(path).get_project()\n"
                       "n = sum(len(s.coded_selections) for s in project.sources.values())",
               "note": "BeautifulSoup; source texts read one by one"},
    "pyrefiqda": {"pip": ["pyrefiqda"], "imports": "from pyrefiqda import RefiProject",
                  "read": "with tempfile.TemporaryDirectory() as d:\n"
                          "    project = RefiProject.load(path, extract_dir=d)\n"
                          "n = sum(len(sel.coding) for src in project.sources.text_source "
                          "for sel in src.plain_text_selection)",
                  "note": "pydantic models of the XML; does not resolve quote texts"},
    "qdpxlib": {"pip": ["qdpxlib", "numpy", "tqdm"], "imports": "import qdpxlib",
                "read": "n = len(qdpxlib.QDPXFile(path).codings)",
                "note": "declares no dependencies (numpy, tqdm added); also splits uncoded text into sentences"},
    "qdaPy": {"pip": ["qdapy"], "imports": "import qdapy.qdpx",
              "read": "n = len(qdapy.qdpx.read_qdpx(path, warn=False).fragments)",
              "note": "ElementTree into pandas frames"},
    "portableqda": {"pip": ["portableqda"], "imports": "from portableqda.refi_qda import projectCls",
                    "read": "project = projectCls()\nn = 0", "note": "reads codebooks (.qdc) only"},
}

CHILD = """
import json, resource, sys, tempfile, time
{imports}
path = sys.argv[1]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
{read}
seconds = time.perf_counter() - start
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"codings": n, "seconds": seconds, "peak_mb": own + helpers, "before_mb": before}}))
"""


def find_python(version: str) -> str | None:
    """An interpreter of this version: the project's own for its version, else one on PATH or under
    pyenv that actually runs."""
    if version == f"{sys.version_info.major}.{sys.version_info.minor}":
        return getattr(sys, "_base_executable", None) or sys.executable
    candidates = [shutil.which(f"python{version}") or ""]
    candidates += sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
            return candidate
    return None


def reader_venv(name: str, packages: list[str], version: str) -> tuple[Path | None, str]:
    """The venv's python with the reader installed (made on first use), or None and why not."""
    base = find_python(version)
    if base is None:
        return None, f"no Python {version} on this machine"
    folder = VENVS / f"{name}-py{version}"
    python = folder / "bin" / "python"
    stamp = folder / ".installed"
    if not stamp.is_file():
        shutil.rmtree(folder, ignore_errors=True)
        made = run_timed([base, "-m", "venv", folder], check=False)
        if made.returncode != 0:
            return None, f"venv failed: {made.stderr.strip()[-200:]}"
        pip = run_timed([python, "-m", "pip", "install", "--quiet", *packages], check=False, timeout=1200)
        if pip.returncode != 0:
            errors = [line for line in pip.stderr.splitlines() if "ERROR" in line] or pip.stderr.splitlines()[-1:]
            return None, f"not installable: {' '.join(errors)[-300:]}"
        stamp.write_text(" ".join(packages))
    return python, ""


def run_reader(python: Path, spec: dict, path: Path, timeout: float) -> dict:
    """Read the file in a fresh process; its figures, or an 'error' saying what went wrong."""
    try:   # a private TMPDIR, removed afterwards: some readers extract the archive and never clean up
        with tempfile.TemporaryDirectory(prefix="bench-reader-") as scratch:
            done = run_timed([python, "-c", CHILD.format(imports=spec["imports"], read=spec["read"]), path],
                             env=env_with(TMPDIR=scratch), check=False, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f} s"}
    if done.returncode != 0:
        last = [line for line in done.stderr.strip().splitlines() if line.strip()][-1:] or ["no message"]
        return {"error": f"failed: {last[0].strip()[:160]}"}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    complaints = [line for line in done.stdout.splitlines()[:-1] if line.strip()]
    if complaints:
        result["printed"] = f"printed {len(complaints)} warnings, e.g. {complaints[0][:90]}"
    return result


def try_reader(name: str, spec: dict, path: Path, timeout: float) -> tuple[dict, str]:
    """Install (if needed) and run one reader, trying each listed Python until one can import it."""
    if spec["pip"] is None:
        result = run_reader(Path(PYTHON), spec, path, timeout)
        print(f"  {name}: {result.get('error') or format(result['seconds'], '.1f') + ' s'}", flush=True)
        return result, f"Python {sys.version_info.major}.{sys.version_info.minor}"
    result, where = {"error": "not tried"}, ""
    for version in spec.get("python", [f"{sys.version_info.major}.{sys.version_info.minor}"]):
        python, problem = reader_venv(name, spec["pip"], version)
        result = {"error": problem} if python is None else run_reader(python, spec, path, timeout)
        where = f"Python {version}"
        outcome = result.get("error") or f"{result['seconds']:.1f} s, {result['codings']} codings"
        print(f"  {name} on {where}: {outcome}", flush=True)
        if "SyntaxError" not in result.get("error", ""):
            break
    return result, where


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=1200, help="seconds each reader may take")
    args = parser.parse_args()
    header(f"qdpx import vs PyPI REFI-QDA readers ({args.codings} codings)")
    path = synthetic_qdpx(args.codings)
    print(f"  file: {path} ({path.stat().st_size / 1e6:.1f} MB, {args.codings} codings, 4000 participants)", flush=True)
    results = {}
    for name, spec in READERS.items():
        results[name] = try_reader(name, spec, path, args.timeout)
    ours = results["icevidence"][0]
    rows = []
    for name, (result, where) in results.items():
        if "error" in result:
            rows.append([name, where, "cannot read", None, None, None, None, None,
                         f"{result['error']}; {READERS[name]['note']}"])
            continue
        complete = result["codings"] == args.codings
        state = "ok" if complete else f"read {result['codings']} of {args.codings} codings"
        note = "; ".join(filter(None, [READERS[name]["note"], result.get("printed")]))
        rows.append([name, where, state, result["seconds"], round(result["peak_mb"]), round(result["before_mb"]),
                     result["seconds"] / ours["seconds"] if complete and "seconds" in ours else None,
                     result["peak_mb"] / ours["peak_mb"] if complete and "peak_mb" in ours else None, note])
    print_table(["reader", "python", "result", "read s", "peak MB", "MB after imports", "time / ours", "peak / ours",
                 "notes"],
                rows, title=f"Reading the same {args.codings}-coding qdpx (ratios > 1: the reader is slower / bigger)")


if __name__ == "__main__":
    main()
