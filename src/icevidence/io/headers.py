"""Known column headers of QDA spreadsheet exports in several interface languages, and matching by content.

QDA programs write spreadsheet headers in the user's interface language (the real MAXQDA files in the
fixtures are Polish). Each format declares the fields it needs as :class:`Field`\\ s: the headers known
per language (English, German, Polish, Portuguese) and, where the values are distinctive, a content test
used when no header matches. :func:`find_columns` maps fields to the file's columns or raises
:class:`MissingColumnError` naming the field, the headers it knows and the headers the file has.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from .errors import MalformedExportError

LANGUAGES = ("en", "de", "pl", "pt")


@dataclass(frozen=True)
class Field:
    """One column an importer needs: its label, known headers per language, and an optional content test."""

    label: str
    names: Mapping[str, tuple[str, ...]]
    required: bool = True
    content: str | None = None
    known: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(normalise_header(n) for ns in self.names.values() for n in ns))


@dataclass
class MissingColumnError(MalformedExportError):
    """A column an importer needs is not in the file, under any known name or by its content."""

    remedy: str = ("rename the column to one of the known headers listed (any language), or re-export "
                   "with that column included, and import again.")


def normalise_header(name: object) -> str:
    """Compare headers without case, accents, surrounding blanks, trailing '|' or ':' and repeated spaces."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\s_]+", " ", text).strip().rstrip("|:").strip()
    return text


def is_positive_integer(values: pd.Series) -> bool:
    """True when every non-empty value is a whole number of at least 1 (paragraph numbers)."""
    present = values.dropna().astype(str).str.strip()
    present = present[present != ""]
    return bool(len(present)) and bool(present.str.fullmatch(r"[1-9][0-9]*").all())


def is_ctid(values: pd.Series) -> bool:
    """True when every non-empty value is a QualCoder coding id such as 'ctid:12'."""
    present = values.dropna().astype(str)
    return bool(len(present)) and bool(present.str.fullmatch(r"ctid:\d+").all())


def is_paragraph_reference(values: pd.Series) -> bool:
    """True when every non-empty value is an ATLAS.ti reference such as '¶ 4' or '¶ 4 – ¶ 6'."""
    present = values.dropna().astype(str)
    return bool(len(present)) and bool(present.str.match(r"¶\s*\d+").all())


def is_quotation_number(values: pd.Series) -> bool:
    """True when every non-empty value is an ATLAS.ti quotation id such as '1:12'."""
    present = values.dropna().astype(str).str.strip()
    return bool(len(present)) and bool(present.str.fullmatch(r"\d+:\d+").all())


CONTENT_TESTS: dict[str, Callable[[pd.Series], bool]] = {
    "positive_integer": is_positive_integer,
    "ctid": is_ctid,
    "paragraph_reference": is_paragraph_reference,
    "quotation_number": is_quotation_number,
}


def find_columns(columns: Iterable[object], wanted: Mapping[str, Field], file: str,
                 sample: pd.DataFrame | None = None) -> dict[str, str | None]:
    """Map each wanted field to a column: by known header first, then by content; raise naming what is missing."""
    columns = [str(c) for c in columns]
    found: dict[str, str | None] = {}
    claimed: set[str] = set()
    for key, spec in wanted.items():
        found[key] = match_by_name(columns, spec, claimed)
        if found[key] is not None:
            claimed.add(found[key])
    for key, spec in wanted.items():
        if found[key] is None and sample is not None:
            found[key] = match_by_content(columns, spec, claimed, sample)
            if found[key] is not None:
                claimed.add(found[key])
    missing = [key for key, spec in wanted.items() if spec.required and found[key] is None]
    if missing:
        raise missing_column_error(wanted[missing[0]], columns, file, [wanted[k].label for k in missing])
    return found


def match_by_name(columns: list[str], spec: Field, claimed: set[str]) -> str | None:
    """The first unclaimed column whose header is one of the field's known names."""
    for column in columns:
        if column not in claimed and normalise_header(column) in spec.known:
            return column
    return None


def match_by_content(columns: list[str], spec: Field, claimed: set[str], sample: pd.DataFrame) -> str | None:
    """The first unclaimed column whose values pass the field's content test ('longest_text': longest cells)."""
    if spec.content is None:
        return None
    free = [c for c in columns if c not in claimed and c in sample.columns]
    if spec.content == "longest_text":
        lengths = {c: sample[c].dropna().astype(str).str.len().mean() for c in free}
        lengths = {c: v for c, v in lengths.items() if pd.notna(v) and v > 0}
        return max(lengths, key=lengths.get) if lengths else None
    test = CONTENT_TESTS[spec.content]
    return next((c for c in free if test(sample[c])), None)


def missing_column_error(spec: Field, columns: list[str], file: str, labels: list[str]) -> MissingColumnError:
    """An error naming the missing column(s), the headers known for the first and the headers seen."""
    known = "; ".join(f"{lang}: {' / '.join(names)}" for lang, names in spec.names.items() if names)
    others = f" (also missing: {', '.join(labels[1:])})" if len(labels) > 1 else ""
    seen = ", ".join(repr(c) for c in columns) or "none"
    return MissingColumnError(file, f"column '{spec.label}'",
                              f"no column for the {spec.label} found{others}; known headers: {known}; "
                              f"headers in the file: {seen}")


def matches_by_name(columns: Iterable[object], wanted: Mapping[str, Field]) -> bool:
    """True when every required field has a column by its known header (used by the sniffers)."""
    columns = [str(c) for c in columns]
    claimed: set[str] = set()
    for spec in wanted.values():
        column = match_by_name(columns, spec, claimed)
        if column is None and spec.required:
            return False
        if column is not None:
            claimed.add(column)
    return True


def names(en: Iterable[str] = (), de: Iterable[str] = (), pl: Iterable[str] = (),
          pt: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Known headers per interface language."""
    return {"en": tuple(en), "de": tuple(de), "pl": tuple(pl), "pt": tuple(pt)}


MAXQDA_SEGMENTS: dict[str, Field] = {
    "document": Field("document name", names(
        ["Document name", "Document"], ["Dokumentname", "Dokument"], ["Nazwa dokumentu", "Dokument"],
        ["Nome do documento", "Documento"])),
    "code": Field("code", names(["Code"], ["Code", "Kode"], ["Kod"], ["Código", "Codigo"])),
    "text": Field("segment", names(
        ["Segment", "Coded segment"], ["Segment", "Codiertes Segment"], ["Fragment", "Segment"],
        ["Segmento"]), content="longest_text"),
    "start": Field("beginning", names(
        ["Beginning", "Begin", "Start"], ["Anfang", "Beginn"], ["Początek"], ["Início", "Inicio"]),
        required=False, content="positive_integer"),
    "end": Field("end", names(["End"], ["Ende"], ["Koniec"], ["Fim"]), required=False,
                 content="positive_integer"),
    "comment": Field("comment", names(["Comment"], ["Kommentar"], ["Komentarz"], ["Comentário"]),
                     required=False),
    "document_group": Field("document group", names(
        ["Document group"], ["Dokumentgruppe"], ["Grupa dokumentów"], ["Grupo de documentos"]), required=False),
    "author": Field("author", names(["Created by", "Author"], ["Autor", "Erstellt von"], ["Autor"], ["Autor"]),
                    required=False),
}

ATLASTI_QUOTATIONS: dict[str, Field] = {
    "number": Field("quotation ID", names(["Number", "ID", "Quotation ID"], ["Nummer", "ID"], ["Numer", "ID"],
                                          ["Número", "ID"]), content="quotation_number"),
    "reference": Field("reference", names(["Reference"], ["Referenz"], ["Odniesienie"], ["Referência"]),
                       required=False, content="paragraph_reference"),
    "name": Field("quotation name", names(["Name"], ["Name"], ["Nazwa"], ["Nome"]), required=False),
    "text": Field("quotation content", names(
        ["Text Content", "Quotation Content", "Content", "Quotation"], ["Textinhalt", "Zitatinhalt", "Inhalt"],
        ["Treść tekstu", "Treść"], ["Conteúdo do texto", "Conteúdo", "Citação"]), content="longest_text"),
    "document": Field("document", names(["Document"], ["Dokument"], ["Dokument"], ["Documento"])),
    "codes": Field("codes", names(["Codes"], ["Codes", "Kodes"], ["Kody"], ["Códigos", "Codigos"])),
    "count": Field("number of codes", names(["Number of Codes"], ["Anzahl Codes", "Anzahl der Codes"],
                                            ["Liczba kodów"], ["Número de códigos"]), required=False),
    "comment": Field("comment", names(["Comment"], ["Kommentar"], ["Komentarz"], ["Comentário"]),
                     required=False),
    "start": Field("initial position", names(["Initial Position", "Start"], ["Anfangsposition", "Start"],
                                             ["Pozycja początkowa"], ["Posição inicial"]), required=False),
    "end": Field("final position", names(["Final Position", "End"], ["Endposition", "Ende"],
                                         ["Pozycja końcowa"], ["Posição final"]), required=False),
    "author": Field("creator", names(["Created by", "Creator", "Author"], ["Erstellt von", "Autor"],
                                     ["Utworzone przez", "Autor"], ["Criado por", "Autor"]), required=False),
}

ATLASTI_CODES: dict[str, Field] = {
    "code": Field("code", names(["Code", "Codes"], ["Code", "Codes"], ["Kod", "Kody"], ["Código", "Códigos"])),
    "comment": Field("comment", names(["Comment", "Description"], ["Kommentar"], ["Komentarz"],
                                      ["Comentário"]), required=False),
}

ATLASTI_CODE_MANAGER_MARKERS: dict[str, Field] = {
    "groundedness": Field("groundedness", names(
        ["Magnitude Degree", "Groundedness", "Grounded", "Density", "Code Group 1", "Groups"],
        ["Fundierung", "Dichte", "Gruppen", "Codegruppe 1"], ["Ugruntowanie", "Gęstość", "Grupy"],
        ["Enraizamento", "Densidade", "Grupos"])),
}

QUALCODER: dict[str, Field] = {
    "document": Field("file", names(["File", "Filename"], ["Datei"], ["Plik"], ["Arquivo", "Ficheiro"])),
    "coder": Field("coder", names(["Coder", "Owner"], ["Kodierer", "Codierer"], ["Koder"],
                                  ["Codificador"]), required=False),
    "text": Field("coded text", names(["Coded", "Coded text", "Text"], ["Codiert", "Text"], ["Zakodowane"],
                                      ["Codificado", "Texto"]), content="longest_text"),
    "id": Field("coding id", names(["Id", "ctid"], ["Id"], ["Id"], ["Id"]), content="ctid"),
    "code": Field("code name", names(["Codename", "Code name", "Code"], ["Codename", "Code"], ["Kod"],
                                     ["Código", "Nome do código"])),
    "memo": Field("coded memo", names(["Coded_Memo", "Coded memo", "Memo"], ["Memo"], ["Notatka"],
                                      ["Memorando", "Memo"]), required=False),
    "category": Field("category", names(["Category"], ["Kategorie"], ["Kategoria"], ["Categoria"]),
                      required=False),
}

TAGUETTE_HIGHLIGHTS: dict[str, Field] = {
    "id": Field("highlight id", names(["id"], ["id"], ["id"], ["id"])),
    "document": Field("document", names(["document"], ["Dokument"], ["dokument"], ["documento"])),
    "tag": Field("tag", names(["tag"], ["Schlagwort", "Tag"], ["tag", "znacznik"], ["etiqueta", "tag"])),
    "text": Field("content", names(["content"], ["Inhalt"], ["treść"], ["conteúdo"]), content="longest_text"),
}

TAGUETTE_CODEBOOK: dict[str, Field] = {
    "tag": Field("tag", names(["tag"], ["Schlagwort", "Tag"], ["tag", "znacznik"], ["etiqueta", "tag"])),
    "description": Field("description", names(["description"], ["Beschreibung"], ["opis"], ["descrição"])),
    "count": Field("number of highlights", names(["number of highlights"], ["Anzahl Markierungen"],
                                                 ["liczba zaznaczeń"], ["número de destaques"]), required=False),
}

NVIVO_CLASSIFICATION: dict[str, Field] = {
    "case": Field("case name", names(["Name", "Case", "Cases", "Case name"], ["Name", "Fall", "Fälle"],
                                     ["Nazwa", "Przypadek", "Przypadki"], ["Nome", "Caso", "Casos"])),
}
