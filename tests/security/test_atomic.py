"""Atomic, honest builds: no truncated output, a report recorded only when complete, failures in one line."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from held_process import Hold

from icevidence.build import cache
from icevidence.build import runner as report
from icevidence.build.cli import main
from icevidence.model import atomic


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "r.html"
    target.write_text("old, complete")
    with pytest.raises(RuntimeError):
        with atomic.atomic_path(target) as temp:
            temp.write_text("half")
            raise RuntimeError("killed")
    assert target.read_text() == "old, complete" and os.listdir(tmp_path) == ["r.html"]


def test_disk_full_is_one_line_naming_the_file_and_enospc():
    line = atomic.describe_os_error(OSError(errno.ENOSPC, "No space left on device"), "reports/x.html")
    assert "\n" not in line and "reports/x.html" in line and "ENOSPC" in line and "free disk space" in line


def test_build_records_the_report_and_skips_it_next_time(project, capsys):
    assert main(["build", "--jobs", "1"]) == 0
    assert (project / "reports" / "tiny.html").stat().st_size > 0
    assert main(["build", "--jobs", "1"]) == 0
    assert "skipped  tiny" in capsys.readouterr().out


@pytest.mark.parametrize("damage", ["empty", "missing", "truncated", "notebook"])
def test_a_damaged_output_is_rebuilt_not_skipped(project, capsys, damage):
    assert main(["build", "--jobs", "1"]) == 0
    html = project / "reports" / "tiny.html"
    if damage == "empty":
        html.write_bytes(b"")
    elif damage == "missing":
        html.unlink()
    elif damage == "truncated":
        html.write_bytes(html.read_bytes()[:100])
    else:
        (project / "reports" / "notebooks" / "tiny.ipynb").unlink()
    capsys.readouterr()
    assert main(["build", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "built   tiny" in out and "skipped" not in out


def test_disk_full_while_writing_html_fails_that_report_in_one_line_and_leaves_nothing(project, capsys, monkeypatch):
    real = report.write_text

    def full(path, text):
        if Path(path).name != "tiny.html":
            return real(path, text)
        raise OSError(errno.ENOSPC, "No space left on device", str(path))
    monkeypatch.setattr(report, "write_text", full)
    assert main(["build", "--jobs", "1"]) == 1
    out = capsys.readouterr().out
    failed = [line for line in out.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and "tiny" in failed[0] and "ENOSPC" in failed[0]
    assert not (project / "reports" / "tiny.html").exists()
    assert not (project / "reports" / "notebooks" / "tiny.ipynb").exists()
    assert cache.read_record("tiny") is None


def test_read_only_reports_folder_is_a_clear_error_without_traceback(project, capsys, monkeypatch):
    def read_only(path, text):
        raise OSError(errno.EROFS, "Read-only file system", str(path))
    monkeypatch.setattr(report, "write_text", read_only)
    code = main(["build", "--jobs", "1"])
    captured = capsys.readouterr()
    assert code == 2 and "Traceback" not in captured.err
    assert "EROFS" in captured.err and "index.html" in captured.err and len(captured.err.strip().splitlines()) == 1


def test_a_failing_cell_is_reported_in_one_line_and_its_outputs_removed(project, capsys):
    from .hostile import tiny_notebook
    tiny_notebook(project / "notebooks" / "tiny.ipynb", body="1 / 0")
    assert main(["build", "--jobs", "1"]) == 1
    failed = [line for line in capsys.readouterr().out.splitlines() if "FAILED" in line]
    assert len(failed) == 1 and "ZeroDivisionError" in failed[0] and "tiny.failed.ipynb" in failed[0]
    assert not (project / "reports" / "tiny.html").exists()


def run_build(project: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    env = {**(env or os.environ), "ICEVIDENCE_ROOT": str(project), "ICEVIDENCE_REPORTS": str(project / "reports")}
    return subprocess.Popen([sys.executable, "-m", "icevidence", "build", "--jobs", "1"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_a_build_killed_mid_report_is_rebuilt_by_the_next_build(project):
    (project / "compendium.yml").write_text("reports:\n  - {output: tiny, notebook: tiny.ipynb, "
                                            "parameters: {study: mini, hold: 1}}\n")
    running = project / "reports" / "notebooks" / f"tiny{report.RUNNING_SUFFIX}"
    with Hold() as hold:
        build = run_build(project, hold.env)
        hold.wait_for("report")  # the report's kernel is running its cells and waits for the test
        assert running.exists()
        os.killpg(build.pid, signal.SIGKILL)  # the whole group: the build and its kernel
        build.wait(timeout=600)  # a safeguard against a hang, not a measure
    assert not (project / "reports" / "tiny.html").exists()
    (project / "compendium.yml").write_text("reports:\n  - {output: tiny, notebook: tiny.ipynb, "
                                            "parameters: {study: mini}}\n")
    again = run_build(project)
    out, err = again.communicate(timeout=600)  # a safeguard against a hang, not a measure
    assert again.returncode == 0, err
    assert "built   tiny" in out and not running.exists()
    assert (project / "reports" / "tiny.html").stat().st_size > 0
