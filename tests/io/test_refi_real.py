"""Every real REFI-QDA export in the fixtures: counts as SOURCES.md states them, quotes on word boundaries.

The MIT-licensed files are copied into tests/fixtures/refi/; the others are read from
../shared/fixtures/real-exports through the `real_exports` fixture (skipped when absent).
"""
from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from fixture_paths import FIXTURES
from lxml import etree

from icevidence.io import read_export
from icevidence.io.refi_qda import RefiValidationWarning

LOCAL = FIXTURES / "refi"


def read_quietly(path: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return read_export(path)


def depth(codes) -> int:
    return int(codes["path"].str.count(" > ").max() + 1) if len(codes) else 0


def source_texts(path: Path) -> dict[str, str]:
    """Document name -> text, read straight from the archive (BOM dropped) to check the importer."""
    with zipfile.ZipFile(path) as archive:
        names = {n.lower(): n for n in archive.namelist()}
        root = etree.fromstring(archive.read(next(n for n in archive.namelist() if n.endswith(".qde"))))
        texts = {}
        for source in root.iter("{*}TextSource"):
            member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
            texts[source.get("name")] = archive.read(names[member.lower()]).decode("utf-8-sig")
    return texts


def on_word_boundaries(text: str, start: int, end: int) -> bool:
    """True when neither end of text[start:end] cuts through a word."""
    inside_start = 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum()
    inside_end = 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not (inside_start or inside_end)


def aligned_count(path: Path, study) -> int:
    texts = source_texts(path)
    rows = study.segments
    return sum(on_word_boundaries(texts[d], int(s), int(e)) and texts[d][int(s):int(e)] == t
               for d, s, e, t in zip(rows["document"], rows["start"], rows["end"], rows["text"]))


def test_nvivo_windows_export_counts():
    study = read_quietly(LOCAL / "oltas0517.qdpx")
    refi = study.meta["refi"]
    assert (len(study.codes), int(study.codes["parent_id"].isna().sum()), depth(study.codes)) == (152, 12, 4)
    assert int(study.codes["description"].notna().sum()) == 82
    counts = (refi["sources"], refi["selections"], len(study.segments), refi["users"], refi["cases"])
    assert counts == (2, 303, 303, 2, 0)


def test_nvivo_windows_quotes_fall_on_word_boundaries():
    path = LOCAL / "oltas0517.qdpx"
    assert aligned_count(path, read_quietly(path)) >= 293


def test_nvivo_mac_export_counts():
    study = read_quietly(LOCAL / "OltasSzkepticizmus_17June.qdpx")
    refi = study.meta["refi"]
    assert (len(study.codes), refi["sources"], refi["selections"], len(study.segments), refi["users"]) == (
        152, 2, 297, 297, 2)


def test_nvivo_mac_quotes_fall_on_word_boundaries():
    path = LOCAL / "OltasSzkepticizmus_17June.qdpx"
    assert aligned_count(path, read_quietly(path)) >= 291


def test_nvivo_exports_are_schema_valid():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_export(LOCAL / "oltas0517.qdpx")


def test_nvivo_codebook_heavy_export_counts(real_exports):
    study = read_quietly(real_exports / "nvivo" / "nvivo_project.qdpx")
    codes = study.codes
    assert (len(codes), int(codes["parent_id"].isna().sum()), depth(codes)) == (262, 3, 7)
    assert (study.meta["refi"]["sources"], len(study.segments), study.meta["refi"]["users"]) == (2, 0, 2)


def test_atlasti_standard_project_counts():
    study = read_quietly(LOCAL / "Project.qde")
    refi = study.meta["refi"]
    assert (len(study.codes), depth(study.codes)) == (14, 1)
    assert (refi["sources"], refi["selections"], len(study.segments)) == (12, 15, 16)
    assert (refi["notes"], len(refi["sets"]), refi["users"]) == (2, 16, 3)


def test_atlasti_bare_qde_warns_that_source_texts_are_absent():
    with pytest.warns(UserWarning, match="is not available"):
        read_export(LOCAL / "Project.qde")


def test_atlasti_text_quotes_use_the_quotation_preview_when_texts_are_absent():
    study = read_quietly(LOCAL / "Project.qde")
    quote = study.segments.set_index("segment_id").loc["445a6aec-1400-4502-919d-0867832ff211"]
    assert quote["text"] == "Oh, that was great. See you tomorrow? Eleven thirty. Mm."
    assert (quote["start"], quote["end"]) == (139, 195)


def test_atlasti_media_selections_are_codings_with_their_place_in_the_note():
    notes = read_quietly(LOCAL / "Project.qde").segments["note"].dropna()
    assert notes.str.startswith("PDFSelection").sum() == 4
    assert notes.str.startswith("PictureSelection").sum() == 2
    assert notes.str.startswith("VideoSelection").sum() == 1


def test_atlasti_small_project_counts(real_exports):
    study = read_quietly(real_exports / "atlasti" / "target-atlas-project.qdpx")
    assert (len(study.codes), int(study.codes["parent_id"].isna().sum()), len(study.segments)) == (3, 1, 0)
    assert (study.meta["refi"]["sources"], study.meta["refi"]["users"]) == (0, 2)


def test_atlasti_blank_project_reads_as_empty(real_exports):
    study = read_quietly(real_exports / "atlasti" / "blank-atlas-project.qdpx")
    assert (len(study.codes), len(study.segments), study.meta["refi"]["users"]) == (0, 0, 2)


def test_maxqda_renamed_zip_counts(real_exports):
    study = read_quietly(real_exports / "maxqda" / "2025-06-16_ICLS_Conf_Themes_ALL_just10.zip")
    codes = study.codes
    assert (len(codes), int(codes["parent_id"].isna().sum()), depth(codes)) == (307, 18, 2)
    assert int(codes["description"].notna().sum()) == 307
    refi = study.meta["refi"]
    assert (refi["sources"], len(study.segments), [s["sources"] for s in refi["sets"]]) == (10, 0, [5, 5])


def test_taguette_codebook_counts_and_warns_about_its_empty_sets(real_exports):
    with pytest.warns(RefiValidationWarning, match="Sets.*Missing child"):
        study = read_export(real_exports / "taguette" / "codebook.qdc")
    assert study.codes["name"].tolist() == ["xsd:element name", "CodeBook", "Variables"]


def test_fast_path_gives_the_same_segments_as_the_general_path(monkeypatch):
    import icevidence.io.refi_qda as refi_qda
    fast = read_quietly(LOCAL / "oltas0517.qdpx").segments
    monkeypatch.setattr(refi_qda, "handle_text_selection", refi_qda.handle_selection)
    general = read_quietly(LOCAL / "oltas0517.qdpx").segments
    assert fast.equals(general)
