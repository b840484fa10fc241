"""Cross-study comparison (`icevidence.compare`) through the crosswalk: sites by shared concept, side by side."""
from __future__ import annotations

import pandas as pd

from . import config
from .crosswalk import MAPPED, concepts_of_segments, read_concepts, read_crosswalk, reuse_consistency
from .errors import ConfigError
from .matrix import UNKNOWN, as_study, speaker_keys
from .present.tables import write_csv, write_workbook
from .study import Study, read_table
from .suppression import suppression_mask

UNITS = ["references", "participants"]
BY = ["site", "study"]
EVIDENCE_COLUMNS = ["study", "site", "concept_id", "segment_id", "speaker", "text", "attribution_raw", "location",
                    "code_id", "also_printed_as"]


def concept_evidence(studies: list[Study], crosswalk: pd.DataFrame | None = None,
                     concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (quote, concept) across the studies, with site, study and speaker; reprints counted once."""
    crosswalk = read_crosswalk(studies, concepts=concepts) if crosswalk is None else crosswalk
    frames = []
    for study in studies:
        resolved = concepts_of_segments(study, crosswalk)
        mapped = resolved[resolved["decision"] == MAPPED]
        segments = study.segments.assign(speaker=speaker_keys(study.segments))
        frames.append(segments.iloc[mapped.index.to_numpy()].assign(concept_id=mapped["concept_id"].to_numpy()))
    joined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EVIDENCE_COLUMNS)
    joined["site"] = joined["site"].astype("object").fillna(UNKNOWN)
    joined = drop_reprints(joined, reprints(studies, crosswalk))
    return joined[EVIDENCE_COLUMNS].reset_index(drop=True)


def reprints(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Quotes printed again in a later study (the review's 'same quote' pairs): the later printing, and the first."""
    if len(studies) < 2:
        return pd.DataFrame(columns=["study", "segment_id", "first_printed"])
    pairs = reuse_consistency(studies, crosswalk, within=False)
    order = {s.id: i for i, s in enumerate(studies)}
    same = pairs[(pairs["relation"] == "same quote") & (pairs["study_a"] != pairs["study_b"])]
    rows = []
    for pair in same.itertuples(index=False):
        first, later = ((pair.study_a, pair.segments_a), (pair.study_b, pair.segments_b))
        if order[first[0]] > order[later[0]]:
            first, later = later, first
        rows += [{"study": later[0], "segment_id": s.strip(), "first_printed": f"{first[0]} {first[1]}"}
                 for s in str(later[1]).split(";")]
    return pd.DataFrame(rows, columns=["study", "segment_id", "first_printed"])


def drop_reprints(rows: pd.DataFrame, reprinted: pd.DataFrame) -> pd.DataFrame:
    """Count a quote printed in two papers once, at its first printing, when both printings share a site."""
    rows = rows.copy()
    rows["also_printed_as"] = None
    if reprinted.empty or rows.empty:
        return rows
    site_of = dict(zip(zip(rows["study"], rows["segment_id"]), rows["site"]))
    drop = set()
    for r in reprinted.itertuples(index=False):
        first_study, first_segment = r.first_printed.split(" ", 1)
        if site_of.get((r.study, r.segment_id)) == site_of.get((first_study, first_segment)) is not None:
            drop.add((r.study, r.segment_id))
            rows.loc[(rows["study"] == first_study) & (rows["segment_id"] == first_segment),
                     "also_printed_as"] = f"{r.study} {r.segment_id}"
    keep = [(s, q) not in drop for s, q in zip(rows["study"], rows["segment_id"])]
    return rows[keep]


def compare(studies: list[Study | str], unit: str = "participants", by: str = "site",
            crosswalk: pd.DataFrame | None = None, concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Site (or study) × concept matrix of references or distinct participants."""
    if unit not in UNITS:
        raise ConfigError("compare", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
    if by not in BY:
        raise ConfigError("compare", "by", f"unknown grouping {by!r}", remedy=f"use one of {BY}.")
    loaded = [as_study(s) for s in studies]
    concepts = read_concepts() if concepts is None else concepts
    rows = concept_evidence(loaded, crosswalk, concepts)
    if unit == "participants":  # a speaker is one person within one study
        rows = rows.drop_duplicates([by, "concept_id", "study", "speaker"])
    counts = rows.groupby([by, "concept_id"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=row_order(loaded, by, rows), columns=concepts["concept_id"], fill_value=0)
    counts.columns = concepts.set_index("concept_id").loc[counts.columns, "name"].to_numpy()
    counts.index.name, counts.columns.name = by, "concept"
    return counts.astype(int)


def hidden_cells(counts: pd.DataFrame, min_cell: int = 0) -> pd.DataFrame:
    """Which counts to hide: below min_cell, plus complements (the one place this report calls suppression)."""
    return suppression_mask(counts, min_cell)


def suppressed(counts: pd.DataFrame, min_cell: int = 0) -> pd.DataFrame:
    """Counts for display, hidden cells shown as '<min_cell'."""
    return counts.astype(object).mask(hidden_cells(counts, min_cell), f"<{min_cell}")


def pattern_sensitivity(references: pd.DataFrame, participants: pd.DataFrame, counts: bool = True) -> pd.DataFrame:
    """Per concept: do the sites rank the same when counted by participants as by references? ('unknown' is no site)

    With counts=False the orderings name the sites only (for reports whose small counts are suppressed).
    """
    references = references.drop(index=UNKNOWN, errors="ignore")
    participants = participants.drop(index=UNKNOWN, errors="ignore")
    rows = []
    for concept in references.columns:
        by_refs, by_people = references[concept], participants[concept]
        rows.append({"concept": concept, "pattern": pattern_verdict(by_refs, by_people),
                     "by references": ranking(by_refs, counts), "by participants": ranking(by_people, counts)})
    return pd.DataFrame(rows)


SAME_ORDER, SAME_LEAD, NEW_LEAD = ("holds: same order of sites", "holds for the leading site; the order below it differs",
                                  "changes: a different site leads")


def pattern_verdict(by_references: pd.Series, by_participants: pd.Series) -> str:
    """Same ranking of sites (ties included), same leading site(s) only, or a different leader."""
    same_order = (by_references.rank(method="min", ascending=False)
                  == by_participants.rank(method="min", ascending=False)).all()
    if same_order:
        return SAME_ORDER
    lead = [set(s.index[s == s.max()]) if s.max() > 0 else set() for s in (by_references, by_participants)]
    return SAME_LEAD if lead[0] == lead[1] else NEW_LEAD


def ranking(counts: pd.Series, show: bool = True) -> str:
    """'a 12 > b 5 = c 5 > d 0': sites ordered by count, ties shown as '=' (counts left out unless show)."""
    ordered = counts.sort_values(ascending=False, kind="stable")
    parts, previous = [], None
    for site, n in ordered.items():
        if parts:
            parts.append("=" if n == previous else ">")
        parts.append(f"{site} {n}" if show else str(site))
        previous = n
    return " ".join(parts)


def row_order(studies: list[Study], by: str, rows: pd.DataFrame) -> list[str]:
    """Sites in the order the studies declare them (unknown last), or study ids as given."""
    if by == "study":
        return [s.id for s in studies]
    declared = [site_name(site) for s in studies for site in (s.meta.get("sites") or [])]
    present = list(dict.fromkeys(rows["site"]))
    ordered = [s for s in dict.fromkeys(declared) if s in present]
    return ordered + [s for s in present if s not in ordered and s != UNKNOWN] + ([UNKNOWN] if UNKNOWN in present else [])


def site_name(site: object) -> str:
    """A site's name whether study.yml lists it as a string or as a mapping with an id."""
    return str(site.get("id") or site.get("name")) if isinstance(site, dict) else str(site)


def concept_similarity(matrix: pd.DataFrame) -> pd.DataFrame:
    """Jaccard similarity of rows' concept sets: |shared concepts| / |concepts either has|; 'unknown' is no site."""
    matrix = matrix.drop(index=UNKNOWN, errors="ignore")
    present = matrix.gt(0)
    names = list(matrix.index)
    out = pd.DataFrame(index=names, columns=names, dtype=float)
    for a in names:
        for b in names:
            union = (present.loc[a] | present.loc[b]).sum()
            out.at[a, b] = (present.loc[a] & present.loc[b]).sum() / union if union else float("nan")
    out.index.name = out.columns.name = matrix.index.name
    return out.round(2)


def quotes_side_by_side(studies: list[Study | str], crosswalk: pd.DataFrame | None = None,
                        concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every quote under each concept, by site, for reading across sites."""
    loaded = [as_study(s) for s in studies]
    concepts = read_concepts() if concepts is None else concepts
    rows = concept_evidence(loaded, crosswalk, concepts)
    names = concepts.set_index("concept_id")["name"]
    rows["concept"] = pd.Categorical(rows["concept_id"].map(names), categories=list(names), ordered=True)
    rows["site"] = pd.Categorical(rows["site"], categories=row_order(loaded, "site", rows), ordered=True)
    return rows.sort_values(["concept", "site", "study", "segment_id"])[
        ["concept", "site", "study", "segment_id", "text", "attribution_raw", "location", "also_printed_as"]
    ].reset_index(drop=True)


def sample_side_by_side(studies: list[Study | str]) -> pd.DataFrame:
    """Each study's n and its composition by tier, level, locality and sector."""
    rows = []
    for study in (as_study(s) for s in studies):
        people = study.participants
        row = {"study": study.id, "n": len(people), "sites": ", ".join(map(str, people["site"].dropna().unique()))}
        for column in ("tier", "level", "locality", "sector"):
            counts = people[column].astype("object").fillna("not stated").value_counts(sort=False)
            row[column] = "; ".join(f"{k} {v}" for k, v in counts.items()) if people[column].notna().any() else "not reported"
        rows.append(row)
    return pd.DataFrame(rows).set_index("study")


def integration_models(study_ids: list[str]) -> pd.DataFrame:
    """The integration model of each site (what is integrated, and how far), from every study folder."""
    frames = []
    for study_id in study_ids:
        path = config.study_dir(study_id) / "integration_model.csv"
        if path.is_file():
            frames.append(read_table(path).assign(study=study_id))
    if not frames:
        return pd.DataFrame(columns=["site", "category", "component", "integration", "in_network", "study", "source"])
    return pd.concat(frames, ignore_index=True)


def write_comparison_tables(studies: list[Study], crosswalk: pd.DataFrame, report_id: str,
                            extra: dict[str, pd.DataFrame] | None = None, min_cell: int = 0) -> list:
    """Write the comparison matrices (suppressed below min_cell), similarity, quotes and crosswalk checks."""
    from .crosswalk import coverage, left_out, unmapped_codes
    folder = config.TABLES / report_id
    counts = {f"{by}-{unit}": compare(studies, unit=unit, by=by, crosswalk=crosswalk) for by in BY for unit in UNITS}
    sheets = {name: suppressed(table, min_cell) for name, table in counts.items()}
    sheets["similarity"] = concept_similarity(counts["site-participants"])
    sheets["quotes"] = quotes_side_by_side(studies, crosswalk)
    sheets["coverage"] = coverage(studies, crosswalk)
    sheets["left-out"] = left_out(studies, crosswalk)
    sheets["unmapped-codes"] = unmapped_codes(studies, crosswalk)
    sheets["samples"] = sample_side_by_side(studies)
    sheets.update(extra or {})
    indexed = {name for name in sheets
               if name.startswith(("site-", "study-")) or name in {"similarity", "coverage", "samples"}}
    paths = [write_csv(t, folder / f"{name}.csv", index=name in indexed) for name, t in sheets.items()]
    paths.append(write_workbook(sheets, folder / f"{report_id}.xlsx"))
    return paths
