"""The evidence review on the three papers: findings the papers themselves show.

Every expected value is read from the paper (seed files in ../shared/seeds: 000 Tracy et al.
2025, 003 Mitchell et al. 2020, 004 Mitchell et al. 2023); the comment above each test quotes
the sentence or table cell it comes from.
"""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence import evidence as ev


@pytest.fixture(scope="module")
def tracy() -> pd.DataFrame:
    return ev.review("tracy2025")


@pytest.fixture(scope="module")
def mitchell2020() -> pd.DataFrame:
    return ev.review("mitchell2020")


@pytest.fixture(scope="module")
def mitchell2023() -> pd.DataFrame:
    return ev.review("mitchell2023")


@pytest.fixture(scope="module")
def manchester() -> pd.DataFrame:
    return ev.review(["mitchell2020", "mitchell2023"])


def rows(findings: pd.DataFrame, kind: str, text: str = "", column: str = "detail") -> pd.DataFrame:
    """Findings of one kind whose column mentions the text."""
    hit = findings[findings["kind"] == kind]
    return hit[hit[column].str.contains(text, regex=False)]


def claim_verdict(study: str, claim_id: str) -> str:
    table = ev.check_claims(study).set_index("id")
    return table.at[claim_id, "verdict"]


# --- tracy2025 (seed 000) -------------------------------------------------------------------

# Table 1, The surrounding social system > External relationships > ICS relationships:
# "'Like two parents who already have children deciding they want to marry ... (GTP2)" —
# 'GTP2' has no group digit, so neither group nor participant can be read.
def test_tracy_table1_GTP2_is_malformed(tracy):
    found = rows(tracy, "malformed attribution", "(GTP2)")
    assert len(found) == 1 and "Table 1" in found.iloc[0]["location"]
    assert "Like two parents" in found.iloc[0]["detail"] and found.iloc[0]["severity"] == "medium"


# Table 1, The surrounding social system > Internal relationships: "... building them back up
# ((32P9)" — not the G<group>P<n> scheme; group 3 has only P1–P5, so not even the group is certain.
def test_tracy_table1_32P9_is_malformed(tracy):
    assert len(rows(tracy, "malformed attribution", "32P9")) == 1


# Results: Innovation characteristics, para 2: "... it could be a game changer' (GP4)" —
# the group is missing.
def test_tracy_results_GP4_is_malformed(tracy):
    assert len(rows(tracy, "malformed attribution", "(GP4)")) == 1


# Table 1, Implementation of innovation > Care quality, workflow, learning: "... different
# professionals that work in different ways' (G1P)" — group 1 is legible, the participant number is not.
def test_tracy_table1_G1P_names_a_group_but_no_participant(tracy):
    found = rows(tracy, "ambiguous attribution", "(G1P)")
    assert len(found) == 1 and "Table 1" in found.iloc[0]["location"]


# Results: Adopters' characteristics, para 7: "Participants noted the variation between
# healthcare's 'deficits-based model' ... and social care's complementary 'strengthsbased model'"
# — two quoted phrases with no ID.
def test_tracy_unattributed_quotes_are_missing_attributions(tracy):
    found = rows(tracy, "missing attribution")
    assert "deficits-based model" in " ".join(found["detail"]) and "strengthsbased model" in " ".join(found["detail"])


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
    assert claim_verdict("tracy2025", "C-059") == ev.NOT_CHECKABLE


# Table 2, Group 1, P14: age "55-50" — the upper bound is below the lower.
def test_tracy_table2_age_55_50_is_inverted(tracy):
    found = rows(tracy, "inverted band", "'55-50'")
    assert len(found) == 1 and "G1P14" in found.iloc[0]["evidence"]


# Table 2: years of service "<5" (Group 1, P4) and "0–5" (Group 1, P8) overlap; so do ages
# "60–65" (Group 1, P7) and ">60" (Group 2, P1 and P7).
def test_tracy_table2_overlapping_bands(tracy):
    found = rows(tracy, "overlapping bands")
    details = " ".join(found["detail"])
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


# --- mitchell2020 (seed 003) ----------------------------------------------------------------

# Findings: Organisational level integration, para 4: "Inadequate information systems were raised
# as problematic by every interviewee" — a claim about all 24 interviewees (Table 1 total 24)
# followed by one quote.
def test_mitchell2020_every_interviewee_on_information_systems_is_not_checkable(mitchell2020):
    claim = mitchell2020[mitchell2020["claim"].str.contains("every interviewee", regex=False)
                         & (mitchell2020["kind"] == "uncheckable claim")]
    assert len(claim) == 1 and claim.iloc[0]["severity"] == "medium" and "of 24" in claim.iloc[0]["detail"]


# The same sentence against Discussion, para 4: information systems "flagged by the majority of our
# interviewees as a barrier" — 'every interviewee' and 'the majority' about one topic clash.
def test_mitchell2020_every_and_majority_on_information_systems_clash(mitchell2020):
    found = rows(mitchell2020, "clashing quantifiers")
    assert len(found) == 1 and found.iloc[0]["evidence"] == "C-035; C-069"
    assert found.iloc[0]["severity"] == "medium"


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


# Tracy et al. (London) and the Manchester papers share no interviews: no quote is reused across them.
def test_no_quote_shared_between_london_and_manchester():
    found = ev.check_reuse_across(["tracy2025", "mitchell2023"])
    assert found.empty
