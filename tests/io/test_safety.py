"""Defences against hostile input: zip-slip, zip bombs, XXE, bad encodings, oversized tables."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from icevidence.io.errors import MalformedExportError, UnsafeInputError
from icevidence.io.safety import (
    check_table_limits,
    iterparse,
    open_zip,
    read_member,
    read_text,
    refuse_doctype,
    xml_parser,
)


def write_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_member_path_with_dotdot_is_refused_as_zip_slip(tmp_path):
    path = write_zip(tmp_path / "evil.qdpx", {"project.qde": b"<x/>", "../../outside.txt": b"boom"})
    with pytest.raises(UnsafeInputError, match=r"member '\.\./\.\./outside\.txt'.*zip-slip"):
        open_zip(path)


def test_absolute_member_path_is_refused(tmp_path):
    path = write_zip(tmp_path / "evil.qdpx", {"/etc/cron.d/job": b"x"})
    with pytest.raises(UnsafeInputError, match="escapes the archive"):
        open_zip(path)


def test_windows_drive_member_path_is_refused(tmp_path):
    path = write_zip(tmp_path / "evil.qdpx", {"C:\\Windows\\x.dll": b"x"})
    with pytest.raises(UnsafeInputError, match="zip-slip"):
        open_zip(path)


def test_archive_larger_than_the_cap_is_refused(tmp_path):
    path = write_zip(tmp_path / "big.qdpx", {"a.txt": b"x" * 5000, "b.txt": b"y" * 5000})
    with pytest.raises(UnsafeInputError, match="exceeds the cap of 8000 bytes"):
        open_zip(path, max_total_bytes=8000)


def test_compression_ratio_beyond_the_cap_is_refused_as_zip_bomb(tmp_path):
    path = write_zip(tmp_path / "bomb.qdpx", {"project.qde": b"\0" * (20 * 1024 * 1024)})
    with pytest.raises(UnsafeInputError, match=r"compression ratio .* exceeds the cap.*zip bomb"):
        open_zip(path)


def test_too_many_members_are_refused(tmp_path):
    path = write_zip(tmp_path / "many.qdpx", {f"f{i}.txt": b"x" for i in range(20)})
    with pytest.raises(UnsafeInputError, match="20 members; at most 10"):
        open_zip(path, max_members=10)


def test_truncated_zip_is_a_malformed_export_naming_the_file(tmp_path):
    good = write_zip(tmp_path / "good.qdpx", {"project.qde": b"<Project/>" * 100})
    cut = tmp_path / "cut.qdpx"
    cut.write_bytes(good.read_bytes()[:60])
    with pytest.raises(MalformedExportError, match=r"cut\.qdpx.*truncated or corrupt"):
        open_zip(cut)


def test_member_reading_is_capped(tmp_path):
    path = write_zip(tmp_path / "a.qdpx", {"a.txt": b"x" * 100})
    with open_zip(path) as archive, pytest.raises(UnsafeInputError, match="larger than the cap of 10 bytes"):
        read_member(archive, "a.txt", path, limit=10)


XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'
       b"<r>&xxe;</r>")


def test_xml_parser_does_not_resolve_external_entities():
    root = etree.fromstring(XXE, xml_parser())
    assert root.text is None and root[0].tag is etree.Entity and root[0].text == "&xxe;"


def test_iterparse_does_not_resolve_external_entities():
    texts = [el.text for _, el in iterparse(io.BytesIO(XXE))]
    assert texts == [None]


def test_doctype_is_refused_before_parsing():
    with pytest.raises(UnsafeInputError, match="DOCTYPE"):
        refuse_doctype(XXE, "evil.qde")


def test_read_text_drops_a_leading_bom():
    assert read_text("\ufeffAbc".encode("utf-8"), "doc.txt") == "Abc"


def test_read_text_reads_utf16_with_bom():
    assert read_text("Zoë".encode("utf-16"), "doc.txt") == "Zoë"


def test_read_text_names_the_file_on_bad_encoding():
    with pytest.raises(MalformedExportError, match=r"doc\.txt, byte 1: not valid UTF-8"):
        read_text(b"a\xff\xfeb", "doc.txt")


def test_table_with_too_many_rows_is_refused():
    with pytest.raises(UnsafeInputError, match=r"codings\.csv, row 7: more than 5 rows"):
        check_table_limits(pd.DataFrame({"a": range(6)}), "codings.csv", max_rows=5)


def test_overlong_cell_is_refused_naming_row_and_column():
    frame = pd.DataFrame({"Text": ["ok", "x" * 50]})
    with pytest.raises(UnsafeInputError, match=r"row 3, column 'Text': a cell of 50 characters"):
        check_table_limits(frame, "codings.csv", max_field_chars=20)
