"""Double-encoded text (UTF-8 read through a code page and saved again) is repaired where unambiguous, and listed."""
from __future__ import annotations

from dataclasses import replace

from icevidence.io.encoding import repair_study, repair_text, summary_lines


def double_encoded(text: str, page: str) -> str:
    """What software does when it reads UTF-8 bytes as ``page`` and stores the result."""
    return text.encode("utf-8").decode(page)


def test_utf8_read_as_windows_1250_is_repaired():
    # the names of the issue: 'SĂŁo LuĂ­s', 'OFĂŤCIO'
    assert repair_text(double_encoded("São Luís", "cp1250")) == ("São Luís", False)
    assert repair_text(double_encoded("OFÍCIO", "cp1250"))[0] == "OFÍCIO"


def test_utf8_read_as_latin_1_is_repaired():
    assert repair_text(double_encoded("naïve café", "latin-1"))[0] == "naïve café"


def test_correct_accented_text_is_left_alone():
    for text in ["São Luís", "Łódź", "Ça va", "Müller-Lüdenscheidt", "Ελληνικά", "日本語"]:
        assert repair_text(text) == (text, False)


def test_repaired_values_are_listed_with_their_table_column_and_rows(mini):
    broken = double_encoded("Coordenação", "cp1250")
    codes = mini.codes.assign(name=mini.codes["name"].where(mini.codes.index != 0, broken))
    study, repairs = repair_study(replace(mini, codes=codes))
    assert study.codes["name"].iloc[0] == "Coordenação"
    assert [(r.table, r.column, r.before, r.after, r.rows) for r in repairs] == \
        [("codes", "name", broken, "Coordenação", 1)]
    assert "codes.name" in "\n".join(summary_lines(repairs)) and "repaired" in summary_lines(repairs)[0]


def test_a_study_without_double_encoding_is_unchanged(mini):
    study, repairs = repair_study(mini)
    assert repairs == [] and study.codes.equals(mini.codes) and study.segments.equals(mini.segments)


def test_ids_are_repaired_alike_in_every_table(mini):
    broken = double_encoded("João", "cp1250")
    first = mini.participants["participant_id"].iloc[0]
    study, _ = repair_study(replace(
        mini, participants=mini.participants.replace({"participant_id": {first: broken}}),
        segments=mini.segments.replace({"participant_id": {first: broken}})))
    assert "João" in set(study.participants["participant_id"]) and "João" in set(study.segments["participant_id"])
