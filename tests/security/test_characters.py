"""Characters: invisible ones cleaned from names, carriage returns kept in CSVs, terminals and HTML not hijacked."""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from icevidence.build.cli import main
from icevidence.model.study import load_study
from icevidence.present.escape import text

from .hostile import assert_one_line_refusal

RAW_CONTROLS = ["\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff"]


def highlights(tmp_path, rows: list[tuple[str, str, str, str]], name: str = "highlights.csv"):
    """A Taguette highlights export (id, document, tag, content), written with Python's csv quoting."""
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([("id", "document", "tag", "content"), *rows])
    return path


def test_invisible_characters_are_stripped_from_names_and_listed(tmp_path, capsys):
    export = highlights(tmp_path, [("1", "\ufeffP1", "\ufeffMoney\u200b", "money talk"), ("2", "P2", "Trust", "ok")])
    assert main(["import", str(export), "--study", "x", "--out", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    study = load_study("x", root=tmp_path)
    assert set(study.codes["name"]) == {"Money", "Trust"} and "P1" in set(study.segments["document"])
    skipped = pd.read_csv(tmp_path / "x" / "skipped.csv")
    assert skipped["problem"].str.contains("byte-order mark U+FEFF", regex=False).any()
    assert "invisible characters from names" in out


def test_names_that_differ_only_by_invisible_characters_are_flagged(tmp_path, capsys):
    export = highlights(tmp_path, [("1", "P1", "Money", "a"), ("2", "P1", "Mo\u200dney", "b")])
    assert main(["import", str(export), "--study", "x", "--out", str(tmp_path / "x")]) == 0
    out = capsys.readouterr().out
    assert "warning: code names 'Money' and 'Mo\\u200dney' look alike" in out


def test_a_bare_carriage_return_in_a_quote_round_trips_through_the_study_csvs(tmp_path, capsys):
    export = highlights(tmp_path, [("1", "P1", "Money", "first line\rsecond line"), ("2", "P2", "Trust", "ok")])
    assert main(["import", str(export), "--study", "x", "--out", str(tmp_path / "x")]) == 0, capsys.readouterr()
    study = load_study("x", root=tmp_path)
    assert sorted(study.segments["text"]) == ["first line\rsecond line", "ok"]


def test_a_byte_order_mark_in_a_code_name_does_not_break_the_appendix_pdf(project, capsys):
    codes_csv = project / "data" / "raw" / "mini" / "codes.csv"
    codes = pd.read_csv(codes_csv, dtype=str, keep_default_na=False)
    codes["name"] = "\ufeff" + codes["name"] + "\u200b"
    codes.to_csv(codes_csv, index=False)
    assert main(["appendix", "mini"]) == 0, capsys.readouterr().err
    assert (project / "reports" / "appendix" / "mini" / "mini-appendix.pdf").stat().st_size > 0


def test_escape_sequences_in_a_file_name_reach_the_terminal_escaped(tmp_path, capsys):
    hostile = "\x1b]8;;https:evil.example\x07click\x1b]8;;\x07\x1b[2J\u202eevil\x9b.csv"
    export = tmp_path / hostile
    export.write_bytes(b"\x00\x01 not an export")
    code = main(["import", str(export), "--study", "x", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert_one_line_refusal(code, err)
    assert not any(c in err for c in RAW_CONTROLS), repr(err)
    assert "\\x1b]8;;https:evil.example\\x07click" in err and "\\u202eevil" in err


def test_control_characters_in_names_reach_the_terminal_escaped(tmp_path, capsys):
    export = highlights(tmp_path, [("1", "P1", "red\x1b[31m\u202eA", "a"), ("2", "P1", "red\x1b[31m\u202eA\u200b", "b")])
    out_dir = tmp_path / "out\x1b[2J"
    assert main(["import", str(export), "--study", "x", "--out", str(out_dir)]) == 0
    printed = capsys.readouterr()
    assert not any(c in printed.out + printed.err for c in RAW_CONTROLS), repr(printed)
    assert "out\\x1b[2J" in printed.out


def test_an_argument_error_escapes_what_was_typed(capsys):
    code = main(["matrices", "x\x1b[2J\u202e"])
    err = capsys.readouterr().err
    assert code == 2 and "\x1b" not in err and "\u202e" not in err and "\\x1b[2J" in err


@pytest.mark.parametrize("value", ["שלום", "مرحبا", "a\u202eb", "x\u2067y"])
def test_bidi_text_is_isolated_in_html(value):
    assert text(value).startswith("<bdi>") and text(value).endswith("</bdi>")


def test_left_to_right_text_is_not_wrapped(value="Zoë <b>"):
    assert text(value) == "Zoë &lt;b&gt;"
