"""How coverage reads: escaped HTML, the reason instead of an empty table, files, the appendix and the notebook."""
from __future__ import annotations

import json

import matplotlib
import openpyxl
import pandas as pd
import pytest
from appendix_helpers import docx_text, pdf_text

from icevidence.analyses.coverage import Coverage
from icevidence.build.appendix import build_appendix
from icevidence.model import config
from icevidence.model.study import assemble_study, load_study
from icevidence.present.views.coverage import CoverageView

matplotlib.use("Agg")
HOSTILE = '<script>alert(1)</script> =cost $5$'
NOTEBOOK = config.ROOT / "notebooks" / "coverage.ipynb"


def hostile_study():
    codes = pd.DataFrame({"code_id": ["t", "a"], "parent_id": [None, "t"], "name": ["T", HOSTILE],
                          "level": ["overarching", "main"]})
    segments = pd.DataFrame({"segment_id": ["s1", "s2"], "participant_id": ["=P1", "P2"], "code_id": ["a", "a"],
                             "text": ["x", "y"], "location": ["d1", "d2"], "attribution_status": ["valid", "valid"],
                             "document": ["d1", "d2"], "start": ["0", "0"], "end": ["10", "5"]})
    people = pd.DataFrame({"participant_id": ["=P1", "P2"], "tier": ["micro", "meso"]})
    documents = pd.DataFrame({"document": ["d1", "d2"], "characters": ["100", "50"], "source": ["t", "t"]})
    return assemble_study({"id": "hostile", "citation": "Hostile (2026)", "licence": "l"},
                          {"participants": people.astype("string"), "codes": codes.astype("string"),
                           "segments": segments.astype("string"), "documents": documents.astype("string")})


def test_code_names_and_participant_ids_are_escaped_in_html():
    page = Coverage(hostile_study())._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "=P1 (1 document)" in page


def test_a_study_without_transcripts_shows_the_reason_and_no_table():
    result = Coverage(load_study("mitchell2020"))
    page = result._repr_html_()
    assert "<table" not in page and "Coverage cannot be computed for Mitchell et al. 2020" in page
    assert "No figure" in str(result.figure())


def test_nothing_is_written_for_a_study_without_transcripts(tmp_path):
    assert Coverage(load_study("tracy2025")).write(tmp_path, tmp_path / "figures") == []
    assert list(tmp_path.iterdir()) == []


def test_tables_and_the_heatmap_are_written_with_formulas_neutralised(tmp_path):
    paths = Coverage(hostile_study()).write(tmp_path, tmp_path / "figures", name="rep")
    assert sorted(p.name for p in paths) == ["coverage-by-participant.csv", "coverage-by-tier.csv",
                                             "coverage-heatmap-tier.pdf", "coverage-heatmap-tier.png",
                                             "coverage-heatmap-tier.svg", "rep.xlsx"]
    sheet = pd.read_csv(tmp_path / "coverage-by-participant.csv", dtype=str)
    assert "'=P1" in set(sheet["participant"]) and "=P1" not in set(sheet["participant"])


def test_a_hidden_column_is_hidden_in_the_workbook_too(tmp_path):
    Coverage(load_study("synthcoders"), min_cell=4).write(tmp_path, name="rep")
    rows = list(openpyxl.load_workbook(tmp_path / "rep.xlsx")["coverage-by-tier"].values)
    header = rows[2]
    meso = [r for r in rows[3:] if r[header.index("tier")] == "meso"]
    assert meso and {r[header.index("coverage %")] for r in meso} == {"<4"}


def test_the_appendix_of_a_published_study_says_why_in_one_paragraph():
    [section] = CoverageView().appendix(load_study("tracy2025"), min_cell=5)
    assert section.items == [] and "quotes without a position in a transcript" in section.paragraphs[0]


def test_the_appendix_states_suppression_and_leaves_out_a_table_it_would_hide_whole():
    [section] = CoverageView().appendix(load_study("synthcoders"), min_cell=2)
    assert [item.key for item in section.items] == ["coverage-by-tier", "coverage-heatmap-tier"]
    assert all("No column rests on fewer than 2 participants" in item.suppression for item in section.items)
    assert any("Coverage per participant is not printed" in p for p in section.paragraphs)


@pytest.fixture(scope="module")
def synthcoders_appendix(tmp_path_factory):
    out = tmp_path_factory.mktemp("appendix") / "synthcoders"
    build_appendix("synthcoders", min_cell=4, out=out)
    return out


def test_the_appendix_files_carry_coverage_with_min_cell_applied(synthcoders_appendix):
    book = openpyxl.load_workbook(synthcoders_appendix / "synthcoders-tables.xlsx")
    readme = " ".join(str(c) for row in book["README"].values for c in row if c)
    assert "coding coverage of main codes by tier" in readme and "2 columns hidden" in readme
    docx = docx_text(synthcoders_appendix / "synthcoders-appendix.docx")
    assert "Coding coverage" in docx and "micro (hidden)" in docx and "all (8 participants, 8 documents)" in docx
    assert "Coding coverage" in pdf_text(synthcoders_appendix / "synthcoders-appendix.pdf")


def test_the_notebook_is_thin_with_cell_ids_no_outputs_and_declared_inputs():
    notebook = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    logic = [[line for line in "".join(c["source"]).splitlines() if line.strip() and not line.strip().startswith("#")]
             for c in code if "parameters" not in c["metadata"].get("tags", [])]
    assert max(len(lines) for lines in logic) <= 6
    assert all(c.get("id") for c in notebook["cells"]) and all(not c["outputs"] for c in code)
    assert notebook["metadata"]["icevidence"]["inputs"] == ["data/raw/{study}/*"]


def test_the_notebook_on_a_published_study_says_why_and_prints_no_table(tmp_path, monkeypatch):
    from icevidence.build.compendium import Report
    from icevidence.build.runner import build_report
    monkeypatch.setenv("ICEVIDENCE_REPORTS", str(tmp_path))
    for name, path in (("REPORTS", tmp_path), ("TABLES", tmp_path / "tables"), ("FIGURES", tmp_path / "figures")):
        monkeypatch.setattr(config, name, path)
    result = build_report(Report(output="coverage-tracy2025", notebook="coverage.ipynb", title="coverage",
                                     parameters={"study": "tracy2025"}))
    assert result.ok, result.error
    page = (tmp_path / "coverage-tracy2025.html").read_text(encoding="utf-8")
    assert "Coverage cannot be computed for Tracy et al. 2025" in page and "icevidence-table" not in page
