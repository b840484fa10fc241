"""Readers and writers of QDA-software exports; every reader returns the canonical Study."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.study import Study

__all__ = ["read_export"]


def read_export(path: Path | str, config: dict | None = None, skip_invalid: bool = False,
                codebook: Path | str | None = None) -> Study:
    """Detect the export's format from its content and read it into a Study (as load_study returns).

    ``codebook``: for an ATLAS.ti quotation export, the code manager export that names the codes.
    """
    from .detect import detect_format, reader_for
    from .errors import ExportError
    path = Path(path)
    fmt = detect_format(path)
    reader = reader_for(fmt, path)
    if codebook is None:
        return reader(path, config=config, skip_invalid=skip_invalid)
    if fmt != "atlasti-quotations":
        raise ExportError(str(path), "", f"a codebook was given, but this is a {fmt} export, which names its codes "
                          "itself", remedy="pass --codebook only with an ATLAS.ti quotation manager export.")
    return reader(path, config=config, skip_invalid=skip_invalid, codebook=Path(codebook))
