"""The site: index rows grouped by task and study, headlines read from each report's tables, the search index."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from icevidence.build import site
from icevidence.model import config


def write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.fixture
def tables(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(config, "REPORTS", tmp_path)
    monkeypatch.setattr(config, "TABLES", tmp_path / "tables")
    return tmp_path / "tables"


def test_a_reports_studies_come_from_its_parameters():
    assert site.studies_of({"study": "a"}) == ["a"] and site.studies_of({"studies": ["a", "b"]}) == ["a", "b"]
    assert site.studies_of({"unit": "x"}) == []


def test_evidence_reviews_are_for_reviewers_and_other_reports_for_rerunning():
    assert site.task_of("evidence_review.ipynb") == "review" and site.task_of("theme_matrix.ipynb") == "rerun"


def test_a_reviews_headline_counts_its_high_and_medium_findings(tables):
    write(tables / "r", "findings.csv", "severity,kind\nhigh,a\nmedium,b\nmedium,c\nlow,d\n")
    assert site.headline("evidence_review.ipynb", "r") == "1 high finding, 2 medium"


def test_a_samples_headline_gives_n_and_k(tables):
    write(tables / "s", "n.csv", '"Tier","n"\n"micro",3\n"Total",7\n')
    write(tables / "s", "identifiability.csv", "k,participants,unique,quasi_identifiers\n2,7,0,tier\n")
    assert site.headline("sample_tables.ipynb", "s") == "n = 7, k = 2"


def test_an_agreement_reports_headline_counts_codes_per_band(tables):
    write(tables / "a", "agreement.csv", "code,band\nx,reliable\ny,reliable\nz,do not rely\n")
    assert site.headline("intercoder_agreement.ipynb", "a") == "alpha per code: 2 reliable, 1 do not rely"


def test_a_matrix_headline_counts_themes_groups_and_quotes(tables):
    write(tables / "m", "references.csv", "main code,micro,meso,unknown,total\nA,1,2,0,3\nB,0,1,0,1\n")
    write(tables / "m", "quotes.csv", "Theme,quote\nA,q\nA,r\nB,s\n")
    assert site.headline("theme_matrix.ipynb", "m") == "2 themes × 2 groups; 3 quotes listed"


def test_a_report_without_its_tables_has_no_headline(tables):
    assert site.headline("evidence_review.ipynb", "missing") == "" and site.headline("other.ipynb", "x") == ""


def test_rows_are_grouped_by_task_in_order_and_by_study():
    rows = [{"task": "review", "studies": ["b"]}, {"task": "rerun", "studies": ["a", "b"]},
            {"task": "appendix", "studies": ["a"]}]
    tasks, studies = site.grouped(rows)
    assert [t["anchor"] for t in tasks] == ["task-rerun", "task-review", "task-appendix"]
    assert [len(t["rows"]) for t in tasks] == [1, 1, 1]
    assert [(s["id"], len(s["rows"])) for s in studies] == [("b", 2), ("a", 2)]


PAGE = """<html><head><style>x</style></head><body><nav>All reports</nav><main>
<h1 id="Title">Title<a class="anchor-link" href="#Title">¶</a></h1><p>Intro words.</p>
<h4 id="cell-a-b-123abc">A — b (1 segment)</h4><ul><li>“a memorable quote” <em>(G1P1; Table 1)</em></li></ul>
<h2 id="bad id">Odd</h2><table><tr><td>cell text</td></tr></table>
<script>var x = "not text";</script></main></body></html>"""


def test_each_headed_section_of_a_report_is_one_search_entry():
    entries = site.section_entries(PAGE, "rep", "Report <b>")
    assert [(e.href, e.section) for e in entries] == [("rep.html#Title", "Title"),
                                                     ("rep.html#cell-a-b-123abc", "A — b (1 segment)"),
                                                     ("rep.html", "Odd")]
    assert "a memorable quote" in entries[1].text and entries[0].report == "Report <b>"
    assert not any("not text" in e.text or "All reports" in e.text for e in entries)


def test_the_search_index_is_written_beside_the_index_page(tables):
    from icevidence.build.compendium import Report
    (config.REPORTS / "rep.html").write_text(PAGE, encoding="utf-8")
    spec = Report(output="rep", notebook="theme_matrix.ipynb", title="<script>alert(1)</script>",
                      parameters={"study": "tracy2025"})
    page = site.write_site([spec], [], [], "Compendium").read_text(encoding="utf-8")
    index = json.loads((config.REPORTS / "search-index.json").read_text(encoding="utf-8"))
    assert {e["href"] for e in index} == {"rep.html#Title", "rep.html#cell-a-b-123abc", "rep.html"}
    assert "a memorable quote" in page and "<script>alert(1)" not in page
    assert 'id="task-rerun"' in page and f'id="{site.study_anchor("tracy2025")}"' in page
