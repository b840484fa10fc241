"""An interrupted import leaves no helper process, no staging folder and no half-written study behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from icevidence.build.cli import main
from icevidence.io import importer
from icevidence.io.refi_writer import write_qdpx

# runs an import with the XSD check in its second process whatever the file's size
IMPORT_WITH_HELPER = (
    "import sys, icevidence.io.refi_qda as r; r.PARALLEL_VALIDATION_BYTES = 0; r.LINE_VALIDATION_BYTES = 0\n"
    "from icevidence.build.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.fixture(scope="module")
def big_export(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "big.qdpx"
    assert main(["synth", "--participants", "300", "--segments", "30000", "--codes", "40", "--out", str(out)]) == 0
    return out


def wait_for_children(process: subprocess.Popen, timeout: float = 120) -> list[psutil.Process]:
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None:
        children = [c for c in psutil.Process(process.pid).children(recursive=True)
                    if "spawn_main" in " ".join(c.cmdline()) and "resource_tracker" not in " ".join(c.cmdline())]
        if children:
            return children
        time.sleep(0.05)
    return []


def still_running(processes: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """The processes still running after the timeout (a zombie has ended: only its exit status is left)."""
    deadline = time.time() + timeout
    while True:
        running = []
        for proc in processes:
            try:
                if proc.status() != psutil.STATUS_ZOMBIE:
                    running.append(proc)
            except psutil.NoSuchProcess:
                pass
        if not running or time.time() > deadline:
            return running
        time.sleep(0.1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_killing_an_import_ends_its_helper_process_and_writes_nothing(big_export, tmp_path, signum):
    out = tmp_path / "raw" / "big"
    process = subprocess.Popen([sys.executable, "-c", IMPORT_WITH_HELPER, "import", str(big_export),
                                "--study", "big", "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = wait_for_children(process)
    assert children, process.communicate()
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not still_running(children, timeout=10)
    assert not out.exists() and not list(out.parent.glob(".icevidence-staging-*"))


PARENT_WITH_SLOW_HELPER = (
    "import multiprocessing, os, sys, time\n"
    "from icevidence.io.refi_qda import die_with_parent\n"
    "if __name__ == '__main__':\n"
    "    pool = multiprocessing.get_context('spawn').Pool(1, initializer=die_with_parent)\n"
    "    pool.apply_async(os.mkdir, (sys.argv[1],))  # runs after the initializer: the helper is ready\n"
    "    pool.apply_async(time.sleep, (120,))\n"
    "    time.sleep(120)\n"
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_a_helper_dies_with_a_killed_import(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT_WITH_SLOW_HELPER)
    ready = tmp_path / "helper-ready"
    process = subprocess.Popen([sys.executable, str(script), str(ready)])
    deadline = time.time() + 120
    while not ready.exists() and time.time() < deadline:
        time.sleep(0.1)
    children = wait_for_children(process)
    assert ready.exists() and children
    process.kill()  # SIGKILL: no cleanup code runs; the kernel's parent-death signal ends the helper
    process.wait(timeout=30)
    running = still_running(children, timeout=10)
    for proc in running:
        proc.kill()
    assert not running


def test_an_abandoned_staging_folder_is_removed_at_the_next_import(mini, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    abandoned = tmp_path / f"{importer.STAGING_PREFIX}{dead.pid}-x"
    (abandoned / "mini").mkdir(parents=True)
    (abandoned / "mini" / "segments.csv").write_text("half")
    export = write_qdpx(mini, tmp_path / "m.qdpx")
    with pytest.warns(UserWarning):
        importer.import_export(export, "mini", out_dir=tmp_path / "mini")
    assert not abandoned.exists() and (tmp_path / "mini" / "segments.csv").is_file()


def test_an_interrupt_while_writing_leaves_no_study_and_no_staging(mini, tmp_path, monkeypatch):
    real = importer.write_study_folder

    def interrupted(study, folder):
        real(study, folder)
        raise KeyboardInterrupt
    monkeypatch.setattr(importer, "write_study_folder", interrupted)
    export = write_qdpx(mini, tmp_path / "m.qdpx")
    with pytest.raises(KeyboardInterrupt), pytest.warns(UserWarning):
        importer.import_export(export, "mini", out_dir=tmp_path / "raw" / "mini")
    assert os.listdir(tmp_path / "raw") == []
