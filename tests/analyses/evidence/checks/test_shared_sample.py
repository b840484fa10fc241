"""Two papers sharing a site's interviews (Mitchell et al. 2020 and 2023): their counts and their interviewers."""
from __future__ import annotations

from pathlib import Path

import yaml
from evidence_helpers import second_study

from icevidence import load_study
from icevidence.analyses.evidence.checks import shared_sample as ss

HEADER = "location,statement,group_field,group_value,attribute,attribute_value,count\n"


def interviewers(names: list[str]) -> list[dict]:
    """One conduct.yml statement of who interviewed, for all interviews."""
    return [{"id": "I-1", "location": "Methods", "text": "by authors", "names": names, "covers": "all"}]


def pair(tmp_path: Path, later_counts: str, earlier_names: list[str]) -> list:
    """An 'earlier' study of 4 interviews and a 'later' one holding them as its micro group."""
    second_study(tmp_path, "earlier", "")
    second_study(tmp_path, "later", "")
    (tmp_path / "earlier" / "reported_counts.csv").write_text(
        HEADER + "Abstract,total,,,,,4\nTable 1,women,gender,Female,,,2\nTable 1,men,gender,Male,,,2\n")
    (tmp_path / "later" / "reported_counts.csv").write_text(HEADER + later_counts)
    (tmp_path / "earlier" / "conduct.yml").write_text(yaml.safe_dump({"interviewers": interviewers(earlier_names)}))
    share = {"study": "earlier", "site": "Southtown", "group": {"tier": "micro"}, "attribute": "gender",
             "values": {"Female": "Female", "Male": "Male"}, "location": "Methods", "reason": "same interviews"}
    (tmp_path / "later" / "conduct.yml").write_text(yaml.safe_dump({"interviewers": interviewers(["Ann", "Bo"]),
                                                                    "shares_interviews": [share]}))
    return [load_study("earlier", root=tmp_path), load_study("later", root=tmp_path)]


# Mitchell 2020, Table 1: 12 social care and 12 health care of 24; Mitchell 2023, Methods: 51 interviews, locality A
# 24 of them, "19 from social care, 33 from healthcare" — which leaves 7 + 21 = 28 for locality B's 27.
def test_a_split_that_leaves_the_other_interviews_more_than_stated_is_found(tmp_path):
    studies = pair(tmp_path, "Methods,total,,,,,7\nMethods,micro,tier,micro,,,4\nMethods,women,,,gender,Female,5\n"
                             "Methods,men,,,gender,Male,3\n", ["Ann", "Bo"])
    found = ss.check_shared(studies)
    row = found[found["kind"] == "counts across papers do not add up"].iloc[0]
    assert row["severity"] == "medium" and "leaves 3 Female, 1 Male for its other interviews: 4, but it states 3" in \
        row["detail"]


def test_counts_that_add_up_across_papers_give_no_finding(tmp_path):
    studies = pair(tmp_path, "Methods,total,,,,,7\nMethods,micro,tier,micro,,,4\nMethods,women,,,gender,Female,4\n"
                             "Methods,men,,,gender,Male,3\n", ["Ann", "Bo"])
    assert ss.check_shared(studies).empty


def test_the_shared_interviews_counted_differently_is_high(tmp_path):
    studies = pair(tmp_path, "Methods,total,,,,,7\nMethods,micro,tier,micro,,,5\n", ["Ann", "Bo"])
    found = ss.check_shared(studies)
    assert found[["kind", "severity"]].values.tolist() == [["shared interviews counted differently", "high"]]


# Mitchell 2020, Results, para 1: "conducted by authors 1, 2 and 4" (Mitchell, Tazzyman, Hodgson); Mitchell 2023,
# Methods, para 2: "conducted by authors 1, 2 & 3" (Mitchell, Higginson, Tazzyman), and "CM, JH and AT carried out all
# of the interviews".
def test_papers_naming_different_interviewers_for_the_same_interviews_disagree(tmp_path):
    studies = pair(tmp_path, "Methods,total,,,,,7\nMethods,micro,tier,micro,,,4\n", ["Ann", "Cy"])
    found = ss.check_shared(studies)
    row = found[found["kind"] == "papers name different interviewers"].iloc[0]
    assert row["severity"] == "medium" and "Ann, Bo" in row["detail"] and "Ann, Cy" in row["detail"]
