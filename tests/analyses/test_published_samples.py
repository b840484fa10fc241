"""The sample figures the papers print, recomputed from the compendium's data.

Each expected value is taken from the paper at the location cited beside it.
"""
from __future__ import annotations

import pytest

from icevidence import load_study
from icevidence.analyses.sample import count_table, group_sizes


@pytest.fixture(scope="module")
def mitchell2020():
    return load_study("mitchell2020")


# Mitchell et al. 2020 (seed 003), Table 1 "Final study sample across all schemes":
# rows = participant role, columns = interviewees (social care), (health care), total.
MITCHELL2020_TABLE1 = [
    ("strategic", None, 3, 3, 6),
    ("operational", "1", 3, 4, 7),
    ("operational", "2", 3, 3, 6),
    ("operational", "3", 3, 2, 5),
]


@pytest.mark.parametrize("level, area, social_care, health_care, total", MITCHELL2020_TABLE1)
def test_mitchell2020_table1_cell_for_cell(mitchell2020, level, area, social_care, health_care, total):
    people = mitchell2020.participants
    rows = people[(people["level"] == level) & ((people["area"] == area) if area else people["area"].isna())]
    sectors = rows["sector"].value_counts()
    assert (sectors.get("social care", 0), sectors.get("health care", 0), len(rows)) == (social_care, health_care, total)


def test_mitchell2020_table1_totals(mitchell2020):
    # seed 003, Table 1, row "Total": 12 social care, 12 health care, 24.
    table = count_table(mitchell2020, "sector", "level")
    assert (table.at["social care", "Overall"], table.at["health care", "Overall"], table.at["Total", "Overall"]) == (12, 12, 24)


def test_mitchell2020_strategic_and_operational_sizes(mitchell2020):
    # seed 003, Table 1: strategic level leads 6; operational staff 7 + 6 + 5 = 18.
    assert group_sizes(mitchell2020, "level")["n"].to_dict() == {"strategic": 6, "operational": 18, "Total": 24}


@pytest.fixture(scope="module")
def tracy2025():
    return load_study("tracy2025")


def test_tracy2025_group_sizes(tracy2025):
    # seed 000, Abstract (Method): "total N = 33"; Method, Study settings: micro group (n=14),
    # meso group (n=14), macro group ... (n=5).
    assert group_sizes(tracy2025, "tier")["n"].to_dict() == {"micro": 14, "meso": 14, "macro": 5, "Total": 33}


def test_tracy2025_gender_by_group(tracy2025):
    # seed 000, Table 2, column "Gender": group 1 rows P1-P14 print 10 F and 4 M; group 2
    # rows P1-P14 print 9 F and 5 M; group 3 rows P1-P5 print 3 F and 2 M.
    table = count_table(tracy2025, "gender", "tier")
    assert table.loc["F", ["micro", "meso", "macro", "Overall"]].tolist() == [10, 9, 3, 22]
    assert table.loc["M", ["micro", "meso", "macro", "Overall"]].tolist() == [4, 5, 2, 11]


def test_tracy2025_long_service_by_group(tracy2025):
    # seed 000, Table 2, column "Years of service": ">30" is printed for group 1 P7 and P14,
    # for 10 of the 14 group 2 rows and for all 5 group 3 rows.
    table = count_table(tracy2025, "years_of_service", "tier")
    assert table.loc[">30", ["micro", "meso", "macro"]].tolist() == [2, 10, 5]


def test_tracy2025_band_spellings_are_merged_by_the_declared_recode(tracy2025):
    # Tracy et al. 2025, Table 2, group 1: P14 age "55-50" (kept: an impossible band, not a spelling), P8 years
    # "0–5" beside P4 "<5", P1 years "15–20" (en dash) beside P12 and P13 "15-20" (hyphen): study.yml's
    # recode merges each pair into one band, with its reason.
    people = tracy2025.participants.set_index("participant_id")
    assert people.at["G1P14", "age_band"] == "55-50"
    assert (people.at["G1P8", "years_of_service"], people.at["G1P4", "years_of_service"]) == ("<5", "<5")
    assert people.at["G1P1", "years_of_service"] == "15–20" == people.at["G1P12", "years_of_service"]


def test_tracy2025_sites_follow_the_groups(tracy2025):
    # seed 000, Method, Study settings: the micro group was from a south London borough (named
    # Bexley in quotes, e.g. Table 1 'We are ahead of the curve here in Bexley' (G1P1)); the meso
    # and macro groups came from a north London ICS.
    sites = count_table(tracy2025, "site", "tier")
    assert sites.loc["Bexley", ["micro", "meso", "macro"]].tolist() == [14, 0, 0]
    assert sites.loc["north London", ["micro", "meso", "macro"]].tolist() == [0, 14, 5]


@pytest.fixture(scope="module")
def mitchell2023():
    return load_study("mitchell2023")


def test_mitchell2023_localities_add_to_51(mitchell2023):
    # seed 004, Methods para 1: 24 interviews in locality A (1-24 A) and 27 in locality B (1-27B);
    # Abstract: 51 interviews.
    assert group_sizes(mitchell2023, "locality")["n"].to_dict() == {"locality A": 24, "locality B": 27, "Total": 51}


def test_mitchell2023_sector_statement_does_not_add_up(mitchell2023):
    # seed 004, Methods para 1: 19 interviews from social care and 33 from healthcare (19 + 33 = 52),
    # against the 51 interviews stated; of the 33, 13 from PCSs and 20 from secondary care (adds up).
    from icevidence.analyses.stated_counts import check_arithmetic
    sums = check_arithmetic(mitchell2023).set_index("group")
    assert (sums.at["all", "sum of parts"], sums.at["all", "stated n"]) == (52, 51)
    assert sums.at["all", "status"].startswith("DOES NOT ADD UP")
    assert sums.at["sector = healthcare", "status"] == "adds up"
