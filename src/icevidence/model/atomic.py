"""Atomic writes: every output goes to a temporary file in its own folder and is renamed into place.

A reader (or the next build) therefore sees either the old complete file or the new complete file,
never a truncated one; a failed write removes its temporary file. OS errors are turned into one
readable line (disk full, read-only folder, no permission) by ``describe_os_error``.
"""
from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".icevidence-tmp-"
STAGING_PREFIX = ".icevidence-staging-"  # + pid: a staging folder whose process is gone is removed

REMEDIES = {
    errno.ENOSPC: "free disk space and run again",
    errno.EDQUOT: "free space within your disk quota and run again",
    errno.EROFS: "the folder is on a read-only file system; point ICEVIDENCE_REPORTS (or --out) at a writable folder",
    errno.EACCES: "make the folder writable (or choose another) and run again",
    errno.EPERM: "make the folder writable (or choose another) and run again",
}


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it onto ``path`` when the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        yield Path(temp)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def move(source: Path, target: Path) -> Path:
    """Rename a finished file or folder onto its place in one step (the same file system), replacing a file there."""
    os.replace(source, target)
    return Path(target)


def write_bytes(path: Path, data: bytes) -> Path:
    """Write bytes to ``path`` atomically (flushed to disk before the rename)."""
    with atomic_path(path) as temp:
        with open(temp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    return Path(path)


def write_text(path: Path, text: str) -> Path:
    """Write UTF-8 text to ``path`` atomically."""
    return write_bytes(path, text.encode("utf-8"))


def remove_stale_temps(folder: Path) -> list[Path]:
    """Delete temporary files an interrupted run left in ``folder`` (not recursive); return them."""
    folder = Path(folder)
    stale = sorted(folder.glob(f"{TEMP_PREFIX}*")) if folder.is_dir() else []
    for path in stale:
        if path.is_file():
            path.unlink(missing_ok=True)
    return stale


def describe_os_error(exc: OSError, path: Path | str | None = None) -> str:
    """One line: which file could not be written, why (with the errno name) and what to do."""
    name = errno.errorcode.get(exc.errno or 0, "")
    where = path or exc.filename or "a file"
    reason = exc.strerror or str(exc)
    remedy = REMEDIES.get(exc.errno or 0, "check the folder and run again")
    return f"cannot write {where}: {reason}{f' ({name})' if name else ''}. What to do: {remedy}."


def make_staging(parent: Path, label: str = "") -> Path:
    """A new staging folder in ``parent`` named for this process, so the next run can tell it was abandoned."""
    parent = Path(parent)
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-{label}", dir=parent))


def remove_abandoned_staging(folder: Path) -> list[Path]:
    """Delete staging folders an interrupted run left in ``folder`` (their process is gone); return them."""
    removed = []
    for staging in sorted(Path(folder).glob(f"{STAGING_PREFIX}*")) if Path(folder).is_dir() else []:
        pid = staging.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if staging.is_dir() and not staging.is_symlink() and not (pid.isdigit() and process_alive(int(pid))):
            shutil.rmtree(staging, ignore_errors=True)
            removed.append(staging)
    return removed


def process_alive(pid: int) -> bool:
    """True when a process with this id exists (this one included)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True
