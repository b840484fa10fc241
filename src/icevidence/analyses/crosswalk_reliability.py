"""Reliability of the crosswalk: two independent codings of every quote, their agreement, the reconciliation.

Coding A and coding B (`data/crosswalk/coding_a.csv`, `coding_b.csv`) each give, per quote, the
concepts it is about. Agreement is Cohen's kappa per concept on presence/absence across all
quotes, with its asymptotic 95 % interval (statsmodels). This is a local computation: when
`icevidence.agreement` (issue 12) lands, `kappa_per_concept` can defer to it.
Disagreements are resolved one by one in `disagreements.csv`, and the reconciled coding
(`coding_reconciled.csv`, in the crosswalk schema) is what the comparison uses.
`CrosswalkReliability` is the result: kappa per concept and every disagreement with its resolution.
"""
from __future__ import annotations

import warnings
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..model import config
from ..model.atomic import write_text
from ..model.csv_text import csv_text
from ..model.errors import FAILURE_COLUMNS
from ..model.schema import collect_failures, raise_if_failures
from ..model.study import read_table
from .crosswalk import COLUMNS, EXCLUDED, MAPPED
from .result import Result, Table

SEPARATOR = ";"
UNITS_FILE, CODING_A, CODING_B, DISAGREEMENTS = "units.csv", "coding_a.csv", "coding_b.csv", "disagreements.csv"
KAPPA_COLUMNS = ["concept_id", "quotes", "both", "a only", "b only", "neither", "observed agreement",
                 "kappa", "ci low", "ci high"]


def coding_schema(concept_ids: list[str]) -> pa.DataFrameSchema:
    """Schema of a coding: one row per quote, known concepts separated by ';' (empty: no concept)."""
    known = set(concept_ids)
    return pa.DataFrameSchema({
        "study": pa.Column("string", nullable=False),
        "segment_id": pa.Column("string", nullable=False),
        "concept_ids": pa.Column("string", pa.Check(lambda s: s.map(lambda v: set(split_ids(v)) <= known),
                                                    element_wise=False, name="every concept id is in concepts.csv"),
                                 nullable=True),
        "rationale": pa.Column("string", nullable=True),
    }, unique=["study", "segment_id"])


def decisions_schema(concept_ids: list[str]) -> pa.DataFrameSchema:
    """Schema of disagreements.csv: both codings, the decision (concepts or 'excluded') and its reason."""
    known = set(concept_ids) | {EXCLUDED}
    return pa.DataFrameSchema({
        "study": pa.Column("string", nullable=False),
        "segment_id": pa.Column("string", nullable=False),
        "concepts_a": pa.Column("string", nullable=True),
        "concepts_b": pa.Column("string", nullable=True),
        "decision": pa.Column("string", pa.Check(lambda s: s.map(lambda v: set(split_ids(v)) <= known),
                                                 element_wise=False, name="concepts from concepts.csv, or excluded"),
                              nullable=False),
        "reason": pa.Column("string", pa.Check.str_length(min_value=3), nullable=False),
    }, unique=["study", "segment_id"])


def split_ids(value: object) -> list[str]:
    """'a; b' -> ['a', 'b']; empty -> []."""
    if value is None or pd.isna(value):
        return []
    return [v.strip() for v in str(value).split(SEPARATOR) if v.strip()]


def read_units(path: Path | None = None) -> pd.DataFrame:
    """The quotes to be coded (study, segment_id, code, text, location)."""
    return read_table(path or config.CROSSWALK_DIR / UNITS_FILE)


def read_coding(path: Path, concept_ids: list[str], units: pd.DataFrame) -> pd.DataFrame:
    """A coding, validated: known concepts, and exactly the units, each once."""
    table = read_table(path)
    name = _relative(path)
    raise_if_failures([collect_failures(coding_schema(concept_ids), table, name), unit_mismatch(table, units, name)])
    return table


def unit_mismatch(table: pd.DataFrame, units: pd.DataFrame, file: str) -> pd.DataFrame:
    """Quotes a coding misses, and rows that are not units."""
    want = set(zip(units["study"], units["segment_id"]))
    have = set(zip(table["study"], table["segment_id"]))
    rows = [{"file": file, "row": None, "column": "segment_id", "value": f"{s} {q}", "problem": "quote not coded"}
            for s, q in sorted(want - have)]
    rows += [{"file": file, "row": None, "column": "segment_id", "value": f"{s} {q}",
              "problem": "not a unit in units.csv"} for s, q in sorted(have - want)]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def presence(coding: pd.DataFrame, concept_ids: list[str]) -> pd.DataFrame:
    """Quote × concept table of 0/1: does the coding give the quote this concept?"""
    index = pd.MultiIndex.from_frame(coding[["study", "segment_id"]])
    sets = [set(split_ids(v)) for v in coding["concept_ids"]]
    return pd.DataFrame([[int(c in s) for c in concept_ids] for s in sets], index=index, columns=concept_ids)


def kappa_per_concept(a: pd.DataFrame, b: pd.DataFrame, concept_ids: list[str]) -> pd.DataFrame:
    """Cohen's kappa (and 95 % CI) per concept on its presence per quote, with the 2×2 counts."""
    pa_, pb = presence(a, concept_ids), presence(b, concept_ids)
    pb = pb.reindex(pa_.index)
    return pd.DataFrame([kappa_row(c, pa_[c].to_numpy(), pb[c].to_numpy()) for c in concept_ids], columns=KAPPA_COLUMNS)


def kappa_row(concept: str, x: np.ndarray, y: np.ndarray) -> dict[str, object]:
    """Kappa of two 0/1 vectors with its Wald 95 % interval cut to [-1, 1]; NaN when both ratings are constant."""
    from statsmodels.stats.inter_rater import cohens_kappa
    table = np.array([[np.sum((x == 1) & (y == 1)), np.sum((x == 1) & (y == 0))],
                      [np.sum((x == 0) & (y == 1)), np.sum((x == 0) & (y == 0))]])
    row = {"concept_id": concept, "quotes": int(table.sum()), "both": int(table[0, 0]), "a only": int(table[0, 1]),
           "b only": int(table[1, 0]), "neither": int(table[1, 1]),
           "observed agreement": round(float(np.trace(table)) / table.sum(), 3) if table.sum() else np.nan,
           "kappa": np.nan, "ci low": np.nan, "ci high": np.nan}
    constant = table.sum() == 0 or (table[0].sum() in (0, table.sum()) and table[:, 0].sum() in (0, table.sum()))
    if not constant:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            result = cohens_kappa(table)
        row.update({"kappa": round(float(result.kappa), 3), "ci low": round(max(-1.0, float(result.kappa_low)), 3),
                    "ci high": round(min(1.0, float(result.kappa_upp)), 3)})
    return row


def disagreements(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Quotes the two codings give different concept sets."""
    merged = a.merge(b, on=["study", "segment_id"], suffixes=("_a", "_b"))
    differ = [set(split_ids(x)) != set(split_ids(y)) for x, y in zip(merged["concept_ids_a"], merged["concept_ids_b"])]
    out = merged.loc[differ, ["study", "segment_id", "concept_ids_a", "concept_ids_b"]]
    out = out.rename(columns={"concept_ids_a": "concepts_a", "concept_ids_b": "concepts_b"})
    for column in ("concepts_a", "concepts_b"):
        out[column] = out[column].map(lambda v: "; ".join(sorted(split_ids(v))))
    return out.reset_index(drop=True)


def read_decisions(path: Path, concept_ids: list[str], a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """disagreements.csv, validated: every disagreement between A and B decided, nothing else."""
    table = read_table(path)
    name = _relative(path)
    needed = disagreements(a, b)
    raise_if_failures([collect_failures(decisions_schema(concept_ids), table, name),
                       undecided(needed, table, name)])
    return table


def undecided(needed: pd.DataFrame, decided: pd.DataFrame, file: str) -> pd.DataFrame:
    """Disagreements with no decision, decisions for quotes the codings agree on, and stale copies of A or B."""
    columns = ["study", "segment_id", "concepts_a", "concepts_b"]
    want = {(s, q): (x, y) for s, q, x, y in needed[columns].itertuples(index=False)}
    have = {(s, q): (x, y) for s, q, x, y in decided[columns].itertuples(index=False)}
    rows = [{"file": file, "row": None, "column": "segment_id", "value": f"{s} {q}",
             "problem": "codings A and B disagree here but no decision is recorded"}
            for s, q in sorted(set(want) - set(have))]
    rows += [{"file": file, "row": None, "column": "segment_id", "value": f"{s} {q}",
              "problem": "codings A and B agree here; remove the row"} for s, q in sorted(set(have) - set(want))]
    for key in sorted(set(want) & set(have)):
        stated = tuple("; ".join(sorted(split_ids(v))) for v in have[key])
        if stated != want[key]:
            rows.append({"file": file, "row": None, "column": "concepts_a", "value": f"{key[0]} {key[1]}",
                         "problem": f"the codings now read {want[key]}, not {stated}; decide again"})
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def reconcile(a: pd.DataFrame, b: pd.DataFrame, decisions: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """The reconciled quote-level crosswalk: A and B where they agree, the recorded decision where not."""
    decided = {(s, q): (d, r)
               for s, q, d, r in decisions[["study", "segment_id", "decision", "reason"]].itertuples(index=False)}
    agreed = a.merge(b[["study", "segment_id", "concept_ids"]], on=["study", "segment_id"], suffixes=("", "_b"))
    code_of = dict(zip(zip(units["study"], units["segment_id"]), units["code_id"]))
    rows = []
    for row in agreed.itertuples(index=False):
        key = (row.study, row.segment_id)
        if key in decided:
            concepts, reason = decided[key]
            rationale = f"reconciled: {reason}"
        else:
            concepts, rationale = row.concept_ids, row.rationale
        ids = [c for c in split_ids(concepts) if c != EXCLUDED]
        base = {"study": row.study, "code_id": code_of[key], "segment_id": row.segment_id}
        if not ids:
            reason = rationale if isinstance(rationale, str) and rationale.strip() else "no concept applies"
            rows.append({**base, "concept_id": None, "decision": EXCLUDED, "rationale": reason})
        rows += [{**base, "concept_id": c, "decision": MAPPED, "rationale": rationale} for c in ids]
    return pd.DataFrame(rows, columns=COLUMNS)


def read_codings(folder: Path | None = None, concept_ids: list[str] | None = None) -> dict[str, pd.DataFrame]:
    """Units, coding A and (when it exists) coding B and the decisions, validated."""
    from .crosswalk import read_concepts
    folder = folder or config.CROSSWALK_DIR
    concept_ids = concept_ids or read_concepts()["concept_id"].tolist()
    units = read_units(folder / UNITS_FILE)
    out = {"units": units, "a": read_coding(folder / CODING_A, concept_ids, units)}
    if (folder / CODING_B).is_file():
        out["b"] = read_coding(folder / CODING_B, concept_ids, units)
        if (folder / DISAGREEMENTS).is_file():
            out["decisions"] = read_decisions(folder / DISAGREEMENTS, concept_ids, out["a"], out["b"])
    return out


def write_reconciled(folder: Path | None = None, target: Path | None = None) -> Path:
    """Rebuild coding_reconciled.csv from A, B and the decisions (A alone until B exists), atomically."""
    codings = read_codings(folder)
    b = codings.get("b", codings["a"])
    decisions = codings.get("decisions", pd.DataFrame(columns=["study", "segment_id", "decision", "reason"]))
    table = reconcile(codings["a"], b, decisions, codings["units"])
    return write_csv_atomically(table, target or config.CROSSWALK_SEGMENTS)


def write_csv_atomically(table: pd.DataFrame, path: Path) -> Path:
    """Write a table as UTF-8 CSV with LF line ends, atomically (temporary file, then rename)."""
    return write_text(path, csv_text(table))


def _relative(path: Path) -> str:
    from ..model.provenance import relative
    return relative(path)


SOURCE = "codings A and B of every quote behind the crosswalk, and the decisions reconciling them"


class CrosswalkReliability(Result):
    """Agreement of the two independent codings behind the crosswalk: kappa per concept, the disagreements resolved."""

    def __init__(self, concepts: pd.DataFrame | None = None, folder: Path | None = None) -> None:
        from .crosswalk import read_concepts
        self.concepts = read_concepts() if concepts is None else concepts
        self.folder = folder
        self.notes: list[str] = []

    @cached_property
    def codings(self) -> dict[str, pd.DataFrame]:
        """Units, coding A and, once made, coding B and the decisions, validated."""
        return read_codings(self.folder, self.concepts["concept_id"].tolist())

    @property
    def second_coding(self) -> bool:
        """Whether coding B exists (until it does, the comparison rests on coding A alone)."""
        return "b" in self.codings

    @cached_property
    def kappa(self) -> pd.DataFrame:
        """Kappa per concept with its interval and 2×2 counts, the concept's name beside its id (empty without B)."""
        if not self.second_coding:
            return pd.DataFrame(columns=["concept_id", "concept", *KAPPA_COLUMNS[1:]])
        kappa = kappa_per_concept(self.codings["a"], self.codings["b"], self.concepts["concept_id"].tolist())
        kappa.insert(1, "concept", kappa["concept_id"].map(self.concepts.set_index("concept_id")["name"]))
        return kappa

    @cached_property
    def disagreements(self) -> pd.DataFrame:
        """Every quote the codings disagree on, with the recorded decision and its reason where made."""
        if not self.second_coding:
            return pd.DataFrame(columns=["study", "segment_id", "concepts_a", "concepts_b"])
        return self.codings.get("decisions", disagreements(self.codings["a"], self.codings["b"]))

    def kappa_table(self) -> Table:
        """Kappa per concept as a report shows it (the workbook keeps the concept ids)."""
        return Table("kappa", "Agreement between coding A and coding B per concept",
                     self.kappa.drop(columns="concept_id"), "Cohen's kappa per concept on whether each quote is given "
                     "the concept, with its asymptotic 95 % interval and the 2×2 counts", "quotes", SOURCE,
                     sheet=self.kappa)

    def disagreements_table(self) -> Table:
        """The disagreements and how each was resolved."""
        return Table("disagreements", "Disagreements between the codings and how each was resolved",
                     self.disagreements, "Quotes the two codings give different concepts", "quotes", SOURCE,
                     prose=("reason",))

    def tables(self) -> list[Table]:
        """Kappa per concept, then the disagreements (none until coding B exists)."""
        return [self.kappa_table(), *([self.disagreements_table()] if self.second_coding else [])]
