"""Import an export into a study folder (atomically) and export a study as REFI-QDA.

CLI wiring (src/icevidence/cli.py)::

    icevidence import PATH --study ID [--config study.yml] [--out DIR] [--skip-invalid] [--force]
    icevidence export-qdpx STUDY OUT.qdpx
"""
from __future__ import annotations

import contextlib
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..model import config as paths
from ..model.atomic import STAGING_PREFIX, make_staging, move, remove_abandoned_staging  # noqa: F401 (STAGING_PREFIX: tests)
from ..model.csv_text import csv_text
from ..model.errors import ConfigError
from ..model.names import check_name, check_new_study_id
from ..model.outputs import check_output_file, check_study_folder
from ..model.schema import CODE_COLUMNS, DOCUMENT_COLUMNS, PARTICIPANT_COLUMNS, SEGMENT_COLUMNS
from ..model.study import Study, available_studies, load_study
from ..model.yaml_loader import read_yaml
from . import read_export
from .encoding import repair_study, summary_lines
from .errors import MalformedExportError

RUNTIME_META = ("unmatched", "skipped", "warnings", "uncoded_selections", "refi", "variables")
CSV_COLUMNS = {
    "participants.csv": [c for c in PARTICIPANT_COLUMNS if c != "study"],
    "codes.csv": [c for c in CODE_COLUMNS if c not in ("study", "path")],
    "segments.csv": [c for c in SEGMENT_COLUMNS if c != "study"],
    "documents.csv": [c for c in DOCUMENT_COLUMNS if c != "study"],
}
SKIPPED_COLUMNS = ["file", "place", "problem", "document", "segment_id"]


def import_export(path: Path | str, study_id: str, config_path: Path | str | None = None,
                  out_dir: Path | str | None = None, skip_invalid: bool = False, *, overwrite: bool = False,
                  echo: Callable[[str], None] | None = None, codebook: Path | str | None = None) -> Path:
    """Read an export and write its study folder (study.yml + CSVs), all or nothing; return the folder.

    ``echo`` (e.g. ``print``) receives a summary: counts, every skipped item, unmatched codings, warnings.
    """
    path = Path(path)
    check_name(study_id, "study id", "--study")
    out = Path(out_dir) if out_dir else paths.inside(paths.RAW, study_id, what="study id")
    if out.resolve().parent == paths.RAW.resolve():
        check_new_study_id(out.name, available_studies(), "--study" if not out_dir else "--out")
    check_study_folder(out, force=overwrite, option="--out" if out_dir else "--study")
    remove_abandoned_staging(out.parent)
    config = read_config(Path(config_path), study_id) if config_path else {"id": study_id}
    study = read_export(path, config=config, skip_invalid=skip_invalid, codebook=codebook)
    refuse_missing_sources(study, path)
    study, repairs = repair_study(study)
    write_atomically(study, out, overwrite)
    from .suggest import after_import
    for line in summarise(study, out) + summary_lines(repairs) + after_import(study, out, config_path):
        (echo or (lambda _: None))(line)
    return out


def refuse_missing_sources(study: Study, path: Path) -> None:
    """Refuse a bare .qde whose source texts are not beside it: its codings would have no quotes."""
    missing = list(((study.meta.get("refi") or {}).get("missing_texts")) or [])
    if not missing:
        return
    shown = ", ".join(repr(m) for m in missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    raise MalformedExportError(
        str(path), "", f"the source texts of {len(missing)} document(s) ({shown}) are not in a sources/ folder "
        "beside this file, so its codings have no quotes",
        remedy=("export the whole project as a REFI-QDA project bundle (.qdpx; in ATLAS.ti: File > Export > "
                "REFI-QDA Project), which carries the sources, and import that .qdpx; or put the exported "
                "sources/ folder next to this .qde."))


def read_config(path: Path, study_id: str) -> dict[str, Any]:
    """Read a study.yml-style config; its id, if given, must be the study id."""
    if not path.is_file():
        raise ConfigError(str(path), "", "config file not found", remedy="check the --config path.")
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "must be a mapping of fields (like study.yml)")
    if data.get("id") not in (None, study_id):
        raise ConfigError(str(path), "id", f"id {data['id']!r} differs from --study {study_id!r}",
                          remedy="make them the same.")
    return {**data, "id": study_id}


def write_atomically(study: Study, out: Path, overwrite: bool) -> None:
    """Write the study into a temporary folder beside ``out``, check it loads, then move it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = make_staging(out.parent)
    try:
        folder = staging / study.id
        write_study_folder(study, folder)
        load_study(study.id, root=staging)
        with signals_held():
            swap_into_place(folder, out, staging, overwrite)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(folder: Path, out: Path, staging: Path, overwrite: bool) -> None:
    """Move the finished folder onto ``out``, putting any old folder back if the move fails."""
    old = None
    if out.exists() and overwrite:
        old = staging / "previous"
        move(out, old)
    try:
        move(folder, out)
    except OSError:
        if old is not None:
            move(old, out)
        raise


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT/SIGTERM for the two renames, so a kill cannot fall between them (delivered after)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError):  # no pthread_sigmask (Windows)
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def write_study_folder(study: Study, folder: Path) -> None:
    """study.yml, the three tables, and documents.csv / skipped.csv / unmatched.csv when there are any."""
    folder.mkdir(parents=True)
    meta = {k: v for k, v in study.meta.items() if k not in RUNTIME_META}
    from .refi_writer import plain
    (folder / "study.yml").write_text(yaml.safe_dump(plain(meta), allow_unicode=True, sort_keys=False),
                                      encoding="utf-8")
    tables = {"participants.csv": study.participants, "codes.csv": study.codes, "segments.csv": study.segments}
    if len(study.documents):
        tables["documents.csv"] = study.documents
    for name, table in tables.items():
        write_csv(table.reindex(columns=CSV_COLUMNS[name]), folder / name)
    skipped = study.meta.get("skipped") or []
    if skipped:
        write_csv(pd.DataFrame(skipped).reindex(columns=SKIPPED_COLUMNS), folder / "skipped.csv")
    unmatched = study.meta.get("unmatched") or []
    if unmatched:
        write_csv(pd.DataFrame(unmatched).reindex(columns=["document", "segment_id"]), folder / "unmatched.csv")


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """UTF-8 CSV with LF line ends, empty cells for missing values, a carriage return inside a quote kept."""
    path.write_text(csv_text(table.astype(object)), encoding="utf-8", newline="")



def summarise(study: Study, out: Path) -> list[str]:
    """Lines for the screen: what was imported, every skipped item, unmatched codings and warnings."""
    lines = [f"imported {len(study.participants)} participants, {len(study.codes)} codes, "
             f"{len(study.segments)} segments into {out}"]
    if len(study.documents):
        lines.append(f"kept the full length of {len(study.documents)} document(s) in {out / 'documents.csv'} "
                     "(for coverage and character-unit agreement)")
    listed = study.meta.get("skipped") or []
    cleaned = [s for s in listed if str(s.get("problem") or "").startswith("kept, cleaned")]
    skipped = [s for s in listed if s not in cleaned]
    if skipped:
        lines.append(f"{len(skipped)} invalid item(s) skipped (listed in {out / 'skipped.csv'}):")
        lines += [f"  - {s.get('file')}, {s.get('place')}: {s.get('problem')}" for s in skipped]
    if cleaned:
        lines.append(f"{len(cleaned)} cell(s) kept after removing control characters XML/XLSX cannot carry or "
                     f"invisible characters from names (listed in {out / 'skipped.csv'}):")
        lines += [f"  - {s.get('file')}, {s.get('place')}: {str(s.get('problem'))[len('kept, cleaned: '):]}"
                  for s in cleaned]
    unmatched = study.meta.get("unmatched") or []
    if unmatched:
        lines.append(f"{len(unmatched)} coding(s) have no participant (listed in {out / 'unmatched.csv'}); "
                     "say where participant ids come from under 'participants:' in the config")
    uncoded = study.meta.get("uncoded_selections") or []
    if uncoded:
        lines.append(f"{len(uncoded)} selection(s) carry a description but no code; they are not segments")
    lines += [f"warning: {w}" for w in study.meta.get("warnings") or []]
    return lines


def export_qdpx(study_id_or_path: str | Path, out: Path | str, positions: str = "codepoints", *,
                force: bool = False) -> Path:
    """Write a study (an id under data/raw/, or a study folder) as a REFI-QDA .qdpx, atomically."""
    from ..model.atomic import atomic_path
    from .refi_writer import write_qdpx
    study = resolve_study(study_id_or_path)
    out = Path(out)
    check_output_file(out, force=force, option="export-qdpx OUT")
    with atomic_path(out) as temp:
        write_qdpx(study, temp, positions)
    return out


def resolve_study(study_id_or_path: str | Path) -> Study:
    """Load a study given its id (data/raw/<id>) or the path of its folder."""
    candidate = Path(study_id_or_path)
    if (candidate / "study.yml").is_file():
        return load_study(candidate.name, root=candidate.resolve().parent)
    return load_study(check_name(str(study_id_or_path), "study id", "export-qdpx STUDY"))
