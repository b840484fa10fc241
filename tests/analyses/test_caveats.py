"""The banner atop every report: what the data cannot show, and wording for papers vs imported exports."""
from __future__ import annotations

import pandas as pd
from fixture_paths import FIXTURES

import icevidence as ic
from icevidence.analyses import theme_matrix as mx
from icevidence.analyses.caveats import data_warnings, has_paper, source_sentence
from icevidence.build.cli import built_data_warnings
from icevidence.present.views.caveats import banner_html


def test_a_study_with_no_resolved_participant_gets_a_warning_with_the_remedy():
    study = ic.read_export(FIXTURES / "refi" / "oltas0517.qdpx")
    warnings = data_warnings(study)
    assert len(warnings) == 1
    assert "none of the 303 coded segments is attributed to a participant" in warnings[0]
    assert "participants:" in warnings[0] and "suggested config" in warnings[0]


def test_taguette_evidence_all_in_unknown_gets_a_banner_and_no_false_sentence(real_exports):
    study = ic.read_export(real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3")
    assert data_warnings(study)
    references = ic.theme_matrix(study, level="main")
    assert mx.single_group_themes(references).empty
    text = mx.single_group_empty_text(references, "tier")
    assert "more than one" not in text and "no quote has a known tier" in text


def test_mostly_unknown_tiers_are_warned_about_even_with_participants(real_exports):
    config = {"participants": {"from": "document", "pattern": "^(P[0-9]+)"},
              "mapping": {"tier": [{"field": "participant_id", "pattern": "^P1$", "value": "micro"}]}}
    study = ic.read_export(real_exports / "taguette" / "SERDIF_P2_ThematicAnalysis.sqlite3", config=config)
    warnings = data_warnings(study)
    assert len(warnings) == 1 and "have no known tier" in warnings[0] and "mapping.tier" in warnings[0]


def test_the_built_in_studies_with_quotes_have_no_warning():
    for study in ("tracy2025", "mitchell2020", "mitchell2023"):
        assert data_warnings(study) == [], study


def test_only_studies_with_a_paper_get_paper_wording():
    assert has_paper(ic.load_study("tracy2025"))
    assert "built by hand from Mitchell et al. 2023" in source_sentence(ic.load_study("mitchell2023"))
    imported = ic.read_export(FIXTURES / "refi" / "oltas0517.qdpx")
    assert not has_paper(imported)
    assert "paper" not in source_sentence(imported)


def test_the_banner_escapes_what_it_shows():
    html = banner_html(["<script>alert(1)</script> & more"])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert banner_html([]) == ""


def test_an_empty_single_group_table_with_known_groups_says_only_what_it_can():
    matrix = pd.DataFrame({"micro": [1, 1], "meso": [1, 1], "unknown": [2, 0], "total": [4, 2]}, index=["A", "B"])
    text = mx.single_group_empty_text(matrix, "tier")
    assert text.startswith("none: every code with quotes from a known tier has them from more than one")
    assert "2 quote(s) with an unknown tier are not counted" in text


def test_the_build_prints_the_warnings_of_rebuilt_reports_only():
    from icevidence.build.compendium import Report
    from icevidence.build.runner import BuildResult
    rebuilt = BuildResult(Report("r", "theme_matrix.ipynb", "r", {"study": "tracy2020"}), None, 0.0)
    skipped = BuildResult(Report("s", "theme_matrix.ipynb", "s", {"study": "tracy2020"}), None, 0.0, skipped=True)
    assert built_data_warnings([skipped]) == []
    assert built_data_warnings([rebuilt]) == data_warnings("tracy2020") != []
