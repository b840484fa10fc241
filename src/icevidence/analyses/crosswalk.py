"""The editable crosswalk from each study's codes and quotes to shared cross-study concepts.

Two files share one schema: `data/crosswalk.csv` maps codes (the defaults) and
`data/crosswalk/coding_reconciled.csv` maps single quotes (segments). A row either maps to a
concept or records a deliberate exclusion with its reason. `data/crosswalk/grain.csv` declares
per study whether its quotes are mapped one by one (`segment`) or through their code (`code`).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..model import config
from ..model.errors import FAILURE_COLUMNS
from ..model.schema import collect_failures, raise_if_failures
from ..model.study import Study, read_table
from .identity_cache import remember_recent

CONCEPTS_FILE = "concepts.csv"
MAPPED, EXCLUDED, UNMAPPED = "mapped", "excluded", "unmapped"
DECISIONS = [MAPPED, EXCLUDED]
GRAINS = ["code", "segment"]
COLUMNS = ["study", "code_id", "segment_id", "concept_id", "decision", "rationale"]
RESOLVED = ["study", "segment_id", "code_id", "concept_id", "decision", "source", "rationale"]


def read_concepts(path: Path | None = None) -> pd.DataFrame:
    """The shared concepts, in display order."""
    table = read_table(path or config.DATA / CONCEPTS_FILE)
    raise_if_failures([collect_failures(concepts_schema(), table, _name(path, CONCEPTS_FILE))])
    return table


def concepts_schema() -> pa.DataFrameSchema:
    """Schema of concepts.csv: an id, a name, a definition and what the concept includes and excludes."""
    return pa.DataFrameSchema({
        "concept_id": pa.Column("string", unique=True, nullable=False),
        "name": pa.Column("string", nullable=False),
        "description": pa.Column("string", nullable=True, required=False),
        "include": pa.Column("string", nullable=True, required=False),
        "exclude": pa.Column("string", nullable=True, required=False),
    })


def crosswalk_schema(concept_ids: list[str]) -> pa.DataFrameSchema:
    """One schema for code rows and quote rows: a known concept when mapped, none when excluded, a reason."""
    return pa.DataFrameSchema({
        "study": pa.Column("string", nullable=False),
        "code_id": pa.Column("string", nullable=False),
        "segment_id": pa.Column("string", nullable=True),
        "concept_id": pa.Column("string", pa.Check.isin(concept_ids), nullable=True),
        "decision": pa.Column("string", pa.Check.isin(DECISIONS), nullable=False),
        "rationale": pa.Column("string", pa.Check.str_length(min_value=3), nullable=False),
    }, checks=[
        pa.Check(lambda df: df["concept_id"].notna() == (df["decision"] == MAPPED), element_wise=False,
                 name="a mapped row names a concept and an excluded row names none"),
    ], unique=["study", "code_id", "segment_id", "concept_id"])


def grain_schema() -> pa.DataFrameSchema:
    """Schema of grain.csv: each study's grain (code or segment) with the reason."""
    return pa.DataFrameSchema({
        "study": pa.Column("string", unique=True, nullable=False),
        "grain": pa.Column("string", pa.Check.isin(GRAINS), nullable=False),
        "rationale": pa.Column("string", pa.Check.str_length(min_value=3), nullable=False),
    })


def read_grain(path: Path | None = None) -> pd.DataFrame:
    """The declared grain of each study's mapping."""
    path = path or config.CROSSWALK_GRAIN
    table = read_table(path)
    raise_if_failures([collect_failures(grain_schema(), table, _name(path, "crosswalk/grain.csv"))])
    return table


def read_crosswalk(studies: list[Study], path: Path | None = None, concepts: pd.DataFrame | None = None,
                   segment_path: Path | None = None) -> pd.DataFrame:
    """Read code and quote mappings, validated with one schema against the concepts and the studies.

    Without `path`, the project's code-level crosswalk and its reconciled quote-level coding are
    read; with `path`, only the quote-level file given as `segment_path` (if any) is added.
    """
    if path is None:
        path, segment_path = config.CROSSWALK, segment_path or config.CROSSWALK_SEGMENTS
    concepts = read_concepts() if concepts is None else concepts
    schema = crosswalk_schema(concepts["concept_id"].tolist())
    files = [(path, _name(path, "crosswalk.csv"))]
    if segment_path is not None:
        files.append((segment_path, _name(segment_path, "crosswalk/coding_reconciled.csv")))
    tables, failures = [], []
    for file, name in files:
        table = with_crosswalk_columns(read_table(file))
        failures += [collect_failures(schema, table, name), unknown_codes(table, studies, name),
                     unknown_segments(table, studies, name)]
        tables.append(table)
    combined = pd.concat(tables, ignore_index=True)
    failures.append(concepts_without_evidence(combined, concepts, " and ".join(n for _, n in files)))
    raise_if_failures(failures)
    return combined


def with_crosswalk_columns(table: pd.DataFrame) -> pd.DataFrame:
    """Older crosswalks lack segment_id and decision: every row then maps a code."""
    table = table.copy()
    if "segment_id" not in table:
        table["segment_id"] = pd.Series(pd.NA, index=table.index, dtype="string")
    if "decision" not in table:
        table["decision"] = pd.Series(MAPPED, index=table.index, dtype="string")
    return table[COLUMNS + [c for c in table.columns if c not in COLUMNS]]


def unknown_codes(table: pd.DataFrame, studies: list[Study], file: str) -> pd.DataFrame:
    """Rows mapping a code the named (loaded) study does not have."""
    known = {s.id: set(s.codes["code_id"]) for s in studies}
    rows = [{"file": file, "row": i + 2, "column": "code_id", "value": code,
             "problem": f"study {study!r} has no such code"}
            for i, (study, code) in enumerate(zip(table["study"], table["code_id"]))
            if study in known and code not in known[study]]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def unknown_segments(table: pd.DataFrame, studies: list[Study], file: str) -> pd.DataFrame:
    """Quote rows naming a segment the study lacks, or a code the segment is not coded to."""
    known = {s.id: dict(zip(s.segments["segment_id"], s.segments["code_id"])) for s in studies}
    rows = []
    for i, (study, code, segment) in enumerate(zip(table["study"], table["code_id"], table["segment_id"])):
        if study not in known or pd.isna(segment):
            continue
        if segment not in known[study]:
            rows.append({"file": file, "row": i + 2, "column": "segment_id", "value": segment,
                         "problem": f"study {study!r} has no such segment"})
        elif known[study][segment] != code:
            rows.append({"file": file, "row": i + 2, "column": "code_id", "value": code,
                         "problem": f"segment {segment!r} is coded {known[study][segment]!r}, not this code"})
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def concepts_without_evidence(table: pd.DataFrame, concepts: pd.DataFrame, file: str) -> pd.DataFrame:
    """Concepts no code or quote maps to: a concept with nothing mapped is an error, not an empty column."""
    used = set(table.loc[table["decision"] == MAPPED, "concept_id"])
    rows = [{"file": file, "row": None, "column": "concept_id", "value": c,
             "problem": "concept has no codes mapped to it; map a code or remove it from concepts.csv"}
            for c in concepts["concept_id"] if c not in used]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def code_rows(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The code-level rows (the defaults), in the full column set."""
    crosswalk = with_crosswalk_columns(crosswalk)
    return crosswalk[crosswalk["segment_id"].isna()]


def segment_rows(crosswalk: pd.DataFrame) -> pd.DataFrame:
    """The quote-level rows, in the full column set."""
    crosswalk = with_crosswalk_columns(crosswalk)
    return crosswalk[crosswalk["segment_id"].notna()]


def concept_of_codes(study: Study, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Each code's concepts: its own mappings, else those of its nearest mapped ancestor; exclusions kept."""
    from ..model.codes import ancestors
    rows_of = code_rows(crosswalk)
    rows_of = rows_of[rows_of["study"] == study.id]
    own: dict[str, list[tuple]] = {}
    for code, concept, decision, rationale in zip(rows_of["code_id"], rows_of["concept_id"], rows_of["decision"],
                                                  rows_of["rationale"]):
        own.setdefault(code, []).append((concept if decision == MAPPED else None, decision, rationale))
    rows = []
    for code, chain in ancestors(study.codes).items():
        nearest = next((c for c in reversed(chain) if c in own), None)
        rows += [(code, *mapping) for mapping in own.get(nearest, [])]
    table = pd.DataFrame(rows, columns=["code_id", "concept_id", "decision", "rationale"])
    mapped = table[table["decision"] == MAPPED]
    return pd.concat([mapped, table[(table["decision"] != MAPPED) & ~table["code_id"].isin(mapped["code_id"])]],
                     ignore_index=True)


def concepts_of_segments(study: Study, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Each quote's concepts: its own quote rows, else its code's; excluded and unmapped quotes kept as such.

    The index is the quote's position in study.segments (repeated for a quote with several concepts).
    """
    quotes = segment_rows(crosswalk)
    own = quotes.loc[quotes["study"] == study.id, ["segment_id", "concept_id", "decision", "rationale"]]
    segments = study.segments[["segment_id", "code_id"]].assign(order=range(len(study.segments)))
    has_own = segments["segment_id"].isin(own["segment_id"])
    by_quote = segments[has_own].merge(own, on="segment_id").assign(source="segment")
    by_code = segments[~has_own].merge(concept_of_codes(study, crosswalk), on="code_id", how="left")
    missing = by_code["decision"].isna()
    by_code["source"] = pd.Series("code", index=by_code.index, dtype="object").mask(missing, None)
    by_code["decision"] = by_code["decision"].astype("object").mask(missing, UNMAPPED)
    by_code["rationale"] = by_code["rationale"].astype("object").mask(
        missing, "neither the quote nor its code is in the crosswalk")
    table = pd.concat([by_quote, by_code], ignore_index=True).sort_values("order", kind="stable")
    table.index = pd.Index(table["order"].to_numpy(), name="position")  # the quote's row in study.segments
    return table.assign(study=study.id)[RESOLVED]


def resolve(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Every quote of the studies with its concepts (one row each) or its exclusion or lack of mapping."""
    frames = [concepts_of_segments(study, crosswalk) for study in studies]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=RESOLVED)


def coverage(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Per study: quotes mapped, deliberately excluded and unmapped, and the unmapped share."""
    resolved = resolve(studies, crosswalk).drop_duplicates(["study", "segment_id"])
    counts = resolved.groupby(["study", "decision"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=[s.id for s in studies], columns=[MAPPED, EXCLUDED, UNMAPPED], fill_value=0)
    counts.insert(0, "quotes", counts.sum(axis=1))
    counts["unmapped share"] = (counts[UNMAPPED] / counts["quotes"].where(counts["quotes"] > 0)).round(3)
    counts.columns.name = None
    return counts


def left_out(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Quotes that count for no concept, each with the reason (exclusion rationale or 'unmapped')."""
    resolved = resolve(studies, crosswalk)
    out = resolved[resolved["decision"] != MAPPED].drop_duplicates(["study", "segment_id"])
    return out[["study", "segment_id", "code_id", "decision", "rationale"]].reset_index(drop=True)


def unmapped_codes(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Codes neither mapped nor excluded, themselves or through an ancestor: listed, not hidden."""
    rows = []
    for study in studies:
        decided = concept_of_codes(study, crosswalk)
        missing = study.codes[~study.codes["code_id"].isin(decided["code_id"])]
        rows.append(missing.assign(study=study.id)[["study", "code_id", "path", "level"]])
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["study", "code_id", "path", "level"])


def excluded_codes(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Codes deliberately left out of the comparison, with the reason."""
    rows = code_rows(crosswalk)
    known = {s.id for s in studies}
    out = rows[(rows["decision"] == EXCLUDED) & rows["study"].isin(known)]
    return out[["study", "code_id", "rationale"]].reset_index(drop=True)


def grain_problems(studies: list[Study], crosswalk: pd.DataFrame, grain: pd.DataFrame) -> pd.DataFrame:
    """Studies without a declared grain, and quotes of segment-grain studies without a quote row."""
    declared = dict(zip(grain["study"], grain["grain"]))
    mapped = segment_rows(crosswalk)
    rows = []
    for study in studies:
        if study.id not in declared:
            rows.append({"file": "data/crosswalk/grain.csv", "row": None, "column": "study", "value": study.id,
                         "problem": "no grain declared for this study"})
        elif declared[study.id] == "segment":
            have = set(mapped.loc[mapped["study"] == study.id, "segment_id"])
            rows += [{"file": "data/crosswalk/coding_reconciled.csv", "row": None, "column": "segment_id",
                      "value": f"{study.id} {s}", "problem": "the study's grain is segment but this quote has no row"}
                     for s in study.segments["segment_id"] if s not in have]
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def concepts_by_study(studies: list[Study], crosswalk: pd.DataFrame, concepts: pd.DataFrame) -> pd.DataFrame:
    """Per concept, the studies with evidence for it and how many; one-study concepts flagged."""
    resolved = resolve(studies, crosswalk)
    mapped = resolved[resolved["decision"] == MAPPED]
    rows = []
    for concept, name in zip(concepts["concept_id"], concepts["name"]):
        having = [s.id for s in studies if ((mapped["study"] == s.id) & (mapped["concept_id"] == concept)).any()]
        rows.append({"concept_id": concept, "concept": name, "studies": "; ".join(having), "n studies": len(having),
                     "one study only": len(having) == 1})
    return pd.DataFrame(rows)


def concepts_of_quotes(studies: list[Study], crosswalk: pd.DataFrame) -> dict[tuple[str, str], frozenset[str]]:
    """(study, segment_id) -> the set of concepts the quote is mapped to."""
    resolved = resolve(studies, crosswalk)
    mapped = resolved[resolved["decision"] == MAPPED]
    sets = mapped.groupby(["study", "segment_id"])["concept_id"].agg(frozenset).to_dict()
    return {(s, q): sets.get((s, q), frozenset()) for s, q in zip(resolved["study"], resolved["segment_id"])}


def reuse_consistency(studies: list[Study], crosswalk: pd.DataFrame, within: bool = True) -> pd.DataFrame:
    """Every quote printed twice (the review's reuse pairs), with both concept sets and whether they agree.

    Two printings agree when their full concept sets are equal: a quote counted once across papers
    must carry one set of concepts, so a concept only one printing carries (even one its extra words
    bring) is a disagreement to resolve in the crosswalk. within=False walks pairs across studies only.
    """
    sets = concepts_of_quotes(studies, crosswalk)
    pairs = reuse_pairs(studies)
    if not within and len(pairs):
        pairs = pairs[pairs["study_a"] != pairs["study_b"]]
    rows = []
    for pair in pairs.to_dict("records"):
        a = _quote_concepts(sets, pair["study_a"], pair["segment_ids_a"])
        b = _quote_concepts(sets, pair["study_b"], pair["segment_ids_b"])
        rows.append({"study_a": pair["study_a"], "segments_a": pair["segment_ids_a"], "study_b": pair["study_b"],
                     "segments_b": pair["segment_ids_b"], "relation": pair["relation"],
                     "concepts_a": "; ".join(sorted(a)), "concepts_b": "; ".join(sorted(b)), "consistent": a == b})
    return pd.DataFrame(rows, columns=["study_a", "segments_a", "study_b", "segments_b", "relation",
                                       "concepts_a", "concepts_b", "consistent"])


@remember_recent()
def reuse_pairs(studies: list[Study]) -> pd.DataFrame:
    """The review's reuse pairs among the studies' printed quotes, within and across studies, made once
    for the same study objects (the comparison needs them for reprints and for consistency)."""
    from .evidence.pairs import quotes_for_reuse, reused_pairs_among
    return reused_pairs_among([quotes_for_reuse(s) for s in studies], within=True)


def _quote_concepts(sets: dict, study: str, segment_ids: str) -> frozenset[str]:
    return frozenset().union(*(sets.get((study, s.strip()), frozenset()) for s in str(segment_ids).split(";")))


def _name(path: Path | None, default: str) -> str:
    from ..model.provenance import relative
    return relative(path) if path else f"data/{default}"
