"""The multilingual header table and matching columns by name, then by content."""
from __future__ import annotations

import pandas as pd
import pytest

from icevidence.io.headers import (
    ATLASTI_QUOTATIONS,
    MAXQDA_SEGMENTS,
    QUALCODER,
    MissingColumnError,
    find_columns,
    matches_by_name,
    normalise_header,
)


def test_polish_maxqda_headers_are_found_by_name() -> None:
    columns = ["Color", "Komentarz", "Grupa dokumentów", "Nazwa dokumentu", "Kod", "Początek", "Koniec",
               "Waga", "Fragment", "Objętość"]
    found = find_columns(columns, MAXQDA_SEGMENTS, "x.xls")
    assert (found["document"], found["code"], found["text"], found["start"], found["end"]) == \
        ("Nazwa dokumentu", "Kod", "Fragment", "Początek", "Koniec")


def test_german_maxqda_headers_are_found_by_name() -> None:
    columns = ["Farbe", "Dokumentgruppe", "Dokumentname", "Code", "Anfang", "Ende", "Segment", "Kommentar"]
    found = find_columns(columns, MAXQDA_SEGMENTS, "x.xlsx")
    assert (found["document"], found["start"], found["end"], found["comment"], found["document_group"]) == \
        ("Dokumentname", "Anfang", "Ende", "Kommentar", "Dokumentgruppe")


def test_english_maxqda_headers_are_found_by_name() -> None:
    columns = ["Color", "Document group", "Document name", "Code", "Beginning", "End", "Segment", "Comment"]
    found = find_columns(columns, MAXQDA_SEGMENTS, "x.csv")
    assert (found["document"], found["code"], found["start"]) == ("Document name", "Code", "Beginning")


def test_headers_match_without_case_accents_or_trailing_blanks_and_bars() -> None:
    assert normalise_header("  Magnitude Degree |") == normalise_header("magnitude degree")
    assert normalise_header("POCZATEK ") == normalise_header("Początek")
    assert normalise_header("Creation Date ") == "creation date"


def test_segment_text_is_found_by_content_when_its_header_is_unknown() -> None:
    sample = pd.DataFrame({"Documento": ["P1", "P2"], "Código": ["A", "B"],
                           "Texte codé": ["a long quoted passage of speech", "another long passage"],
                           "Début": ["1", "2"]}, dtype="string")
    found = find_columns(sample.columns, MAXQDA_SEGMENTS, "x.csv", sample=sample)
    assert found["text"] == "Texte codé"


def test_paragraph_numbers_are_found_by_content_when_headers_are_unknown() -> None:
    sample = pd.DataFrame({"Document name": ["P1"], "Code": ["A"], "Segment": ["text"],
                           "Début": ["3"], "Fin": ["4"], "Poids": ["0"]}, dtype="string")
    found = find_columns(sample.columns, MAXQDA_SEGMENTS, "x.csv", sample=sample)
    assert (found["start"], found["end"]) == ("Début", "Fin")


def test_ctid_column_is_found_by_content() -> None:
    sample = pd.DataFrame({"File": ["a.docx"], "Coded": ["text"], "Ident": ["ctid:12"], "Codename": ["c"]},
                          dtype="string")
    assert find_columns(sample.columns, QUALCODER, "q.csv", sample=sample)["id"] == "Ident"


def test_missing_column_error_names_the_column_the_known_headers_and_the_headers_seen() -> None:
    with pytest.raises(MissingColumnError) as caught:
        find_columns(["Color", "Nazwa dokumentu", "Fragment"], MAXQDA_SEGMENTS, "segments.xlsx")
    message = str(caught.value)
    assert "segments.xlsx, column 'code'" in message
    assert "pl: Kod" in message and "de: Code" in message
    assert "'Nazwa dokumentu'" in message
    assert "What to do:" in message


def test_optional_columns_may_be_absent() -> None:
    found = find_columns(["Document name", "Code", "Segment"], MAXQDA_SEGMENTS, "x.csv")
    assert found["start"] is None and found["comment"] is None


def test_portuguese_atlasti_headers_are_recognised() -> None:
    columns = ["Número", "Referência", "Conteúdo do texto", "Documento", "Códigos", "Número de códigos"]
    assert matches_by_name(columns, ATLASTI_QUOTATIONS)
