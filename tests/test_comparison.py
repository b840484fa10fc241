"""Cross-study comparison: site and study by concept, similarity, quotes side by side."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from icevidence.comparison import (NEW_LEAD, SAME_ORDER, compare, comparison_counts, comparison_masks, concept_evidence,
                                   concept_similarity, pattern_sensitivity, quotes_side_by_side, sample_side_by_side,
                                   shown_quotes, site_study_links, suppressed)
from icevidence import comparison as cmp
from icevidence import crosswalk as cw
from icevidence import load_study
from icevidence.crosswalk import read_concepts, read_crosswalk

FIXTURES = Path(__file__).parent / "fixtures" / "crosswalk"


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
    assert sim.at["s1", "s2"] == pytest.approx(1 / 3, abs=0.01) and sim.at["s1", "s1"] == 1.0 and math.isnan(sim.at["s3", "s3"])


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
    return pd.DataFrame([{"concept": c, "site": s, "study": st, "segment_id": f"q{i}"} for i, (c, s, st) in enumerate(cells)])


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


def test_a_table_too_long_for_a_workbook_becomes_a_note_pointing_to_its_csv(monkeypatch):
    import icevidence.matrix as mx
    monkeypatch.setattr(mx, "XLSX_QUOTE_LIMIT", 2)
    sheets = cmp.workbook_sheets({"quotes": pd.DataFrame({"text": ["a", "b", "c"]}),
                                  "short": pd.DataFrame({"n": [1, 2]})})
    assert sheets["quotes"]["note"].tolist() == ["3 rows: too many for a workbook; see quotes.csv beside it"]
    assert sheets["short"]["n"].tolist() == [1, 2]


def test_evidence_rows_changed_by_a_caller_are_not_given_to_the_next():
    studies = [load_study("tracy2025"), load_study("mitchell2020")]
    crosswalk = cw.read_crosswalk(studies)
    first = cmp.concept_evidence(studies, crosswalk)
    first.loc[:, "text"] = "changed by the caller"
    again = cmp.concept_evidence(studies, crosswalk)
    assert len(again) == len(first) and (again["text"] != "changed by the caller").all()
