"""Theme-matrix facts taken from the papers, each with its location."""
from __future__ import annotations

import pytest

from icevidence import load_study, theme_matrix
from icevidence.model.codes import codes_without_evidence


@pytest.fixture(scope="module")
def tracy2025():
    return load_study("tracy2025")


def test_tracy2025_framework_elements_without_quotes(tracy2025):
    # seed 000, Table 1: 'Trialability and reversibility before committing' (Innovation
    # characteristics) and 'Confirmation' (Stage of innovation) have no example quotation.
    empty = set(codes_without_evidence(tracy2025.codes, tracy2025.segments)["path"].str.split(" > ").str[-1])
    assert {"Trialability and reversibility before committing", "Confirmation"} <= empty


def test_tracy2025_deskilling_quotes_come_from_micro_and_meso(tracy2025):
    # seed 000, Table 1, Compatibility with values and experiences > Deskilling: quotes (G1P11)
    # and (G2P10).
    matrix = theme_matrix(tracy2025, level="sub", unit="references")
    assert matrix.at["Deskilling", "micro"] >= 1 and matrix.at["Deskilling", "meso"] >= 1


def test_tracy2025_finances_quote_is_from_the_macro_group(tracy2025):
    # seed 000, Table 1, Relative advantage > Finances: 'We have to make the best use of the
    # resources ...' (G3P2).
    matrix = theme_matrix(tracy2025, level="sub", unit="references")
    assert matrix.at["Finances", "macro"] >= 1


def test_tracy2025_matrix_counts_every_quote(tracy2025):
    # Nothing dropped: each of the paper's quotes (Table 1 and Results) is one reference.
    for level in ("overarching", "main", "sub"):
        assert theme_matrix(tracy2025, level=level)["total"].sum() == len(tracy2025.segments)


def test_mitchell2020_vision_quotes_span_both_levels():
    # seed 003, Findings, Vision and leadership: quotes from (Strategic social care,
    # interviewee 3) and from (Operational health area 2, interviewee health b).
    matrix = theme_matrix("mitchell2020", level="main", group_by="level")
    assert matrix.at["Vision and leadership", "strategic"] >= 1
    assert matrix.at["Vision and leadership", "operational"] >= 1


def test_mitchell2020_template_activities_have_no_quotes():
    # seed 003, Results para 2: six sets of activities (clinical ... normative) were used at
    # initial review; the Findings report quotes only under the three key themes.
    matrix = theme_matrix("mitchell2020", level="main", group_by="level")
    assert matrix.loc[["clinical", "informational", "organisational", "financial", "administrative",
                       "normative"], "total"].eq(0).all()
