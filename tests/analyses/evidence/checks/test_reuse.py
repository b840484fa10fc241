"""Reused quotes within a paper and across papers, with both attributions."""
from __future__ import annotations

from evidence_helpers import second_study, with_file, with_segments

from icevidence.analyses.evidence.checks import reuse as ru

QUOTE = "we have statutory responsibilities and it is a big learning curve for our health colleagues"


def test_paper_without_repeated_quotes_has_no_reuse_finding(mini):
    assert ru.check_reuse(mini).empty


def test_one_quote_under_two_participants_is_high(mini_copy):
    study = with_segments(mini_copy, f"S8,G1P1,a.y,{QUOTE},Table 1,G1P1,valid,,\n"
                                     f"S9,G1P2,b.z,...{QUOTE},Results,G1P2,valid,,\n")
    found = ru.check_reuse(study)
    assert found.iloc[0]["kind"] == "one quote, two participants" and found.iloc[0]["severity"] == "high"
    assert "S8 (G1P1)" in found.iloc[0]["evidence"] and "S9 (G1P2)" in found.iloc[0]["evidence"]


def test_one_quote_printed_twice_under_one_participant_is_low(mini_copy):
    study = with_segments(mini_copy, f"S8,G1P1,a.y,{QUOTE},Table 1,G1P1,valid,,\n"
                                     f"S9,G1P1,b.z,{QUOTE},Results,G1P1,valid,,\n")
    assert ru.check_reuse(study)["kind"].tolist() == ["quote printed twice"]


def test_a_pair_resting_on_an_attribution_our_copy_damaged_is_info(mini_copy):
    with_segments(mini_copy, f"S8,,a.y,{QUOTE},Table 1,GTP2,malformed,,\nS9,G1P2,b.z,{QUOTE},Results,G1P2,valid,,\n")
    study = with_file(mini_copy, "transcription.csv", "item,field,ours,printed,reason\n"
                      "S8,attribution_raw,GTP2,,the row is misread in our copy\n")
    found = ru.check_reuse(study)
    assert found[["kind", "severity"]].values.tolist() == [["text damaged in our copy — check the published PDF",
                                                            "info"]]


def test_quote_shared_by_two_papers_is_listed_with_both_attributions(tmp_path):
    other = second_study(tmp_path, "other", "T1,G2P2,a.x,first quote from the other paper that is long enough,"
                                            "Results,G2P2,valid,,\n")
    mine = second_study(tmp_path, "mine", "T1,G1P1,a.x,first quote from the other paper that is long enough,"
                                          "Table 1,G1P1,valid,,\n")
    found = ru.check_reuse_across([mine, other])
    assert found["kind"].tolist() == ["quote reused across papers"]
    assert found.iloc[0]["study"] == "mine + other"
    assert "mine T1 (G1P1)" in found.iloc[0]["evidence"] and "other T1 (G2P2)" in found.iloc[0]["evidence"]


def test_one_speaker_under_two_speakers_in_another_paper_is_high(tmp_path):
    text = "the whole system is so hospital centric that people in the community are forgotten by everyone"
    mine = second_study(tmp_path, "mine", f"T1,G1P1,a.x,{text},Table 1,G1P1,valid,,\n")
    other = second_study(tmp_path, "other", f"T1,G2P1,a.x,{text},Results,G2P1,valid,,\n"
                                            f"T2,G2P2,a.y,{text} again,Results,G2P2,valid,,\n")
    found = ru.check_reuse_across([mine, other])
    crossed = found[found["kind"] == "one speaker, two attributions across papers"]
    assert len(crossed) == 1 and crossed.iloc[0]["severity"] == "high" and "G2P1, G2P2" in crossed.iloc[0]["detail"]
