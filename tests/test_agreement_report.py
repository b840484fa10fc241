"""Presentation of agreement results: escaped HTML, literal figure labels, formula-safe appendix tables."""
from __future__ import annotations

import matplotlib
import pandas as pd

from icevidence.agreement import agreement
from icevidence.study import assemble_study
from icevidence.agreement_report import (
    agreement_figure, band_table, figure_label, overall_html, passages_html, spreadsheet_safe,
    write_agreement_tables,
)

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
    assert "@bo &lt;i&gt;" in overall_html(hostile_result())


def test_figure_labels_show_dollars_literally():
    assert figure_label("costs $5 and $6") == r"costs \$5 and \$6"
    figure = agreement_figure(hostile_result())
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert figure_label(HOSTILE) in labels


def test_spreadsheet_cells_that_look_like_formulas_are_prefixed():
    table = pd.DataFrame({"text": ["=SUM(A1)", "+1", "-x", "@me", "\tx", "\rx", "plain"], "n": range(7)})
    assert spreadsheet_safe(table)["text"].tolist() == ["'=SUM(A1)", "'+1", "'-x", "'@me", "'\tx", "'\rx", "plain"]


def test_appendix_tables_are_written_neutralised(tmp_path):
    paths = write_agreement_tables(hostile_result(), "rep", folder=tmp_path)
    assert sorted(p.name for p in paths) == ["agreement.csv", "coverage.csv", "disagreements.csv", "rep.xlsx"]
    passages = pd.read_csv(tmp_path / "disagreements.csv", dtype=str)
    assert "'=SUM(A1)" not in passages.to_string() and "<b>bold</b> & =SUM(A1)" in passages.to_string()
    assert "'@bo <i>" in passages.columns
    assert not list(tmp_path.glob(".*"))


def test_appendix_tables_are_readable_by_everyone(tmp_path):
    paths = write_agreement_tables(hostile_result(), "rep", folder=tmp_path)
    assert {oct(p.stat().st_mode & 0o777) for p in paths} == {oct(0o644)}


def test_band_table_lists_weakest_first_with_three_places():
    table = band_table(agreement(make_study(HAND), replicates=0))
    assert table["alpha"].tolist() == ["0.533", "0.533"] and table["units"].tolist() == ["4", "4"]
