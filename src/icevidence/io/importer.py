"""Import an export into a study folder (atomically) and export a study as REFI-QDA.

CLI wiring (src/icevidence/cli.py)::

    icevidence import PATH --study ID [--config study.yml] [--out DIR] [--skip-invalid] [--force]
    icevidence export-qdpx STUDY OUT.qdpx
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import config as paths
from ..errors import ConfigError
from ..schema import CODE_COLUMNS, PARTICIPANT_COLUMNS, SEGMENT_COLUMNS
from ..study import Study, load_study
from . import read_export

RUNTIME_META = ("unmatched", "skipped", "warnings", "uncoded_selections", "refi", "variables")
CSV_COLUMNS = {
    "participants.csv": [c for c in PARTICIPANT_COLUMNS if c != "study"],
    "codes.csv": [c for c in CODE_COLUMNS if c not in ("study", "path")],
    "segments.csv": [c for c in SEGMENT_COLUMNS if c != "study"],
}
SKIPPED_COLUMNS = ["file", "place", "problem", "document", "segment_id"]


def import_export(path: Path | str, study_id: str, config_path: Path | str | None = None,
                  out_dir: Path | str | None = None, skip_invalid: bool = False, *, overwrite: bool = False,
                  echo: Callable[[str], None] | None = None, codebook: Path | str | None = None) -> Path:
    """Read an export and write its study folder (study.yml + CSVs), all or nothing; return the folder.

    ``echo`` (e.g. ``print``) receives a summary: counts, every skipped item, unmatched codings, warnings.
    """
    path = Path(path)
    out = Path(out_dir) if out_dir else paths.RAW / study_id
    check_target(out, overwrite)
    config = read_config(Path(config_path), study_id) if config_path else {"id": study_id}
    study = read_export(path, config=config, skip_invalid=skip_invalid, codebook=codebook)
    write_atomically(study, out, overwrite)
    from .suggest import after_import
    for line in summarise(study, out) + after_import(study, out, config_path):
        (echo or (lambda _: None))(line)
    return out


def read_config(path: Path, study_id: str) -> dict[str, Any]:
    """Read a study.yml-style config; its id, if given, must be the study id."""
    if not path.is_file():
        raise ConfigError(str(path), "", "config file not found", remedy="check the --config path.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), "", f"not valid UTF-8 YAML ({exc})", remedy="fix the file's syntax.") from exc
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "must be a mapping of fields (like study.yml)")
    if data.get("id") not in (None, study_id):
        raise ConfigError(str(path), "id", f"id {data['id']!r} differs from --study {study_id!r}",
                          remedy="make them the same.")
    return {**data, "id": study_id}


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse to replace an existing study folder unless asked to."""
    if out.exists() and not overwrite:
        raise ConfigError(str(out), "", "the output folder already exists",
                          remedy="choose another --out or --study, or pass --force to replace it.")


def write_atomically(study: Study, out: Path, overwrite: bool) -> None:
    """Write the study into a temporary folder beside ``out``, check it loads, then move it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        folder = staging / study.id
        write_study_folder(study, folder)
        load_study(study.id, root=staging)
        old = None
        if out.exists() and overwrite:
            old = staging / "previous"
            os.replace(out, old)
        try:
            os.replace(folder, out)
        except OSError:
            if old is not None:
                os.replace(old, out)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_study_folder(study: Study, folder: Path) -> None:
    """study.yml, the three tables, and skipped.csv / unmatched.csv when there are any."""
    folder.mkdir(parents=True)
    meta = {k: v for k, v in study.meta.items() if k not in RUNTIME_META}
    from .refi_writer import plain
    (folder / "study.yml").write_text(yaml.safe_dump(plain(meta), allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    tables = {"participants.csv": study.participants, "codes.csv": study.codes, "segments.csv": study.segments}
    for name, table in tables.items():
        write_csv(table.reindex(columns=CSV_COLUMNS[name]), folder / name)
    skipped = study.meta.get("skipped") or []
    if skipped:
        write_csv(pd.DataFrame(skipped).reindex(columns=SKIPPED_COLUMNS), folder / "skipped.csv")
    unmatched = study.meta.get("unmatched") or []
    if unmatched:
        write_csv(pd.DataFrame(unmatched).reindex(columns=["document", "segment_id"]), folder / "unmatched.csv")


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV with LF line ends, empty cells for missing values."""
    table.astype(object).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")



def summarise(study: Study, out: Path) -> list[str]:
    """Lines for the screen: what was imported, every skipped item, unmatched codings and warnings."""
    lines = [f"imported {len(study.participants)} participants, {len(study.codes)} codes, "
             f"{len(study.segments)} segments into {out}"]
    skipped = study.meta.get("skipped") or []
    if skipped:
        lines.append(f"{len(skipped)} invalid item(s) skipped (listed in {out / 'skipped.csv'}):")
        lines += [f"  - {s.get('file')}, {s.get('place')}: {s.get('problem')}" for s in skipped]
    unmatched = study.meta.get("unmatched") or []
    if unmatched:
        lines.append(f"{len(unmatched)} coding(s) have no participant (listed in {out / 'unmatched.csv'}); "
                     "say where participant ids come from under 'participants:' in the config")
    uncoded = study.meta.get("uncoded_selections") or []
    if uncoded:
        lines.append(f"{len(uncoded)} selection(s) carry a description but no code; they are not segments")
    lines += [f"warning: {w}" for w in study.meta.get("warnings") or []]
    return lines


def export_qdpx(study_id_or_path: str | Path, out: Path | str, positions: str = "codepoints") -> Path:
    """Write a study (an id under data/raw/, or a study folder) as a REFI-QDA .qdpx, atomically
    (positions in code points, or in UTF-16 units for NVivo)."""
    from .refi_writer import write_qdpx
    study = resolve_study(study_id_or_path)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    os.close(handle)
    try:
        write_qdpx(study, Path(temp), positions)
        os.replace(temp, out)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    return out


def resolve_study(study_id_or_path: str | Path) -> Study:
    """Load a study given its id (data/raw/<id>) or the path of its folder."""
    candidate = Path(study_id_or_path)
    if (candidate / "study.yml").is_file():
        return load_study(candidate.name, root=candidate.resolve().parent)
    return load_study(str(study_id_or_path))
