"""The sample view: the paper's stated counts are left out of a suppressed report."""
from __future__ import annotations

from icevidence import check_arithmetic, check_reported_counts
from icevidence.present.views.sample import checks_html


def test_checks_are_not_printed_in_a_suppressed_report(mini):
    page = checks_html(check_reported_counts(mini), check_arithmetic(mini), min_cell=5)
    assert "Not shown in this report" in page and "<table" not in page


def test_checks_are_printed_without_suppression(mini):
    page = checks_html(check_reported_counts(mini), check_arithmetic(mini), min_cell=0)
    assert "Not shown in this report" not in page


def test_write_records_the_participant_tables_k_for_the_site_headline(mini, tmp_path):
    import pandas as pd

    from icevidence import SampleTables
    from icevidence.analyses.disclosure import study_anonymity
    paths = SampleTables(mini).write(tmp_path / "t", name="s")
    written = pd.read_csv(tmp_path / "t" / "identifiability.csv")
    assert tmp_path / "t" / "identifiability.csv" in paths
    assert written.at[0, "k"] == study_anonymity(mini).k and written.at[0, "participants"] == len(mini.participants)
