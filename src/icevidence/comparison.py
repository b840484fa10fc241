"""Cross-study comparison (`icevidence.compare`) through the crosswalk: sites by shared concept, side by side."""
from __future__ import annotations

import pandas as pd

from . import config
from .crosswalk import MAPPED, concepts_of_segments, read_concepts, read_crosswalk, reuse_consistency
from .errors import ConfigError
from .identity_cache import remember_recent
from .matrix import UNKNOWN, as_study, speaker_keys
from .present.tables import write_csv, write_workbook
from .study import Study, read_table
from .suppression import apply_mask, hidden_label, suppression_mask

UNITS = ["references", "participants"]
BY = ["site", "study"]
EVIDENCE_COLUMNS = ["study", "site", "concept_id", "segment_id", "speaker", "text", "attribution_raw", "location",
                    "code_id", "also_printed_as"]


def concept_evidence(studies: list[Study], crosswalk: pd.DataFrame | None = None,
                     concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (quote, concept) across the studies, with site, study and speaker; reprints counted once.

    A report asks for it once per table (up to ten times); for the same study and crosswalk objects
    the rows are made once, since finding reprints reads every quote of every study.
    """
    crosswalk = read_crosswalk(studies, concepts=concepts) if crosswalk is None else crosswalk
    return gather_concept_evidence(studies, crosswalk)


@remember_recent()
def gather_concept_evidence(studies: list[Study], crosswalk: pd.DataFrame) -> pd.DataFrame:
    """concept_evidence, made afresh."""
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


def hidden_cells(counts: pd.DataFrame, min_cell: int = 0, force: pd.DataFrame | None = None) -> pd.DataFrame:
    """Which counts to hide: below min_cell, forced cells, plus complements (icevidence.suppression)."""
    return suppression_mask(counts, min_cell, force=force)


def suppressed(counts: pd.DataFrame, min_cell: int = 0, mask: pd.DataFrame | None = None) -> pd.DataFrame:
    """Counts for display, hidden cells (the given mask, else this table's own) shown as '<min_cell'."""
    return apply_mask(counts, hidden_cells(counts, min_cell) if mask is None else mask, min_cell)


def comparison_counts(studies: list[Study], crosswalk: pd.DataFrame | None = None,
                      concepts: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """The four matrices a comparison report shows, named '<by>-<unit>' (site or study; references or participants)."""
    return {f"{by}-{unit}": compare(studies, unit=unit, by=by, crosswalk=crosswalk, concepts=concepts)
            for by in BY for unit in UNITS}


def comparison_masks(studies: list[Study], counts: dict[str, pd.DataFrame], min_cell: int,
                     crosswalk: pd.DataFrame | None = None, concepts: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
    """Hidden cells of the site and study matrices, decided together so neither table recovers the other's.

    A study's count for a concept is the sum of its sites' counts (and a site's the sum of its
    studies'), so a cell hidden in one table hides the cells of the other it adds up with, until
    nothing changes; each table then keeps its complementary suppression.
    """
    masks = {name: hidden_cells(table, min_cell) for name, table in counts.items()}
    if min_cell <= 1 or not any(m.to_numpy().any() for m in masks.values()):
        return masks
    links = site_study_links(studies, crosswalk, concepts)
    for unit in UNITS:
        site, study = f"site-{unit}", f"study-{unit}"
        changed = True
        while changed:
            forced_study = linked_cells(masks[site], masks[study], links, "site", "study")
            forced_site = linked_cells(masks[study], masks[site], links, "study", "site")
            new_study = hidden_cells(counts[study], min_cell, force=masks[study] | forced_study)
            new_site = hidden_cells(counts[site], min_cell, force=masks[site] | forced_site)
            changed = not (new_study.equals(masks[study]) and new_site.equals(masks[site]))
            masks[study], masks[site] = new_study, new_site
    return masks


def site_study_links(studies: list[Study], crosswalk: pd.DataFrame | None = None,
                     concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """(site, study, concept) triples with evidence: which cells of the two matrices add up together."""
    concepts = read_concepts() if concepts is None else concepts
    rows = concept_evidence(studies, crosswalk, concepts)
    names = concepts.set_index("concept_id")["name"]
    return (rows.assign(concept=rows["concept_id"].map(names))[["site", "study", "concept"]]
            .drop_duplicates().reset_index(drop=True))


def linked_cells(hidden: pd.DataFrame, other: pd.DataFrame, links: pd.DataFrame, by: str, other_by: str) -> pd.DataFrame:
    """Cells of `other` (rows: other_by) that add up with a hidden cell of `hidden` (rows: by) for one concept."""
    forced = pd.DataFrame(False, index=other.index, columns=other.columns)
    for link in links.itertuples(index=False):
        row, concept, target = getattr(link, by), link.concept, getattr(link, other_by)
        if (row in hidden.index and concept in hidden.columns and hidden.at[row, concept]
                and target in forced.index and concept in forced.columns):
            forced.at[target, concept] = True
    return forced


def shown_quotes(quotes: pd.DataFrame, masks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The quotes of cells shown in every matrix, each cell's quotes listed all or none.

    A quote is left out when its (concept, site) or (concept, study) cell is hidden in either unit;
    a cell that loses one quote loses them all, so counting the listed quotes recovers no hidden count.
    """
    hidden = {(name.split("-")[0], str(row), str(concept)) for name, mask in masks.items()
              for row in mask.index for concept in mask.columns if mask.at[row, concept]}
    if not hidden or quotes.empty:
        return quotes
    cells = {by: [str(v) for v in quotes[by]] for by in BY}
    concept = [str(v) for v in quotes["concept"]]
    keep = pd.Series([not any((by, cells[by][i], concept[i]) in hidden for by in BY) for i in range(len(quotes))],
                     index=quotes.index)
    changed = True
    while changed:
        before = keep.copy()
        for by in BY:
            keep &= keep.groupby([cells[by], concept]).transform("all")
        changed = not keep.equals(before)
    return quotes[keep]


def withheld_cells(quotes: pd.DataFrame, shown: pd.DataFrame, masks: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Concept × site: cells whose quotes are not listed (count hidden in either unit, or left out by shown_quotes)."""
    hidden = (masks["site-references"] | masks["site-participants"]).T
    had = quotes.groupby(["concept", "site"], observed=True).size()
    kept = shown.groupby(["concept", "site"], observed=True).size()
    for (concept, site), n in had.items():
        if n and not kept.get((concept, site), 0) and concept in hidden.index and site in hidden.columns:
            hidden.at[concept, site] = True
    return hidden


def pattern_sensitivity(references: pd.DataFrame, participants: pd.DataFrame, counts: bool = True,
                        hidden: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per concept: do the sites rank the same when counted by participants as by references? ('unknown' is no site)

    With counts=False the orderings name the sites only (for reports whose small counts are suppressed).
    With `hidden` (the site masks by unit), a site whose count is hidden in either unit is left out of the
    orderings and the verdict, and named as hidden, so neither says more than the shown counts.
    """
    references = references.drop(index=UNKNOWN, errors="ignore")
    participants = participants.drop(index=UNKNOWN, errors="ignore")
    rows = []
    for concept in references.columns:
        by_refs, by_people = references[concept], participants[concept]
        withheld = hidden_sites(hidden, concept, list(by_refs.index))
        by_refs, by_people = by_refs.drop(index=withheld), by_people.drop(index=withheld)
        tail = f" (hidden: {', '.join(map(str, withheld))})" if withheld else ""
        rows.append({"concept": concept, "pattern": pattern_verdict(by_refs, by_people) if len(by_refs) else "not shown",
                     "by references": ranking(by_refs, counts) + tail, "by participants": ranking(by_people, counts) + tail})
    return pd.DataFrame(rows)


def hidden_sites(hidden: dict[str, pd.DataFrame] | None, concept: str, sites: list) -> list:
    """Sites whose count for a concept is hidden in any of the given masks."""
    return [site for site in sites if any(site in m.index and concept in m.columns and bool(m.at[site, concept])
                                          for m in (hidden or {}).values())]


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


def sample_side_by_side(studies: list[Study | str], min_cell: int = 0) -> pd.DataFrame:
    """Each study's n and its composition by tier, level, locality and sector (counts below min_cell hidden)."""
    rows = []
    for study in (as_study(s) for s in studies):
        people = study.participants
        row = {"study": study.id, "n": len(people), "sites": ", ".join(map(str, people["site"].dropna().unique()))}
        n_hidden = False
        for column in ("tier", "level", "locality", "sector"):
            counts = people[column].astype("object").fillna("not stated").value_counts(sort=False)
            shown, hides_n = composition(counts, len(people), min_cell)
            n_hidden |= hides_n
            row[column] = "; ".join(f"{k} {v}" for k, v in shown.items()) if people[column].notna().any() else "not reported"
        row["n"] = hidden_label(min_cell) if n_hidden else row["n"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("study")


def composition(counts: pd.Series, n: int, min_cell: int) -> tuple[pd.Series, bool]:
    """One attribute's counts with the study's n as their margin, suppressed together; and whether n is hidden."""
    line = pd.DataFrame([[*counts.tolist(), n]], columns=[*range(len(counts)), "n"])
    mask = suppression_mask(line, min_cell)
    shown = apply_mask(line, mask, min_cell).iloc[0]
    return pd.Series(shown.iloc[:-1].to_numpy(), index=counts.index), bool(mask.at[0, "n"])


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
    counts = comparison_counts(studies, crosswalk)
    masks = comparison_masks(studies, counts, min_cell, crosswalk)
    sheets = {name: suppressed(table, min_cell, masks[name]) for name, table in counts.items()}
    sheets["similarity"] = concept_similarity(counts["site-participants"])
    sheets["quotes"] = shown_quotes(quotes_side_by_side(studies, crosswalk), masks)
    sheets["coverage"] = coverage(studies, crosswalk)
    sheets["left-out"] = left_out(studies, crosswalk)
    sheets["unmapped-codes"] = unmapped_codes(studies, crosswalk)
    sheets["samples"] = sample_side_by_side(studies, min_cell)
    sheets.update(extra or {})
    indexed = {name for name in sheets
               if name.startswith(("site-", "study-")) or name in {"similarity", "coverage", "samples"}}
    paths = [write_csv(t, folder / f"{name}.csv", index=name in indexed) for name, t in sheets.items()]
    paths.append(write_workbook(workbook_sheets(sheets), folder / f"{report_id}.xlsx"))
    return paths


def workbook_sheets(sheets: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The sheets for the workbook: a table too long for one (XLSX_QUOTE_LIMIT rows) becomes a note
    pointing to its CSV, which holds every row."""
    from .matrix import XLSX_QUOTE_LIMIT
    return {name: table if len(table) <= XLSX_QUOTE_LIMIT else
            pd.DataFrame({"note": [f"{len(table)} rows: too many for a workbook; see {name}.csv beside it"]})
            for name, table in sheets.items()}
