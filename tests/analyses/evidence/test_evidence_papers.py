"""The evidence review on the three papers: findings the papers themselves show.

Every expected value is read from the paper (seed files in ../shared/seeds: 000 Tracy et al.
2025, 003 Mitchell et al. 2020, 004 Mitchell et al. 2023); the comment above each test quotes
the sentence or table cell it comes from.
"""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence import load_study
from icevidence.analyses.evidence import verdicts as vd
from icevidence.analyses.evidence.checks.reuse import check_reuse_across
from icevidence.analyses.evidence.review import review


@pytest.fixture(scope="module")
def tracy() -> pd.DataFrame:
    return review("tracy2025").findings


@pytest.fixture(scope="module")
def mitchell2020() -> pd.DataFrame:
    return review("mitchell2020").findings


@pytest.fixture(scope="module")
def mitchell2023() -> pd.DataFrame:
    return review("mitchell2023").findings


@pytest.fixture(scope="module")
def manchester() -> pd.DataFrame:
    return review(["mitchell2020", "mitchell2023"]).findings


def rows(findings: pd.DataFrame, kind: str, text: str = "", column: str = "detail") -> pd.DataFrame:
    """Findings of one kind whose column mentions the text."""
    hit = findings[findings["kind"] == kind]
    return hit[hit[column].str.contains(text, regex=False)]


def claim_verdict(study: str, claim_id: str, column: str = "verdict") -> str:
    table = vd.check_claims(load_study(study)).set_index("id")
    return table.at[claim_id, column]


DAMAGED = "text damaged in our copy — check the published PDF"


# --- tracy2025 (seed 000) -------------------------------------------------------------------

# Table 1, ICS relationships: "'Like two parents ... till after vou're married ... (GTP2)" — the row's letters
# are misread in our copy ('vou're'), so the ID is reported as our copy's damage, never as the paper's.
def test_tracy_table1_GTP2_is_damage_in_our_copy_not_a_malformed_attribution(tracy):
    found = rows(tracy, DAMAGED, "(GTP2)")
    assert len(found) == 1 and "Table 1" in found.iloc[0]["location"] and found.iloc[0]["severity"] == "info"
    assert "Like two parents" in found.iloc[0]["detail"] and rows(tracy, "malformed attribution", "GTP2").empty


# Table 1, Internal relationships: "... building them back up ((32P9)" — the quote lost its opening quote mark
# in our copy and the ID its first letter; and The local authority: "... come from thiely (G2D2)".
def test_tracy_table1_32P9_and_G2D2_are_damage_in_our_copy(tracy):
    assert len(rows(tracy, DAMAGED, "32P9")) == 1 and len(rows(tracy, DAMAGED, "G2D2")) == 1
    assert not tracy["detail"].str.contains("32P9|G2D2").loc[tracy["severity"].isin(["high", "medium"])].any()


# Results: Innovation characteristics, para 2: "... it could be a game changer' (GP4)" — the group is missing.
def test_tracy_results_GP4_is_malformed(tracy):
    assert len(rows(tracy, "malformed attribution", "(GP4)")) == 1


# Table 1, Implementation of innovation > Care quality, workflow, learning: "... different
# professionals that work in different ways' (G1P)" — group 1 is legible, the participant number is not.
def test_tracy_table1_G1P_names_a_group_but_no_participant(tracy):
    found = rows(tracy, "ambiguous attribution", "(G1P)")
    assert len(found) == 1 and "Table 1" in found.iloc[0]["location"]


# Results: Adopters' characteristics, para 7: "healthcare's 'deficits-based model' ... social care's complementary
# 'strengthsbased model'", and Discussion, para 11: "The 'deficits (but evidence)-based' model of healthcare and the
# 'strengths-based' model of social care" — the authors' own labels, not quotes without an ID.
def test_tracy_the_two_models_are_the_authors_labels_not_missing_attributions(tracy):
    found = rows(tracy, "authors' label, not a quote")
    assert set(found["evidence"]) == {"R-051", "R-052"} and (found["severity"] == "info").all()
    assert rows(tracy, "missing attribution").empty


# The same words, Table 1 "'it's quite nice continual conversation about changes ...' (G1P)" and
# Results: Stage of innovation, para 4, block quote "'it's quite nice ... continual conversation
# about changes ...' (G1PD)": one quote printed twice, once under an unreadable ID.
def test_tracy_quote_in_table1_and_results_is_reused_with_both_ids(tracy):
    found = rows(tracy, "same quote, one attribution unreadable", "(G1PD)", column="evidence")
    assert len(found) == 1 and "(G1P)" in found.iloc[0]["evidence"]


# Results: Adopters' characteristics, para 6: "Only the meso and micro groups discussed leadership
# attributes ... (G2PA) ... (G3PD) ... (G3PA)" — the quotes come from groups 2 and 3 (meso and macro),
# none from group 1 (micro).
def test_tracy_only_meso_and_micro_on_leadership_is_not_supported(tracy):
    claim = tracy[tracy["location"] == "Results: Adopters' characteristics, paragraph 6"]
    assert (claim["kind"] == "unsupported claim").any()
    assert "G3PD" in claim.loc[claim["kind"] == "unsupported claim", "detail"].iloc[0]


# The same paragraph against Discussion, para 9: "All three groups in our data emphasised the need
# for good, accountable, inclusive leaders but all respondents said ..." — 'only meso and micro' and
# 'all three groups' cannot both hold. The sentence is recorded as two claims (C-058 the groups, C-059
# all respondents); the contradiction is one finding naming both.
def test_tracy_only_two_groups_contradicts_all_three_groups_on_leadership_once(tracy):
    found = rows(tracy, "contradictory claims", "Discussion, paragraph 9", column="location")
    assert len(found) == 1 and found.iloc[0]["severity"] == "high"
    assert found.iloc[0]["evidence"] == "C-036; C-058; C-059"


# Discussion, para 9: "all respondents said, in different ways, that stretched busy systems were not
# actively supporting this" — a claim about all 33 interviewees with no quote offered.
def test_tracy_all_respondents_on_leadership_is_not_checkable():
    assert claim_verdict("tracy2025", "C-059") == vd.NOT_CHECKABLE


# Discussion, para 1: "participants at different organisational levels support the principles of these moves" —
# at least two of the levels, each quoted on these codes; not 'all three tiers'.
def test_tracy_participants_at_different_levels_is_not_read_as_all_three_tiers():
    assert claim_verdict("tracy2025", "C-053", "topic") == vd.TOPIC_EVIDENCED


# Results: Communication behaviour, para 2: "The meso and micro groups also noted a failure to catch the successes of
# the programme, 'celebrating the things ... the messaging isn't strong' (G2PD)" — one meso quote for two groups.
def test_tracy_meso_and_micro_on_one_meso_quote_lacks_the_micro_group(tracy):
    found = rows(tracy, "named group without evidence", "C-045")
    assert len(found) == 1 and "none from tier = micro" in found.iloc[0]["detail"]


# Table 2, Group 1, P14: age "55-50" — the upper bound is below the lower.
def test_tracy_table2_age_55_50_is_inverted(tracy):
    found = rows(tracy, "inverted band", "'55-50'")
    assert len(found) == 1 and "G1P14" in found.iloc[0]["evidence"]


# Table 2: years of service "<5" (Group 1, P4) and "0–5" (Group 1, P8) overlap; so do ages
# "60–65" (Group 1, P7) and ">60" (Group 2, P1 and P7).
def test_tracy_table2_overlapping_bands(tracy):
    details = " ".join(rows(tracy, "overlapping bands")["detail"])
    assert "'<5' and '0–5'" in details and "'60–65' and '>60'" in details


# Table 2: age bands "45-50" (Group 1, P1) and "50-55" (Group 1, P5) both include 50.
def test_tracy_table2_bands_share_boundaries(tracy):
    assert len(rows(tracy, "bands share a boundary", "'45-50' and '50-55' both include 50")) == 1


# Abstract: "total N = 33"; Method, Study settings: micro n = 14, meso n = 14, macro n = 5; Table 2
# lists P1–P14, P1–P14 and P1–P5 — every stated count agrees with the table.
def test_tracy_stated_counts_agree(tracy):
    assert not tracy["kind"].isin(["count differs from the data", "stated counts disagree",
                                   "breakdown does not add up"]).any()


# Table 1: "Trialability and reversibility" and "Confirmation" rows carry no example quote.
def test_tracy_framework_elements_without_quotes(tracy):
    found = " ".join(rows(tracy, "framework element with no quote")["detail"])
    assert "Trialability" in found and "Confirmation" in found


# Method: Procedure, para 4: "Data were first coded ... according to the overarching and main themes in Rogers'
# Diffusion of Innovations framework"; Results, para 2: "Themes and subthemes arose inductively from the data".
# Method: "several additional highlevel themes, not part of Rogers' model ... were identified" — never reported.
def test_tracy_methods_and_results_disagree_on_how_themes_arose_and_on_themes_announced(tracy):
    found = rows(tracy, "sections disagree")
    assert set(found["evidence"]) == {"C-063; C-064", "C-065; C-066"} and (found["severity"] == "medium").all()


# Method: Study settings, para 1: the micro group "was from a borough in south London"; Table 1: "We are ahead of the
# curve here in Bexley" (G1P1) and "'Bexleycare'" (G1P2). Results, para 3: quote IDs do not give "the participant
# number", yet Table 1 prints G1P8, G2P12 ..., the rows of Table 2.
def test_tracy_anonymisation_undone_by_a_site_name_and_by_linkable_ids(tracy):
    site = rows(tracy, "withheld site named in quotes")
    assert site["evidence"].tolist() == ["T1-026; T1-033"] and "'Bexley'" in site.iloc[0]["detail"]
    linked = rows(tracy, "quote IDs link to the participant table")
    assert len(linked) == 1 and "G1PK = G1P13" in linked.iloc[0]["detail"]


# Every uncheckable claim (e.g. Discussion, para 9: "all respondents said ...") is folded into one row.
def test_tracy_uncheckable_claims_are_one_row_with_their_list(tracy):
    found = rows(tracy, "uncheckable claims")
    assert len(found) == 1 and "C-059" in found.iloc[0]["listed"]
    assert rows(tracy, "uncheckable claim").empty


# --- mitchell2020 (seed 003) ----------------------------------------------------------------

# Findings: Organisational level integration, para 4: "Inadequate information systems were raised
# as problematic by every interviewee" — a claim about all 24 interviewees (Table 1 total 24)
# followed by one quote; it stands in the folded list of uncheckable claims.
def test_mitchell2020_every_interviewee_on_information_systems_is_not_checkable(mitchell2020):
    found = rows(mitchell2020, "uncheckable claims")
    assert len(found) == 1 and found.iloc[0]["severity"] == "medium"
    listed = [line for line in found.iloc[0]["listed"].split("\n") if "C-035" in line]
    assert len(listed) == 1 and "'every' of 24" in listed[0]
    assert claim_verdict("mitchell2020", "C-035") == vd.NOT_CHECKABLE


# The same sentence against Discussion, para 4: information systems "flagged by the majority of our
# interviewees as a barrier" — 'every interviewee' and 'the majority' about one topic clash.
def test_mitchell2020_every_and_majority_on_information_systems_clash(mitchell2020):
    found = rows(mitchell2020, "clashing quantifiers")
    assert len(found) == 1 and found.iloc[0]["evidence"] == "C-035; C-069"
    assert found.iloc[0]["severity"] == "medium"


# Findings: Organisational level integration, para 1: "The issue raised most frequently related to a perceived lack of
# operational detail ... the majority reported a concern at the lack of detailed planning"; para 4: information
# systems "raised as problematic by every interviewee".
def test_mitchell2020_most_frequent_issue_cannot_hold_beside_every_interviewee(mitchell2020):
    found = rows(mitchell2020, "clashing ranking")
    assert found["evidence"].tolist() == ["C-029; C-030; C-035"] and found.iloc[0]["severity"] == "medium"


# Methods, para 1: "equal numbers of health and social care informants"; Table 1: 12 and 12.
def test_mitchell2020_sampling_aim_is_met(mitchell2020):
    assert rows(mitchell2020, "sampling aim met", "12 social care, 12 health care")["severity"].tolist() == ["info"]


# Findings: Organisational level integration, quote after para 3: "(Operational health, area 3,
# interview a)" — 'interview' for 'interviewee', but level, sector, area and letter are all printed.
def test_mitchell2020_misprinted_but_readable_attribution_is_low(mitchell2020):
    found = rows(mitchell2020, "misprinted attribution", "interview a)")
    assert len(found) == 1 and found.iloc[0]["severity"] == "low"


# Table 1: Area 1 has 4 health care interviewees, so "(Operational health, area 1, interviewee d)"
# is possible; every printed ID fits a Table 1 cell — no impossible attribution.
def test_mitchell2020_no_impossible_attribution(mitchell2020):
    assert not (mitchell2020["kind"] == "impossible attribution").any()


# Table 1: 3 + 3 = 6, 3 + 4 = 7, 3 + 3 = 6, 3 + 2 = 5; 6 + 7 + 6 + 5 = 24 — the table adds up.
def test_mitchell2020_table1_adds_up(mitchell2020):
    assert not (mitchell2020["kind"] == "breakdown does not add up").any()


# Results, para 2: the data were reviewed against "six interrelated sets of activities [7]", but the
# Findings report three themes and no quote under any activity.
def test_mitchell2020_template_activities_have_no_quote(mitchell2020):
    assert len(rows(mitchell2020, "framework element with no quote", "activities")) == 1


# --- mitchell2023 (seed 004) ----------------------------------------------------------------

# Methods, para 1: "In total 51 interviews were carried out (19 from social care, 33 from
# healthcare ..." — 19 + 33 = 52.
def test_mitchell2023_sector_split_does_not_add_up(mitchell2023):
    found = rows(mitchell2023, "breakdown does not add up", "add up to 52")
    assert len(found) == 1 and "n = 51" in found.iloc[0]["detail"]


# Results: Organisational communication: the (12A) quote opens "I think it needs to be looked at,
# where does the GP fit within this integrated working?" and the (19A) quote ends with the same sentence.
def test_mitchell2023_one_sentence_attributed_to_12A_and_19A(mitchell2023):
    found = rows(mitchell2023, "one quote, two participants")
    assert len(found) == 1 and "(12A)" in found.iloc[0]["evidence"] and "(19A)" in found.iloc[0]["evidence"]
    assert found.iloc[0]["severity"] == "high"


# Discussion, para 2: "One of the key facilitators to integration in all locations seems to be a common belief ...
# [20, 23, 24]" — the cited literature; Results: Managerial information systems, para 5: "data sharing is a clear
# problem across all of our evaluations" — the two localities, each quoted on it.
def test_mitchell2023_all_locations_and_all_evaluations_are_not_all_51_participants():
    assert claim_verdict("mitchell2023", "C-043") == vd.ABOUT_THE_LITERATURE
    assert claim_verdict("mitchell2023", "C-039", "topic") == vd.TOPIC_EVIDENCED


# Methods, para 1: "to ensure an even number of people in health and social care" and "19 from social care, 33 from
# healthcare".
def test_mitchell2023_even_split_aimed_at_is_not_met(mitchell2023):
    found = rows(mitchell2023, "sampling aim not met", "19 social care, 33 healthcare")
    assert found["severity"].tolist() == ["medium"]


# Methods, para 1: "Professions not identified to preserve anonymity"; Results: "...for us [community nurses] working
# in the community ..." (19A) and "... because we’re [GPs] all running small businesses" (1B).
def test_mitchell2023_professions_revealed_by_insertions(mitchell2023):
    found = rows(mitchell2023, "withheld profession revealed")
    assert found["evidence"].tolist() == ["R-015; R-019"] and "'[community nurses]'" in found.iloc[0]["detail"]


# Methods, para 2: "All semi-structured interviews were carried out in person ..."; Strengths and limitations: "many of
# the interviews were conducted over the phone in locality B".
def test_mitchell2023_methods_and_limitations_disagree_on_interview_mode(mitchell2023):
    assert rows(mitchell2023, "sections disagree")["evidence"].tolist() == ["C-051; C-052"]


# --- across mitchell2020 and mitchell2023 (seeds 003 and 004) -------------------------------

# Seed 003, Findings: Vision and leadership, para 9: "...aims are reducing A&E admissions ..."
# (Strategic social care, interviewee 1); seed 004, Results: Managerial information systems: the
# same extract, (1A).
def test_shared_quote_on_ae_admissions_listed_with_both_attributions(manchester):
    found = rows(manchester, "quote reused across papers", "(Strategic social care, interviewee 1", "evidence")
    assert len(found) == 1 and "(1A)" in found.iloc[0]["evidence"]


# Seed 003: "...it feels like it's so hospital-centric ..." (Strategic social care, interviewee 2);
# seed 004, Results: Organisational communication: the same extract, (2 A).
def test_shared_hospital_centric_quote_listed_with_both_attributions(manchester):
    found = rows(manchester, "quote reused across papers", "(Strategic social care, interviewee 2", "evidence")
    assert len(found) == 1 and "(2 A" in found.iloc[0]["evidence"]


# Seed 003, Findings: Professional workforce integration: "...for us working in the community the GP
# is at the heart of everything ... where does the GP fit within this integrated working?"
# (Operational health, area 1, interviewee d); in seed 004 the extract is (19A) and its last sentence
# also opens the (12A) quote — one 2020 speaker under two 2023 participants.
def test_one_2020_speaker_quoted_under_12A_and_19A_in_2023(manchester):
    found = rows(manchester, "one speaker, two attributions across papers")
    assert len(found) == 1 and found.iloc[0]["study"] == "mitchell2020 + mitchell2023"
    assert "O-H-1d" in found.iloc[0]["detail"] and "12A, 19A" in found.iloc[0]["detail"]


# Seed 003, Results, para 1: "conducted by authors 1, 2 and 4" (Mitchell, Tazzyman, Hodgson); seed 004, Methods,
# para 2: "conducted by authors 1, 2 & 3" (Mitchell, Higginson, Tazzyman) for all interviews, locality A's 2018
# interviews — the 2020 paper's — included.
def test_the_manchester_papers_name_different_interviewers_for_the_same_interviews(manchester):
    found = rows(manchester, "papers name different interviewers")
    assert len(found) == 1 and "Hodgson" in found.iloc[0]["detail"] and "Higginson" in found.iloc[0]["detail"]


# Seed 003, Table 1: 12 social care, 12 health care; seed 004, Methods: "19 from social care, 33 from healthcare" of
# 51, locality B 27 — 7 + 21 = 28 left for locality B.
def test_the_manchester_papers_counts_leave_locality_b_one_interview_too_many(manchester):
    found = rows(manchester, "counts across papers do not add up", "7 social care, 21 healthcare")
    assert len(found) == 1 and "but it states 27" in found.iloc[0]["detail"]


# Tracy et al. (London) and the Manchester papers share no interviews: no quote is reused across them.
def test_no_quote_shared_between_london_and_manchester():
    assert check_reuse_across([load_study("tracy2025"), load_study("mitchell2023")]).empty


# --- every paper ----------------------------------------------------------------------------

# The high findings are pinned: each is read against its paper above (and in README, "What a reviewer gets").
@pytest.mark.parametrize("study, expected", [
    ("tracy2025", {("contradictory claims", "C-036; C-058; C-059"),
                   ("unsupported claim", "C-036; R-042, R-043, R-044")}),
    ("mitchell2020", set()),
    ("mitchell2023", {("breakdown does not add up", "all by sector"),
                      ("one quote, two participants", "mitchell2023 R-014 (12A); mitchell2023 R-015 (19A)")}),
])
def test_each_papers_high_findings_are_exactly_those_read_from_the_paper(study, expected):
    found = review(study).findings
    high = found[found["severity"] == "high"]
    assert set(zip(high["kind"], high["evidence"])) == expected


@pytest.mark.parametrize("study", ["tracy2025", "mitchell2020", "mitchell2023"])
def test_every_block_quote_of_the_papers_is_cited_by_a_recorded_claim(study):
    coverage = review(study).coverage().iloc[0]
    assert coverage["block quotes"] > 0 and coverage["cited by a claim"] == coverage["block quotes"]


@pytest.mark.parametrize("study", ["tracy2025", "mitchell2020", "mitchell2023"])
def test_no_finding_location_names_a_seed(study):
    assert not review(study).findings["location"].str.contains("seed", case=False).any()


def test_full_texts_are_kept_in_findings():
    found = review("tracy2025").findings
    assert found["detail"].str.contains("deskilling|building them back up", regex=True).any()
    assert not found["detail"].str.contains(r"\w…'", regex=True).any()
