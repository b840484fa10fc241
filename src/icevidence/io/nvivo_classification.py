"""NVivo classification sheets (cases x attributes, xlsx/xls/csv/tab-separated txt) and joining them to a Study.

NVivo puts the classification's name in cell A1, attribute names in the first row and case names in the
first column, either plain ('Barbara') or hierarchical ('Cases\\\\Interviews\\\\Barbara'; the last part is
the case name). NVivo's placeholder values 'Unassigned' and 'Not Applicable' (and their translations)
mean "no value": they become missing, never a category. :func:`join_classification` attaches the sheet
to a Study imported from a .qdpx, matching cases as the study's participant rules say.
"""
from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.schema import PARTICIPANT_COLUMNS, TIERS
from ..model.study import Study, assemble_study
from .assign import (
    ATTRIBUTE_COLUMNS,
    CODE_INPUT_COLUMNS,
    CODING_INPUT_COLUMNS,
    apply_pattern,
    attribute_names,
    build_study,
    read_participant_rules,
    study_id_for,
)
from .errors import ExportWarning
from .headers import NVIVO_CLASSIFICATION, match_by_name, normalise_header
from .spreadsheet import read_sheet, reject_row

NO_VALUE = {normalise_header(v) for v in (
    "Unassigned", "Not Applicable", "Not applicable", "N/A",
    "Nicht zugewiesen", "Nicht zutreffend", "Nicht anwendbar",
    "Nieprzypisane", "Nieprzypisany", "Nie dotyczy",
    "Não atribuído", "Não aplicável", "Sin asignar", "No aplicable", "Non attribué", "Non applicable",
)}
HIERARCHY_SEPARATORS = ("\\", "/")


def sniff_classification(columns: list[str]) -> bool:
    """True when the first header names the case column ('Name', 'Case', ...) and attributes follow."""
    return len(columns) >= 2 and match_by_name(columns[:1], NVIVO_CLASSIFICATION["case"], set()) is not None


def read_classification(path: Path, *, encoding: str | None = None, sheet: str | int | None = None,
                        skipped: list[dict] | None = None) -> pd.DataFrame:
    """The sheet as a long table (owner_kind 'case', owner, variable, value); placeholders become missing."""
    path = Path(path)
    frame = read_sheet(path, sheet=sheet, encoding=encoding, skipped=skipped)
    case_column = match_by_name(list(frame.columns), NVIVO_CLASSIFICATION["case"], set()) or frame.columns[0]
    variables = [c for c in frame.columns if c != case_column]
    rows: list[tuple[str, str, str | None, str | None]] = []
    seen: dict[str, int] = {}
    for number, case, values in zip(frame.index, frame[case_column].tolist(), frame[variables].itertuples(index=False)):
        name = case_name(case)
        if name is None:
            reject_row(skipped, str(path), int(number), case_column, "the case name is empty")
            continue
        if name in seen:
            reject_row(skipped, str(path), int(number), case_column,
                       f"case {name!r} already occurs in row {seen[name]}")
            continue
        seen[name] = int(number)
        rows.append(("case", name, None, None))
        rows.extend(("case", name, variable, attribute_value(value)) for variable, value in zip(variables, values))
    table = pd.DataFrame(rows, columns=ATTRIBUTE_COLUMNS).astype("string")
    table.attrs["classification"] = None if str(case_column).startswith("column ") else str(case_column)
    return table


def case_name(value: Any) -> str | None:
    """The case's name: the last part of a hierarchical name, without blanks; None when empty."""
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    for separator in HIERARCHY_SEPARATORS:
        if separator in text:
            text = text.rstrip(separator).rsplit(separator, 1)[-1].strip()
    return text or None


def attribute_value(value: Any) -> str | None:
    """An attribute value as text; NVivo's 'Unassigned' / 'Not Applicable' and empty cells as None."""
    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    return None if not text or normalise_header(text) in NO_VALUE else text


def read_classification_study(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Import a classification sheet alone: a Study whose participants are its cases, with no codings."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    attributes = read_classification(path, skipped=skipped)
    return build_study(study_id_for(path, config), pd.DataFrame(columns=CODE_INPUT_COLUMNS),
                       pd.DataFrame(columns=CODING_INPUT_COLUMNS), attributes, config, path, skipped=skipped)


def join_classification(study: Study, classification: Path | pd.DataFrame, config: dict | None = None) -> Study:
    """Attach a classification sheet's attributes to the study's participants (cases matched by the rules)."""
    source = Path(classification) if not isinstance(classification, pd.DataFrame) else Path("classification")
    attributes = classification if isinstance(classification, pd.DataFrame) else read_classification(source)
    config = config if config is not None else study.meta
    participants = study.participants.astype("string")
    renames = attribute_names(config)
    ids = case_participant_ids(attributes, config, set(participants["participant_id"].dropna()))
    differences: list[str] = []
    for case, pid in ids.items():
        if pid not in set(participants["participant_id"].dropna()):
            participants = add_participant(participants, pid, case, source)
        differences += fill_attributes(participants, pid, case, attributes, renames, source)
    meta = dict(study.meta)
    meta["warnings"] = [*(study.meta.get("warnings") or []), *differences]
    meta["case_attributes"] = attributes.to_dict("records")
    tables = {"participants": participants.drop(columns=["study"]), "codes": study.codes.drop(columns=["study"]),
              "segments": study.segments.drop(columns=["study"])}
    files = {name: f"{source.name} ({name})" for name in tables}
    return assemble_study(meta, tables, inputs=[*study.inputs, source], files=files)


def case_participant_ids(attributes: pd.DataFrame, config: dict | None, known: set[str]) -> dict[str, str]:
    """Each case's participant id by the study's 'from: case' rules, else the case name if it is a participant."""
    rules = [r for r in read_participant_rules(config, Path("study.yml")) if r["from"] == "case"]
    out: dict[str, str] = {}
    for case in attributes.loc[attributes["owner_kind"] == "case", "owner"].dropna().unique():
        pid = next((p for p in (apply_pattern(str(case), r.get("regex")) for r in rules) if p), None)
        if pid is None and str(case) in known:
            pid = str(case)
        if pid is not None:
            out[str(case)] = pid
    return out


def add_participant(participants: pd.DataFrame, pid: str, case: str, source: Path) -> pd.DataFrame:
    """Add a participant without codings, named by its case in the classification sheet."""
    row = pd.DataFrame([{"participant_id": pid, "source": f"{source.name}: case '{case}'"}])
    return pd.concat([participants, row.astype("string")], ignore_index=True)


def fill_attributes(participants: pd.DataFrame, pid: str, case: str, attributes: pd.DataFrame,
                    renames: dict[str, str], source: Path) -> list[str]:
    """Fill the participant's empty canonical columns from the case's attributes; warn on (and list) differences."""
    differences: list[str] = []
    index = participants.index[participants["participant_id"] == pid][0]
    mine = attributes[(attributes["owner_kind"] == "case") & (attributes["owner"] == case)]
    for variable, value in zip(mine["variable"], mine["value"]):
        column = renames.get(str(variable).strip().lower()) if not pd.isna(variable) else None
        if column is None or column not in PARTICIPANT_COLUMNS or pd.isna(value):
            continue
        value = str(value).strip().lower() if column == "tier" and str(value).strip().lower() in TIERS else str(value)
        current = participants.at[index, column] if column in participants.columns else pd.NA
        if pd.isna(current):
            participants.at[index, column] = value
        elif str(current) != value:
            warning = ExportWarning(str(source), f"case '{case}', attribute '{variable}'",
                                    f"value {value!r} differs from {current!r} already imported; kept {current!r}")
            warnings.warn(warning, stacklevel=3)
            differences.append(str(warning))
    return differences
