"""Shared pieces of the hostile-input tests: a throw-away project to build in, refusal checks."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from icevidence.model import config

FIXTURE_STUDIES = Path(__file__).parent.parent / "fixtures" / "studies"
# The pid of a process that is gone: no process can have it (Linux caps pids at 2**22, macOS below 10**5),
# whereas a finished child's pid can be given to a new process before the test looks.
GONE_PID = 2**22 + 1
# with hold = 1 the report reports to the test and waits (tests/held_process.py), so a test can act mid-report
HOLD_CELL = f"""if hold:
    import sys
    sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
    import held_process
    held_process.report_and_wait("report")"""


def tiny_notebook(path: Path, body: str = "print('hello', study)") -> None:
    """A notebook with a parameters cell (study) and one cell of code, declaring its inputs."""
    parameters = nbformat.v4.new_code_cell('study = "mini"\nhold = 0', metadata={"tags": ["parameters"]})
    notebook = nbformat.v4.new_notebook(
        cells=[parameters, nbformat.v4.new_code_cell(HOLD_CELL),
               nbformat.v4.new_code_cell(body)],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
                  "icevidence": {"inputs": ["data/raw/{study}/*"]}})
    nbformat.write(notebook, path)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project root with compendium.yml (one report 'tiny'), notebooks/tiny.ipynb and data/raw/mini."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    tiny_notebook(root / "notebooks" / "tiny.ipynb")
    shutil.copytree(FIXTURE_STUDIES / "mini", root / "data" / "raw" / "mini")
    (root / "compendium.yml").write_text(
        "title: Tiny\nreports:\n  - output: tiny\n    notebook: tiny.ipynb\n    parameters: {study: mini}\n")
    for name, value in {"ROOT": root, "DATA": root / "data", "RAW": root / "data" / "raw",
                        "PROCESSED": root / "data" / "processed", "NOTEBOOKS": root / "notebooks",
                        "REPORTS": root / "reports", "TABLES": root / "reports" / "tables",
                        "FIGURES": root / "reports" / "figures", "APPENDIX": root / "reports" / "appendix",
                        "COMPENDIUM": root / "compendium.yml", "CROSSWALK": root / "data" / "crosswalk.csv"}.items():
        monkeypatch.setattr(config, name, value)
    return root


def files_under(folder: Path) -> set[Path]:
    """Every file and folder below a folder (to check that nothing was written)."""
    return set(folder.rglob("*")) if folder.exists() else set()


def assert_one_line_refusal(code: int, err: str, *needles: str) -> None:
    """Exit code 2, a single line on stderr with the remedy, no traceback, and the given facts."""
    assert code == 2, err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert "What to do" in err, err
    for needle in needles:
        assert needle in err, (needle, err)


MEASURE = """import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stdout.write(done.stdout)
sys.stderr.write(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
sys.exit(done.returncode)
"""


def run_measured(args: list[str], timeout: float = 600) -> tuple[int, str, float]:
    """Run `icevidence ARGS` in a child process: (exit code, stderr without the last line, peak memory in MB).

    The timeout only guards against a hang; no assertion is about time.
    """
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "icevidence", *args],
                          capture_output=True, text=True, timeout=timeout, cwd=config.ROOT)
    *lines, peak = done.stderr.rstrip("\n").split("\n")
    return done.returncode, "\n".join(lines) + "\n", int(peak) / 1024
