"""The sample figures the papers print, recomputed from the compendium's data.

Each expected value is taken from the paper at the location cited beside it.
"""
from __future__ import annotations

import pytest

from icevidence import load_study
from icevidence.sample import count_table, group_sizes


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
