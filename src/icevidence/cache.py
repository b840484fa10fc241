"""Build cache: a report is rebuilt only when something it depends on has changed."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import config
from .provenance import relative, sha256_of

PACKAGE = Path(__file__).resolve().parent


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


def is_fresh(output: str, key: dict[str, Any], html: Path) -> bool:
    """True when the report's HTML exists and was built from exactly this key."""
    record = cache_dir() / f"{output}.json"
    if not (html.is_file() and record.is_file()):
        return False
    try:
        return json.loads(record.read_text(encoding="utf-8")) == key
    except json.JSONDecodeError:
        return False


def remember(output: str, key: dict[str, Any]) -> None:
    """Record the key a report was successfully built from."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    (cache_dir() / f"{output}.json").write_text(json.dumps(key, sort_keys=True, indent=1), encoding="utf-8")
