"""Readings of our copy of a paper as data: the transcription ledger and the authors' labels."""
from __future__ import annotations

import pytest
from evidence_helpers import seed_text, with_file, words

from icevidence import load_study
from icevidence.analyses.evidence import readings as rd
from icevidence.analyses.evidence.claims import read_claims
from icevidence.model.errors import DataValidationError


def test_a_ledger_row_without_a_reason_is_refused_naming_file_row_and_column(mini_copy):
    study = with_file(mini_copy, "transcription.csv", "item,field,ours,printed,reason\nS5,attribution_raw,GTP2,,\n")
    with pytest.raises(DataValidationError, match="row 2, column 'reason'"):
        rd.ledger(study)


def test_a_ledger_row_for_an_unknown_field_is_refused(mini_copy):
    study = with_file(mini_copy, "transcription.csv", "item,field,ours,printed,reason\nS5,speaker,GTP2,,why\n")
    with pytest.raises(DataValidationError, match="column 'field'"):
        rd.ledger(study)


def test_damage_is_found_for_the_items_a_finding_rests_on(mini_copy):
    study = with_file(mini_copy, "transcription.csv", "item,field,ours,printed,reason\nS5,attribution_raw,GTP2,G1P2,"
                      "misread\n")
    book = rd.ledger(study)
    assert [d.printed for d in rd.damage_to(book, "attribution_raw", "S4; S5")] == ["G1P2"]
    assert rd.damage_to(book, "text", "S5") == []


def test_a_study_without_readings_has_none(mini):
    assert rd.ledger(mini) == {} and rd.labels(mini).empty


def ledger_rows():
    return [(s, r) for s in ("tracy2025", "mitchell2020", "mitchell2023")
            for r in rd.read_table(load_study(s), rd.LEDGER_FILE, rd.LEDGER_COLUMNS).to_dict("records")]


@pytest.mark.parametrize("study, row", ledger_rows())
def test_each_damaged_place_is_in_our_data_and_in_our_copy_of_the_paper(study, row):
    loaded = load_study(study)
    recorded = {c["id"]: c["text"] for c in read_claims(loaded)}
    recorded |= dict(zip(loaded.segments["segment_id"], loaded.segments[row["field"]].astype(str)))
    assert row["ours"] in str(recorded[row["item"]])
    assert words(row["ours"]) in words(seed_text(study))


@pytest.mark.parametrize("study", ["tracy2025"])
def test_each_label_is_used_by_the_authors_in_their_own_voice_in_the_paper(study):
    paper = words(seed_text(study))
    loaded = load_study(study)
    texts, book = loaded.segments.set_index("segment_id")["text"], rd.ledger(loaded)
    for label in rd.labels(loaded).to_dict("records"):
        assert words(label["own_voice_text"]) in paper
        text, damage = texts[label["item"]], book.get((label["item"], "text"))
        printed = text.replace(damage.ours, damage.printed) if damage and damage.printed else text
        assert set(words(printed).split()) <= set(words(label["own_voice_text"]).split())
