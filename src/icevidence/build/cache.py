"""Build cache: a report is rebuilt only when something it depends on has changed."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..model import config
from ..model.atomic import write_text
from ..model.names import check_name
from ..model.provenance import relative, sha256_of

PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """Where build records live (safe to delete: everything is then rebuilt)."""
    return config.REPORTS / ".cache"


@lru_cache(maxsize=1)
def library_fingerprint() -> str:
    """Hash of the library's own files and the lock file: a code change rebuilds every report."""
    digest = hashlib.sha256()
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in [*files, config.LOCK]:
        if path.is_file():
            digest.update(str(path.relative_to(path.parent.parent)).encode())
            digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def report_key(notebook: Path, parameters: dict[str, Any], inputs: list[Path], show_code: bool) -> dict[str, Any]:
    """Everything a report depends on: notebook, parameters, inputs by content, code, lock file."""
    return {
        "notebook": sha256_of(notebook),
        "parameters": json.dumps(parameters, sort_keys=True, default=str),
        "inputs": {relative(p): sha256_of(p) for p in sorted(set(inputs))},
        "library": library_fingerprint(),
        "show_code": show_code,
    }


SITE_RECORD = "site.record.json"  # the index pages' record; a report's is <name>.json and names have no dots


def record_path(output: str) -> Path:
    """The cache record of one report (the name is checked: never a path)."""
    return cache_dir() / (check_name(output, "report name", "reports/.cache") + ".json")


def site_record_path() -> Path:
    """The cache record of the index pages (reports/index.html and the search index)."""
    return cache_dir() / SITE_RECORD


def is_fresh(output: str, key: dict[str, Any], html: Path) -> bool:
    """True when the report was built from exactly this key and every file it wrote is still as recorded.

    A missing, empty or changed output (e.g. left by a killed build) makes the report stale.
    """
    return is_current(record_path(output), key, html)


def is_current(path: Path, key: dict[str, Any], html: Path) -> bool:
    """True when the record at path holds exactly this key, html is there and every recorded file is unchanged."""
    record = read_json(path)
    if record is None or record.get("key") != key or not html.is_file() or html.stat().st_size == 0:
        return False
    files = record.get("files") or {}
    return bool(files) and all(file_matches(config.REPORTS / name, facts) for name, facts in files.items())


def read_record(output: str) -> dict[str, Any] | None:
    """The cache record of a report, or None when absent or unreadable."""
    return read_json(record_path(output))


def read_json(path: Path) -> dict[str, Any] | None:
    """A cache record, or None when absent or unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def file_matches(path: Path, facts: dict[str, Any]) -> bool:
    """True when the file exists with the recorded size and SHA-256."""
    try:
        return path.stat().st_size == facts.get("size") and sha256_of(path) == facts.get("sha256")
    except OSError:
        return False


def describe_outputs(outputs: list[Path]) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of each output, keyed by its path under reports/."""
    base = config.REPORTS.resolve()
    return {str(p.resolve().relative_to(base)): {"size": p.stat().st_size, "sha256": sha256_of(p)}
            for p in sorted(set(outputs)) if p.is_file()}


def remember(output: str, key: dict[str, Any], outputs: list[Path]) -> None:
    """Record the key a report was built from and its complete outputs (written atomically, last)."""
    write_record(record_path(output), key, outputs)


def write_record(path: Path, key: dict[str, Any], outputs: list[Path]) -> None:
    """Write a cache record: the key and the size and SHA-256 of each output (atomically)."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    record = {"key": key, "files": describe_outputs(outputs)}
    write_text(path, json.dumps(record, sort_keys=True, indent=1))


def forget(output: str) -> None:
    """Drop a report's record (before rebuilding it, so an interrupted build is never taken as done)."""
    record_path(output).unlink(missing_ok=True)
