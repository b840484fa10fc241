"""Inter-coder agreement: how consistently several people coded the same transcripts.

``agreement(study, coders=None, level="main", unit="segment", overlap=0.9)`` compares the coders
named in the segments' ``coder`` column, one code (at the chosen level of the code tree) at a time,
and returns an :class:`Agreement` whose table has one row per code and an overall row: a Result,
shown and written by its view (present/views/agreement.py) like every other analysis.

Units (what is counted as agreeing or not):

* ``unit="character"`` — NVivo's coding comparison: every character of every compared document
  is a unit, coded or not coded by each coder with the code. The compared documents are those
  coded by any compared coder, each counted whole: its full length comes from the study's
  documents table (kept at import), so an uncoded tail counts as agreeing 'not coded', as in
  NVivo. Where a document's length is unknown (an export without the full texts), it runs only to
  the last character anyone coded in it, and the result's notes say which documents.
* ``unit="segment"`` — MAXQDA's segment comparison: segments of different coders in the same
  document that overlap by at least ``overlap`` of the longer one are one passage (joined
  transitively); every passage is a unit, and for each code a coder either applied that code in
  the passage or did not. Unmatched segments are disagreements. Passages coded with other codes
  are the units where both coders agreed the code did not apply, so kappa and alpha have the
  "neither" cell MAXQDA has to assume.

A coder who coded nothing at all in a document did not code it: their values there are missing
(Krippendorff's alpha allows that; kappa and percent agreement use the units both coded), rather
than 'not coded', which would count the document against them.

Coefficients (see reliability.py): percent agreement, Cohen's kappa (two coders), Krippendorff's
alpha (nominal, any number of coders), each coefficient with a seeded percentile bootstrap 95 %
interval. The bootstrap resamples passages for segment units and documents for character units
(characters of one document are not independent, so resampling them would give falsely narrow
intervals). The overall row pools every (unit, code) decision.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..model.codes import rollup_rows
from ..model.errors import CompendiumError
from ..model.study import Study, as_study
from .reliability import (
    cohen_kappa,
    interval,
    kappa_from_tables,
    kappa_tables,
    nominal_alpha,
    pairable_units,
    percent_agreement,
)
from .result import Figure, Result, Table

UNITS = ("segment", "character")
OVERALL = "(all codes)"
FEW_DOCUMENTS = 10
BANDS = ((0.8, "reliable"), (0.667, "tentative"), (-np.inf, "do not rely"))
BAND_SOURCE = ("Krippendorff K (2004) Content Analysis: An Introduction to Its Methodology, 2nd ed., p. 241: "
               "rely on variables with alpha >= .800, consider those with .667 <= alpha < .800 only for "
               "tentative conclusions")
TABLE_COLUMNS = ["code", "coders", "units", "units with the code", "percent agreement",
                 "percent agreement where coded", "kappa", "kappa low",
                 "kappa high", "alpha", "alpha low", "alpha high", "band"]


@dataclass
class AgreementError(CompendiumError):
    """Agreement cannot be measured on this study as asked; says why, with the facts and what to do."""

    study: str
    problem: str
    remedy: str = "see the README section 'For teams: inter-coder agreement'."

    def describe(self) -> str:
        return f"inter-coder agreement for study {self.study!r}: {self.problem}"


@dataclass
class Agreement(Result):
    """The agreement of the compared coders: per-code table, who coded what, and where they differ.

    Its tables: 'overall' (every code pooled, as sentences of estimate and interval), 'agreement'
    (one row per code, weakest alpha first; the workbook holds every coefficient and the overall
    row as numbers), 'coverage' (codings per document and coder) and 'disagreements' (each
    differing passage, each coder's text side by side); its figure: alpha (and kappa) per code.
    """

    study: str
    coders: list[str]
    unit: str
    level: str
    overlap: float
    seed: int
    replicates: int
    table: pd.DataFrame
    coverage: pd.DataFrame
    disagreements: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    @property
    def overall(self) -> pd.Series:
        """The overall row (every code pooled)."""
        return self.table[self.table["code"] == OVERALL].iloc[0]

    def by_code(self) -> pd.DataFrame:
        """The per-code rows, weakest alpha first (undefined last)."""
        rows = self.table[self.table["code"] != OVERALL]
        return rows.sort_values(["alpha", "code"], na_position="last", kind="stable").reset_index(drop=True)

    def below(self, bar: float = 0.667) -> list[str]:
        """Codes whose alpha is below the bar (weakest first)."""
        rows = self.by_code()
        return rows.loc[rows["alpha"] < bar, "code"].tolist()

    def passages(self, code: str) -> pd.DataFrame:
        """The passages where the coders differ on one code, one column per coder."""
        return self.disagreements[self.disagreements["code"] == code].reset_index(drop=True)

    @property
    def source(self) -> str:
        """Where the codings come from."""
        return f"the coded segments of {self.study}, with their coders"

    def tables(self) -> list[Table]:
        """The overall figures, the per-code table, who coded which documents, and the differing passages."""
        units = f"{self.unit} units"
        return [
            Table("overall", f"{self.study}: overall agreement ({units})", overall_frame(self),
                  "Every (unit, code) decision pooled, with 95 % percentile bootstrap intervals", units, self.source,
                  index=True),
            Table("agreement", f"{self.study}: agreement per {self.level} code ({units}), weakest alpha first",
                  band_table(self), "Percent agreement, Cohen's kappa and Krippendorff's alpha of each code, with "
                  "95 % bootstrap intervals and the alpha's reading (Krippendorff 2004, p. 241)", units, self.source,
                  notes=list(self.notes), sheet=self.table),
            Table("coverage", f"{self.study}: codings per document (rows) and coder (columns)", self.coverage,
                  "Codings each coder made in each document", "codings", self.source, index=True),
            Table("disagreements", f"{self.study}: passages where the coders differ", self.disagreements,
                  "Per code, each passage one coder coded with it and another did not (or with boundaries too far "
                  "apart to line up), each coder's coded text side by side", "passages", self.source,
                  prose=tuple(self.coders)),
        ]

    def figures(self) -> list[Figure]:
        """Alpha (and kappa for two coders) per code with its interval, weakest first, over Krippendorff's bands."""
        title = f"{self.study}: agreement per code ({self.unit} units, {', '.join(self.coders)})"
        return [Figure("agreement", title, "agreement", self.by_code(), value_label="coefficient",
                       counted="Krippendorff's alpha and Cohen's kappa per code, with 95 % bootstrap intervals",
                       unit=f"{self.unit} units", source=self.source,
                       alt="Dot plot of alpha and kappa per code with their intervals over the reliability bands",
                       options={"coders": len(self.coders)})]


# ----------------------------------------------------------------------------- the recipe

def agreement(study: Study | str, coders: list[str] | None = None, level: str = "main", unit: str = "segment",
              overlap: float = 0.9, seed: int = 0, replicates: int = 1000) -> Agreement:
    """Percent agreement, Cohen's kappa and Krippendorff's alpha (with bootstrap intervals) per code."""
    study = as_study(study)
    check_arguments(study.id, unit, overlap, replicates)
    segments = coded_segments(study, coders)
    compared = list(dict.fromkeys(coders)) if coders else sorted(segments["coder"].unique())
    check_shared_documents(study, segments, compared)
    segments, notes = positioned(study, segments)
    segments = segments.assign(code=rolled_up(study, segments, level))
    codes = list(dict.fromkeys(c for c in rollup_rows(study.codes, level)[1] if c in set(segments["code"])))
    passage = line_up(segments, overlap)
    units = CharacterUnits(segments, compared, codes, study.document_lengths) if unit == "character" else \
        PassageUnits(segments, compared, codes, passage, overlap)
    table = agreement_table(units, compared, codes, np.random.default_rng(seed), replicates)
    return Agreement(study.id, compared, unit, level, overlap, seed, replicates, table,
                     coverage_table(segments_with_coder(study), compared),
                     differing_passages(passage, segments, compared), notes + units.notes)


def check_arguments(study_id: str, unit: str, overlap: float, replicates: int) -> None:
    """Refuse a unit, overlap or number of replicates that cannot work."""
    if unit not in UNITS:
        raise AgreementError(study_id, f"unknown unit {unit!r}", remedy=f"use one of {list(UNITS)}.")
    if not 0 < overlap <= 1:
        raise AgreementError(study_id, f"overlap {overlap!r} is not a share in (0, 1]",
                             remedy="give the share of the longer segment two segments must share, e.g. 0.9.")
    if not 0 <= replicates <= 100_000:
        raise AgreementError(study_id, f"replicates {replicates!r} is not between 0 and 100000",
                             remedy="use e.g. 1000 bootstrap replicates (0 for no intervals).")


def segments_with_coder(study: Study) -> pd.DataFrame:
    """The study's segments that name their coder and their document."""
    segments = study.segments
    if "coder" not in segments:
        return segments.iloc[0:0].assign(coder=pd.Series(dtype="string"))
    return segments[segments["coder"].notna() & segments["document"].notna()]


def coded_segments(study: Study, coders: list[str] | None) -> pd.DataFrame:
    """The segments of the compared coders, refusing a study with fewer than two of them."""
    segments = segments_with_coder(study)
    if segments.empty:
        raise AgreementError(study.id, f"none of its {len(study.segments)} segments records who coded it (the "
                             "coder column is empty) or its document",
                             remedy="import an export that records coders (REFI-QDA .qdpx codings carry "
                                    "creatingUser; MAXQDA and ATLAS.ti exports an author / 'Created by' column; "
                                    "QualCoder reports a Coder column), or fill the coder column of segments.csv.")
    known = sorted(segments["coder"].unique())
    if coders is not None:
        unknown = [c for c in coders if c not in known]
        if unknown:
            raise AgreementError(study.id, f"coders {unknown} coded nothing in this study; its coders are {known}",
                                 remedy="name coders exactly as the coder column spells them.")
        segments = segments[segments["coder"].isin(list(coders))]
    found = sorted(segments["coder"].unique())
    if len(found) < 2:
        raise AgreementError(study.id, f"agreement needs two or more coders, but only {len(found)} coded: "
                             f"{who_coded_what(segments)}{listed_users(study)}",
                             remedy="merge the coders' work into one project in the QDA software and export that "
                                    "(a REFI-QDA .qdpx keeps each coding's user), or name two coders with "
                                    "coders=[...].")
    return segments


def listed_users(study: Study) -> str:
    """'; the project lists users A, B' when the import recorded more users than coded."""
    users = (study.meta.get("refi") or {}).get("user_names") or []
    return f"; the project lists {len(users)} users ({', '.join(map(str, users))})" if len(users) > 1 else ""


def who_coded_what(segments: pd.DataFrame) -> str:
    """'A coded 3 documents (d1, d2, d3); B coded ...' for messages (documents listed up to 8)."""
    parts = []
    for coder, rows in segments.groupby("coder", sort=True):
        documents = sorted(rows["document"].unique())
        shown = ", ".join(map(str, documents[:8])) + (f", … {len(documents) - 8} more" if len(documents) > 8 else "")
        parts.append(f"{coder} made {len(rows)} codings in {len(documents)} document"
                     f"{'s' if len(documents) != 1 else ''} ({shown})")
    return "; ".join(parts)


def check_shared_documents(study: Study, segments: pd.DataFrame, coders: list[str]) -> None:
    """Refuse coders who coded no document in common (nothing to compare)."""
    per_document = segments.groupby("document")["coder"].nunique()
    if not (per_document >= 2).any():
        raise AgreementError(study.id, "the coders coded different documents, so no document was coded by two "
                             f"of them: {who_coded_what(segments)}",
                             remedy="have the coders code at least one document in common (agreement compares "
                                    "their coding of the same text), or choose coders=[...] who did.")


def positioned(study: Study, segments: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The segments with character positions; a note counts those without, an error if none has them."""
    has = segments["start"].notna() & segments["end"].notna()
    if not has.any():
        raise AgreementError(study.id, f"none of the {len(segments)} segments of the compared coders has "
                             "character positions (start and end), so passages cannot be lined up",
                             remedy="import the project as REFI-QDA (.qdpx), which records positions; "
                                    "spreadsheet exports give paragraphs or nothing.")
    notes = []
    if (~has).any():
        notes.append(f"{int((~has).sum())} segments without character positions are left out (e.g. whole-document "
                     "or media codings).")
    kept = segments[has].copy()
    kept["start"] = kept["start"].astype("int64")
    kept["end"] = kept["end"].astype("int64")
    return kept.reset_index(drop=True), notes


def rolled_up(study: Study, segments: pd.DataFrame, level: str) -> pd.Series:
    """Each segment's code at the chosen level (codes below roll up into it)."""
    row_of, _ = rollup_rows(study.codes, level)
    return segments["code_id"].map(row_of)


def coverage_table(segments: pd.DataFrame, coders: list[str]) -> pd.DataFrame:
    """Codings per document (rows) and coder (columns): who coded which documents."""
    shown = segments[segments["coder"].isin(coders)]
    table = pd.crosstab(shown["document"], shown["coder"]).reindex(columns=coders, fill_value=0)
    table.columns.name = "coder"
    return table


# ----------------------------------------------------------------------------- patterns

def digit_weights(n_coders: int) -> np.ndarray:
    """Base-3 place values: a pattern's key is the sum of digit x 3^coder (0 no, 1 yes, 2 missing)."""
    return 3 ** np.arange(n_coders, dtype=np.int64)


def decode(keys: np.ndarray, n_coders: int) -> np.ndarray:
    """Patterns (keys × coders) of values 0, 1 or -1 (missing) from base-3 keys."""
    digits = (np.asarray(keys)[:, None] // digit_weights(n_coders)[None, :]) % 3
    return np.where(digits == 2, -1, digits)


def base_keys(segments: pd.DataFrame, coders: list[str], documents: list[str]) -> np.ndarray:
    """Per document, the key of 'nobody applied the code': 0 for coders who coded it, 2 for the others."""
    coded = pd.crosstab(segments["document"], segments["coder"]).reindex(index=documents, columns=coders,
                                                                        fill_value=0).to_numpy() > 0
    return (np.where(coded, 0, 2) * digit_weights(len(coders))).sum(axis=1)


class CharacterUnits:
    """Per document and code, how many characters show each pattern (document × code × pattern)."""

    resample = "documents"

    def __init__(self, segments: pd.DataFrame, coders: list[str], codes: list[str],
                 known: pd.Series | None = None) -> None:
        self.documents = sorted(segments["document"].unique())
        reach = segments.groupby("document")["end"].max().reindex(self.documents)
        full = (known if known is not None else pd.Series(dtype="int64")).reindex(self.documents)
        lengths = full.fillna(reach).clip(lower=reach).astype("int64").to_numpy()
        base = base_keys(segments, coders, self.documents)
        keys, weights, group = covered_patterns(segments, coders, codes, self.documents, base)
        covered = np.bincount(group, weights=weights, minlength=len(self.documents) * len(codes))
        uncovered = np.repeat(lengths, len(codes)) - covered
        all_keys = np.concatenate([keys, np.repeat(base, len(codes))])
        all_groups = np.concatenate([group, np.arange(len(self.documents) * len(codes))])
        all_weights = np.concatenate([weights, uncovered])
        self.keys, index = np.unique(all_keys, return_inverse=True)
        self.patterns = decode(self.keys, len(coders))
        counts = np.zeros((len(self.documents) * len(codes), len(self.keys)))
        np.add.at(counts, (all_groups, index), all_weights)
        self.counts = counts.reshape(len(self.documents), len(codes), len(self.keys))
        self.notes = [character_note(int(lengths.sum()), self.documents, full)]
        if len(self.documents) < FEW_DOCUMENTS:
            self.notes.append(f"Only {len(self.documents)} documents: intervals that resample documents say little "
                              "about the uncertainty; read them with care.")

    def code_weights(self, k: int | None) -> np.ndarray:
        """Documents × patterns weights of one code (None: every code pooled)."""
        return self.counts.sum(axis=1) if k is None else self.counts[:, k, :]

    def replicate(self, weights: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
        """Bootstrap replicates of pattern weights, resampling documents with replacement."""
        return resample_rows(weights, rng, n)


def character_note(characters: int, documents: list[str], full: pd.Series) -> str:
    """What the character units count: whole documents, and which documents (if any) only up to their last coding."""
    unknown = [d for d, length in zip(documents, full) if pd.isna(length)]
    head = f"Character units: {characters:,} characters in {len(documents)} documents"
    tail = "; intervals resample documents."
    if not unknown:
        return f"{head} (every character of each, its full length from the documents table){tail}"
    shown = ", ".join(map(str, unknown[:5])) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
    which = "every document" if len(unknown) == len(documents) else f"{len(unknown)} of them ({shown})"
    return (f"{head}; the full length of {which} is unknown (no documents table entry), so those count only up to "
            "the last character anyone coded: their uncoded tail is left out, unlike NVivo, which counts every "
            f"character of a source{tail}")


def covered_patterns(segments: pd.DataFrame, coders: list[str], codes: list[str], documents: list[str],
                     base: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pattern keys, lengths and (document, code) groups of the stretches any coder coded.

    A sweep over the start and end of every segment: sorted by (document, code, position), the
    running sum of +1/-1 per coder says who covers the stretch up to the next position.
    """
    doc = pd.Categorical(segments["document"], categories=documents).codes.astype(np.int64)
    code = pd.Categorical(segments["code"], categories=codes).codes.astype(np.int64)
    coder = pd.Categorical(segments["coder"], categories=coders).codes.astype(np.int64)
    group = doc * len(codes) + code
    positions = np.concatenate([segments["start"].to_numpy(np.int64), segments["end"].to_numpy(np.int64)])
    groups = np.concatenate([group, group])
    step = np.zeros((len(positions), len(coders)), dtype=np.int64)
    step[np.arange(len(segments)), coder] = 1
    step[len(segments) + np.arange(len(segments)), coder] = -1
    order = np.lexsort((positions, groups))
    positions, groups, depth = positions[order], groups[order], np.cumsum(step[order], axis=0)
    length = np.zeros(len(positions), dtype=np.int64)
    same = groups[1:] == groups[:-1]
    length[:-1] = np.where(same, positions[1:] - positions[:-1], 0)
    covering = (depth > 0).any(axis=1) & (length > 0)
    keys = base[groups // max(len(codes), 1)] + ((depth > 0) * digit_weights(len(coders))).sum(axis=1)
    return keys[covering], length[covering].astype(float), groups[covering]


class PassageUnits:
    """Passages (segments of different coders lined up by overlap) and, per code, their patterns."""

    resample = "passages"

    def __init__(self, segments: pd.DataFrame, coders: list[str], codes: list[str], passage: np.ndarray,
                 overlap: float) -> None:
        n_passages = int(passage.max()) + 1 if len(passage) else 0
        documents = sorted(segments["document"].unique())
        doc_of = np.zeros(n_passages, dtype=np.int64)
        doc_index = pd.Categorical(segments["document"], categories=documents).codes
        doc_of[passage] = doc_index
        base = base_keys(segments, coders, documents)[doc_of]
        coder = pd.Categorical(segments["coder"], categories=coders).codes.astype(np.int64)
        code = pd.Categorical(segments["code"], categories=codes).codes.astype(np.int64)
        applied = pd.DataFrame({"passage": passage, "code": code, "coder": coder}).drop_duplicates()
        applied["digit"] = digit_weights(len(coders))[applied["coder"].to_numpy()]
        yes = applied.groupby(["passage", "code"], sort=True)["digit"].sum().reset_index()
        yes_keys = base[yes["passage"].to_numpy()] + yes["digit"].to_numpy()
        all_keys = np.concatenate([yes_keys, base])
        self.keys, index = np.unique(all_keys, return_inverse=True)
        self.patterns = decode(self.keys, len(coders))
        yes_index, base_index = index[:len(yes)], index[len(yes):]
        per_passage = np.zeros((n_passages, len(self.keys)))
        np.add.at(per_passage, (np.arange(n_passages), base_index), float(len(codes)))
        np.add.at(per_passage, (yes["passage"].to_numpy(), base_index[yes["passage"].to_numpy()]), -1.0)
        np.add.at(per_passage, (yes["passage"].to_numpy(), yes_index), 1.0)
        self.per_passage = per_passage
        base_counts = np.bincount(base_index, minlength=len(self.keys)).astype(float)
        self.by_code = np.tile(base_counts, (len(codes), 1))
        np.add.at(self.by_code, (yes["code"].to_numpy(), base_index[yes["passage"].to_numpy()]), -1.0)
        np.add.at(self.by_code, (yes["code"].to_numpy(), yes_index), 1.0)
        self.notes = [f"Segment units: {n_passages:,} passages from {len(segments):,} segments (segments of "
                      f"different coders are one passage when they share at least {overlap:.0%} of the longer); "
                      "intervals resample passages."]

    def code_weights(self, k: int | None) -> np.ndarray:
        """Pattern weights of one code (1 × patterns), or per passage for every code pooled."""
        return self.per_passage if k is None else self.by_code[k][None, :]

    def replicate(self, weights: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
        """Bootstrap replicates of pattern weights, resampling passages with replacement."""
        if len(weights) == 1:
            total = weights[0].sum()
            return rng.multinomial(int(round(total)), weights[0] / total, size=n).astype(float) if total else \
                np.zeros((n, weights.shape[1]))
        return resample_rows(weights, rng, n)


def resample_rows(weights: np.ndarray, rng: np.random.Generator, n: int) -> np.ndarray:
    """Pattern weights of n bootstrap samples of the rows (documents or passages), drawn with replacement."""
    rows = len(weights)
    out = np.empty((n, weights.shape[1]))
    for r in range(n):
        out[r] = np.bincount(rng.integers(0, rows, size=rows), minlength=rows) @ weights
    return out


def line_up(segments: pd.DataFrame, overlap: float) -> np.ndarray:
    """Passage number of each segment: same document, overlapping by >= overlap of the longer (transitively).

    Segments are sorted by (document, start, end); segment i is compared with i + 1, i + 2, ... only
    while they still overlap it, so the work grows with the number of overlapping pairs.
    """
    n = len(segments)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    documents = pd.Categorical(segments["document"]).codes
    order = np.lexsort((segments["end"].to_numpy(), segments["start"].to_numpy(), documents))
    doc = documents[order]
    start = segments["start"].to_numpy(np.int64)[order]
    end = segments["end"].to_numpy(np.int64)[order]
    pairs_i, pairs_j = [], []
    active, lag = np.arange(n - 1), 1
    while len(active):
        i = active[active + lag < n]
        j = i + lag
        same_span = (start[i] == start[j]) & (end[i] == end[j])
        near = (doc[j] == doc[i]) & ((start[j] < end[i]) | same_span)
        i, j, same_span = i[near], j[near], same_span[near]
        shared = np.minimum(end[i], end[j]) - start[j]
        longer = np.maximum(end[i] - start[i], end[j] - start[j])
        match = ((shared > 0) & (shared >= overlap * longer)) | same_span
        pairs_i.append(i[match])
        pairs_j.append(j[match])
        active, lag = i, lag + 1
    rows = np.concatenate(pairs_i) if pairs_i else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(pairs_j) if pairs_j else np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    passage = np.empty(n, dtype=np.int64)
    passage[order] = relabel(label)
    return passage


def relabel(labels: np.ndarray) -> np.ndarray:
    """Component labels renumbered in order of first appearance (stable passage numbers)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]


# ----------------------------------------------------------------------------- the table

def agreement_table(units, coders: list[str], codes: list[str], rng: np.random.Generator,
                    replicates: int) -> pd.DataFrame:
    """One row per code and the overall row, with bootstrap intervals."""
    rows = [code_row(units, k, code, coders, rng, replicates) for k, code in enumerate(codes)]
    rows.append(code_row(units, None, OVERALL, coders, rng, replicates))
    table = pd.DataFrame(rows, columns=TABLE_COLUMNS)
    return table.astype({"units": "int64", "units with the code": "int64"})


def code_row(units, k: int | None, code: str, coders: list[str], rng: np.random.Generator,
             replicates: int) -> dict:
    """The coefficients of one code (or all pooled) and their intervals."""
    weights = units.code_weights(k)
    total = weights.sum(axis=0)
    patterns = units.patterns
    two = len(coders) == 2
    alpha = float(nominal_alpha(patterns, total))
    kappa = cohen_kappa(kappa_tables(patterns, total)) if two else np.nan
    row = {"code": code, "coders": ", ".join(coders), "units": pairable_units(patterns, total),
           "units with the code": float(total @ (patterns == 1).any(axis=1)),
           "percent agreement": float(percent_agreement(patterns, total)),
           "percent agreement where coded": float(percent_agreement(patterns, total, coded_only=True)),
           "kappa": kappa, "alpha": alpha}
    low = high = (np.nan, np.nan)
    if replicates:
        draws = units.replicate(weights, rng, replicates)
        low = interval(nominal_alpha(patterns, draws))
        high = interval(kappa_from_tables(kappa_tables(patterns, draws))) if two else (np.nan, np.nan)
    row.update({"alpha low": low[0], "alpha high": low[1], "kappa low": high[0], "kappa high": high[1],
                "band": band(alpha)})
    return row


def band(alpha: float) -> str:
    """Krippendorff's (2004, p. 241) reading of an alpha: reliable, tentative or do not rely."""
    if not np.isfinite(alpha):
        return "undefined (no variation)"
    return next(label for bar, label in BANDS if alpha >= bar)


# ----------------------------------------------------------------------------- where they differ

def differing_passages(passage: np.ndarray, segments: pd.DataFrame, coders: list[str]) -> pd.DataFrame:
    """Per code, each passage where the coders differ: its place and each coder's coded text side by side."""
    digits = {c: 1 << i for i, c in enumerate(coders)}
    frame = segments.assign(passage=passage, bit=segments["coder"].map(digits).astype("int64"))
    present = frame.drop_duplicates(["document", "coder"]).groupby("document")["bit"].sum()
    applied = frame.drop_duplicates(["code", "passage", "coder"]).groupby(["code", "passage"], sort=True).agg(
        bits=("bit", "sum"), document=("document", "first"), start=("start", "min"), end=("end", "max"))
    applied["present"] = applied["document"].map(present).to_numpy()
    pairable = applied["present"].map(lambda b: bin(int(b)).count("1") >= 2)
    differ = applied[pairable & (applied["bits"] != applied["present"])]
    columns = ["code", "document", "start", "end", *coders]
    if differ.empty:
        return pd.DataFrame(columns=columns)
    keys = frame.set_index(["code", "passage"]).index
    shown = frame[keys.isin(differ.index)]
    texts = shown.groupby(["code", "passage", "coder"], sort=True)["text"].agg(lambda t: " … ".join(map(str, t)))
    sides = texts.unstack("coder").reindex(index=differ.index, columns=coders)
    for c in coders:
        coded_it = (differ["present"].to_numpy() & digits[c]) > 0
        sides[c] = sides[c].where(sides[c].notna(), np.where(coded_it, "(not coded)",
                                                             "(did not code this document)"))
    out = pd.concat([differ[["document", "start", "end"]], sides], axis=1).reset_index()
    return out[columns]


# ----------------------------------------------------------------------------- display values

def overall_frame(result: Agreement) -> pd.DataFrame:
    """The overall row as measure -> value sentences: coders, units, percent agreement, kappa, alpha, reading."""
    row = result.overall
    values = {"coders": row["coders"], "units": f"{row['units']:,.0f} ({result.unit}s)",
              "percent agreement": f"{row['percent agreement']:.1f} % of all units; "
                                   f"{row['percent agreement where coded']:.1f} % of those any coder coded",
              "Cohen's kappa": estimate(row, "kappa"), "Krippendorff's alpha": estimate(row, "alpha"),
              "reading (Krippendorff 2004)": row["band"]}
    return pd.DataFrame({"value": list(values.values())}, index=pd.Index(list(values), name="measure"))


def estimate(row: pd.Series, name: str) -> str:
    """'0.812 (95 % CI 0.740 to 0.870)', or 'not defined' when the coefficient is missing."""
    value = row[name]
    if not np.isfinite(value):
        return "not defined (two coders only, or no variation)" if name == "kappa" else "not defined (no variation)"
    low, high = row[f"{name} low"], row[f"{name} high"]
    interval = f" (95 % CI {low:.3f} to {high:.3f})" if np.isfinite(low) else ""
    return f"{value:.3f}{interval}"


def band_table(result: Agreement) -> pd.DataFrame:
    """The per-code table as printed: weakest alpha first, counts whole, coefficients to 3 places."""
    rows = result.by_code().drop(columns=["coders"])
    shown = rows[["code"]].copy()
    for column in rows.columns[1:]:
        values = rows[column]
        if column == "band":
            shown[column] = values
        elif column in ("units", "units with the code"):
            shown[column] = values.map(lambda v: f"{v:,.0f}")
        else:
            digits = 1 if column.startswith("percent agreement") else 3
            shown[column] = values.map(lambda v, d=digits: f"{v:.{d}f}" if np.isfinite(v) else "—")
    return shown
