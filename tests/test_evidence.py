"""The evidence review's checks, each on a small constructed case that passes and one that fails."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from icevidence import evidence as ev
from icevidence import load_study
from icevidence.errors import ConfigError
from icevidence.study import Study

SEGMENT_HEADER = "segment_id,participant_id,code_id,text,location,attribution_raw,attribution_status,tier,note\n"


def with_segments(folder: Path, rows: str) -> Study:
    """The mini study (copied to folder) with extra segment rows appended."""
    path = folder / "segments.csv"
    table = pd.read_csv(path, dtype=str)
    extra = pd.read_csv(pd.io.common.StringIO(SEGMENT_HEADER + rows), dtype=str)
    pd.concat([table, extra], ignore_index=True).to_csv(path, index=False)
    return load_study(folder.name, root=folder.parent)


def claim(**fields) -> dict:
    """A claims.yml record with defaults for the fields a test does not care about."""
    return {"id": "C-1", "location": "Results, para 1", "text": "Staff said so.", "codes": ["a.x"],
            "quantifier": "some", "groups": [], "quotes": [], "content": "states",
            "content_reason": "the quote says so", "note": "", **fields}


def verdict_of(study: Study, record: dict) -> dict:
    """The checked claim as a dict (verdict, severity, reason)."""
    return ev.check_claims(study, [record]).iloc[0].to_dict()


# --- attributions ---------------------------------------------------------------------------

def test_well_formed_attributions_of_listed_participants_give_no_finding(mini):
    found = ev.check_attributions(mini)
    flagged = set(found["evidence"].str.split("; ").explode())
    assert not flagged & {"S1", "S2", "S3", "S7"}


def test_garbled_and_missing_attributions_are_listed_with_quote_and_location(mini):
    found = ev.check_attributions(mini).set_index("evidence")
    assert found.at["S5", "kind"] == "malformed attribution" and "GTP2" in found.at["S5", "detail"]
    assert found.at["S5", "location"] == "Results" and "fifth quote" in found.at["S5", "detail"]
    assert found.at["S6", "kind"] == "missing attribution"


def test_id_of_a_participant_or_group_the_sample_lacks_is_impossible(mini_copy):
    study = with_segments(mini_copy, "S8,G1P9,a.y,eighth quote,Results,G1P9,valid,,\n"
                                     "S9,,a.y,ninth quote,Results,G4P1,malformed,,\n")
    found = ev.check_attributions(study).set_index("evidence")
    assert found.at["S8", "kind"] == "impossible attribution" and found.at["S8", "severity"] == "high"
    assert found.at["S9", "kind"] == "impossible attribution"


def test_id_naming_only_a_group_is_ambiguous(mini_copy):
    study = with_segments(mini_copy, "S8,,a.y,eighth quote,Table 1,G1P,malformed,micro,number cut off\n")
    found = ev.check_attributions(study).set_index("evidence")
    assert found.at["S8", "kind"] == "ambiguous attribution"


def test_misprinted_attribution_read_with_certainty_is_low():
    result = ev.classify_attribution("Operational health, area 3, interview a", "O-H-3a", "malformed", True,
                                     r"^O-H-[1-3][a-z]$", {"O-H-3a"}, {"A-A-9a"}, {"O-H-9a"})
    assert result[:2] == ("misprinted attribution", "low")
    assert ev.classify_attribution("O-H-3a", "O-H-3a", "valid", True, r"^O-H-[1-3][a-z]$",
                                   {"O-H-3a"}, {"A-A-9a"}, {"O-H-9a"}) is None


def test_ids_of_a_form_the_table_does_not_use_are_summarised_once(mini):
    found = ev.check_attributions(mini)
    unlinkable = found[found["kind"] == "unlinkable IDs"]
    assert len(unlinkable) == 1 and "G1PL" in unlinkable.iloc[0]["detail"]


# --- sample arithmetic ----------------------------------------------------------------------

def test_bands_in_order_without_gaps_or_overlaps_pass():
    assert ev.band_problems(["<5", "5-10", "11-20", ">20"]) == []


@pytest.mark.parametrize("bands, kind", [
    (["10-5"], "inverted band"),
    (["5-10", "10-15"], "bands share a boundary"),
    (["<5", "0–5"], "overlapping bands"),
    (["15–20", "15-20"], "band printed two ways"),
])
def test_invalid_bands_are_found(bands, kind):
    assert [p[0] for p in ev.band_problems(bands)] == [kind]


def test_band_reading():
    assert ev.parse_band("5–10") == (5, 10) and ev.parse_band(">30")[0] == 31
    assert ev.parse_band("<5") == (float("-inf"), 4) and ev.parse_band("senior") is None


def test_counts_that_agree_and_add_up_give_no_high_finding(mini_copy):
    (mini_copy / "reported_counts.csv").write_text(
        "location,statement,group_field,group_value,attribute,attribute_value,count\n"
        "Table 2,group 2 n,tier,meso,,,2\nTable 2,group 2 female,tier,meso,gender,Female,1\n"
        "Table 2,group 2 male,tier,meso,gender,Male,1\nText,total,,,,,7\n")
    found = ev.check_sample(load_study("mini", root=mini_copy.parent))
    assert not (found["severity"] == "high").any()


def test_counts_that_differ_or_do_not_add_up_are_high(mini):
    found = ev.check_sample(mini)
    kinds = set(found.loc[found["severity"] == "high", "kind"])
    assert {"count differs from the data", "breakdown does not add up"} <= kinds


def test_the_same_count_stated_differently_in_text_and_table_is_found(mini_copy):
    path = mini_copy / "reported_counts.csv"
    path.write_text(path.read_text() + "Abstract,total,,,,,8\n")
    found = ev.check_sample(load_study("mini", root=mini_copy.parent))
    conflict = found[found["kind"] == "stated counts disagree"]
    assert len(conflict) == 1 and "8 at Abstract" in conflict.iloc[0]["detail"]


# --- quantified claims ----------------------------------------------------------------------

def test_claim_about_a_group_with_a_quote_from_that_group_is_supported(mini):
    assert verdict_of(mini, claim(groups=["micro"], quotes=["S1"]))["topic"] == ev.TOPIC_EVIDENCED


def test_claim_naming_one_group_with_a_quote_from_another_is_not_supported(mini):
    result = verdict_of(mini, claim(groups=["macro"], quotes=["S3"]))
    assert result["topic"] == ev.NOT_SUPPORTED and result["severity"] == "high"
    assert "S3 (G2P1)" in result["reason"]


def test_claim_about_every_interviewee_backed_by_a_few_quotes_is_not_checkable(mini):
    result = verdict_of(mini, claim(quantifier="every", quotes=["S1", "S2", "S3"]))
    assert result["topic"] == ev.NOT_CHECKABLE and result["severity"] == "medium"
    assert "needs 7 speakers" in result["reason"]


def test_claim_about_all_groups_is_supported_when_each_group_is_quoted(mini):
    record = claim(quantifier="all", groups=["micro", "meso"], text="All groups raised it.")
    assert verdict_of(mini, record)["topic"] == ev.TOPIC_EVIDENCED


def test_claim_naming_a_group_no_published_quote_comes_from_is_not_checkable(mini):
    result = verdict_of(mini, claim(groups=["macro"]))
    assert result["topic"] == ev.NOT_CHECKABLE and "tier = macro" in result["reason"]


def test_only_claim_contradicted_by_the_matrix_is_not_supported(mini):
    result = verdict_of(mini, claim(quantifier="only", groups=["micro"], quotes=["S1", "S2"]))
    assert result["topic"] == ev.NOT_SUPPORTED and "S3" in result["reason"]


def test_only_claim_with_no_evidence_from_other_groups_is_supported(mini):
    record = claim(quantifier="only", codes=["a.x.1"], groups=["micro"], quotes=["S1", "S2"])
    assert verdict_of(mini, record)["topic"] == ev.TOPIC_EVIDENCED


def test_claim_about_a_group_the_table_cannot_identify_is_not_checkable(mini):
    result = verdict_of(mini, claim(groups=["GPs"], quotes=["S1"]))
    assert result["topic"] == ev.NOT_CHECKABLE and "'GPs'" in result["reason"]


def test_claim_with_no_code_is_about_the_study_not_the_evidence(mini):
    result = verdict_of(mini, claim(codes=[]))
    assert (result["topic"], result["verdict"]) == (ev.NOT_CHECKABLE, ev.ABOUT_THE_STUDY)


def test_majority_claim_needs_more_than_half_the_group_as_distinct_speakers(mini):
    short = verdict_of(mini, claim(quantifier="majority", groups=["micro"], quotes=["S1"]))
    assert short["topic"] == ev.NOT_CHECKABLE and "needs 3 speakers" in short["reason"]
    whole = claim(quantifier="majority", groups=["macro"], codes=["b.z"], quotes=["S7"])
    assert verdict_of(mini, whole)["topic"] == ev.TOPIC_EVIDENCED


def test_groups_are_matched_against_participant_columns(mini):
    assert ev.resolve_group(mini, "micro") == ("tier", "micro")
    assert ev.resolve_group(mini, "nurse") == ("professional_group", "Nurse")
    assert ev.resolve_group(mini, "gender Female") == ("gender", "Female")
    assert ev.resolve_group(mini, "GPs") is None


def test_quantifiers_need_the_stated_number_of_speakers():
    assert ev.needed_speakers("majority", 24) == 13 and ev.needed_speakers("every", 24) == 24
    assert ev.needed_speakers("some", 24) == 1 and ev.needed_speakers("many", 24) == 8


def test_ids_of_two_forms_count_once_at_least_and_separately_at_most():
    quotes = pd.DataFrame({"participant_id": ["G1P1", "G1PA", "G1PB", None], "attribution_raw": ["G1P1", "G1PA",
                           "G1PB", "GTP2"], "segment_id": ["s1", "s2", "s3", "s4"]})
    assert ev.speaker_bounds(quotes, {"G1P1"}) == (2, 4)


def test_only_claim_and_an_all_groups_claim_on_the_same_code_contradict(mini):
    claims = [claim(id="C-1", quantifier="only", groups=["micro"]),
              claim(id="C-2", quantifier="all", groups=["micro", "meso"], location="Discussion")]
    found = ev.claim_findings(mini, claims)
    contradiction = found[found["kind"] == "contradictory claims"]
    assert len(contradiction) == 1 and contradiction.iloc[0]["evidence"] == "C-1; C-2"


def test_claims_on_other_codes_do_not_contradict(mini):
    claims = [claim(id="C-1", quantifier="only", groups=["micro"]),
              claim(id="C-2", quantifier="all", groups=["meso"], codes=["b.z"])]
    assert not (ev.claim_findings(mini, claims)["kind"] == "contradictory claims").any()


def test_claims_yml_is_read_and_an_unknown_quantifier_refused(mini_copy):
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([claim()]))
    study = load_study("mini", root=mini_copy.parent)
    assert len(ev.read_claims(study)) == 1
    (mini_copy / "claims.yml").write_text(yaml.safe_dump([claim(quantifier="loads")]))
    with pytest.raises(ConfigError, match="'loads'"):
        ev.read_claims(study)


def test_claim_citing_a_missing_quote_or_code_is_a_finding(mini):
    found = ev.claim_findings(mini, [claim(codes=["a.x", "zz"], quotes=["S1", "S99"])])
    assert {"claim code not in the framework", "claim cites an unknown quote"} <= set(found["kind"])


# --- reused evidence ------------------------------------------------------------------------

QUOTE = "we have statutory responsibilities and it is a big learning curve for our health colleagues"


def test_different_quotes_do_not_match():
    assert ev.compare_quotes(ev.words_of(QUOTE), ev.words_of("the GP is at the heart of everything here")) is None
    assert ev.compare_quotes(ev.words_of("not being listened to"), ev.words_of("it's not being listened to")) is None


def test_identical_excerpted_and_overlapping_quotes_match():
    same = ev.compare_quotes(ev.words_of(QUOTE), ev.words_of(QUOTE.upper() + "."))
    excerpt = ev.compare_quotes(ev.words_of(QUOTE), ev.words_of("...statutory responsibilities and it is a big "
                                                                "learning curve ..."))
    sentence = "I think it needs to be looked at, where does the GP fit within this integrated working?"
    shared = ev.compare_quotes(ev.words_of(QUOTE + " " + sentence), ev.words_of(sentence + " What is their view?"))
    short = ev.compare_quotes(ev.words_of(QUOTE), ev.words_of("'it is a big learning curve'"))
    assert ev.reuse_relation(same) == ev.reuse_relation(excerpt) == ev.reuse_relation(short) == "same quote"
    assert shared is not None and shared["longest"] >= ev.SENTENCE


def test_paper_without_repeated_quotes_has_no_reuse_finding(mini):
    assert ev.check_reuse(mini).empty


def test_one_quote_under_two_participants_is_high(mini_copy):
    study = with_segments(mini_copy, f"S8,G1P1,a.y,{QUOTE},Table 1,G1P1,valid,,\n"
                                     f"S9,G1P2,b.z,...{QUOTE},Results,G1P2,valid,,\n")
    found = ev.check_reuse(study)
    assert found.iloc[0]["kind"] == "one quote, two participants" and found.iloc[0]["severity"] == "high"
    assert "S8 (G1P1)" in found.iloc[0]["evidence"] and "S9 (G1P2)" in found.iloc[0]["evidence"]


def test_one_quote_printed_twice_under_one_participant_is_low(mini_copy):
    study = with_segments(mini_copy, f"S8,G1P1,a.y,{QUOTE},Table 1,G1P1,valid,,\n"
                                     f"S9,G1P1,b.z,{QUOTE},Results,G1P1,valid,,\n")
    assert ev.check_reuse(study)["kind"].tolist() == ["quote printed twice"]


def second_study(tmp_path: Path, name: str, rows: str) -> Study:
    """A copy of the mini study under another id, with the given segments only."""
    folder = tmp_path / name
    shutil.copytree(Path(__file__).parent / "fixtures" / "studies" / "mini", folder)
    meta = yaml.safe_load((folder / "study.yml").read_text())
    (folder / "study.yml").write_text(yaml.safe_dump({**meta, "id": name}))
    (folder / "segments.csv").write_text(SEGMENT_HEADER + rows)
    return load_study(name, root=tmp_path)


def test_quote_shared_by_two_papers_is_listed_with_both_attributions(mini, tmp_path):
    other = second_study(tmp_path, "other", "T1,G2P2,a.x,first quote from the other paper that is long enough,"
                                            "Results,G2P2,valid,,\n")
    mine = second_study(tmp_path, "mine", "T1,G1P1,a.x,first quote from the other paper that is long enough,"
                                          "Table 1,G1P1,valid,,\n")
    found = ev.check_reuse_across([mine, other])
    assert found["kind"].tolist() == ["quote reused across papers"]
    assert found.iloc[0]["study"] == "mine + other"
    assert "mine T1 (G1P1)" in found.iloc[0]["evidence"] and "other T1 (G2P2)" in found.iloc[0]["evidence"]


def test_one_speaker_under_two_speakers_in_another_paper_is_high(tmp_path):
    text = "the whole system is so hospital centric that people in the community are forgotten by everyone"
    mine = second_study(tmp_path, "mine", f"T1,G1P1,a.x,{text},Table 1,G1P1,valid,,\n")
    other = second_study(tmp_path, "other", f"T1,G2P1,a.x,{text},Results,G2P1,valid,,\n"
                                            f"T2,G2P2,a.y,{text} again,Results,G2P2,valid,,\n")
    found = ev.check_reuse_across([mine, other])
    crossed = found[found["kind"] == "one speaker, two attributions across papers"]
    assert len(crossed) == 1 and crossed.iloc[0]["severity"] == "high" and "G2P1, G2P2" in crossed.iloc[0]["detail"]


# --- coverage -------------------------------------------------------------------------------

def test_framework_with_a_quote_for_every_element_has_no_coverage_finding(mini):
    assert ev.check_coverage(mini).empty


def test_framework_element_with_no_quote_and_quote_outside_framework_are_found(mini):
    codes = pd.concat([mini.codes, pd.DataFrame([{"study": "mini", "code_id": "c", "name": "Theme C", "path": "Theme C",
                                                  "level": "overarching", "source": "constructed"}])], ignore_index=True)
    segments = mini.segments.copy()
    segments.loc[0, "code_id"] = "q"
    study = Study("mini", mini.participants, codes, segments, mini.meta)
    found = ev.check_coverage(study).set_index("kind")
    assert found.at["framework element with no quote", "evidence"] == "c"
    assert found.at["quote coded outside the framework", "evidence"] == "S1"


# --- the review -----------------------------------------------------------------------------

def test_review_returns_findings_most_serious_first(mini):
    found = ev.review(mini)
    assert {"study", "kind", "severity", "location", "detail"} <= set(found.columns)
    assert set(found["study"]) == {"mini"}
    ranks = found["severity"].cat.codes.tolist()
    assert ranks == sorted(ranks) and found.iloc[0]["severity"] == "high"


def test_review_of_several_studies_adds_the_cross_paper_findings(tmp_path):
    text = "the whole system is so hospital centric that people in the community are forgotten by everyone"
    mine = second_study(tmp_path, "mine", f"T1,G1P1,a.x,{text},Table 1,G1P1,valid,,\n")
    other = second_study(tmp_path, "other", f"T1,G2P1,a.x,{text},Results,G2P1,valid,,\n")
    found = ev.review([mine, other])
    assert {"mine", "other", "mine + other"} == set(found["study"])


def test_summary_counts_findings_by_kind_and_severity(mini):
    found = ev.review(mini)
    summary = ev.summarise(found)
    assert summary["total"].sum() == len(found)
    assert list(summary.columns[-5:]) == [*ev.SEVERITIES, "total"]
    assert len(ev.findings_of(found, "attributions")) == (found["check"] == "attributions").sum()
    with pytest.raises(ConfigError):
        ev.findings_of(found, "spelling")


# --- which checks run -----------------------------------------------------------------------

def test_study_without_claims_or_stated_counts_skips_those_checks_and_says_why(mini_copy):
    for name in ("claims.yml", "reported_counts.csv"):
        (mini_copy / name).unlink(missing_ok=True)
    study = load_study("mini", root=mini_copy.parent)
    runs = ev.checks_run(study).set_index("check")
    assert runs.at["claims", "status"] == "skipped" and "claims.yml" in runs.at["claims", "reason"]
    assert runs.at["sample", "status"] == "run in part" and "bands only" in runs.at["sample", "reason"]
    assert (runs.loc[["attributions", "reuse", "coverage"], "status"] == "run").all()
    assert "claims" not in set(ev.review(study)["check"].astype(str))


def test_a_registered_check_runs_in_every_review(mini):
    extra = ev.Check("disclosure", lambda study: ev.as_findings(
        [ev.finding(study.id, "disclosure", "identifiable", "medium", "Table 2", "a rare combination")]))
    saved = list(ev.STUDY_CHECKS)
    try:
        ev.register_check(extra)
        assert (ev.review(mini)["kind"] == "identifiable").sum() == 1
    finally:
        ev.STUDY_CHECKS[:] = saved


def test_attribution_pattern_runs_on_the_safe_regex_engine():
    # RE2 (linear time) refuses a backreference that Python's backtracking engine would run
    from icevidence.errors import ConfigError
    with pytest.raises(ConfigError, match="attribution_pattern"):
        ev.classify_attribution("(P1)", "P1", "valid", True, r"^(P)\1$", {"P1"}, {"P0"}, {"P0"})
