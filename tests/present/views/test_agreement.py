"""Presentation of agreement results: escaped HTML, literal figure labels, formula-safe appendix tables."""
from __future__ import annotations

import json

import matplotlib
import pandas as pd

from icevidence.analyses.agreement import Agreement, agreement
from icevidence.analyses.result import Result, view_of
from icevidence.model import config
from icevidence.model.study import assemble_study
from icevidence.present.escape import label
from icevidence.present.views.agreement import AgreementView, passages_html

matplotlib.use("Agg")
CODES = pd.DataFrame({"code_id": ["t", "a", "b"], "parent_id": [None, "t", "t"], "name": ["T", "A", "B"],
                      "level": ["overarching", "main", "main"]})
HAND = [("ann", "d1", "a", 0, 10), ("bo", "d1", "a", 0, 10), ("ann", "d1", "b", 20, 30), ("bo", "d1", "b", 20, 30),
        ("ann", "d2", "a", 0, 10), ("bo", "d2", "b", 50, 60)]


def make_study(rows):
    segments = pd.DataFrame([{"segment_id": f"s{i}", "code_id": code, "text": f"passage {i}", "location": doc,
                              "attribution_status": "missing", "document": doc, "start": str(s), "end": str(e),
                              "coder": who} for i, (who, doc, code, s, e) in enumerate(rows)])
    return assemble_study({"id": "hand", "citation": "c", "licence": "l"},
                          {"participants": pd.DataFrame({"participant_id": pd.Series([], dtype="string")}),
                           "codes": CODES.astype("string"), "segments": segments.astype("string")})

HOSTILE = '<script>alert("x")</script> =cost $5$'


def hostile_result():
    study = make_study(HAND)
    study.codes.loc[study.codes["code_id"] == "a", "name"] = HOSTILE
    study.segments.loc[study.segments["segment_id"] == "s4", "text"] = "<b>bold</b> & =SUM(A1)"
    study.segments["coder"] = study.segments["coder"].replace({"bo": "@bo <i>"})
    return agreement(study, replicates=20)


def test_passages_are_escaped_html():
    result = hostile_result()
    text = passages_html(result, HOSTILE)
    assert "<script>" not in text and "&lt;script&gt;" in text and "&lt;b&gt;bold&lt;/b&gt; &amp;" in text
    assert "&lt;i&gt;" in text


def test_overall_table_escapes_coder_names():
    assert "@bo &lt;i&gt;" in AgreementView().html(hostile_result(), ["overall"])


def test_the_whole_result_is_escaped_html():
    page = hostile_result()._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and 'class="icevidence-agreement-overall"' in page


def test_figure_labels_show_dollars_literally():
    assert label("costs $5 and $6") == r"costs \$5 and \$6"
    figure = hostile_result().figure().fig
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert label(HOSTILE) in labels


def test_agreement_is_a_result_rendered_by_its_registered_view():
    result = hostile_result()
    assert isinstance(result, Result) and isinstance(view_of(result), AgreementView)
    assert [t.key for t in result.tables()] == ["overall", "agreement", "coverage", "disagreements"]
    assert [f.kind for f in result.figures()] == ["agreement"]


def test_the_figure_is_saved_in_three_formats(tmp_path):
    paths = hostile_result().write(tmp_path, tmp_path / "figures", name="rep")
    assert sorted(p.name for p in paths if p.parent.name == "figures") == ["agreement.pdf", "agreement.png",
                                                                           "agreement.svg"]


def test_appendix_tables_are_written_neutralised(tmp_path):
    paths = hostile_result().write(tmp_path, name="rep")
    assert sorted(p.name for p in paths) == ["agreement.csv", "coverage.csv", "disagreements.csv", "rep.xlsx"]
    passages = pd.read_csv(tmp_path / "disagreements.csv", dtype=str)
    assert "'=SUM(A1)" not in passages.to_string() and "<b>bold</b> & =SUM(A1)" in passages.to_string()
    assert "'@bo <i>" in passages.columns
    assert not list(tmp_path.glob(".*"))


def test_appendix_tables_are_readable_by_everyone(tmp_path):
    paths = hostile_result().write(tmp_path, name="rep")
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {oct(0o644)}


def test_band_table_lists_weakest_first_with_three_places():
    table = agreement(make_study(HAND), replicates=0).by_key("agreement").frame
    assert table["alpha"].tolist() == ["0.533", "0.533"] and table["units"].tolist() == ["4", "4"]


def test_the_agreement_sheet_keeps_every_coefficient_as_a_number(tmp_path):
    result: Agreement = agreement(make_study(HAND), replicates=0)
    result.write(tmp_path, name="rep")
    sheet = pd.read_csv(tmp_path / "agreement.csv")
    assert sheet["alpha"].dtype == float and sheet["code"].tolist()[-1] == "(all codes)"


def test_codes_at_the_bar_list_no_passages_and_say_so():
    page = AgreementView().html(agreement(make_study(HAND), replicates=0), ["disagreements"], bar=0.5)
    assert "Every code reaches alpha 0.5: no passages to show." in page


def test_the_notebook_is_thin_with_cell_ids_and_no_outputs():
    notebook = json.loads((config.ROOT / "notebooks" / "intercoder_agreement.ipynb").read_text(encoding="utf-8"))
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    logic = [[line for line in "".join(c["source"]).splitlines() if line.strip() and not line.strip().startswith("#")]
             for c in code if "parameters" not in c["metadata"].get("tags", [])]
    assert max(len(lines) for lines in logic) <= 6
    assert all(c.get("id") for c in notebook["cells"]) and all(not c["outputs"] for c in code)
