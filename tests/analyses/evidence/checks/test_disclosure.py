"""Disclosure as a review check: the printed participant table's k-anonymity (Tracy et al. 2025, Table 2)."""
from __future__ import annotations

from icevidence import load_study
from icevidence.analyses.evidence.checks import disclosure as ds


# Table 2 prints, per participant, group, professional group, years of service, gender, age band and ethnicity.
def test_a_table_that_singles_people_out_is_a_medium_finding_of_the_disclosure_check():
    found = ds.check_identifiability(load_study("tracy2025"))
    assert found[["check", "kind", "severity"]].astype(str).values.tolist() == [
        ["disclosure", "participants can be singled out", "medium"]]
