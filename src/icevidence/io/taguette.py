"""Taguette imports: highlights (csv/xlsx), codebook (csv/xlsx) and the project database (.sqlite3).

Highlights: columns id, document, tag, content; a highlight with two tags is two rows with the same
id. Content may be an HTML snippet (as in the database); it is reduced to its text. Codebook: tag,
description, number of highlights. Database: documents hold HTML; a highlight's start/end_offset are
UTF-8 byte offsets into the document's text with tags removed and entities decoded. They are turned
into character offsets into that text, and each highlight's text is checked against its snippet.
Tags are flat (Taguette has no code tree).
"""
from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.study import Study
from .assign import CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .errors import MalformedExportError
from .headers import TAGUETTE_CODEBOOK, TAGUETTE_HIGHLIGHTS, find_columns, matches_by_name
from .safety import MAX_FIELD_CHARS
from .spreadsheet import iter_records, read_sheet, reject_row
from .sqlite import check_columns, open_database

TAGUETTE_TABLES = ("documents", "tags", "highlights", "highlight_tags")
DOCUMENT_CHARS = 100 * MAX_FIELD_CHARS
SCHEMA = {  # what is read, and the type Taguette writes: "id" a whole number, "integer" one or empty
    "documents": {"id": "id", "project_id": "id", "name": "text", "description": "text", "contents": "text"},
    "tags": {"id": "id", "project_id": "integer", "path": "text", "description": "text"},
    "highlights": {"id": "id", "document_id": "id", "start_offset": "id", "end_offset": "id", "snippet": "text"},
    "highlight_tags": {"highlight_id": "integer", "tag_id": "integer"},
}
HTML_MARKUP = re.compile(r"</?(?:p|br|span|div|b|i|u|em|strong|a|li|ul|ol|h[1-6]|blockquote|pre)\b[^>]*>"
                         r"|&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")


class TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, entities decoded, tags dropped, every character kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        """Keep a run of text."""
        self.parts.append(data)


def html_text(fragment: str) -> str:
    """The text of an HTML fragment as Taguette counts it: tags removed, entities decoded."""
    parser = TextExtractor()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)


def snippet_text(content: str) -> str:
    """Plain text of a highlight's content: HTML reduced to text, plain text (even with '<') kept."""
    return html_text(content) if HTML_MARKUP.search(content) else content


def sniff_highlights(columns: list[str]) -> bool:
    """True when a header row is a Taguette highlights export (id, document, tag, content)."""
    return matches_by_name(columns, TAGUETTE_HIGHLIGHTS)


def sniff_codebook(columns: list[str]) -> bool:
    """True when a header row is a Taguette codebook export (tag, description, number of highlights)."""
    return matches_by_name(columns, TAGUETTE_CODEBOOK)


def read_taguette_codes(path: Path, *, encoding: str | None = None) -> pd.DataFrame:
    """The tags of a Taguette codebook export as codes (code_id = tag), in file order."""
    path = Path(path)
    frame = read_sheet(path, encoding=encoding)
    columns = find_columns(frame.columns, TAGUETTE_CODEBOOK, str(path))
    rows: dict[str, dict[str, Any]] = {}
    for number, record in iter_records(frame, columns):
        tag = (record["tag"] or "").strip()
        if not tag:
            reject_row(None, str(path), number, columns["tag"], "the tag is empty")
        rows.setdefault(tag, {"code_id": tag, "parent_id": None, "name": tag,
                              "description": (record["description"] or "").strip() or None})
    return pd.DataFrame(list(rows.values()), columns=CODE_INPUT_COLUMNS)


def read_taguette_codebook(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Import a Taguette codebook export alone as a Study with codes and no codings."""
    path = Path(path)
    return build_study(study_id_for(path, config), read_taguette_codes(path),
                       pd.DataFrame(columns=CODING_INPUT_COLUMNS), None, config, path,
                       skipped=[] if skip_invalid else None)


def read_taguette_highlights(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                             codebook: Path | None = None, encoding: str | None = None) -> Study:
    """Import a Taguette highlights export (csv/xlsx), optionally with its codebook for order and descriptions."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    frame = read_sheet(path, encoding=encoding, skipped=skipped)
    columns = find_columns(frame.columns, TAGUETTE_HIGHLIGHTS, str(path), sample=frame.head(500))
    codes = read_taguette_codes(codebook) if codebook is not None else pd.DataFrame(columns=CODE_INPUT_COLUMNS)
    known = dict.fromkeys(codes["code_id"])
    codings: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, record in iter_records(frame, columns):
        coding = highlight_coding(record, number, columns, str(path), seen, skipped)
        if coding is not None:
            codings.append(coding)
            known.setdefault(coding["code_id"])
    extra = [t for t in known if t not in set(codes["code_id"])]
    codes = pd.concat([codes, pd.DataFrame({"code_id": extra, "parent_id": None, "name": extra,
                                            "description": None})], ignore_index=True)
    return build_study(study_id_for(path, config), codes, pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS), None,
                       config, path, skipped=skipped)


def highlight_coding(record: dict[str, str | None], number: int, columns: dict[str, str | None], file: str,
                     seen: dict[tuple[str, str], int], skipped: list[dict] | None) -> dict[str, Any] | None:
    """One coding from a highlights row, or None (row listed as skipped) when the row is invalid."""
    for key in ("id", "document", "tag"):
        if not (record[key] or "").strip():
            reject_row(skipped, file, number, columns[key], f"the {TAGUETTE_HIGHLIGHTS[key].label} is empty")
            return None
    highlight, tag = record["id"].strip(), record["tag"].strip()
    if (highlight, tag) in seen:
        reject_row(skipped, file, number, columns["tag"],
                   f"highlight {highlight} has tag {tag!r} already in row {seen[(highlight, tag)]}")
        return None
    seen[(highlight, tag)] = number
    return {"segment_id": f"{highlight}/{tag}", "document": record["document"].strip(), "case": None,
            "code_id": tag, "text": snippet_text(record["text"] or ""), "start": None, "end": None,
            "note": f"highlight {highlight}"}


def read_taguette_sqlite(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                         project: int | None = None) -> Study:
    """Import a Taguette project database (.sqlite3): documents, tags and highlights with offsets."""
    path = Path(path)
    skipped: list[dict] = []
    with closing(open_taguette(path)) as connection:
        check_columns(connection, str(path), SCHEMA, "Taguette", max_chars={"documents.contents": DOCUMENT_CHARS})
        project = pick_project(connection, project, path)
        documents = read_query(connection, "SELECT id, name, description, contents FROM documents "
                                           "WHERE project_id = ? ORDER BY id", (project,), path)
        tags = read_query(connection, "SELECT id, path, description FROM tags WHERE project_id = ? ORDER BY id",
                          (project,), path)
        highlights = read_query(connection, "SELECT h.id, h.document_id, h.start_offset, h.end_offset, h.snippet, "
                                            "ht.tag_id FROM highlights h JOIN documents d ON d.id = h.document_id "
                                            "LEFT JOIN highlight_tags ht ON ht.highlight_id = h.id "
                                            "WHERE d.project_id = ? ORDER BY h.id, ht.tag_id", (project,), path)
    codes = pd.DataFrame({"code_id": [f"tag{t}" for t in tags["id"]], "parent_id": None,
                          "name": tags["path"].astype(str), "description": tags["description"]},
                         columns=CODE_INPUT_COLUMNS)
    texts = {int(i): html_text(c or "") for i, c in zip(documents["id"], documents["contents"])}
    names = dict(zip(documents["id"].astype(int), documents["name"].astype(str)))
    tag_ids = set(tags["id"].astype(int))
    codings = [c for c in (database_coding(r, texts, names, tag_ids, str(path), skipped, skip_invalid)
                           for r in highlights.itertuples()) if c is not None]
    attributes = document_descriptions(documents)
    lengths = pd.DataFrame({"document": list(names.values()), "characters": [len(texts[i]) for i in names],
                            "source": [f"{path.name}: length of documents.contents as text, id {i}" for i in names]})
    return build_study(study_id_for(path, config), codes, pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS),
                       attributes, config, path, skipped=skipped, documents=lengths)


def open_taguette(path: Path) -> sqlite3.Connection:
    """Open the database read-only, checking it holds Taguette's tables."""
    return open_database(path, TAGUETTE_TABLES, "Taguette project database",
                       remedy="download the project again from Taguette (Export project) as .sqlite3.")


def pick_project(connection: sqlite3.Connection, project: int | None, path: Path) -> int:
    """The project to import: the given one, or the only one; raise listing them when there are several."""
    ids = [int(r[0]) for r in connection.execute("SELECT DISTINCT project_id FROM documents ORDER BY 1")]
    if project is not None:
        if project not in ids:
            raise MalformedExportError(str(path), "table documents", f"no documents of project {project}; "
                                       f"projects with documents: {ids}", remedy="name one of the listed projects.")
        return project
    if len(ids) > 1:
        raise MalformedExportError(str(path), "table projects", f"the database holds projects {ids}",
                                   remedy="name the project to import (project=<id>).")
    if not ids:
        raise MalformedExportError(str(path), "table documents", "the project has no documents",
                                   remedy="add documents in Taguette and export again.")
    return ids[0]


def read_query(connection: sqlite3.Connection, sql: str, params: tuple, path: Path) -> pd.DataFrame:
    """Run a query, naming the file when the layout differs from Taguette's."""
    try:
        return pd.read_sql_query(sql, connection, params=params)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise MalformedExportError(str(path), "", f"unexpected database layout ({exc})",
                                   remedy="export the highlights as CSV from Taguette and import that.") from exc


def database_coding(row: Any, texts: dict[int, str], names: dict[int, str], tag_ids: set[int], file: str,
                    skipped: list[dict], skip_invalid: bool) -> dict[str, Any] | None:
    """One coding of a highlight with one tag; untagged highlights are listed, mismatches raise or are listed."""
    place = f"highlight {row.id}"
    if pd.isna(row.tag_id):
        skipped.append({"file": file, "row": None, "column": None, "place": f"table highlights, id {row.id}",
                        "problem": f"{place} has no tag, so it is no coding"})
        return None
    text = texts.get(int(row.document_id))
    problem = None
    if int(row.tag_id) not in tag_ids:
        problem = f"{place} refers to tag {int(row.tag_id)}, which is not in table tags"
    elif text is None:
        problem = f"{place} refers to document {row.document_id}, which is not in table documents"
    else:
        start, end, quoted = char_span(text, int(row.start_offset), int(row.end_offset))
        if quoted is None or quoted != html_text(row.snippet or ""):
            problem = f"{place}: the text at bytes {row.start_offset}-{row.end_offset} differs from its snippet"
    if problem:
        reject_row(skipped if skip_invalid else None, file, None, None, problem,
                   remedy="export the highlights as CSV from Taguette, or pass skip_invalid=True.",
                   place=f"table highlights, id {row.id}")
        return None
    return {"segment_id": f"{int(row.id)}/tag{int(row.tag_id)}", "document": names[int(row.document_id)],
            "case": None, "code_id": f"tag{int(row.tag_id)}", "text": quoted, "start": start, "end": end,
            "note": f"highlight {int(row.id)}"}


def char_span(text: str, start_byte: int, end_byte: int) -> tuple[int, int, str | None]:
    """Character offsets and text of a UTF-8 byte range of the text (text None when it cuts a character)."""
    data = text.encode("utf-8")
    if not 0 <= start_byte <= end_byte <= len(data):
        return start_byte, end_byte, None
    try:
        before = data[:start_byte].decode("utf-8")
        quoted = data[start_byte:end_byte].decode("utf-8")
    except UnicodeDecodeError:
        return start_byte, end_byte, None
    return len(before), len(before) + len(quoted), quoted


def document_descriptions(documents: pd.DataFrame) -> pd.DataFrame:
    """Each document's description as the document variable 'Description' (for participant rules)."""
    rows = [("document", str(n), "Description", str(d).strip()) for n, d in zip(documents["name"],
                                                                             documents["description"])
            if isinstance(d, str) and d.strip()]
    return pd.DataFrame(rows, columns=["owner_kind", "owner", "variable", "value"])
