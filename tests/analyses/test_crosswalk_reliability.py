"""Reliability of the crosswalk: kappa per concept, disagreements, their decisions and the reconciled coding."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icevidence.analyses.crosswalk import read_concepts
from icevidence.analyses.crosswalk_reliability import (
    CODING_A,
    CODING_B,
    DISAGREEMENTS,
    UNITS_FILE,
    CrosswalkReliability,
    disagreements,
    kappa_per_concept,
    kappa_row,
    read_coding,
    read_codings,
    read_decisions,
    reconcile,
    write_csv_atomically,
    write_reconciled,
)
from icevidence.model import config
from icevidence.model.errors import DataValidationError

UNITS = pd.DataFrame({"study": ["s"] * 4, "segment_id": ["q1", "q2", "q3", "q4"], "code_id": ["c"] * 4})


def coding(*concept_ids: str) -> pd.DataFrame:
    return pd.DataFrame({"study": "s", "segment_id": ["q1", "q2", "q3", "q4"], "concept_ids": list(concept_ids),
                         "rationale": "why"})


def test_kappa_matches_the_formula_on_a_known_table():
    # 35 quotes: both 10, A only 2, B only 3, neither 20. po = 30/35; pe = (12·13 + 23·22)/35²;
    # kappa = (po - pe)/(1 - pe) (Cohen 1960).
    x = np.array([1] * 12 + [0] * 23)
    y = np.array([1] * 10 + [0] * 2 + [1] * 3 + [0] * 20)
    po, pe = 30 / 35, (12 * 13 + 23 * 22) / 35 ** 2
    row = kappa_row("c", x, y)
    assert row["kappa"] == pytest.approx((po - pe) / (1 - pe), abs=1e-3)
    assert row["ci low"] < row["kappa"] < row["ci high"] <= 1


def test_kappa_is_undefined_when_neither_coder_uses_the_concept():
    row = kappa_row("c", np.zeros(5, dtype=int), np.zeros(5, dtype=int))
    assert np.isnan(row["kappa"]) and row["neither"] == 5 and row["observed agreement"] == 1.0


def test_kappa_per_concept_counts_presence_per_quote():
    a, b = coding("x;y", "x", "", "y"), coding("x", "x", "y", "y")
    table = kappa_per_concept(a, b, ["x", "y"]).set_index("concept_id")
    assert table.loc["x", ["both", "a only", "b only", "neither"]].tolist() == [2, 0, 0, 2]
    assert table.loc["x", "kappa"] == 1.0
    assert table.loc["y", ["both", "a only", "b only", "neither"]].tolist() == [1, 1, 1, 1]


def test_disagreements_ignore_order_of_concepts():
    a, b = coding("x; y", "x", "", "y"), coding("y;x", "x", "y", "y")
    assert disagreements(a, b)["segment_id"].tolist() == ["q3"]


def test_reconciled_coding_takes_agreed_concepts_and_recorded_decisions():
    a, b = coding("x;y", "x", "", "y"), coding("x", "x", "y", "y")
    decisions = pd.DataFrame({"study": ["s", "s"], "segment_id": ["q1", "q3"], "decision": ["x", "excluded"],
                              "reason": ["y is not the point", "no concept applies to the fragment"]})
    out = reconcile(a, b, decisions, UNITS)
    assert out.loc[out["segment_id"] == "q1", "concept_id"].tolist() == ["x"]
    q3 = out[out["segment_id"] == "q3"].iloc[0]
    assert q3["decision"] == "excluded" and pd.isna(q3["concept_id"]) and "fragment" in q3["rationale"]
    assert out.loc[out["segment_id"] == "q4", "concept_id"].tolist() == ["y"]


def test_disagreement_without_a_decision_is_an_error(tmp_path):
    a, b = coding("x", "x", "", "y"), coding("x", "x", "y", "y")
    path = tmp_path / "disagreements.csv"
    path.write_text("study,segment_id,concepts_a,concepts_b,decision,reason\n")
    with pytest.raises(DataValidationError, match="s q3.*no decision is recorded"):
        read_decisions(path, ["x", "y"], a, b)


def test_coding_with_an_unknown_concept_or_a_missing_quote_is_an_error(tmp_path):
    path = tmp_path / "coding.csv"
    path.write_text("study,segment_id,concept_ids,rationale\ns,q1,x;zz,why\ns,q2,x,why\ns,q3,,why\n")
    with pytest.raises(DataValidationError) as caught:
        read_coding(path, ["x", "y"], UNITS)
    message = str(caught.value)
    assert "every concept id is in concepts.csv" in message and "s q4" in message and "quote not coded" in message


def test_atomic_write_leaves_only_the_target(tmp_path):
    target = write_csv_atomically(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"] and target.read_text() == "a\n1\n"


# --- the project's two codings --------------------------------------------------------------

@pytest.fixture(scope="module")
def codings():
    if not (config.CROSSWALK_DIR / CODING_B).is_file():
        pytest.skip("coding B (data/crosswalk/coding_b.csv) has not been made yet")
    return read_codings()


def test_both_codings_cover_every_quote_of_the_three_papers(codings):
    units = codings["units"]
    assert set(units["study"]) == {"tracy2025", "mitchell2020", "mitchell2023"}
    for key in ("a", "b"):
        assert len(codings[key]) == len(units)


def test_kappa_is_reported_for_every_concept_the_codings_use(codings):
    concept_ids = read_concepts()["concept_id"].tolist()
    table = kappa_per_concept(codings["a"], codings["b"], concept_ids)
    assert len(table) == len(concept_ids) and table["kappa"].notna().all()


def test_every_disagreement_is_resolved_in_disagreements_csv(codings):
    assert (config.CROSSWALK_DIR / DISAGREEMENTS).is_file()
    assert len(codings["decisions"]) == len(disagreements(codings["a"], codings["b"]))


def test_stored_reconciled_coding_is_rebuilt_from_the_codings_and_decisions(codings, tmp_path):
    rebuilt = write_reconciled(target=tmp_path / "reconciled.csv")
    assert rebuilt.read_text(encoding="utf-8") == config.CROSSWALK_SEGMENTS.read_text(encoding="utf-8")



# --- the result ----------------------------------------------------------------------------------

CONCEPTS = pd.DataFrame({"concept_id": ["x", "y"], "name": ["Ex", "Why"]})


def codings_folder(folder, b: str | None = None, decisions: str | None = None):
    """A crosswalk folder of the four units above: coding A, and coding B and decisions when given."""
    UNITS.to_csv(folder / UNITS_FILE, index=False)
    (folder / CODING_A).write_text("study,segment_id,concept_ids,rationale\ns,q1,x;y,why\ns,q2,x,why\n"
                                   "s,q3,,why\ns,q4,y,why\n")
    if b is not None:
        (folder / CODING_B).write_text(b)
    if decisions is not None:
        (folder / DISAGREEMENTS).write_text(decisions)
    return folder


B = "study,segment_id,concept_ids,rationale\ns,q1,x,why\ns,q2,x,why\ns,q3,y,why\ns,q4,y,why\n"


def test_kappa_names_each_concept_beside_its_id(tmp_path):
    result = CrosswalkReliability(CONCEPTS, codings_folder(tmp_path, B))
    assert result.kappa[["concept_id", "concept"]].values.tolist() == [["x", "Ex"], ["y", "Why"]]
    assert "concept_id" not in result.kappa_table().frame and "concept_id" in result.kappa_table().spreadsheet


def test_the_disagreements_carry_their_recorded_resolution(tmp_path):
    decisions = ("study,segment_id,concepts_a,concepts_b,decision,reason\n"
                 "s,q1,x; y,x,x,y is not the point\ns,q3,,y,excluded,no concept applies\n")
    result = CrosswalkReliability(CONCEPTS, codings_folder(tmp_path, B, decisions))
    table = result.disagreements_table().frame
    assert table["segment_id"].tolist() == ["q1", "q3"] and table["reason"].tolist()[1] == "no concept applies"


def test_without_decisions_the_disagreements_are_listed_unresolved(tmp_path):
    result = CrosswalkReliability(CONCEPTS, codings_folder(tmp_path, B))
    assert result.disagreements["segment_id"].tolist() == ["q1", "q3"]


def test_without_coding_b_there_is_no_kappa_and_no_disagreement_table(tmp_path):
    result = CrosswalkReliability(CONCEPTS, codings_folder(tmp_path))
    assert not result.second_coding and result.kappa.empty
    assert [t.key for t in result.tables()] == ["kappa"]
