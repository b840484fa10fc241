"""Cross-study comparison (`icevidence.compare`) through the crosswalk: sites by shared concept, side by side."""
from __future__ import annotations

import pandas as pd

from . import config
from .crosswalk import concept_of_codes, read_concepts, read_crosswalk, unmapped_codes
from .errors import ConfigError
from .matrix import UNKNOWN, as_study, speaker_keys
from .study import Study, read_table
from .present.tables import write_csv, write_workbook

UNITS = ["references", "participants"]
BY = ["site", "study"]


def concept_evidence(studies: list[Study], crosswalk: pd.DataFrame | None = None,
                     concepts: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (segment, concept) across the studies, with site, study and speaker."""
    crosswalk = read_crosswalk(studies, concepts=concepts) if crosswalk is None else crosswalk
    frames = []
    for study in studies:
        segments = study.segments.assign(speaker=speaker_keys(study.segments))
        frames.append(segments.merge(concept_of_codes(study, crosswalk), on="code_id", how="inner"))
    columns = ["study", "site", "concept_id", "segment_id", "speaker", "text", "attribution_raw", "location", "code_id"]
    joined = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    joined["site"] = joined["site"].astype("object").fillna(UNKNOWN)
    return joined[columns]


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
    """Jaccard similarity of rows' concept sets: |shared concepts| / |concepts either has|."""
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
        ["concept", "site", "study", "text", "attribution_raw", "location"]].reset_index(drop=True)


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


def similarity_figure(similarity: pd.DataFrame):
    """Heatmap of the sites' pairwise similarity."""
    import matplotlib.pyplot as plt
    import seaborn as sns
    size = 1.2 * len(similarity) + 2.5
    fig, ax = plt.subplots(figsize=(size + 1, size))
    sns.heatmap(similarity.astype(float), annot=True, fmt=".2f", vmin=0, vmax=1, cmap="Greens", square=True,
                cbar_kws={"label": "Jaccard similarity of concept sets", "shrink": 0.6}, ax=ax)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_title("Similarity of the sites' concept profiles", loc="left")
    fig.tight_layout()
    return fig


def show_quotes_by_concept(quotes: pd.DataFrame, cap: int = 8) -> None:
    """Display each concept's quotes grouped by site, capped per site with a count of the rest."""
    import html

    from IPython.display import HTML, display
    parts = []
    for concept, block in quotes.groupby("concept", observed=True, sort=True):
        parts.append(f"<h3>{html.escape(str(concept))}</h3>")
        for site, cell in block.groupby("site", observed=True, sort=True):
            parts.append(f"<h4>{html.escape(str(site))} ({len(cell)} quotes)</h4><ul>")
            for q in cell.head(cap).itertuples():
                who = q.attribution_raw if isinstance(q.attribution_raw, str) else "no attribution printed"
                parts.append(f"<li>“{html.escape(str(q.text))}” <em>({html.escape(who)}; {q.study}, "
                             f"{html.escape(str(q.location))})</em></li>")
            if len(cell) > cap:
                parts.append(f"<li><em>{len(cell) - cap} more in the appendix table quotes.csv</em></li>")
            parts.append("</ul>")
    display(HTML("\n".join(parts)))


def write_comparison_tables(studies: list[Study], crosswalk: pd.DataFrame, report_id: str) -> list:
    """Write the comparison matrices, similarity, quotes and unmapped codes as CSV and XLSX."""
    folder = config.TABLES / report_id
    sheets = {f"{by}-{unit}": compare(studies, unit=unit, by=by, crosswalk=crosswalk) for by in BY for unit in UNITS}
    sheets["similarity"] = concept_similarity(sheets["site-participants"])
    sheets["quotes"] = quotes_side_by_side(studies, crosswalk)
    sheets["unmapped"] = unmapped_codes(studies, crosswalk)
    sheets["samples"] = sample_side_by_side(studies)
    plain = {"quotes", "unmapped"}
    paths = [write_csv(t, folder / f"{name}.csv", index=name not in plain) for name, t in sheets.items()]
    paths.append(write_workbook(sheets, folder / f"{report_id}.xlsx"))
    return paths
