"""Theme matrices: codes at a chosen level by tier (or level, locality), with the quotes behind them."""
from __future__ import annotations

import pandas as pd

from . import config
from .codes import NOT_FURTHER_CODED, rollup_rows
from .errors import ConfigError
from .sample import group_sizes
from .schema import TIERS
from .study import Study, load_study
from .present.tables import write_csv, write_workbook

UNITS = ["references", "participants", "share"]
XLSX_QUOTE_LIMIT = 100_000  # beyond this the workbook points to quotes.csv (Excel stops at 1,048,576 rows)
UNKNOWN = "unknown"
TOTAL = "total"


def as_study(study: Study | str) -> Study:
    """Accept a study id or an already loaded Study."""
    return load_study(study) if isinstance(study, str) else study


def evidence(study: Study | str, level: str = "main", group_by: str = "tier") -> pd.DataFrame:
    """Every segment with its matrix row, its group and a key identifying its speaker."""
    study = as_study(study)
    row_of, order = rollup_rows(study.codes, level)
    segments = study.segments.copy()
    segments["row"] = pd.Categorical(segments["code_id"].map(row_of), categories=order, ordered=True)
    segments["group"] = group_of_segments(study, group_by)
    segments["speaker"] = speaker_keys(segments)
    return segments


def group_of_segments(study: Study, group_by: str) -> pd.Series:
    """Each segment's group: its own value (tier, site, document, participant id), else its
    participant's attribute; else unknown. Any participant column or 'document' can group."""
    check_group_by(study, group_by)
    segments = study.segments
    own = segments[group_by] if group_by in segments.columns else pd.Series(pd.NA, index=segments.index)
    own = own.astype("object")
    if group_by != "participant_id" and group_by in study.participants.columns:
        people = study.participants.drop_duplicates("participant_id").set_index("participant_id")[group_by]
        own = own.fillna(segments["participant_id"].map(people.astype("object")))
    return own.fillna(UNKNOWN).astype(str)


def check_group_by(study: Study, group_by: str) -> None:
    """Refuse a grouping that is neither a participant column nor a column of the segments."""
    if group_by not in study.participants.columns and group_by not in study.segments.columns:
        columns = sorted(set(study.participants.columns) - {"study", "source", "note"}) + ["document"]
        raise ConfigError("theme matrix", "group_by", f"{group_by!r} is not a participant or segment column",
                          remedy=f"group by one of {columns}.")


def speaker_keys(segments: pd.DataFrame) -> pd.Series:
    """Who spoke: the participant id; else the attribution as printed; else the segment itself.

    Unresolved speakers are never merged with known ones, so participant counts are upper bounds
    where attributions are malformed, and this is said in every report.
    """
    keys = segments["participant_id"].astype("object")
    missing = keys.isna()
    if not missing.any():
        return keys
    unresolved = segments[missing]
    by_attribution = "attribution: " + unresolved["attribution_raw"].astype("object")
    by_segment = "segment: " + unresolved["segment_id"].astype("object")
    return keys.where(~missing, by_attribution.fillna(by_segment))


def group_columns(study: Study, group_by: str, groups: pd.Series) -> list[str]:
    """Matrix columns in natural order: every group of the sample, then unknown and total."""
    values = study.participants[group_by] if group_by in study.participants.columns else \
        study.segments[group_by].dropna()
    if group_by == "tier":
        known = TIERS
    elif isinstance(values.dtype, pd.CategoricalDtype):
        known = [str(c) for c in values.cat.categories]
    else:
        known = list(dict.fromkeys(values.dropna().astype(str)))
    extra = [g for g in pd.unique(groups) if g not in known and g != UNKNOWN]
    return [*known, *extra, UNKNOWN, TOTAL]


def theme_matrix(study: Study | str, level: str = "main", unit: str = "references",
                 group_by: str = "tier") -> pd.DataFrame:
    """Codes at `level` (rows, codebook order) by group (columns, plus unknown and total).

    unit: 'references' counts coded segments; 'participants' counts distinct speakers;
    'share' gives participants as % of the group's n in the sample table.
    """
    if unit not in UNITS:
        raise ConfigError("theme matrix", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
    study = as_study(study)
    coded = evidence(study, level, group_by)
    columns = group_columns(study, group_by, coded["group"])
    counts = count_cells(coded, "participants" if unit == "share" else unit)
    matrix = counts.reindex(columns=columns, fill_value=0)
    matrix[TOTAL] = count_totals(coded, "participants" if unit == "share" else unit).reindex(matrix.index, fill_value=0)
    matrix = drop_empty_placeholders(matrix.astype(int))
    matrix.index.name, matrix.columns.name = f"{level} code", group_by
    return to_share(matrix, study, group_by) if unit == "share" else matrix


def count_cells(coded: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Count references or distinct speakers per (row, group)."""
    grouped = coded.groupby(["row", "group"], observed=False)
    values = grouped.size() if unit == "references" else grouped["speaker"].nunique()
    return values.unstack("group", fill_value=0)


def count_totals(coded: pd.DataFrame, unit: str) -> pd.Series:
    """Row totals: all references, or distinct speakers across every group."""
    grouped = coded.groupby("row", observed=False)
    return grouped.size() if unit == "references" else grouped["speaker"].nunique()


def drop_empty_placeholders(matrix: pd.DataFrame) -> pd.DataFrame:
    """Keep '(not further coded)' rows only where segments were coded that high."""
    suffix = NOT_FURTHER_CODED.format(name="")
    placeholder = matrix.index.astype(str).str.endswith(suffix)
    return matrix[~placeholder | (matrix[TOTAL] > 0)]


def to_share(matrix: pd.DataFrame, study: Study, group_by: str) -> pd.DataFrame:
    """Participants as a percentage of each group's n (unknown has no n, so it stays empty)."""
    sizes = group_sizes(study, group_by)["n"].rename({"Total": TOTAL})
    share = matrix.astype(float).copy()
    for column in share.columns:
        n = sizes.get(column)
        share[column] = 100 * share[column] / n if n else float("nan")
    return share.round(1)


def drilldown(study: Study | str, level: str = "main", group_by: str = "tier") -> pd.DataFrame:
    """The quotes behind every non-empty cell, in matrix order, with attribution and location."""
    coded = evidence(study, level, group_by)
    columns = group_columns(as_study(study), group_by, coded["group"])
    coded["group"] = pd.Categorical(coded["group"], categories=columns, ordered=True)
    keep = ["row", "group", "text", "attribution_raw", "attribution_status", "participant_id", "location", "segment_id"]
    return coded.sort_values(["row", "group", "segment_id"])[keep].reset_index(drop=True)


def single_group_themes(matrix: pd.DataFrame) -> pd.DataFrame:
    """Rows with evidence from exactly one known group (unknown and total not counted)."""
    groups = matrix.drop(columns=[UNKNOWN, TOTAL])
    present = groups.gt(0)
    only = present.sum(axis=1) == 1
    return pd.DataFrame({"theme": matrix.index[only], "only group": present[only].idxmax(axis=1).to_numpy(),
                         "count": groups[only].max(axis=1).to_numpy()})


def single_group_empty_text(matrix: pd.DataFrame, group_by: str) -> str:
    """What an empty single_group_themes table means, saying only what the matrix can show."""
    known = matrix.drop(columns=[UNKNOWN, TOTAL]).to_numpy().sum()
    if known == 0:
        return f"none can be shown: no quote has a known {group_by}, so who voiced a theme cannot be told"
    unknown = int(matrix[UNKNOWN].sum()) if UNKNOWN in matrix.columns else 0
    caveat = f" ({unknown} quote(s) with an unknown {group_by} are not counted)" if unknown else ""
    return f"none: every code with quotes from a known {group_by} has them from more than one{caveat}"


def reconcile(study: Study | str, matrix: pd.DataFrame) -> pd.DataFrame:
    """Check a references matrix accounts for every segment: nothing dropped."""
    study = as_study(study)
    counted, segments = int(matrix[TOTAL].sum()), len(study.segments)
    return pd.DataFrame({"segments in the study": [segments], "references in the matrix": [counted],
                         "status": ["reconciles" if counted == segments else "DOES NOT RECONCILE"]})


def write_matrix_tables(study: Study | str, level: str, group_by: str, report_id: str) -> list:
    """Write the matrix in every unit, and the drill-down, as CSV and one XLSX workbook."""
    study = as_study(study)
    folder = config.TABLES / report_id
    sheets = {unit: theme_matrix(study, level, unit, group_by) for unit in UNITS}
    sheets["quotes"] = drilldown(study, level, group_by)
    paths = [write_csv(table, folder / f"{name}.csv", index=name != "quotes") for name, table in sheets.items()]
    if len(sheets["quotes"]) > XLSX_QUOTE_LIMIT:
        sheets["quotes"] = pd.DataFrame({"note": [f"{len(sheets['quotes'])} quotes: too many for a workbook; "
                                                  f"see quotes.csv beside it"]})
    paths.append(write_workbook(sheets, folder / f"{report_id}.xlsx"))
    return paths
