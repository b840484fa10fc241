"""Writing studies as REFI-QDA projects: XSD-valid, deterministic, and read back to the same tables."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from icevidence import available_studies, load_study
from icevidence.io.refi_qda import PROJECT_XSD, ROUNDTRIP_NOTE, read_qdpx
from icevidence.io.refi_writer import guid, write_qdpx
from icevidence.model.study import assemble_study

TABLES = {"participants": "participant_id", "codes": "code_id", "segments": "segment_id", "documents": "document"}


def assert_same_tables(a, b) -> None:
    for name, key in TABLES.items():
        left = getattr(a, name).sort_values(key).reset_index(drop=True)
        right = getattr(b, name).sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(left, right, obj=name)


def project_tree(path: Path):
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def test_written_project_validates_against_the_refi_xsd(mini, tmp_path):
    schema = etree.XMLSchema(etree.parse(str(PROJECT_XSD)))
    assert schema.validate(etree.ElementTree(project_tree(write_qdpx(mini, tmp_path / "m.qdpx"))))


def test_bytes_are_deterministic(mini, tmp_path):
    first = write_qdpx(mini, tmp_path / "a.qdpx").read_bytes()
    assert write_qdpx(mini, tmp_path / "b.qdpx").read_bytes() == first


def test_guids_derive_from_the_ids(mini, tmp_path):
    root = project_tree(write_qdpx(mini, tmp_path / "m.qdpx"))
    names = {c.get("name"): c.get("guid") for c in root.iter("{*}Code")}
    assert names["Theme A"] == guid("mini", "code", "a")


def test_one_case_per_participant_with_tier_and_site_variables(mini, tmp_path):
    root = project_tree(write_qdpx(mini, tmp_path / "m.qdpx"))
    cases = {c.get("name") for c in root.iter("{*}Case")}
    variables = {v.get("name") for v in root.iter("{*}Variable")}
    assert set(mini.participants["participant_id"]) <= cases and {"tier", "site"} <= variables


def test_round_trip_gives_the_same_tables(mini, tmp_path):
    assert_same_tables(mini, read_qdpx(write_qdpx(mini, tmp_path / "m.qdpx")))


@pytest.mark.parametrize("study_id", available_studies())
def test_every_built_in_study_round_trips(study_id, tmp_path):
    study = load_study(study_id)
    assert_same_tables(study, read_qdpx(write_qdpx(study, tmp_path / f"{study_id}.qdpx")))


def test_round_trip_keeps_each_documents_full_length(tmp_path):
    study = load_study("synthcoders")
    back = read_qdpx(write_qdpx(study, tmp_path / "s.qdpx"))
    assert len(study.documents) == 8
    pd.testing.assert_frame_equal(back.documents, study.documents)


def test_read_with_a_config_a_written_project_keeps_no_length_of_its_joined_quotes(tmp_path):
    path = write_qdpx(load_study("synthcoders"), tmp_path / "s.qdpx")
    assert read_qdpx(path, config={"id": "s", "participants": {"from": "case"}}).documents.empty


def test_without_the_round_trip_note_the_visible_content_still_reads(mini, tmp_path):
    path = write_qdpx(mini, tmp_path / "m.qdpx")
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    root = etree.fromstring(members["project.qde"])
    notes = root.find("{*}Notes")
    root.remove(notes)
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    edited = tmp_path / "edited.qdpx"
    with zipfile.ZipFile(edited, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    back = read_qdpx(edited)
    assert sorted(back.codes["name"]) == sorted(mini.codes["name"])
    quotes = back.segments.set_index("text")["participant_id"].to_dict()
    assert quotes["first quote"] == "G1P1"
    assert ROUNDTRIP_NOTE not in {n.get("name") for n in root.iter("{*}Note")}


# --------------------------------------------------------------------------- property tests

# names lose byte-order marks and zero-width characters at import by design (model/characters.clean_name,
# tested in tests/model/test_characters.py), so the round trip draws names without them
XML_SAFE = st.characters(blacklist_categories=("Cs", "Cc"),
                         blacklist_characters="\ufeff\ufffe\uffff\u200b\u2060\u180e\u200c\u200d")
# any text an import keeps: control characters XML/XLSX cannot carry are cleaned at import (io/safety.py)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="".join(
    [chr(c) for c in range(32) if chr(c) not in "\t\n\r"] + ["\ufffe", "\uffff"])), max_size=30)
NAME = st.text(XML_SAFE, min_size=1, max_size=12).map(str.strip).filter(bool)


@st.composite
def studies(draw):
    """A study with an arbitrary code tree, Unicode quotes (astral included) and participants."""
    n_codes = draw(st.integers(1, 8))
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, n_codes)]
    codes = pd.DataFrame({
        "code_id": [f"c{i}" for i in range(n_codes)],
        "parent_id": [None if p is None else f"c{p}" for p in parents],
        "name": [draw(NAME) for _ in range(n_codes)],
        "level": ["sub"] * n_codes,
        "description": [draw(st.one_of(st.none(), NAME)) for _ in range(n_codes)],
    })
    people = draw(st.lists(NAME, max_size=4, unique=True))
    participants = pd.DataFrame({"participant_id": people,
                                 "tier": [draw(st.sampled_from([None, "micro", "meso", "macro"])) for _ in people],
                                 "gender": [draw(st.one_of(st.none(), NAME)) for _ in people]})
    n_segments = draw(st.integers(0, 10))
    segments = pd.DataFrame({
        "segment_id": [f"s{i}" for i in range(n_segments)],
        "participant_id": [draw(st.one_of(st.none(), st.sampled_from(people))) if people else None
                           for _ in range(n_segments)],
        "code_id": [f"c{draw(st.integers(0, n_codes - 1))}" for _ in range(n_segments)],
        "text": [draw(TEXT) for _ in range(n_segments)],
        "location": ["somewhere"] * n_segments,
        "attribution_status": ["valid"] * n_segments,
        "note": [draw(st.one_of(st.none(), TEXT)) for _ in range(n_segments)],
    })
    tables = {name: frame.astype("string") for name, frame in
              {"participants": participants, "codes": codes, "segments": segments}.items()}
    return assemble_study({"id": "prop", "citation": "c", "licence": "CC BY 4.0"}, tables)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(study=studies())
def test_property_writer_and_reader_round_trip(study, tmp_path):
    assert_same_tables(study, read_qdpx(write_qdpx(study, tmp_path / "p.qdpx")))


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(study=studies())
def test_property_selections_cover_exactly_their_quotes(study, tmp_path):
    path = write_qdpx(study, tmp_path / "p.qdpx")
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iter("{*}TextSource"):
            text = archive.read("sources/" + source.get("plainTextPath")[len("internal://"):]).decode("utf-8")
            for selection in source.iter("{*}PlainTextSelection"):
                quote = text[int(selection.get("startPosition")):int(selection.get("endPosition"))]
                ids = {c.get("guid") for c in selection.iter("{*}Coding")}
                quoted = {guid("prop", "segment", s) for s, t in zip(study.segments["segment_id"],
                                                                      study.segments["text"]) if t == quote}
                assert ids <= quoted


DATED = ["Project", "TextSource", "PlainTextSelection", "Coding", "Note"]


def test_every_element_qda_tools_read_a_date_from_has_a_fixed_creation_date(mini, tmp_path):
    root = project_tree(write_qdpx(mini, tmp_path / "m.qdpx"))
    for tag in DATED:
        elements = list(root.iter(f"{{*}}{tag}"))
        assert elements, tag
        assert {e.get("creationDateTime") for e in elements} == {"2000-01-01T00:00:00Z"}, tag


def test_exported_file_is_readable_by_everyone(mini, tmp_path):
    from icevidence.io.importer import export_qdpx
    path = export_qdpx("tracy2025", tmp_path / "t.qdpx")
    assert path.stat().st_mode & 0o777 == 0o644


def emoji_study(mini):
    segments = mini.segments.copy()
    segments.loc[segments["segment_id"] == "S1", "text"] = "before 😀 and 🇬🇧 after"
    segments.loc[segments["segment_id"] == "S2", "participant_id"] = "G1P1"
    segments.loc[segments["segment_id"] == "S2", "text"] = "the quote after the emoji"
    mini.segments = segments
    return mini


def selections(path: Path) -> dict[str, tuple[int, int]]:
    root = project_tree(path)
    return {s.get("name"): (int(s.get("startPosition")), int(s.get("endPosition")))
            for s in root.iter("{*}PlainTextSelection")}


def test_utf16_positions_count_astral_characters_twice_and_read_back_right(mini, tmp_path):
    study = emoji_study(mini)
    points = selections(write_qdpx(study, tmp_path / "cp.qdpx"))
    path = write_qdpx(study, tmp_path / "u16.qdpx", positions="utf16")
    units = selections(path)
    first, second = "before 😀 and 🇬🇧 after", "the quote after the emoji"
    assert points[first] == (0, 21) and units[first] == (0, 24)    # 😀 and two regional indicators: +3 units
    assert points[second] == (23, 48) and units[second] == (26, 51)
    back = read_qdpx(path)
    assert back.meta["refi"]["positions"] == "utf16"
    texts = dict(zip(back.segments["segment_id"], back.segments["text"]))
    assert texts["S1"] == first and texts["S2"] == second
    assert_same_tables(study, back)


def test_unknown_position_unit_is_refused(mini, tmp_path):
    from icevidence.io.errors import ExportError
    with pytest.raises(ExportError, match="position unit"):
        write_qdpx(mini, tmp_path / "x.qdpx", positions="bytes")


def test_export_cli_writes_utf16_positions(tmp_path, capsys):
    from icevidence.build.cli import main
    assert main(["export-qdpx", "tracy2025", str(tmp_path / "t.qdpx"), "--positions", "utf16"]) == 0
    assert "NVivo" in project_tree(tmp_path / "t.qdpx").get("origin")
