"""Readers and writers of QDA-software exports; every reader returns the canonical Study."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..study import Study

__all__ = ["read_export"]


def read_export(path: Path | str, config: dict | None = None, skip_invalid: bool = False) -> "Study":
    """Detect the export's format from its content and read it into a Study (as load_study returns)."""
    from .detect import detect_format, reader_for
    path = Path(path)
    return reader_for(detect_format(path), path)(path, config=config, skip_invalid=skip_invalid)
