"""Format detection by content, not by file extension."""
from __future__ import annotations

import sqlite3
import sys
import types
from pathlib import Path

import pytest

from icevidence.io import detect
from icevidence.io.detect import detect_format
from icevidence.io.errors import UnknownFormatError


def test_qdpx_renamed_zip_is_still_a_qdpx(make_qdpx, refi):
    path = make_qdpx(refi.project_xml(refi.codebook_xml("A")), name="export.zip")
    assert detect_format(path) == "qdpx"


def test_qde_is_recognised_by_its_root_element_whatever_the_extension(tmp_path, refi):
    path = tmp_path / "project.xml"
    path.write_text(refi.project_xml(""), encoding="utf-8")
    assert detect_format(path) == "qde"


def test_qdc_is_recognised_by_its_codebook_root(tmp_path):
    path = tmp_path / "codes.txt"
    path.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    assert detect_format(path) == "qdc"


def test_xml_in_another_namespace_is_unknown_and_says_what_was_tried(tmp_path):
    path = tmp_path / "other.qde"
    path.write_text('<Project xmlns="urn:something-else"/>')
    with pytest.raises(UnknownFormatError, match=r"other\.qde.*tried: XML with root Project"):
        detect_format(path)


def test_zip_without_qde_is_unknown(make_qdpx, tmp_path):
    import zipfile
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a.jpg", b"\xff\xd8")
    with pytest.raises(UnknownFormatError, match="zip with a .qde member"):
        detect_format(path)


def make_sqlite(path: Path, tables: list[str]) -> Path:
    with sqlite3.connect(path) as db:
        for table in tables:
            db.execute(f"CREATE TABLE {table} (id INTEGER)")
    return path


def test_sqlite_with_maxqda_tables_is_mex(tmp_path):
    path = make_sqlite(tmp_path / "x.db", ["Codings", "Codewords", "Texts", "sys_Setup"])
    assert detect_format(path) == "mex"


def test_sqlite_with_taguette_tables_is_taguette(tmp_path):
    path = make_sqlite(tmp_path / "x.mex", ["highlights", "highlight_tags", "documents", "tags", "projects"])
    assert detect_format(path) == "taguette-sqlite"


def test_spreadsheet_header_is_sniffed_by_registered_sniffers(tmp_path, monkeypatch):
    module = types.ModuleType("fake_sniffer")
    module.sniff = lambda columns: columns[:2] == ["Speaker", "Quote"]
    monkeypatch.setitem(sys.modules, "fake_sniffer", module)
    monkeypatch.setattr(detect, "SNIFFERS", {"fake-format": "fake_sniffer:sniff"})
    path = tmp_path / "quotes.dat"
    path.write_text("\ufeffSpeaker;Quote\nP1;hello\n", encoding="utf-8")
    assert detect_format(path) == "fake-format"


def test_missing_sniffer_module_is_listed_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setattr(detect, "SNIFFERS", {"ghost": "icevidence.io.no_such_module:sniff"})
    path = tmp_path / "a.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(UnknownFormatError, match=r"ghost \(its module is not installed\)"):
        detect_format(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(Exception, match=r"nope\.qdpx: no such file"):
        detect_format(tmp_path / "nope.qdpx")


@pytest.mark.parametrize("name, expected", [
    ("nvivo/oltas0517.qdpx", "qdpx"), ("nvivo/OltasSzkepticizmus_17June.qdpx", "qdpx"),
    ("nvivo/nvivo_project.qdpx", "qdpx"), ("atlasti/Project.qde", "qde"),
    ("atlasti/target-atlas-project.qdpx", "qdpx"), ("atlasti/blank-atlas-project.qdpx", "qdpx"),
    ("maxqda/2025-06-16_ICLS_Conf_Themes_ALL_just10.zip", "qdpx"), ("taguette/codebook.qdc", "qdc"),
])
def test_real_refi_exports_are_detected(real_exports, name, expected):
    assert detect_format(real_exports / name) == expected


def test_an_unknown_spreadsheet_is_refused_naming_the_tool_it_looks_like(tmp_path):
    from icevidence.io.errors import UnknownFormatError
    summary = tmp_path / "nodes.csv"
    summary.write_text("Node,Aggregate,Coverage\nTrust,3,0.4\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError) as refused:
        detect_format(summary)
    assert "look like an NVivo file" in str(refused.value) and "REFI-QDA (.qdpx" in str(refused.value)


def test_a_code_frequency_table_is_refused_as_counts_not_codings(tmp_path):
    from icevidence.io.errors import UnknownFormatError
    counts = tmp_path / "frequencies.csv"
    counts.write_text("Code,Frequency\nTrust,12\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="counts per code, not codings"):
        detect_format(counts)
