"""Cross-study comparison: site and study by concept, similarity, quotes side by side."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from icevidence.comparison import compare, concept_similarity, quotes_side_by_side, sample_side_by_side
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
