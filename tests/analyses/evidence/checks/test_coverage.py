"""Coverage: framework elements without quotes, quotes outside the framework, claim references, block quotes."""
from __future__ import annotations

import pandas as pd
from evidence_helpers import claim, with_file, with_segments

from icevidence.analyses.evidence.checks import coverage as cv
from icevidence.model.study import Study


def test_framework_with_a_quote_for_every_element_has_no_coverage_finding(mini):
    assert cv.check_coverage(mini).empty


def test_framework_element_with_no_quote_and_quote_outside_framework_are_found(mini):
    extra = {"study": "mini", "code_id": "c", "name": "Theme C", "path": "Theme C", "level": "overarching",
             "source": "constructed"}
    codes = pd.concat([mini.codes, pd.DataFrame([extra])], ignore_index=True)
    segments = mini.segments.copy()
    segments.loc[0, "code_id"] = "q"
    study = Study("mini", mini.participants, codes, segments, mini.meta)
    found = cv.check_coverage(study).set_index("kind")
    assert found.at["framework element with no quote", "evidence"] == "c"
    assert found.at["quote coded outside the framework", "evidence"] == "S1"


def test_claim_citing_a_missing_quote_or_code_is_a_finding(mini):
    found = pd.DataFrame(cv.broken_references(mini, [claim(codes=["a.x", "zz"], quotes=["S1", "S99"])]))
    assert {"claim code not in the framework", "claim cites an unknown quote"} <= set(found["kind"])


def test_block_quotes_no_claim_cites_are_listed_and_cited_ones_are_not(mini_copy):
    with_segments(mini_copy, "S8,G1P1,a.y,a block quote,\"Results, para 2 (block quote)\",G1P1,valid,,\n"
                             "S9,G1P2,a.y,another one,\"Results, quote after para 3\",G1P2,valid,,\n")
    study = with_file(mini_copy, "claims.yml", [claim(quotes=["S8"])])
    table = cv.block_quote_coverage(study)
    assert dict(zip(table["segment_ids"], table["cited"])) == {"S8": True, "S9": False}
    found = cv.check_coverage(study)
    assert found.loc[found["kind"] == "block quote cited by no claim", "evidence"].tolist() == ["S9"]
