"""An interrupted import leaves no helper process, no staging folder and no half-written study behind.

The import under test is held at a known point (tests/held_process.py): its XSD helper process, and in
one case the reading itself, report their pids to the test and wait, so the signal always arrives
while the import is running. No test here waits on time or guesses a pid.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from held_process import TESTS, Hold

from icevidence.io import importer
from icevidence.io.refi_writer import write_qdpx

from .hostile import GONE_PID

# An import whose XSD check runs in a second process whatever the file's size; that helper reports its
# pid and waits, so the import cannot finish before the test signals it. With argv[1] == "reading" the
# reading also waits, at the codebook. SIGINT is given Python's usual handler, as at a terminal (a
# process started in the background inherits SIGINT ignored).
HELD_IMPORT = f"""import signal, sys
sys.path.insert(0, {str(TESTS)!r})
signal.signal(signal.SIGINT, signal.default_int_handler)
import held_process as held, icevidence.io.refi_qda as refi
refi.PARALLEL_VALIDATION_BYTES = refi.LINE_VALIDATION_BYTES = 0
refi.die_with_parent = held.held_helper_initializer
if sys.argv.pop(1) == "reading":
    refi.handle_codes = held.hold_before(refi.handle_codes, "reading")
from icevidence.build.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("where", ["reading", "helper"])
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_killing_an_import_ends_its_helper_process_and_writes_nothing(mini, tmp_path, signum, where):
    export = write_qdpx(mini, tmp_path / "m.qdpx")
    out = tmp_path / "raw" / "mini"
    with Hold() as hold:
        process = subprocess.Popen([sys.executable, "-c", HELD_IMPORT, where, "import", str(export),
                                    "--study", "mini", "--out", str(out)], env=hold.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        helper = hold.wait_for("helper")
        assert hold.wait_for(where).pid == (helper.pid if where == "helper" else process.pid)
        process.send_signal(signum)
        _, err = process.communicate(timeout=600)  # a safeguard against a hang, not a measure
        assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
        assert helper.wait_for_end(), f"the import's helper process {helper.pid} outlived it"
    assert not out.exists() and not list(out.parent.glob(".icevidence-staging-*"))


# A parent whose pool helper (set up as the import's) reports and waits, while the parent waits on it.
PARENT_WITH_HELD_HELPER = f"""import multiprocessing, os, sys
sys.path.insert(0, {str(TESTS)!r})
import held_process as held
pool = multiprocessing.get_context("spawn").Pool(1, initializer=held.held_helper_initializer)
pool.apply(os.getpid)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_a_helper_dies_with_a_killed_import(tmp_path):
    with Hold() as hold:
        process = subprocess.Popen([sys.executable, "-c", PARENT_WITH_HELD_HELPER], env=hold.env)
        helper = hold.wait_for("helper")  # reported after the helper asked for the parent-death signal
        process.kill()  # SIGKILL: no cleanup code runs; the kernel's parent-death signal ends the helper
        process.wait(timeout=600)  # a safeguard against a hang, not a measure
        ended = helper.wait_for_end()
        if not ended:
            os.kill(helper.pid, signal.SIGKILL)
    assert ended, f"the helper process {helper.pid} outlived its killed parent"


def test_an_abandoned_staging_folder_is_removed_at_the_next_import(mini, tmp_path):
    abandoned = tmp_path / f"{importer.STAGING_PREFIX}{GONE_PID}-x"
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
