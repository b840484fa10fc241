"""The codebook in an appendix: its own section, one table with the definition as running text."""
from __future__ import annotations

from icevidence.analyses.codebook import Codebook
from icevidence.present.views.codebook import CodebookView


def test_the_appendix_has_a_codebook_section_with_one_table(mini):
    [section] = CodebookView().appendix(mini, min_cell=0)
    [table] = section.items
    assert section.title == "Codebook" and table.key == "codebook" and table.prose == ("Definition",)
    assert list(table.frame.columns[:4]) == ["Code", "Parent", "Level", "Definition"]


def test_the_codebook_shows_in_a_notebook_as_an_escaped_table(mini):
    html = Codebook(mini)._repr_html_()
    assert "<table" in html and "Theme A &gt; Main X" in html
