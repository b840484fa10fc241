"""Inter-coder agreement on a study: units, hand-worked cases, intervals, and clear refusals."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from icevidence.analyses.agreement import OVERALL, AgreementError, agreement
from icevidence.model.study import assemble_study

CODES = pd.DataFrame({"code_id": ["t", "a", "b", "a1"], "parent_id": [None, "t", "t", "a"],
                      "name": ["T", "A", "B", "A one"], "level": ["overarching", "main", "main", "sub"]})

# Two documents, two coders. d1: both code A at 0-10 and B at 20-30. d2: Ann codes A at 0-10,
# Bo codes B at 50-60. Documents run to the last coded character: d1 has 30, d2 60 characters.
HAND = [("ann", "d1", "a", 0, 10), ("bo", "d1", "a", 0, 10), ("ann", "d1", "b", 20, 30), ("bo", "d1", "b", 20, 30),
        ("ann", "d2", "a", 0, 10), ("bo", "d2", "b", 50, 60)]


def make_study(rows, with_coder: bool = True, lengths: dict[str, int] | None = None):
    segments = pd.DataFrame([{"segment_id": f"s{i}", "code_id": code, "text": f"passage {i}", "location": doc,
                              "attribution_status": "missing", "document": doc, "start": str(s), "end": str(e),
                              "coder": who if with_coder else None}
                             for i, (who, doc, code, s, e) in enumerate(rows)])
    participants = pd.DataFrame({"participant_id": pd.Series([], dtype="string")})
    tables = {"participants": participants, "codes": CODES.astype("string"), "segments": segments.astype("string")}
    if lengths is not None:
        tables["documents"] = pd.DataFrame({"document": list(lengths), "characters": [str(n) for n in lengths.values()],
                                            "source": "test"}).astype("string")
    return assemble_study({"id": "hand", "citation": "c", "licence": "l"}, tables)


def row(result, code):
    return result.table.set_index("code").loc[code]


def test_character_units_match_the_hand_worked_case():
    # Code A, characters (Ann, Bo): yes/yes 10 (d1 0-10), yes/no 10 (d2 0-10), no/no 20 + 50 = 70.
    a = row(agreement(make_study(HAND), unit="character", replicates=0), "A")
    po, pe = 80 / 90, (20 * 10 + 70 * 80) / 90 ** 2
    # alpha: coincidences o11 = 20, o00 = 140, o01 = o10 = 10; n = 180, n1 = 30, n0 = 150.
    assert (a["units"], a["percent agreement"]) == (90, pytest.approx(100 * po))
    assert a["kappa"] == pytest.approx((po - pe) / (1 - pe))
    assert a["alpha"] == pytest.approx(1 - 179 * 10 / (150 * 30))


# A 100-character text coded only within its first 80 characters: Ann codes A at 0-80, Bo at 0-60.
TAIL = [("ann", "d1", "a", 0, 80), ("bo", "d1", "a", 0, 60)]


def test_character_units_count_every_character_of_a_document_of_known_length():
    # (Ann, Bo): yes/yes 60, yes/no 20, and the uncoded tail 80-100 no/no 20: 100 units, as NVivo counts.
    a = row(agreement(make_study(TAIL, lengths={"d1": 100}), unit="character", replicates=0), "A")
    po, pe = 80 / 100, (80 * 60 + 20 * 40) / 100 ** 2
    # alpha: coincidences o11 = 120, o00 = 40, o01 = o10 = 20; n = 200, n1 = 140, n0 = 60.
    assert (a["units"], a["percent agreement"]) == (100, pytest.approx(100 * po))
    assert a["kappa"] == pytest.approx((po - pe) / (1 - pe))
    assert a["alpha"] == pytest.approx(1 - 199 * 20 / (140 * 60))


def test_character_units_of_a_document_of_unknown_length_stop_at_its_last_coding_and_say_so():
    result = agreement(make_study(TAIL), unit="character", replicates=0)
    a = row(result, "A")
    assert (a["units"], a["percent agreement"]) == (80, pytest.approx(75.0))
    assert any("full length of every document is unknown" in note for note in result.notes)


def test_character_units_name_the_documents_whose_length_is_unknown():
    rows = [*TAIL, ("ann", "d2", "a", 0, 10), ("bo", "d2", "a", 0, 10)]
    result = agreement(make_study(rows, lengths={"d1": 100}), unit="character", replicates=0)
    assert row(result, "A")["units"] == 110
    assert any("1 of them (d2)" in note for note in result.notes)


def test_segment_units_match_the_hand_worked_case():
    # Passages: d1 0-10 (A by both), d1 20-30 (B by both), d2 0-10 (A by Ann), d2 50-60 (B by Bo).
    # Code A over the 4 passages (Ann, Bo): yes/yes, no/no, yes/no, no/no.
    a = row(agreement(make_study(HAND), unit="segment", replicates=0), "A")
    assert (a["units"], a["units with the code"], a["percent agreement"]) == (4, 2, 75.0)
    assert a["percent agreement where coded"] == 50.0
    assert a["kappa"] == pytest.approx((0.75 - 0.5) / (1 - 0.5))
    assert a["alpha"] == pytest.approx(1 - 7 * 1 / (5 * 3))


def test_segments_overlapping_enough_are_one_passage():
    rows = [("ann", "d1", "a", 0, 100), ("bo", "d1", "a", 5, 100), ("ann", "d1", "b", 200, 300),
            ("bo", "d1", "b", 200, 300)]
    result = agreement(make_study(rows), unit="segment", overlap=0.9, replicates=0)
    assert row(result, "A")["percent agreement"] == 100.0 and result.disagreements.empty


def test_segments_overlapping_too_little_are_two_disagreements():
    rows = [("ann", "d1", "a", 0, 100), ("bo", "d1", "a", 50, 100), ("ann", "d1", "b", 200, 300),
            ("bo", "d1", "b", 200, 300)]
    result = agreement(make_study(rows), unit="segment", overlap=0.9, replicates=0)
    assert row(result, "A")["units"] == 3 and len(result.passages("A")) == 2


def test_a_long_segment_does_not_swallow_the_short_ones_inside_it():
    rows = [("ann", "d1", "a", 0, 1000), *(("bo", "d1", "a", 10 * k, 10 * k + 5) for k in range(50)),
            ("ann", "d1", "b", 2000, 2010), ("bo", "d1", "b", 2000, 2010)]
    result = agreement(make_study(rows), unit="segment", replicates=0)
    assert row(result, "A")["units"] == 52 and len(result.passages("A")) == 51


@pytest.mark.parametrize("unit", ["segment", "character"])
def test_perfect_agreement_gives_one(unit):
    rows = [(who, doc, code, s, s + 10) for who in ("ann", "bo") for doc, code, s in
            (("d1", "a", 0), ("d1", "b", 20), ("d2", "a", 5), ("d2", "b", 40))]
    overall = agreement(make_study(rows), unit=unit, replicates=50).overall
    assert (overall["alpha"], overall["kappa"], overall["percent agreement"]) == (1.0, 1.0, 100.0)


@pytest.mark.parametrize("unit", ["segment", "character"])
def test_coders_who_never_overlap_give_at_most_zero(unit):
    rows = [("ann", "d1", "a", 0, 10), ("bo", "d1", "a", 30, 40), ("ann", "d1", "b", 50, 60),
            ("bo", "d1", "b", 70, 80)]
    overall = agreement(make_study(rows), unit=unit, replicates=0).overall
    assert overall["alpha"] <= 0 and overall["kappa"] <= 0


def test_sub_codes_roll_up_to_the_level():
    rows = [("ann", "d1", "a1", 0, 10), ("bo", "d1", "a", 0, 10), ("ann", "d1", "b", 20, 30),
            ("bo", "d1", "b", 20, 30)]
    assert row(agreement(make_study(rows), level="main", replicates=0), "A")["percent agreement"] == 100.0


def test_a_coder_missing_from_a_document_is_missing_not_disagreeing():
    rows = HAND + [("cy", "d1", "a", 0, 10), ("cy", "d1", "b", 20, 30)]
    result = agreement(make_study(rows), unit="segment", replicates=0)
    assert np.isnan(row(result, "A")["kappa"])
    assert set(result.passages("A")["cy"]) == {"(did not code this document)"}


def test_the_disagreements_show_each_coders_text_side_by_side():
    passages = agreement(make_study(HAND), replicates=0).passages("A")
    assert passages[["document", "ann", "bo"]].values.tolist() == [["d2", "passage 4", "(not coded)"]]


def test_reruns_with_a_seed_agree_and_another_seed_differs():
    study = make_study(HAND * 1 + [("ann", "d3", "a", 0, 10), ("bo", "d3", "a", 0, 9)])
    first, again = (agreement(study, seed=3, replicates=200).table for _ in range(2))
    other = agreement(study, seed=4, replicates=200).table
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)


def test_the_interval_holds_the_estimate():
    rows = [(who, f"d{d}", "a" if (d + k) % 3 else "b", 20 * k, 20 * k + 10) for d in range(12) for k in range(4)
            for who in ("ann", "bo") if not (who == "bo" and (d * 4 + k) % 5 == 0)]
    overall = agreement(make_study(rows), unit="segment", replicates=300).overall
    assert overall["alpha low"] <= overall["alpha"] <= overall["alpha high"]
    assert overall["kappa low"] <= overall["kappa"] <= overall["kappa high"]


def test_codes_below_the_bar_are_listed_weakest_first():
    result = agreement(make_study(HAND), replicates=0)
    assert result.below(0.8) == ["A", "B"] and result.by_code()["code"].tolist() == ["A", "B"]


def test_without_coders_the_error_says_the_export_did_not_record_them():
    with pytest.raises(AgreementError, match="records who coded it"):
        agreement(make_study(HAND, with_coder=False))


def test_one_coder_is_refused_naming_the_coder_and_documents():
    with pytest.raises(AgreementError, match=r"only 1 coded: ann made 3 codings in 2 documents \(d1, d2\)"):
        agreement(make_study([r for r in HAND if r[0] == "ann"]))


def test_coders_of_different_documents_are_refused_saying_who_coded_what():
    rows = [("ann", "d1", "a", 0, 10), ("bo", "d2", "a", 0, 10)]
    with pytest.raises(AgreementError, match=r"coded different documents.*ann made 1 codings in 1 document \(d1\); "
                                              r"bo made 1 codings in 1 document \(d2\)"):
        agreement(make_study(rows))


def test_unknown_coders_are_named():
    with pytest.raises(AgreementError, match=r"coders \['zed'\] coded nothing"):
        agreement(make_study(HAND), coders=["ann", "zed"])


def test_an_unknown_unit_is_refused():
    with pytest.raises(AgreementError, match="unknown unit 'word'"):
        agreement(make_study(HAND), unit="word")


def test_the_overall_row_comes_last():
    assert agreement(make_study(HAND), replicates=0).table["code"].tolist()[-1] == OVERALL


@pytest.mark.parametrize("name", ["oltas0517.qdpx", "OltasSzkepticizmus_17June.qdpx", "nvivo_project.qdpx"])
def test_real_multi_user_nvivo_projects_say_why_agreement_cannot_be_measured(real_exports, name):
    # Checked first: each project lists two users, but in oltas0517 only Gergo has codings (303,
    # one document), in the Mac export of the same project only floriansipos (297), and
    # nvivo_project has no codings at all. So no table: the message must say which and why.
    from icevidence.io.refi_qda import read_qdpx
    study = read_qdpx(real_exports / "nvivo" / name)
    with pytest.raises(AgreementError) as caught:
        agreement(study)
    message = str(caught.value)
    if len(study.segments):
        assert "only 1 coded" in message and "videos_10_selected" in message and "lists 2 users" in message
    else:
        assert "none of its 0 segments records who coded it" in message


def test_ic_agreement_is_the_function_even_after_the_module_is_imported():
    import icevidence as ic
    import icevidence.analyses.agreement as module  # a submodule of analyses: binds no name of the package
    assert ic.agreement is module.agreement
    assert row(ic.agreement(make_study(HAND), replicates=0), "A")["units"] == 4
