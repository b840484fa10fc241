"""`icevidence import` / `export-qdpx` as library calls: all-or-nothing writes, every refusal named."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from fixture_paths import FIXTURES

from icevidence import load_study
from icevidence.io.errors import MalformedExportError, UnknownFormatError, UnsafeInputError
from icevidence.io.importer import export_qdpx, import_export
from icevidence.model import config as paths
from icevidence.model.errors import CompendiumError, ConfigError
from icevidence.model.outputs import UnsafeOutputError


def assert_refused(path: Path, out_root: Path, error: type, match: str) -> None:
    """Import must raise `error` matching `match` and leave `out_root` without any new file."""
    out_root.mkdir(exist_ok=True)
    with pytest.raises(error, match=match):
        import_export(path, "s1", out_dir=out_root / "s1")
    assert list(out_root.iterdir()) == []


def test_import_writes_a_study_folder_that_loads(text_project, refi, tmp_path):
    path = text_project("Some text here", refi.selection_xml(5, 0, 4))
    out = import_export(path, "demo", out_dir=tmp_path / "raw" / "demo")
    assert sorted(p.name for p in out.iterdir()) == ["codes.csv", "documents.csv", "participants.csv", "segments.csv",
                                                     "study.yml", "unmatched.csv"]
    study = load_study("demo", root=tmp_path / "raw")
    assert study.segments["text"].tolist() == ["Some"]


def test_import_writes_documents_csv_with_each_documents_full_length(text_project, refi, tmp_path):
    out = import_export(text_project("Some text here", refi.selection_xml(5, 0, 4)), "s", out_dir=tmp_path / "s")
    documents = pd.read_csv(out / "documents.csv", dtype=str)
    assert documents[["document", "characters"]].values.tolist() == [["interview 1", "14"]]
    assert load_study("s", root=tmp_path).document_lengths.to_dict() == {"interview 1": 14}


def test_an_export_without_full_texts_writes_no_documents_csv(tmp_path):
    out = import_export(FIXTURES / "spreadsheets" / "maxqda_segments_de.xls", "s", out_dir=tmp_path / "s")
    assert not (out / "documents.csv").exists() and load_study("s", root=tmp_path).documents.empty


def test_default_output_folder_is_data_raw_of_the_study(text_project, refi, tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "RAW", tmp_path / "raw")
    out = import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo")
    assert out == tmp_path / "raw" / "demo" and (out / "study.yml").is_file()


def test_config_file_says_where_participants_come_from(text_project, refi, tmp_path):
    config = tmp_path / "study.yml"
    config.write_text("id: demo\ncitation: X\nlicence: CC BY 4.0\nparticipants: {from: document, pattern: "
                      "'interview (\\d+)'}\n", encoding="utf-8")
    out = import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo", config_path=config,
                        out_dir=tmp_path / "demo")
    assert pd.read_csv(out / "participants.csv")["participant_id"].astype(str).tolist() == ["1"]


def test_config_with_another_id_is_refused(text_project, refi, tmp_path):
    config = tmp_path / "study.yml"
    config.write_text("id: other\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="differs from --study"):
        import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo", config_path=config,
                      out_dir=tmp_path / "demo")


def test_existing_study_folder_is_not_replaced_without_force(text_project, refi, tmp_path):
    (tmp_path / "demo").mkdir()
    with pytest.raises(UnsafeOutputError, match="(?s)already exists.*--force"):
        import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo", out_dir=tmp_path / "demo")


def test_force_replaces_an_existing_study_folder(text_project, refi, tmp_path):
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "study.yml").write_text("id: demo\n")
    (tmp_path / "demo" / "old.txt").write_text("x")
    out = import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo", out_dir=tmp_path / "demo",
                        overwrite=True)
    assert not (out / "old.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo", "demo-suggested-study.yml", "test.qdpx"]


def test_skip_invalid_lists_every_skipped_item_in_the_folder_and_on_screen(text_project, refi, tmp_path):
    selections = refi.selection_xml(5, 0, 4) + refi.selection_xml(6, 0, 4, code=999)
    lines: list[str] = []
    out = import_export(text_project("Some text", selections), "demo", out_dir=tmp_path / "demo",
                        skip_invalid=True, echo=lines.append)
    skipped = pd.read_csv(out / "skipped.csv")
    assert skipped["segment_id"].tolist() == [refi.guid(1006)]
    assert any("1 invalid item(s) skipped" in line for line in lines)
    assert any("dangling CodeRef" in line for line in lines)


def test_unmatched_codings_are_listed_on_screen(text_project, refi, tmp_path):
    lines: list[str] = []
    import_export(text_project("Some text", refi.selection_xml(5, 0, 4)), "demo", out_dir=tmp_path / "demo",
                  echo=lines.append)
    assert any("1 coding(s) have no participant" in line for line in lines)


# --------------------------------------------------------------------------- hostile and broken input


def test_zip_slip_is_refused_and_nothing_written(make_qdpx, refi, tmp_path):
    path = make_qdpx(refi.project_xml(""), {"../../evil.sh": "rm -rf /"})
    assert_refused(path, tmp_path / "out", UnsafeInputError, r"member '\.\./\.\./evil\.sh'.*zip-slip")


def test_zip_bomb_is_refused_and_nothing_written(make_qdpx, refi, tmp_path):
    path = make_qdpx(refi.project_xml(""), {"sources/bomb.txt": b"\0" * (30 * 1024 * 1024)})
    assert_refused(path, tmp_path / "out", UnsafeInputError, r"sources/bomb\.txt.*zip bomb")


def test_xxe_is_refused_and_nothing_written(make_qdpx, tmp_path):
    xml = ('<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           '<Project xmlns="urn:QDA-XML:project:1.0" name="&x;"/>')
    assert_refused(make_qdpx(xml), tmp_path / "out", UnsafeInputError, "DOCTYPE or entities")


def test_truncated_zip_is_refused_and_nothing_written(text_project, refi, tmp_path):
    path = text_project("Some text", refi.selection_xml(5, 0, 4))
    path.write_bytes(path.read_bytes()[:-30])
    assert_refused(path, tmp_path / "out", MalformedExportError, r"test\.qdpx.*(truncated|corrupt)")


def test_wrong_text_encoding_is_refused_and_nothing_written(text_project, refi, tmp_path):
    path = text_project("caf\xe9".encode("latin-1"), refi.selection_xml(5, 0, 3))
    assert_refused(path, tmp_path / "out", MalformedExportError, r"sources/doc\.txt.*not valid UTF-8")


def test_dangling_code_ref_is_refused_and_nothing_written(text_project, refi, tmp_path):
    path = text_project("Some text", refi.selection_xml(5, 0, 4, code=999))
    assert_refused(path, tmp_path / "out", MalformedExportError, r"<Coding guid=.*dangling CodeRef")


def test_selection_beyond_its_text_is_refused_and_nothing_written(text_project, refi, tmp_path):
    path = text_project("Some text", refi.selection_xml(5, 0, 400))
    assert_refused(path, tmp_path / "out", MalformedExportError, r"<PlainTextSelection guid=.*beyond the end")


def test_unknown_format_is_refused_and_nothing_written(tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01\x02 binary junk")
    assert_refused(path, tmp_path / "out", UnknownFormatError, r"notes\.bin.*tried")


def test_every_refusal_is_a_compendium_error_with_a_remedy(make_qdpx, refi, tmp_path):
    path = make_qdpx(refi.project_xml(""), {"/abs/evil": "x"})
    with pytest.raises(CompendiumError) as caught:
        import_export(path, "s1", out_dir=tmp_path / "s1")
    assert "What to do:" in str(caught.value)


# --------------------------------------------------------------------------- export-qdpx


def test_export_of_a_built_in_study_by_id(tmp_path):
    out = export_qdpx("tracy2025", tmp_path / "t.qdpx")
    with zipfile.ZipFile(out) as archive:
        assert "project.qde" in archive.namelist()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.qdpx"]


def test_export_then_import_gives_back_the_same_csv_tables(tmp_path):
    source = FIXTURES / "studies" / "mini"
    qdpx = export_qdpx(source, tmp_path / "mini.qdpx")
    import_export(qdpx, "mini", out_dir=tmp_path / "raw" / "mini")
    original, back = load_study("mini", root=source.parent), load_study("mini", root=tmp_path / "raw")
    for name, key in {"participants": "participant_id", "codes": "code_id", "segments": "segment_id"}.items():
        pd.testing.assert_frame_equal(getattr(original, name).sort_values(key).reset_index(drop=True),
                                      getattr(back, name).sort_values(key).reset_index(drop=True))


def test_export_of_an_unknown_study_writes_nothing(tmp_path):
    with pytest.raises(ConfigError, match="no study.yml"):
        export_qdpx("no-such-study", tmp_path / "x.qdpx")
    assert list(tmp_path.iterdir()) == []
