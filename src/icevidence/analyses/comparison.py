"""Cross-study comparison (`icevidence.compare`) through the crosswalk: sites by shared concept, side by side.

`Comparison` is the result: the concept counts by site and by study in both units, the hidden
cells of all four decided once and together (`comparison_masks`, through `suppression`), each
site's participants quoted as a share of its n (a share hidden wherever its count is), the pattern
sensitivity, the sites' similarity, the quotes of shown cells side by side, the samples, the
crosswalk's own checks and the sites' integration models. The DataFrame functions below stay for
scripting (`ic.compare`).
"""
from __future__ import annotations

from functools import cached_property

import pandas as pd

from ..model import config
from ..model.errors import ConfigError
from ..model.speakers import speaker_keys
from ..model.study import Study, as_study, read_table
from . import crosswalk as cw
from .crosswalk import MAPPED, concepts_of_segments, read_concepts, read_crosswalk, reuse_consistency
from .crosswalk_reliability import CrosswalkReliability
from .groups import UNKNOWN
from .identity_cache import remember_recent
from .result import Figure, Result, Table
from .suppression import apply_mask, hidden_label, suppression_mask, suppression_note

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
                     crosswalk: pd.DataFrame | None = None,
                     concepts: pd.DataFrame | None = None) -> dict[str, pd.DataFrame]:
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


def linked_cells(hidden: pd.DataFrame, other: pd.DataFrame, links: pd.DataFrame, by: str,
                 other_by: str) -> pd.DataFrame:
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
        verdict = pattern_verdict(by_refs, by_people) if len(by_refs) else "not shown"
        rows.append({"concept": concept, "pattern": verdict, "by references": ranking(by_refs, counts) + tail,
                     "by participants": ranking(by_people, counts) + tail})
    return pd.DataFrame(rows)


def hidden_sites(hidden: dict[str, pd.DataFrame] | None, concept: str, sites: list) -> list:
    """Sites whose count for a concept is hidden in any of the given masks."""
    return [site for site in sites if any(site in m.index and concept in m.columns and bool(m.at[site, concept])
                                          for m in (hidden or {}).values())]


SAME_ORDER, SAME_LEAD, NEW_LEAD = ("holds: same order of sites",
                                  "holds for the leading site; the order below it differs",
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
    others = [s for s in present if s not in ordered and s != UNKNOWN]
    return ordered + others + ([UNKNOWN] if UNKNOWN in present else [])


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
            reported = people[column].notna().any()
            row[column] = "; ".join(f"{k} {v}" for k, v in shown.items()) if reported else "not reported"
        row["n"] = hidden_label(min_cell) if n_hidden else row["n"]
        rows.append(row)
    return pd.DataFrame(rows).set_index("study")


def composition(counts: pd.Series, n: int, min_cell: int) -> tuple[pd.Series, bool]:
    """One attribute's counts with the study's n as their margin, suppressed together; and whether n is hidden."""
    line = pd.DataFrame([[*counts.tolist(), n]], columns=[*range(len(counts)), "n"])
    mask = suppression_mask(line, min_cell)
    shown = apply_mask(line, mask, min_cell).iloc[0]
    return pd.Series(shown.iloc[:-1].to_numpy(), index=counts.index), bool(mask.at[0, "n"])


def studies_compared_with(study: Study) -> list[Study | str]:
    """The study and every other available study of the crosswalk, when the crosswalk lists it (else none)."""
    from ..model.study import available_studies
    if not config.CROSSWALK.is_file():
        return []
    listed = list(dict.fromkeys(read_table(config.CROSSWALK)["study"].dropna()))
    if study.id not in listed:
        return []
    return [study, *(s for s in listed if s in available_studies() and s != study.id)]


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


SHARED_INTERVIEWS = "same_interviews_as"  # study.yml `sites:` entry: this site's interviews are another study's
SOURCE = "the compendium's crosswalk of each study's quotes to shared concepts"
QUOTE_COLUMNS = ["concept", "site", "study", "segment_id", "text", "attribution_raw", "location", "also_printed_as"]
MODEL_COLUMNS = ["site", "category", "component", "integration", "in_network", "study", "source"]
UNIT_PHRASES = {"references": "Coded quotes (references) mapped to each shared concept",
                "participants": "Distinct participants quoted on each shared concept"}
SHARE_LABEL = "% of the site's participants"


def shared_interviews(study: Study) -> dict[str, str]:
    """Sites whose interviews the study declares to be another study's (study.yml `sites:` same_interviews_as)."""
    return {site_name(site): str(site[SHARED_INTERVIEWS]) for site in (study.meta.get("sites") or [])
            if isinstance(site, dict) and site.get(SHARED_INTERVIEWS)}


def site_sizes(studies: list[Study]) -> pd.Series:
    """Participants interviewed at each site across the studies, interviews two compared studies share counted once.

    A study whose study.yml says a site's interviews are another compared study's adds only the
    participants beyond that study's at the site.
    """
    counts = {s.id: s.participants["site"].dropna().astype(str).value_counts(sort=False) for s in studies}
    sizes: dict[str, int] = {}
    for study in studies:
        shared = shared_interviews(study)
        for site, n in counts[study.id].items():
            other = shared.get(site)
            already = int(counts[other].get(site, 0)) if other in counts and other != study.id else 0
            sizes[site] = sizes.get(site, 0) + max(0, int(n) - already)
    return pd.Series(sizes, name="n", dtype=int)


def site_shares(participants: pd.DataFrame, sizes: pd.Series) -> pd.DataFrame:
    """Participants quoted on each concept as % of the site's n, to one decimal; empty where a site has no n."""
    n = sizes.reindex(participants.index).astype(float)
    return participants.astype(float).div(n.where(n > 0), axis=0).mul(100).round(1)


def size_mask(sizes: pd.Series, min_cell: int) -> pd.Series:
    """Sites whose n is hidden: below min_cell, with a complement, since the studies' samples give their sum."""
    return suppression_mask(sizes.to_frame("n"), min_cell)["n"]


def hide_rows(mask: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The mask with every cell of the marked rows hidden too."""
    hidden = rows.reindex(mask.index, fill_value=False).astype(bool).to_numpy()
    return mask | pd.DataFrame(hidden[:, None].repeat(mask.shape[1], axis=1), index=mask.index, columns=mask.columns)


class Comparison(Result):
    """The studies side by side through the crosswalk: concepts by site and study, shares, quotes and samples."""

    def __init__(self, studies: list[Study | str], unit: str = "participants", min_cell: int = 0,
                 crosswalk: pd.DataFrame | None = None, concepts: pd.DataFrame | None = None,
                 model_sources: list[str] | tuple[str, ...] = ()) -> None:
        if unit not in UNITS:
            raise ConfigError("compare", "unit", f"unknown unit {unit!r}", remedy=f"use one of {UNITS}.")
        self.studies = [as_study(s) for s in studies]
        self.unit, self.min_cell = unit, int(min_cell or 0)
        self.concepts = read_concepts() if concepts is None else concepts
        self.crosswalk = read_crosswalk(self.studies, concepts=self.concepts) if crosswalk is None else crosswalk
        self.model_sources = list(model_sources)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []
        self.notes.append("Participant counts are distinct speakers within a study: a person quoted in two studies "
                          "counts in each, and a speaker whose attribution is malformed counts once per distinct "
                          "printed attribution, so participant counts are upper bounds.")

    # --- counts and the cells they hide ---------------------------------------------------------

    @cached_property
    def counts(self) -> dict[str, pd.DataFrame]:
        """The four matrices, named '<by>-<unit>': site or study rows, concept columns, references or participants."""
        return comparison_counts(self.studies, self.crosswalk, self.concepts)

    @cached_property
    def masks(self) -> dict[str, pd.DataFrame]:
        """Hidden cells of the four matrices, decided once and together (a study's count is its sites' sum)."""
        return comparison_masks(self.studies, self.counts, self.min_cell, self.crosswalk, self.concepts)

    @property
    def sites(self) -> list[str]:
        """The site rows, in the order the studies declare them ('unknown' last)."""
        return [str(s) for s in self.counts["site-participants"].index]

    @cached_property
    def sizes(self) -> pd.Series:
        """Each known site's n: its participants across the studies, shared interviews counted once."""
        known = [s for s in self.sites if s != UNKNOWN]
        return site_sizes(self.studies).reindex(known, fill_value=0).astype(int)

    @cached_property
    def hidden_sizes(self) -> pd.Series:
        """Sites whose n is suppressed (and with it every share of the site)."""
        return size_mask(self.sizes, self.min_cell)

    @cached_property
    def shares(self) -> pd.DataFrame:
        """Site × concept: participants quoted as % of the site's n ('unknown' has no n, so no share)."""
        return site_shares(self.counts["site-participants"], self.sizes)

    @cached_property
    def share_mask(self) -> pd.DataFrame:
        """Hidden shares: wherever the participant count is hidden, and every share of a site whose n is hidden."""
        return hide_rows(self.masks["site-participants"], self.hidden_sizes)

    def shown(self, name: str) -> pd.DataFrame:
        """One matrix ('site-participants', …) for display: hidden cells '<k'."""
        return apply_mask(self.counts[name], self.masks[name], self.min_cell)

    def shown_shares(self) -> pd.DataFrame:
        """Site × concept shares for display: a hidden share reads 'n<k' (its count is hidden)."""
        return self.shares.astype(object).where(~self.share_mask, f"n{hidden_label(self.min_cell)}")

    def size_text(self, site: str) -> str:
        """A site's n as printed: the number, or '<k' when suppressed."""
        return hidden_label(self.min_cell) if bool(self.hidden_sizes.get(site, False)) else str(self.sizes[site])

    def hidden_cells(self, name: str) -> int:
        """How many cells one matrix hides."""
        return int(self.masks[name].to_numpy().sum())

    # --- what the counts say ------------------------------------------------------------------

    @cached_property
    def sensitivity(self) -> pd.DataFrame:
        """Per concept: does the order of the sites hold by participants as by references? (hidden sites left out)"""
        return pattern_sensitivity(self.counts["site-references"], self.counts["site-participants"],
                                   hidden={u: self.masks[f"site-{u}"] for u in UNITS})

    @cached_property
    def similarity(self) -> pd.DataFrame:
        """Jaccard similarity of the sites' concept sets ('unknown' left out)."""
        return concept_similarity(self.counts["site-participants"])

    @cached_property
    def all_quotes(self) -> pd.DataFrame:
        """Every mapped quote under its concept and site, before suppression."""
        return quotes_side_by_side(self.studies, self.crosswalk, self.concepts)

    @cached_property
    def quotes(self) -> pd.DataFrame:
        """The quotes of cells shown in every matrix, each cell's quotes listed all or none."""
        return shown_quotes(self.all_quotes, self.masks)

    @cached_property
    def withheld(self) -> pd.DataFrame:
        """Concept × site: cells whose quotes are not listed (a count hidden, or quotes left out)."""
        return withheld_cells(self.all_quotes, self.quotes, self.masks)

    @cached_property
    def samples(self) -> pd.DataFrame:
        """Each study's n and composition, small counts hidden."""
        return sample_side_by_side(self.studies, self.min_cell)

    @cached_property
    def models(self) -> pd.DataFrame:
        """The integration model of each site, from the model sources and the compared studies."""
        ids = list(dict.fromkeys([*self.model_sources, *(s.id for s in self.studies)]))
        return integration_models(ids)[MODEL_COLUMNS]

    @cached_property
    def reliability(self) -> CrosswalkReliability:
        """The two independent codings of the quotes behind the crosswalk, and their agreement."""
        return CrosswalkReliability(self.concepts)

    @property
    def source(self) -> str:
        """Where the counts come from: the crosswalk, over the studies' coded quotes."""
        return f"{SOURCE} ({', '.join(s.short_name for s in self.studies)})"

    def suppression(self, hidden: int) -> str:
        """The caption's suppression sentence for a table hiding `hidden` cells."""
        return suppression_note(self.min_cell, hidden)

    def share_sentence(self) -> str:
        """What a share means, with each site's n: sites of different sizes are not comparable by raw counts."""
        sizes = [f"{site} {self.size_text(site)}" for site in self.sizes.index]
        listed = ", ".join(sizes[:-1]) + f" and {sizes[-1]}" if len(sizes) > 1 else "".join(sizes)
        sentence = (f"Sites of different sizes are not comparable by raw counts (participants per site: {listed}), "
                    f"so each count stands beside its share of the site's participants: % = participants quoted on "
                    f"the concept ÷ the site's n. '{UNKNOWN}' has no n, so no share.")
        if self.min_cell > 1:
            sentence += " A share is hidden wherever its count is."
        return " ".join([sentence, *self.shared_sentences()])

    def shared_sentences(self) -> list[str]:
        """For each site two compared studies interviewed together: its n counts them once, its shares may overstate."""
        names = {s.id: s.short_name for s in self.studies}
        return [f"At {site}, {study.short_name} reports the same interviews as {names[other]} (its study.yml), so "
                f"the site's n counts them once, while a person quoted on a concept in both studies counts in each: "
                f"the site's shares are upper bounds." for study in self.studies
                for site, other in shared_interviews(study).items() if other in names and site in self.sizes.index]

    # --- tables and figures ---------------------------------------------------------------------

    def concept_frame(self, hidden: bool = False) -> pd.DataFrame:
        """Concepts (rows) by site (columns) in the report's unit; with participants, each site's % beside its n.

        With hidden=True, the same frame's hidden cells (counts by their mask, shares by theirs).
        """
        name = f"site-{self.unit}"
        counts = self.masks[name] if hidden else self.shown(name)
        columns: dict[str, pd.Series] = {}
        shares = (self.share_mask if hidden else self.shown_shares()) if self.unit == "participants" else None
        for site in counts.index:
            columns[str(site)] = counts.loc[site]
            if shares is not None and site in self.sizes.index:
                columns[f"{site} %"] = shares.loc[site]
        frame = pd.DataFrame(columns, index=counts.columns)
        frame.index.name = "concept"
        return frame

    def concept_table(self) -> Table:
        """The concept × site matrix in the report's unit (with shares for participants), as the report shows it."""
        share = self.unit == "participants"
        beside = f" and as {SHARE_LABEL}" if share else ""
        counted = (f"{UNIT_PHRASES[self.unit]}, per site{beside}; '{UNKNOWN}' holds quotes whose speaker's site "
                   "the paper does not give")
        bounds = [s.upper_bound_clause() for s in self.studies] if share else []
        counted += "".join(f"; {s.short_name}: {b}" for s, b in zip(self.studies, bounds) if b)
        unit = f"{self.unit} (n) and {SHARE_LABEL}" if share else self.unit
        return Table("concept-matrix", f"Concepts (rows) by site (columns), {self.unit}", self.concept_frame(),
                     counted, unit, self.source, self.suppression(self.hidden_cells(f"site-{self.unit}")),
                     self.concept_frame(hidden=True), notes=[self.share_sentence()] if share else [], index=True)

    def study_table(self) -> Table:
        """The study × concept matrix in the report's unit."""
        name = f"study-{self.unit}"
        return Table("study-matrix", f"Studies × concepts ({self.unit})", self.shown(name),
                     f"{UNIT_PHRASES[self.unit]}, per study", self.unit, self.source,
                     self.suppression(self.hidden_cells(name)), self.masks[name], index=True)

    def matrix_table(self, name: str) -> Table:
        """One of the four matrices as the workbook holds it: rows sites or studies, hidden cells '<k'."""
        by, unit = name.split("-")
        return Table(name, f"{by.capitalize()} × concepts ({unit})", self.shown(name),
                     f"{UNIT_PHRASES[unit]}, per {by}", unit, self.source, self.suppression(self.hidden_cells(name)),
                     self.masks[name], index=True)

    def share_table(self) -> Table:
        """Each site's n and its participants quoted per concept as %, for the workbook (hidden shares 'n<k')."""
        frame = self.shown_shares().drop(index=UNKNOWN, errors="ignore")
        frame.columns = [f"{c} %" for c in frame.columns]
        frame.insert(0, "n", [self.size_text(s) for s in frame.index])
        frame.index.name = "site"
        return Table("site-share", "Sites × concepts: share of each site's participants quoted", frame,
                     "Participants quoted on each shared concept as % of the site's participants (n)", SHARE_LABEL,
                     self.source, self.suppression(int(self.share_mask.drop(index=UNKNOWN, errors="ignore")
                                                       .to_numpy().sum())),
                     notes=[self.share_sentence()], index=True)

    def sensitivity_table(self) -> Table:
        """Per concept: the verdict and the orderings of the sites by references and by participants."""
        return Table("sensitivity", "Does the site pattern hold by participants as by references?",
                     self.sensitivity, "Per concept, the sites ordered by references and by participants "
                     f"('{UNKNOWN}' left out; a site whose count is hidden in either unit left out and named)",
                     "sites", self.source)

    def similarity_table(self) -> Table:
        """The sites' pairwise Jaccard similarity."""
        return Table("similarity", "Jaccard similarity of the sites' concept sets", self.similarity,
                     "Concepts both sites have evidence for ÷ concepts either has", "Jaccard similarity (0–1)",
                     self.source, index=True)

    def quotes_table(self) -> Table:
        """The quotes of shown cells, by concept and site (withheld cells' quotes left out)."""
        hidden = "Quotes of cells whose count is hidden, and of the cells they add up with, are left out." \
            if self.min_cell > 1 else ""
        return Table("quotes", "The quotes behind each concept, site by site", self.quotes[QUOTE_COLUMNS],
                     "Every quote the crosswalk maps to a concept, with its site, study and attribution as printed",
                     "quotes", self.source, hidden, prose=("text",))

    def crosswalk_tables(self) -> list[Table]:
        """How the crosswalk was made: grain, coverage, what was left out, and its consistency on reused quotes."""
        studies, crosswalk = self.studies, self.crosswalk
        grain = cw.read_grain()
        grain = grain[grain["study"].isin([s.id for s in studies])]
        made = [("grain", "Grain of the crosswalk per study", grain, False),
                ("grain-problems", "Quotes missing from a segment-grain study",
                 cw.grain_problems(studies, crosswalk, grain), False),
                ("coverage", "Quotes mapped, excluded and unmapped per study", cw.coverage(studies, crosswalk), True),
                ("left-out", "Quotes that count for no concept", cw.left_out(studies, crosswalk), False),
                ("excluded-codes", "Codes deliberately excluded from the defaults",
                 cw.excluded_codes(studies, crosswalk), False),
                ("unmapped-codes", "Codes neither mapped nor excluded", cw.unmapped_codes(studies, crosswalk), False),
                ("reuse-consistency", "Quotes printed twice and their concepts",
                 cw.reuse_consistency(studies, crosswalk), False),
                ("concepts-by-study", "Studies with evidence for each concept",
                 cw.concepts_by_study(studies, crosswalk, self.concepts), False)]
        return [Table(key, title, frame, source=SOURCE, index=index) for key, title, frame, index in made]

    def samples_table(self) -> Table:
        """Each study's n and composition by tier, level, locality and sector."""
        return Table("samples", "Sample composition of each study (n, tiers, levels, localities, sectors)",
                     self.samples, "Participants per study, and per value of each attribute", "participants",
                     "; ".join(s.table_source("participants") for s in self.studies),
                     suppression_note(self.min_cell), index=True)

    def model_tables(self) -> list[Table]:
        """The integration models: components per site and category, then every component."""
        models = self.models
        summary = (models.pivot_table(index="category", columns="site", values="component", aggfunc="count",
                                      fill_value=0) if len(models) else pd.DataFrame())
        source = "each site's account of its integration model (integration_model.csv of each study)"
        return [Table("models-summary", "Components described per site, by category (rows of integration_model.csv)",
                      summary, "Components of the integration model", "components", source, index=True),
                Table("models", "Integration model of each site, as the sources describe it", models,
                      source=source)]

    def tables(self) -> list[Table]:
        """Every table, in the report's reading order."""
        return [self.concept_table(), self.study_table(), self.sensitivity_table(), self.similarity_table(),
                self.quotes_table(), *self.crosswalk_tables(), self.samples_table(), *self.model_tables()]

    def concept_figure(self) -> Figure:
        """The concept × site heatmap: coloured by share of the site's participants (participants), else by count."""
        label = hidden_label(self.min_cell)
        table = self.concept_table()
        hatched = " Hatched cells are suppressed." if self.min_cell > 1 else ""
        if self.unit == "participants":
            data = self.shares.drop(index=UNKNOWN, errors="ignore").T
            mask = self.share_mask.drop(index=UNKNOWN, errors="ignore").T
            return Figure("concept-heatmap", "Concepts by site: share of each site's participants quoted (%)",
                          "heatmap", data, mask, SHARE_LABEL, "Participants quoted on each concept (rows) as % of "
                          f"the site's participants (columns; '{UNKNOWN}', which has no n, left out)", SHARE_LABEL,
                          self.source, table.suppression + hatched, f"n{label}",
                          alt="Heatmap of the share of each site's participants quoted, per concept and site",
                          min_cell=self.min_cell, options={"fmt": ".1f"})
        name = f"site-{self.unit}"
        return Figure("concept-heatmap", f"Concepts by site ({self.unit})", "heatmap", self.counts[name].T,
                      self.masks[name].T, self.unit, f"{UNIT_PHRASES[self.unit]} (rows), per site (columns)",
                      self.unit, self.source, table.suppression + hatched, label,
                      alt=f"Heatmap of {self.unit} per concept (rows) and site (columns)", min_cell=self.min_cell)

    def similarity_figure(self) -> Figure:
        """The sites' similarity as a heatmap (a site with no evidence has no similarity: marked, not drawn)."""
        return Figure("similarity", "Similarity of the sites' concept profiles", "heatmap", self.similarity,
                      self.similarity.isna(), "Jaccard similarity of concept sets",
                      "Concepts both sites have evidence for ÷ concepts either has", "Jaccard similarity (0–1)",
                      self.source, hidden_label="–", alt="Heatmap of the Jaccard similarity of the sites' concept sets",
                      options={"fmt": ".2f"})

    def figures(self) -> list[Figure]:
        """The concept heatmap, then the similarity heatmap."""
        return [self.concept_figure(), self.similarity_figure()]
