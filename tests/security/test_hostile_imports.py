"""Hostile exports: files are data not configuration, safe regexes, and clear refusals of what cannot be right."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from icevidence.build.cli import main
from icevidence.io.assign import apply_pattern, build_study, check_rule
from icevidence.io.errors import MalformedExportError, UnsafeInputError
from icevidence.io.refi_qda import ROUNDTRIP_NOTE, read_qde, read_qdpx
from icevidence.io.refi_writer import write_qdpx
from icevidence.io.safety import check_shared_strings, open_zip
from icevidence.model.errors import ConfigError

from .hostile import assert_one_line_refusal, files_under


def rewrite_member(path: Path, name: str, edit) -> Path:
    """Rewrite one member of a zip with edit(bytes) -> bytes."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[name] = edit(members[name])
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(out, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return out


def with_hostile_roundtrip(xml: bytes) -> bytes:
    """Put rules and a catastrophic regex into the round-trip Note's study.yml."""
    root = etree.fromstring(xml)
    for note in root.iter("{*}Note"):
        if note.get("name") == ROUNDTRIP_NOTE:
            content = next(note.iter("{*}PlainTextContent"))
            data = json.loads(content.text)
            data["study"]["participants"] = {"from": "document", "pattern": "(a+)+$"}
            data["study"]["mapping"] = {"tier": [{"field": "participant_id", "pattern": "(a+)+$", "value": "x"}]}
            data["study"]["attribution_pattern"] = "(a+)+$"
            content.text = json.dumps(data)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


# ----------------------------------------------------------------------------- files are data

def test_a_round_trip_note_never_supplies_rules_or_regexes(mini, tmp_path):
    path = rewrite_member(write_qdpx(mini, tmp_path / "m.qdpx"), "project.qde", with_hostile_roundtrip)
    with pytest.warns(UserWarning, match="a file is data, not configuration"):
        study = read_qdpx(path)
    assert not {"participants", "mapping", "attribution_pattern"} & set(study.meta)
    assert study.meta["citation"] == mini.meta["citation"]
    assert sorted(study.participants["participant_id"]) == sorted(mini.participants["participant_id"])


# ----------------------------------------------------------------------------- safe regexes

def test_a_catastrophic_pattern_is_matched_by_the_linear_time_engine():
    import re2
    rule = check_rule({"from": "document", "pattern": "(a+)+$"}, "participants")
    # RE2 never backtracks: its matching time is linear in the input by construction, so no clock is needed
    assert isinstance(rule["regex"], type(re2.compile("a")))
    assert apply_pattern("a" * 200_000 + "!", rule["regex"]) is None  # Python's re would backtrack for ages


@pytest.mark.parametrize("pattern, feature", [(r"(P\d+)\1", "backreference"), (r"P(?=\d)", "lookaround"),
                                              (r"(?<!x)P", "lookaround")])
def test_a_pattern_re2_cannot_run_is_refused_naming_the_field_and_remedy(pattern, feature):
    with pytest.raises(ConfigError) as caught:
        check_rule({"from": "document", "pattern": pattern}, "participants")
    assert caught.value.field == "participants.pattern" and feature in caught.value.problem
    assert caught.value.remedy


def test_an_invalid_pattern_is_refused_without_log_noise(capfd):
    with pytest.raises(ConfigError, match="not a valid regular expression"):
        check_rule({"from": "document", "pattern": "[P"}, "participants")
    assert capfd.readouterr().err == ""


# ----------------------------------------------------------------------------- refusals

POSITION = "12.5"


def test_a_non_integer_sync_point_is_refused_naming_file_element_and_line(mini, tmp_path):
    def add_sync_point(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        source = next(root.iter("{*}TextSource"))
        etree.SubElement(source, source.tag.replace("TextSource", "Transcript"),
                         guid="00000000-0000-0000-0000-000000000001", name="t")
        transcript = source[-1]
        etree.SubElement(transcript, source.tag.replace("TextSource", "SyncPoint"),
                         guid="00000000-0000-0000-0000-000000000002", position=POSITION)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    path = rewrite_member(write_qdpx(mini, tmp_path / "m.qdpx"), "project.qde", add_sync_point)
    with pytest.raises(MalformedExportError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert "edited-m.qdpx" in message and "SyncPoint" in message and "'12.5'" in message and "line " in message


def test_a_non_integer_selection_position_is_refused_naming_file_element_and_line(mini, tmp_path):
    def fractional(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        next(root.iter("{*}PlainTextSelection")).set("startPosition", "3.5")
        return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    path = rewrite_member(write_qdpx(mini, tmp_path / "m.qdpx"), "project.qde", fractional)
    with pytest.raises(MalformedExportError) as caught:
        read_qdpx(path)
    message = str(caught.value)
    assert "edited-m.qdpx" in message and "<PlainTextSelection" in message and "'3.5'" in message
    assert "line " in message and "What to do" in message


def test_duplicate_zip_member_names_are_refused(mini, tmp_path):
    path = write_qdpx(mini, tmp_path / "m.qdpx")
    with zipfile.ZipFile(path, "a") as archive, pytest.warns(UserWarning, match="Duplicate name"):
        archive.writestr("project.qde", b"<Project/>")
    with pytest.raises(UnsafeInputError, match="two members with this name"):
        open_zip(path).close()


def test_a_bare_qde_without_its_sources_names_the_qde_and_says_to_export_a_qdpx(mini, tmp_path, capsys):
    with zipfile.ZipFile(write_qdpx(mini, tmp_path / "m.qdpx")) as archive:
        (tmp_path / "project.qde").write_bytes(archive.read("project.qde"))
    code = main(["import", str(tmp_path / "project.qde"), "--study", "bare", "--out", str(tmp_path / "out")])
    assert_one_line_refusal(code, capsys.readouterr().err, str(tmp_path / "project.qde"), ".qdpx", "sources/")
    assert not (tmp_path / "out").exists()
    with pytest.warns(UserWarning, match="not available"):  # the library reader keeps it, with warnings
        assert read_qde(tmp_path / "project.qde").meta["refi"]["missing_texts"]


def test_nul_and_control_characters_are_cleaned_and_listed(tmp_path):
    codes = pd.DataFrame({"code_id": ["c1"], "parent_id": [None], "name": ["Budget\x00"], "description": [None]})
    codings = pd.DataFrame({"segment_id": ["s1"], "document": ["P1"], "case": ["P1"], "code_id": ["c1"],
                            "text": ["line\x0bbreak and a NUL\x00 and \x1f"], "start": [0], "end": [5],
                            "note": [None]})
    study = build_study("x", codes, codings, None, None, tmp_path / "export.csv")
    assert study.segments["text"].iloc[0] == "line\nbreak and a NUL and "
    assert study.codes["name"].iloc[0] == "Budget"
    listed = [s for s in study.meta["skipped"] if s["problem"].startswith("kept, cleaned")]
    assert {s["place"] for s in listed} == {"segment s1, column 'text'", "code c1, column 'name'"}


def test_nul_in_an_imported_csv_is_cleaned_and_listed_in_skipped_csv(tmp_path, capsys):
    export = tmp_path / "highlights.csv"
    export.write_text("id,document,tag,content\n1,P1,Budget,money\x00 talk\n2,P2,Trust,fine\n", encoding="utf-8")
    assert main(["import", str(export), "--study", "nul-byte", "--out", str(tmp_path / "nul-byte")]) == 0, capsys.readouterr()
    segments = pd.read_csv(tmp_path / "nul-byte" / "segments.csv")
    assert "\x00" not in "".join(segments["text"]) and "money talk" in set(segments["text"])
    skipped = pd.read_csv(tmp_path / "nul-byte" / "skipped.csv")
    assert skipped["problem"].str.startswith("kept, cleaned").all() and len(skipped) == 1
    assert "removing control characters" in capsys.readouterr().out


def test_control_characters_in_a_round_trip_note_are_cleaned_too(mini, tmp_path):
    def poison(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for note in root.iter("{*}Note"):
            if note.get("name") == ROUNDTRIP_NOTE:
                content = next(note.iter("{*}PlainTextContent"))
                data = json.loads(content.text)
                data["columns"]["segments"]["text"] = {k: "evil\x00" for k in data["segments"].values()}
                content.text = json.dumps(data)
        return etree.tostring(root, xml_declaration=True, encoding="utf-8")
    path = rewrite_member(write_qdpx(mini, tmp_path / "m.qdpx"), "project.qde", poison)
    with pytest.warns(UserWarning):
        study = read_qdpx(path)
    assert not study.segments["text"].str.contains("\x00").any()


# ----------------------------------------------------------------------------- memory caps

def workbook_with_shared_strings(path: Path, count: int) -> Path:
    """A minimal xlsx whose sharedStrings part holds `count` one-character strings."""
    strings = b"".join(b"<si><t>a</t></si>" for _ in range(count))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.'
                         b'org/spreadsheetml/2006/main">' + strings + b"</sst>")
    return path


def test_shared_strings_beyond_the_count_cap_are_refused(tmp_path):
    path = workbook_with_shared_strings(tmp_path / "w.xlsx", 1001)
    with zipfile.ZipFile(path) as archive:
        assert check_shared_strings(archive, path, max_count=1001) == 1001
        with pytest.raises(UnsafeInputError, match="more than 1000 shared strings"):
            check_shared_strings(archive, path, max_count=1000)


def test_shared_strings_beyond_the_size_cap_are_refused(tmp_path):
    path = workbook_with_shared_strings(tmp_path / "w.xlsx", 100)
    with zipfile.ZipFile(path) as archive, pytest.raises(UnsafeInputError, match="at most 1000 allowed"):
        check_shared_strings(archive, path, max_bytes=1000)


def test_shared_strings_counted_across_read_chunks(tmp_path):
    from icevidence.io.safety import SHARED_STRING_TAG, count_tags
    path = workbook_with_shared_strings(tmp_path / "w.xlsx", 600_000)  # ~10 MB: several 4 MB chunks
    with zipfile.ZipFile(path) as archive:
        assert count_tags(archive, archive.getinfo("xl/sharedStrings.xml"), SHARED_STRING_TAG, 10**9) == 600_000


def test_many_shared_strings_and_few_cells_are_refused(tmp_path):
    path = workbook_with_shared_strings(tmp_path / "w.xlsx", 20_001)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v>'
                         b'</c></row></sheetData></worksheet>')
    with zipfile.ZipFile(path) as archive, pytest.raises(UnsafeInputError, match="but only 1 cells"):
        check_shared_strings(archive, path)


# ----------------------------------------------------------------------------- absurd CLI values

@pytest.mark.parametrize("value", ["1000000000000", "-5", "0", "many"])
def test_synth_refuses_absurd_sizes_naming_the_allowed_range(tmp_path, capsys, value):
    code = main(["synth", "--participants", "2", "--segments", value, "--codes", "3", "--out", str(tmp_path / "s.qdpx")])
    assert_one_line_refusal(code, capsys.readouterr().err, "--segments", "20,000,000")
    assert files_under(tmp_path) == set()


def test_negative_jobs_are_refused(capsys):
    assert_one_line_refusal(main(["build", "--jobs", "-1"]), capsys.readouterr().err, "--jobs", "256")
