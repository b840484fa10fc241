"""The COREQ reporting checklist: 32 items per paper, validated on load, counted per domain."""
from __future__ import annotations

import shutil

import pytest
import yaml

import icevidence as ic
from icevidence import load_study
from icevidence.analyses import checklist as rc
from icevidence.model import config
from icevidence.model.errors import DataValidationError

STUDIES = ["tracy2025", "mitchell2020", "mitchell2023"]


@pytest.mark.parametrize("study", STUDIES)
def test_checklist_has_all_32_items_each_with_a_status_and_location(study):
    table = ic.reporting_checklist(study)
    assert table["item"].tolist() == list(range(1, 33))
    assert list(table.columns) == ["item", "domain", "name", "status", "location", "evidence"]
    assert table["status"].isin(rc.STATUSES).all() and table["location"].str.strip().ne("").all()
    reported = table[table["status"] != rc.NOT_REPORTED]
    assert reported["evidence"].str.strip().ne("").all()


def test_domains_follow_coreq_numbering():
    table = ic.reporting_checklist("tracy2025").set_index("item")["domain"]
    assert set(table.loc[1:5]) == {"Personal characteristics"}
    assert set(table.loc[6:8]) == {"Relationship with participants"} and table.loc[9] == "Theoretical framework"
    assert set(table.loc[17:23]) == {"Data collection"} and set(table.loc[29:32]) == {"Reporting"}


# Tracy 2025, Procedure para 2: "each lasting 30–60 min" and "it was judged that data saturation had
# reasonably been reached"; Mitchell 2020, Results para 1: "Field notes were made during and after interviews".
def test_items_read_from_the_papers():
    tracy = ic.reporting_checklist("tracy2025").set_index("item")
    assert tracy.at[21, "status"] == "reported" and "30–60 min" in tracy.at[21, "evidence"]
    assert tracy.at[22, "status"] == "reported"
    mitchell = ic.reporting_checklist("mitchell2020").set_index("item")
    assert mitchell.at[20, "status"] == "reported" and mitchell.at[22, "status"] == rc.NOT_REPORTED


def test_counts_per_domain_add_up_to_32():
    counts = ic.checklist_counts(ic.reporting_checklist("mitchell2023"))
    assert counts["domain"].tolist() == rc.DOMAINS and counts["items"].sum() == 32
    assert (counts[rc.STATUSES].sum(axis=1) == counts["items"]).all()


def test_bad_checklist_lists_every_failure_with_file_and_row(tmp_path):
    folder = tmp_path / "tracy2025"
    shutil.copytree(config.study_dir("tracy2025"), folder)
    entries = yaml.safe_load((folder / "coreq.yml").read_text())
    entries[0]["status"] = "mostly"
    entries[1]["evidence"] = ""
    entries[1]["status"] = "reported"
    del entries[31]
    (folder / "coreq.yml").write_text(yaml.safe_dump(entries))
    with pytest.raises(DataValidationError) as caught:
        ic.reporting_checklist(load_study("tracy2025", root=tmp_path))
    message = str(caught.value)
    assert "coreq.yml, row 1" in message and "'mostly'" in message
    assert "row 2" in message and "item 32" in message


def test_study_without_a_checklist_says_so(mini):
    assert not ic.has_reporting_checklist(mini)


def test_the_checklist_is_a_result_with_counts_per_domain_then_every_item():
    result = rc.ReportingChecklist("mitchell2023")
    counts, items = result.tables()
    assert (counts.key, items.key) == ("coreq-counts", "coreq")
    assert counts.frame["items"].sum() == 32 and len(items.frame) == 32
    assert "COREQ" in counts.caption and items.source.startswith("coreq.yml")
