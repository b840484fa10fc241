"""QualCoder project import: the ``name.qda`` folder, or the SQLite file ``data.qda`` inside it.

Tables read (QualCoder's own layout): ``code_cat`` (categories, nested by ``supercatid``),
``code_name`` (codes, in a category by ``catid``), ``source`` (documents: ``name``, ``fulltext``),
``code_text`` (text codings: ``cid``, ``fid``, ``seltext``, ``pos0``/``pos1`` character offsets into
the source's text, ``owner`` = the coder, ``memo``), ``cases`` and ``case_text`` (which stretch of
which source belongs to a case), ``attribute`` (values; ``attr_type`` 'case' or 'file', ``id`` the
case or source id). Audio/video and image codings (``code_av``, ``code_image``) are not text and are
counted in a warning. Categories become codes (their ids ``cat:<n>``), codes are ``code:<n>``, and the
tree follows QualCoder's (category > subcategory > code). A coding belongs to the case whose
``case_text`` covers it in the same source (the whole source when the case's positions are empty).
The coder is kept in the segments' ``coder`` column and in the note.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.codes import tree_depths
from ..model.study import Study
from .assign import ATTRIBUTE_COLUMNS, CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .errors import MalformedExportError, UnknownFormatError, UnsafeInputError
from .sqlite import check_columns, open_database, run, table_names

DATABASE = "data.qda"
TABLES = ["code_cat", "code_name", "code_text", "source", "cases", "case_text", "attribute"]
DOCUMENT_CHARS = 50_000_000
REMEDY = "open the project in QualCoder and export it (Project > Export REFI-QDA project) as .qdpx instead."
SCHEMA = {  # what is read, and the type QualCoder writes: "id" a whole number, "integer" one or empty
    "code_cat": {"catid": "id", "name": "text", "memo": "text", "supercatid": "integer"},
    "code_name": {"cid": "id", "name": "text", "memo": "text", "catid": "integer"},
    "source": {"id": "id", "name": "text"},
    "code_text": {"ctid": "id", "cid": "id", "fid": "integer", "seltext": "text", "pos0": "integer",
                  "pos1": "integer", "owner": "text", "memo": "text"},
    "cases": {"caseid": "id", "name": "text"},
    "case_text": {"id": "integer", "caseid": "integer", "fid": "integer", "pos0": "integer", "pos1": "integer"},
    "attribute": {"attrid": "integer", "name": "text", "attr_type": "text", "value": "text", "id": "integer"},
}


def database_of(path: Path) -> Path:
    """The data.qda file of a QualCoder project folder, or the path itself when it is a file.

    A project's data.qda that is a symbolic link (say, to another project's database) is refused.
    """
    path = Path(path)
    database = path / DATABASE if path.is_dir() else path
    if database.name == DATABASE and database.is_symlink():
        raise UnsafeInputError(str(database), "", f"a symbolic link (to {database.resolve()}); the database "
                               "inside a project folder is read only when it is a real file",
                               remedy="import the project the link points to, or copy the real file here.")
    if path.is_dir() and not database.is_file():
        raise UnknownFormatError(str(path), "", f"a folder, but not a QualCoder project (it holds no {DATABASE})",
                                 remedy="pass an export file, or a QualCoder project folder (name.qda) "
                                        "holding data.qda.")
    return database


def read_qualcoder_project(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Import a QualCoder project (folder or data.qda) as a Study: code tree, cases, attributes, codings."""
    path = Path(path)
    database = database_of(path)
    with closing(open_database(database, TABLES, "QualCoder project database", REMEDY)) as connection:
        check_columns(connection, str(database), SCHEMA, "QualCoder", max_chars={"source.name": 10_000})
        categories = query(connection, "SELECT catid, name, memo, supercatid FROM code_cat ORDER BY catid", database)
        names = query(connection, "SELECT cid, name, memo, catid FROM code_name ORDER BY cid", database)
        sources = query(connection, "SELECT id, name, length(fulltext) AS characters FROM source ORDER BY id",
                        database)
        codings = query(connection, "SELECT ctid, cid, fid, seltext, pos0, pos1, owner, memo FROM code_text "
                                    "ORDER BY fid, pos0, pos1, ctid", database)
        cases = query(connection, "SELECT caseid, name FROM cases ORDER BY caseid", database)
        case_text = query(connection, "SELECT caseid, fid, pos0, pos1 FROM case_text ORDER BY id", database)
        attributes = query(connection, "SELECT name, attr_type, value, id FROM attribute ORDER BY attrid", database)
        other = media_codings(connection, database)
    tree_depths(dict(zip(categories["catid"].astype(int), [optional_int(v) for v in categories["supercatid"]])),
                str(database), "table code_cat, column supercatid (categories by catid)")
    codes = code_tree(categories, names)
    documents = dict(zip(sources["id"].astype(int), sources["name"].astype(str)))
    case_names = dict(zip(cases["caseid"].astype(int), cases["name"].astype(str)))
    frame = coding_rows(codings, documents, case_of(codings, case_text, case_names))
    study = build_study(study_id_for(path.with_suffix("") if path.is_dir() else path, config), codes, frame,
                        attribute_rows(attributes, case_names, documents), config, path,
                        documents=document_lengths(sources, database))
    if other:
        study.meta["warnings"] = [*(study.meta.get("warnings") or []),
                                  f"{other} audio, video or image coding(s) are not text and were not imported"]
    return study


def document_lengths(sources: pd.DataFrame, database: Path) -> pd.DataFrame:
    """Each text source's full length in characters (SQLite's length() of its fulltext; media have none)."""
    known = sources[sources["characters"].notna()]
    return pd.DataFrame({"document": known["name"].astype(str), "characters": known["characters"].astype(int),
                         "source": [f"{database.name}: length of source.fulltext, id {int(i)}" for i in known["id"]]})


def query(connection: sqlite3.Connection, sql: str, path: Path) -> pd.DataFrame:
    """Run a query, naming the file when its layout is not QualCoder's."""
    try:
        return pd.read_sql_query(sql, connection)
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as exc:
        raise MalformedExportError(str(path), "", f"unexpected QualCoder database layout ({exc})",
                                   remedy=REMEDY) from exc


def media_codings(connection: sqlite3.Connection, path: Path) -> int:
    """How many audio/video and image codings the project holds (they are not imported)."""
    found = table_names(connection)
    return sum(run(connection, str(path), t, f'SELECT count(*) FROM "{t}"')[0][0]
               for t in ("code_av", "code_image") if t in found)


def code_tree(categories: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Categories and codes as one code table, depth first: each category, its subcategories, its codes."""
    kids: dict[Any, list[dict[str, Any]]] = {}
    known = set(categories["catid"].astype(int))
    for row in categories.itertuples(index=False):
        parent = int(row.supercatid) if pd.notna(row.supercatid) and int(row.supercatid) in known else None
        kids.setdefault(parent, []).append({"code_id": f"cat:{int(row.catid)}", "name": str(row.name),
                                            "description": text_or_none(row.memo), "key": int(row.catid)})
    for row in names.itertuples(index=False):
        parent = int(row.catid) if pd.notna(row.catid) and int(row.catid) in known else None
        kids.setdefault(parent, []).append({"code_id": f"code:{int(row.cid)}", "name": str(row.name),
                                            "description": text_or_none(row.memo), "key": None})
    rows: list[dict[str, Any]] = []
    placed: set[str] = set()
    everything = [item for items in kids.values() for item in items]
    for root in kids.get(None, []) + everything:  # roots first; then anything a parent cycle hid
        stack = [(None, root)]
        while stack:
            parent, item = stack.pop()
            if item["code_id"] in placed:
                continue
            placed.add(item["code_id"])
            rows.append({"code_id": item["code_id"], "parent_id": parent, "name": item["name"],
                         "description": item["description"]})
            if item["key"] is not None:
                stack.extend((item["code_id"], child) for child in reversed(kids.get(item["key"], [])))
    return pd.DataFrame(rows, columns=CODE_INPUT_COLUMNS)


def case_of(codings: pd.DataFrame, case_text: pd.DataFrame, case_names: dict[int, str]) -> list[str | None]:
    """Per coding, the name of the first case whose stretch of the same source covers it."""
    spans: dict[int, list[tuple[int | None, int | None, str]]] = {}
    for row in case_text.itertuples(index=False):
        if pd.notna(row.caseid) and int(row.caseid) in case_names and pd.notna(row.fid):
            spans.setdefault(int(row.fid), []).append((optional_int(row.pos0), optional_int(row.pos1),
                                                       case_names[int(row.caseid)]))
    out = []
    for row in codings.itertuples(index=False):
        start, end = optional_int(row.pos0), optional_int(row.pos1)
        found = None
        for low, high, name in spans.get(int(row.fid), []) if pd.notna(row.fid) else []:
            whole = low is None or high is None
            if whole or (start is not None and end is not None and low <= start and end <= high):
                found = name
                break
        out.append(found)
    return out


def coding_rows(codings: pd.DataFrame, documents: dict[int, str], cases: list[str | None]) -> pd.DataFrame:
    """The importer's coding table (plus the coder) from code_text rows."""
    frame = pd.DataFrame({
        "segment_id": [f"ctid:{int(i)}" for i in codings["ctid"]],
        "document": [documents.get(int(f)) if pd.notna(f) else None for f in codings["fid"]],
        "case": cases,
        "code_id": [f"code:{int(c)}" for c in codings["cid"]],
        "text": codings["seltext"].fillna("").astype(str).str.replace("\u2029", "\n", regex=False),
        "start": codings["pos0"], "end": codings["pos1"],
        "note": [note(o, m) for o, m in zip(codings["owner"], codings["memo"])],
        "coder": codings["owner"].astype("object").where(codings["owner"].notna(), None),
    })
    return frame[CODING_INPUT_COLUMNS]


def attribute_rows(attributes: pd.DataFrame, cases: dict[int, str], documents: dict[int, str]) -> pd.DataFrame:
    """Case and file attributes in the importer's long form; every case listed, with or without values."""
    rows = [{"owner_kind": "case", "owner": name, "variable": None, "value": None} for name in cases.values()]
    for row in attributes.itertuples(index=False):
        kind = str(row.attr_type).strip().lower()
        owners = cases if kind == "case" else documents if kind == "file" else {}
        if pd.notna(row.id) and int(row.id) in owners:
            rows.append({"owner_kind": "case" if kind == "case" else "document", "owner": owners[int(row.id)],
                         "variable": text_or_none(row.name), "value": text_or_none(row.value)})
    return pd.DataFrame(rows, columns=ATTRIBUTE_COLUMNS)


def note(owner: Any, memo: Any) -> str | None:
    """A coding's note: who coded it and its memo."""
    parts = [f"coder: {owner}"] if text_or_none(owner) else []
    if text_or_none(memo):
        parts.append(f"memo: {str(memo).strip()}")
    return "; ".join(parts) or None


def text_or_none(value: Any) -> str | None:
    """A cell as stripped text, None when empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value).strip() or None


def optional_int(value: Any) -> int | None:
    """An int, or None for an empty cell."""
    return None if value is None or pd.isna(value) else int(value)
