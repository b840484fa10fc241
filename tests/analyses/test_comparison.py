"""Cross-study comparison: site and study by concept, similarity, quotes side by side."""
from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from fixture_paths import FIXTURES as TEST_FIXTURES

from icevidence import Comparison, load_study
from icevidence.analyses import comparison as cmp
from icevidence.analyses import crosswalk as cw
from icevidence.analyses.comparison import (
    NEW_LEAD,
    SAME_ORDER,
    compare,
    comparison_counts,
    comparison_masks,
    concept_evidence,
    concept_similarity,
    pattern_sensitivity,
    quotes_side_by_side,
    sample_side_by_side,
    shown_quotes,
    site_shares,
    site_sizes,
    site_study_links,
    suppressed,
)
from icevidence.analyses.crosswalk import read_concepts, read_crosswalk
from icevidence.model.errors import ConfigError

FIXTURES = TEST_FIXTURES / "crosswalk"


@pytest.fixture
def inputs(mini):
    concepts = read_concepts(FIXTURES / "concepts.csv")
    return concepts, read_crosswalk([mini], FIXTURES / "crosswalk.csv", concepts)


def test_references_by_site_count_each_segment_under_its_concept(mini, inputs):
    concepts, crosswalk = inputs
    table = compare([mini], unit="references", by="site", crosswalk=crosswalk, concepts=concepts)
    # Theme A (S1, S2, S3 via Main X; S6 direct) -> Leadership; Main Y (S4) and Main Z (S5, S7) -> Finance.
    assert table.loc["Southtown"].to_dict() == {"Leadership": 2, "Finance": 1}
    assert table.loc["Northtown"].to_dict() == {"Leadership": 1, "Finance": 1}
    assert table.loc["unknown"].to_dict() == {"Leadership": 1, "Finance": 1}


def test_participants_count_distinct_speakers(mini, inputs):
    concepts, crosswalk = inputs
    extra = mini.segments.iloc[[0]].assign(segment_id="S9")
    mini.segments = pd.concat([mini.segments, extra], ignore_index=True)
    refs = compare([mini], unit="references", by="site", crosswalk=crosswalk, concepts=concepts)
    people = compare([mini], unit="participants", by="site", crosswalk=crosswalk, concepts=concepts)
    assert refs.at["Southtown", "Leadership"] == 3 and people.at["Southtown", "Leadership"] == 2


def test_by_study_gives_one_row_per_study(mini, inputs):
    concepts, crosswalk = inputs
    table = compare([mini], unit="references", by="study", crosswalk=crosswalk, concepts=concepts)
    assert list(table.index) == ["mini"] and table.loc["mini"].sum() == len(mini.segments)


def test_jaccard_similarity_of_concept_sets():
    matrix = pd.DataFrame({"x": [1, 1, 0], "y": [0, 2, 0], "z": [1, 0, 0]}, index=["s1", "s2", "s3"])
    sim = concept_similarity(matrix)
    # s1 has {x, z}, s2 has {x, y}: one shared of three in all.
    assert sim.at["s1", "s2"] == pytest.approx(1 / 3, abs=0.01) and sim.at["s1", "s1"] == 1.0
    assert math.isnan(sim.at["s3", "s3"])


def test_quotes_side_by_side_list_every_mapped_quote(mini, inputs):
    concepts, crosswalk = inputs
    quotes = quotes_side_by_side([mini], crosswalk, concepts)
    assert len(quotes) == len(mini.segments) and list(quotes["concept"].cat.categories) == ["Leadership", "Finance"]


def test_sample_side_by_side_reports_n_and_tiers(mini):
    table = sample_side_by_side([mini])
    assert table.at["mini", "n"] == 7 and table.at["mini", "tier"] == "micro 4; meso 2; macro 1"


def test_similarity_leaves_out_unknown():
    matrix = pd.DataFrame({"x": [1, 1, 1], "y": [0, 2, 5]}, index=["s1", "s2", "unknown"])
    assert list(concept_similarity(matrix).index) == ["s1", "s2"]


def test_sensitivity_says_when_the_site_order_holds_or_changes():
    refs = pd.DataFrame({"a": [5, 2, 9], "b": [6, 1, 0], "c": [4, 2, 1]}, index=["s1", "s2", "unknown"])
    people = pd.DataFrame({"a": [3, 1, 0], "b": [1, 4, 0], "c": [4, 1, 3]}, index=["s1", "s2", "unknown"])
    verdict = pattern_sensitivity(refs, people).set_index("concept")["pattern"]
    assert verdict["a"] == SAME_ORDER and verdict["b"] == NEW_LEAD
    # c: s1 leads both ways; unknown (not a site) is left out, so the order s1 > s2 holds too.
    assert verdict["c"] == SAME_ORDER


def test_sensitivity_without_counts_names_sites_only():
    refs = pd.DataFrame({"a": [5, 2]}, index=["s1", "s2"])
    table = pattern_sensitivity(refs, refs, counts=False)
    assert table.loc[0, "by references"] == "s1 > s2"


def test_suppressed_hides_small_counts_and_a_complement():
    counts = pd.DataFrame({"x": [2, 10, 12], "y": [9, 11, 8]}, index=["s1", "s2", "s3"])
    shown = suppressed(counts, 5)
    assert shown.at["s1", "x"] == "<5" and (shown == "<5").sum().sum() >= 2
    assert suppressed(counts, 0).equals(counts.astype(object))


def test_sample_side_by_side_hides_small_counts_with_a_complement(mini):
    table = sample_side_by_side([mini], min_cell=2)
    # micro 4; meso 2; macro 1 of n = 7: macro is below 2, meso (the smallest other) hides with it.
    assert table.at["mini", "tier"] == "micro 4; meso <2; macro <2" and table.at["mini", "n"] == 7


def test_sensitivity_leaves_hidden_sites_out_of_orderings_and_verdict():
    refs = pd.DataFrame({"a": [9, 6, 2]}, index=["s1", "s2", "s3"])
    people = pd.DataFrame({"a": [5, 6, 1]}, index=["s1", "s2", "s3"])
    mask = pd.DataFrame({"a": [False, False, True]}, index=["s1", "s2", "s3"])
    row = pattern_sensitivity(refs, people, hidden={"references": mask, "participants": mask}).iloc[0]
    assert row["by references"] == "s1 9 > s2 6 (hidden: s3)" and row["pattern"] == NEW_LEAD


def quotes_frame(cells: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([{"concept": c, "site": s, "study": st, "segment_id": f"q{i}"}
                         for i, (c, s, st) in enumerate(cells)])


def test_shown_quotes_leave_out_a_hidden_cell_and_every_cell_it_adds_up_with():
    # Study x quoted at sites A (2 quotes) and B (1); B's site count is hidden, so x's study cell loses a
    # quote and must lose them all, and with it site A's cell; study y at site C is untouched.
    quotes = quotes_frame([("k", "A", "x"), ("k", "A", "x"), ("k", "B", "x"), ("k", "C", "y")])
    site = pd.DataFrame({"k": [False, True, False]}, index=["A", "B", "C"])
    study = pd.DataFrame({"k": [False, False]}, index=["x", "y"])
    masks = {"site-references": site, "site-participants": site, "study-references": study,
             "study-participants": study}
    assert shown_quotes(quotes, masks)["segment_id"].tolist() == ["q3"]


def test_shown_quotes_keep_everything_when_nothing_is_hidden():
    quotes = quotes_frame([("k", "A", "x"), ("k", "B", "x")])
    masks = {"site-references": pd.DataFrame({"k": [False, False]}, index=["A", "B"])}
    assert shown_quotes(quotes, masks).equals(quotes)


@pytest.fixture(scope="module")
def papers():
    from icevidence import load_study
    return [load_study(s) for s in ["tracy2025", "mitchell2020", "mitchell2023"]]


def test_quote_printed_in_both_manchester_papers_counts_once(papers):
    rows = concept_evidence(papers)
    # 'hospital-centric': seed 003 (Strategic social care, interviewee 2) = mitchell2020 R-014, reprinted
    # in seed 004 (2 A) = mitchell2023 R-012; both Manchester locality A.
    assert not ((rows["study"] == "mitchell2023") & (rows["segment_id"] == "R-012")).any()
    first = rows[(rows["study"] == "mitchell2020") & (rows["segment_id"] == "R-014")]
    assert set(first["also_printed_as"]) == {"mitchell2023 R-012"}


def test_mitchell_2020_has_evidence_beyond_its_theme_blocks(papers):
    table = compare(papers, unit="references", by="study")
    # Quote grain: seed 003's 'hospital-centric' quote (Findings: Professional workforce integration) lands
    # on the hospital-centric concept, which no Mitchell 2020 theme maps to as a block.
    assert table.at["mitchell2020", "Hospital-centric system and the acute sector"] >= 1


def test_site_and_study_masks_hide_the_cells_that_add_up_together(papers):
    # A study's count is the sum of its sites' counts: a hidden site cell must not be recoverable from
    # its study's cell and the other sites' cells, nor a hidden study cell from its sites.
    counts = comparison_counts(papers)
    masks = comparison_masks(papers, counts, 5)
    for link in site_study_links(papers).itertuples(index=False):
        for unit in ("references", "participants"):
            site_hidden = masks[f"site-{unit}"].at[link.site, link.concept]
            study_hidden = masks[f"study-{unit}"].at[link.study, link.concept]
            assert site_hidden == study_hidden, (unit, link)
    assert sum(int(m.to_numpy().sum()) for m in masks.values()) > 0


def test_evidence_rows_changed_by_a_caller_are_not_given_to_the_next():
    studies = [load_study("tracy2025"), load_study("mitchell2020")]
    crosswalk = cw.read_crosswalk(studies)
    first = cmp.concept_evidence(studies, crosswalk)
    first.loc[:, "text"] = "changed by the caller"
    again = cmp.concept_evidence(studies, crosswalk)
    assert len(again) == len(first) and (again["text"] != "changed by the caller").all()


# --- the Comparison result ---------------------------------------------------------------------

@pytest.fixture
def mini_comparison(mini, inputs):
    concepts, crosswalk = inputs

    def make(unit: str = "participants", min_cell: int = 0) -> Comparison:
        return Comparison([mini], unit=unit, min_cell=min_cell, crosswalk=crosswalk, concepts=concepts)
    return make


def test_a_site_n_counts_its_participants_across_the_studies(mini):
    other = replace(mini, id="other")
    assert site_sizes([mini, other]).to_dict() == {"Southtown": 8, "Northtown": 6}


def test_a_site_n_counts_interviews_two_studies_share_once(mini):
    sites = [{"name": "Southtown", "same_interviews_as": "mini"}, "Northtown"]
    follow_up = replace(mini, id="follow-up", meta={**mini.meta, "sites": sites})
    assert site_sizes([mini, follow_up]).to_dict() == {"Southtown": 4, "Northtown": 6}


def test_the_papers_sites_are_of_14_19_24_and_27_people(papers):
    # Mitchell 2023's locality A is Mitchell 2020's 24 interviews (its study.yml says so): counted once.
    assert site_sizes(papers).to_dict() == {"Bexley": 14, "north London": 19, "Manchester locality A": 24,
                                            "locality B": 27}


def test_a_share_is_the_participants_quoted_over_the_site_n_to_one_decimal():
    counts = pd.DataFrame({"k": [2, 1, 3]}, index=["A", "B", "unknown"])
    shares = site_shares(counts, pd.Series({"A": 4, "B": 3}))
    assert shares.at["A", "k"] == 50.0 and shares.at["B", "k"] == 33.3 and math.isnan(shares.at["unknown", "k"])


def test_the_comparison_decides_its_masks_once_with_the_site_and_study_links(mini, inputs, mini_comparison):
    concepts, crosswalk = inputs
    result = mini_comparison(min_cell=2)
    expected = comparison_masks([mini], comparison_counts([mini], crosswalk, concepts), 2, crosswalk, concepts)
    assert all(result.masks[name].equals(mask) for name, mask in expected.items())
    table = result.concept_table()
    assert table.mask[["Northtown", "Southtown", "unknown"]].equals(result.masks["site-participants"].T)
    assert table.mask["Southtown %"].equals(result.share_mask.loc["Southtown"])


def test_each_site_count_stands_beside_its_share_and_unknown_has_none(mini_comparison):
    frame = mini_comparison().concept_frame()
    assert list(frame.columns) == ["Northtown", "Northtown %", "Southtown", "Southtown %", "unknown"]
    assert frame.at["Leadership", "Southtown"] == 2 and frame.at["Leadership", "Southtown %"] == 50.0
    assert frame.at["Finance", "Northtown %"] == 33.3


def test_references_are_shown_without_shares(mini_comparison):
    assert not any(str(c).endswith("%") for c in mini_comparison("references").concept_frame().columns)


def test_a_share_is_hidden_wherever_its_count_is(mini_comparison):
    result = mini_comparison(min_cell=2)
    frame = result.concept_frame()
    hidden = result.masks["site-participants"]
    assert hidden.to_numpy().any()
    for site in ("Northtown", "Southtown"):
        for concept in frame.index:
            if hidden.at[site, concept]:
                assert frame.at[concept, site] == "<2" and frame.at[concept, f"{site} %"] == "n<2"
            else:
                assert isinstance(frame.at[concept, f"{site} %"], float)


def test_every_share_of_a_site_whose_n_is_hidden_is_hidden(mini_comparison):
    # Northtown has 3 people, below 4; Southtown's n (4) is hidden with it, since the sample gives their sum.
    result = mini_comparison(min_cell=4)
    assert result.hidden_sizes.to_dict() == {"Northtown": True, "Southtown": True}
    assert result.share_mask.loc[["Northtown", "Southtown"]].to_numpy().all()
    assert "Northtown <4" in result.share_sentence()


def test_the_share_sentence_gives_each_site_n(mini_comparison):
    sentence = mini_comparison().share_sentence()
    assert "Northtown 3 and Southtown 4" in sentence and "not comparable by raw counts" in sentence


def test_the_papers_share_sentence_says_locality_a_shares_are_upper_bounds(papers):
    sentence = Comparison(papers).share_sentence()
    assert "Manchester locality A 24" in sentence
    assert "At Manchester locality A, Mitchell et al. 2023 reports the same interviews as Mitchell et al. 2020" \
        in sentence


def test_the_participants_heatmap_is_coloured_by_share(mini_comparison):
    result = mini_comparison(min_cell=2)
    figure = result.figures()[0]
    assert figure.key == "concept-heatmap" and figure.data.equals(result.shares.drop(index="unknown").T)
    assert figure.mask.equals(result.share_mask.drop(index="unknown").T) and figure.hidden_label == "n<2"


def test_the_references_heatmap_is_coloured_by_count(mini_comparison):
    result = mini_comparison("references")
    assert result.figures()[0].data.equals(result.counts["site-references"].T)


def test_the_similarity_figure_draws_the_jaccard_table(mini_comparison):
    result = mini_comparison()
    figure = result.figures()[1]
    assert figure.key == "similarity" and figure.data.equals(result.similarity)


def test_the_tables_follow_the_report_reading_order(mini_comparison):
    keys = [t.key for t in mini_comparison().tables()]
    assert keys[:5] == ["concept-matrix", "study-matrix", "sensitivity", "similarity", "quotes"]
    assert keys[-3:] == ["samples", "models-summary", "models"]


def test_the_quotes_table_leaves_out_withheld_cells(mini_comparison):
    result = mini_comparison(min_cell=2)
    listed = {(str(c), str(s)) for c, s in result.quotes_table().frame[["concept", "site"]].itertuples(index=False)}
    withheld = {(c, s) for c in result.withheld.index for s in result.withheld.columns if result.withheld.at[c, s]}
    assert withheld and not listed & withheld


def test_an_unknown_unit_is_refused_with_the_units_to_use(mini, inputs):
    concepts, crosswalk = inputs
    with pytest.raises(ConfigError, match="participants"):
        Comparison([mini], unit="people", crosswalk=crosswalk, concepts=concepts)


def test_the_integration_models_come_from_the_model_sources_and_the_studies(papers):
    sites = set(Comparison(papers, model_sources=["tracy2020"]).models["study"])
    assert "tracy2020" in sites and "mitchell2023" in sites
