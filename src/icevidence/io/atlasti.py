"""ATLAS.ti spreadsheet imports: the quotation manager export and the code manager (codebook) exports.

Quotations: one row per quotation with all its codes in one cell, separated by line breaks (xlsx) or by
', ' (csv). Code names may themselves contain ', ' (e.g. 'T2. Security, Privacy & Trust Management'), so
a comma-separated cell is split into exactly 'Number of Codes' names, preferring names the codebook (if
given) or the unambiguous rows of the same file know. ATLAS.ti has no code tree: the convention
'Theme: Sub' is read as code 'Sub' under code 'Theme'. References are '¶' + thin space + paragraph;
positions are paragraphs, so they go to the note and start/end stay empty. Quotation text is wrapped in
literal double quotes, which are removed.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ..model.study import Study
from .assign import CODE_INPUT_COLUMNS, CODING_INPUT_COLUMNS, build_study, study_id_for
from .headers import (
    ATLASTI_CODE_MANAGER_MARKERS,
    ATLASTI_CODES,
    ATLASTI_QUOTATIONS,
    find_columns,
    match_by_name,
    matches_by_name,
    normalise_header,
)
from .spreadsheet import iter_records, read_sheet, reject_row, whole_number

THEME_SEPARATOR = ": "
LIST_SEPARATOR = ", "
BULLETS = "●○◉•◦▪■□◆◇ \u2009\u00a0"
UNKNOWN_COST = 100
MAX_TOKENS = 200
MAX_NAME_PARTS = 20  # ', '-separated parts of one code name matched inside a list (a longer name is never real)
END = ""  # marks a complete name in KnownNames.trie (never a token: empty tokens are dropped)
REFERENCE = re.compile(r"¶\s*(\d+)(?:\s*[–—-]\s*¶?\s*(\d+))?")


def sniff_quotations(columns: list[str]) -> bool:
    """True when a header row is an ATLAS.ti quotation manager export (ID, content, document, codes)."""
    return matches_by_name(columns, ATLASTI_QUOTATIONS)


def sniff_codes(columns: list[str]) -> bool:
    """True when a header row is an ATLAS.ti code manager export (Code first, then groundedness/groups/...)."""
    if not columns or normalise_header(columns[0]) not in ATLASTI_CODES["code"].known:
        return False
    return match_by_name(list(columns[1:]), ATLASTI_CODE_MANAGER_MARKERS["groundedness"], set()) is not None


def read_atlasti_quotations(path: Path, config: dict | None = None, skip_invalid: bool = False, *,
                            codebook: Path | None = None, encoding: str | None = None) -> Study:
    """Import an ATLAS.ti quotation manager export (xlsx/csv), optionally with its code manager export."""
    path = Path(path)
    skipped: list[dict] | None = [] if skip_invalid else None
    frame = read_sheet(path, encoding=encoding, skipped=skipped)
    columns = find_columns(frame.columns, ATLASTI_QUOTATIONS, str(path), sample=frame.head(500))
    records = list(iter_records(frame, columns))
    book = read_atlasti_codes(codebook) if codebook is not None else None
    known = KnownNames((set(book["code_id"]) if book is not None else set()) | learn_code_names(records))
    codings = []
    for number, record in records:
        codings.extend(quotation_codings(record, number, columns, known, str(path), skipped))
    codes = merge_codes(book, [c["code_id"] for c in codings])
    study = build_study(study_id_for(path, config), codes, pd.DataFrame(codings, columns=CODING_INPUT_COLUMNS),
                        None, config, path, skipped=skipped)
    if codebook is not None:
        study.inputs.append(Path(codebook))
    return study


def learn_code_names(records: list[tuple[int, dict[str, str | None]]]) -> set[str]:
    """Code names from rows whose codes are unambiguous (line breaks, or as many ', ' parts as codes)."""
    names: set[str] = set()
    for _, record in records:
        cell = record.get("codes") or ""
        if "\n" in cell:
            names |= {p.strip() for p in cell.splitlines() if p.strip()}
            continue
        parts = [p.strip() for p in cell.split(LIST_SEPARATOR) if p.strip()]
        count = whole_number(record.get("count"))
        if count is not None and len(parts) == count:
            names |= set(parts)
    return names


def quotation_codings(record: dict[str, str | None], number: int, columns: dict[str, str | None],
                      known: KnownNames, file: str, skipped: list[dict] | None) -> list[dict[str, Any]]:
    """The codings of one quotation row (one per code), or none (row listed) when the row is invalid."""
    quotation = (record["number"] or "").strip()
    if not quotation:
        reject_row(skipped, file, number, columns["number"], "the quotation ID is empty")
        return []
    if not (record["document"] or "").strip():
        reject_row(skipped, file, number, columns["document"], "the document is empty")
        return []
    count = whole_number(record.get("count"))
    if record.get("count") and count is None:
        reject_row(skipped, file, number, columns["count"], f"{record['count']!r} is not a whole number")
        return []
    codes = split_codes(record["codes"] or "", count, known)
    if codes is None:
        reject_row(skipped, file, number, columns["codes"],
                   f"cannot split {record['codes']!r} into {count} code names (names contain ', ')",
                   remedy="pass the code manager export (icevidence import --codebook PATH, or codebook= in "
                          "read_export) so the code names are known, or "
                          "export the quotations as .xlsx (codes on separate lines).")
        return []
    start, end = paragraphs(record)
    note = quotation_note(quotation, start, end, record.get("name"), record.get("comment"))
    text = unquote(record["text"] or "")
    return [{"segment_id": f"{quotation}/{k}", "document": record["document"].strip(), "case": None,
             "code_id": code, "text": text, "start": None, "end": None, "note": note,
             "coder": (record.get("author") or "").strip() or None}
            for k, code in enumerate(codes, start=1)]


class KnownNames:
    """Code names known from the codebook or from unambiguous rows, with a trie over their ', ' parts.

    Built once per import, so splitting a cell costs time linear in its length: a name is matched
    by walking at most MAX_NAME_PARTS tokens, never by joining and comparing strings.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.names = set(names)
        self.themes = {n.split(THEME_SEPARATOR, 1)[0] for n in self.names} | \
            {n for n in self.names if THEME_SEPARATOR not in n}
        self.trie: dict[str, dict] = {}
        for name in self.names:
            parts = name.split(LIST_SEPARATOR)
            if 1 < len(parts) <= MAX_NAME_PARTS:
                node = self.trie
                for part in parts:
                    node = node.setdefault(part, {})
                node[END] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def longest(self, tokens: list[str], start: int) -> int | None:
        """The end of the longest known name of two or more tokens starting at ``start``, or None."""
        node, found = self.trie, None
        for end in range(start, min(len(tokens), start + MAX_NAME_PARTS)):
            node = node.get(tokens[end])
            if node is None:
                break
            if END in node and end > start:
                found = end + 1
        return found


def split_codes(cell: str, count: int | None, known: KnownNames | set[str]) -> list[str] | None:
    """The code names in a Codes cell: by line, else the ', ' split into `count` likeliest names; None if none fits."""
    known = known if isinstance(known, KnownNames) else KnownNames(known)
    if "\n" in cell:
        names = [p.strip() for p in cell.splitlines() if p.strip()]
        return names if count is None or len(names) == count else None
    tokens = [t.strip() for t in cell.split(LIST_SEPARATOR) if t.strip()]
    if not tokens:
        return [] if not count else None
    if count is not None and len(tokens) == count:
        return tokens
    if count is None:
        return greedy_split(tokens, known)
    if len(tokens) > MAX_TOKENS:
        return None
    return best_split(tokens, count, lambda name: name_cost(name, known, known.themes))


def greedy_split(tokens: list[str], known: KnownNames) -> list[str]:
    """Without a code count: join adjacent tokens only into the longest known name or an in-vivo quote."""
    closing = closing_quotes(tokens)
    names, i = [], 0
    while i < len(tokens):
        end = known.longest(tokens, i)
        if end is None and tokens[i][:1] in "\"“":
            end = closing[i] + 1 if closing[i] is not None else None
        end = end or i + 1
        names.append(LIST_SEPARATOR.join(tokens[i:end]))
        i = end
    return names


def closing_quotes(tokens: list[str]) -> list[int | None]:
    """For each token, the first token at or after it that ends with a closing double quote (one backward pass)."""
    found: list[int | None] = [None] * len(tokens)
    following = None
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i][-1:] in "\"”":
            following = i
        found[i] = following
    return found


def name_cost(name: str, known: KnownNames | set[str], themes: set[str]) -> int:
    """How unlikely a name is: 0 known, 1 in-vivo or known theme, 10 unknown theme, +5 for ', ' in a sub-code."""
    if name in known:
        return 0
    if is_in_vivo(name):
        return 1
    if THEME_SEPARATOR not in name:
        return UNKNOWN_COST
    theme, sub = name.split(THEME_SEPARATOR, 1)
    return (1 if theme in themes else 10) + (5 if LIST_SEPARATOR in sub else 0)


def best_split(tokens: list[str], count: int, cost: Any) -> list[str] | None:
    """Join adjacent tokens into exactly `count` names at the least total cost; None if some name stays unknown."""
    best = cheapest_partition(tokens, count, cost)
    if best is None or best[0] >= UNKNOWN_COST:
        return None
    return best[1]


def cheapest_partition(tokens: list[str], k: int, cost: Any) -> tuple[int, list[str]] | None:
    """Dynamic programme: the cheapest way to cut the tokens into k consecutive names of at most MAX_NAME_PARTS.

    States are (tokens used, tokens joined so far), so the work is n x (n - k + 1) x the widest name,
    small when most names hold no ', '; ties go to the wider first name, as before.
    """
    n, extra = len(tokens), len(tokens) - k
    if k < 1 or extra < 0:
        return None
    widest = min(MAX_NAME_PARTS, extra + 1)
    spans: dict[tuple[int, int], int] = {}
    best: dict[tuple[int, int], tuple[int, int]] = {(0, 0): (0, 0)}  # (used, joined) -> (cost, start of last name)
    for used in range(1, n + 1):
        for joined in range(max(0, used - k), min(extra, used - 1) + 1):
            options = []
            for size in range(1, min(widest, joined + 1) + 1):
                previous = best.get((used - size, joined - size + 1))
                if previous is not None:
                    key = (used - size, used)
                    if key not in spans:
                        spans[key] = cost(LIST_SEPARATOR.join(tokens[key[0]:key[1]]))
                    options.append((previous[0] + spans[key], used - size))
            if options:
                best[(used, joined)] = min(options)
    if (n, extra) not in best:
        return None
    return best[(n, extra)][0], names_back(tokens, best, n, extra)


def names_back(tokens: list[str], best: dict[tuple[int, int], tuple[int, int]], used: int, joined: int) -> list[str]:
    """The names of the cheapest partition, read back from the end."""
    names = []
    while used > 0:
        start = best[(used, joined)][1]
        names.append(LIST_SEPARATOR.join(tokens[start:used]))
        joined -= used - start - 1
        used = start
    return names[::-1]


def is_in_vivo(name: str) -> bool:
    """True for an in-vivo code name: text wrapped in straight or curly double quotes."""
    return len(name) >= 2 and name[0] in "\"“" and name[-1] in "\"”"


def paragraphs(record: dict[str, str | None]) -> tuple[int | None, int | None]:
    """First and last paragraph of the quotation, from the positions or else the '¶ n' reference."""
    start, end = whole_number(record.get("start")), whole_number(record.get("end"))
    if start is None and record.get("reference"):
        found = REFERENCE.search(record["reference"])
        if found:
            start = int(found.group(1))
            end = int(found.group(2) or found.group(1))
    return start, end if end is not None else start


def quotation_note(quotation: str, start: int | None, end: int | None, name: str | None,
                   comment: str | None) -> str:
    """The note of a quotation's codings: its ID, paragraph range, name and comment."""
    parts = [f"quotation {quotation}"]
    if start is not None:
        parts.append(f"paragraphs {start}-{end}")
    if name and name.strip():
        parts.append(f"name: {name.strip()}")
    if comment and comment.strip():
        parts.append(f"comment: {comment.strip()}")
    return "; ".join(parts)


def unquote(text: str) -> str:
    """The quotation text without the pair of double quotes ATLAS.ti wraps it in."""
    stripped = text.strip()
    return stripped[1:-1] if is_in_vivo(stripped) else text


def merge_codes(book: pd.DataFrame | None, applied: Iterable[str]) -> pd.DataFrame:
    """The codebook's codes (if any) followed by applied codes it lacks, with implied 'Theme' parents."""
    rows: dict[str, dict[str, Any]] = {}
    if book is not None:
        for row in book.to_dict("records"):
            rows[row["code_id"]] = row
    for code in applied:
        add_code(rows, code, None)
    return pd.DataFrame(list(rows.values()), columns=CODE_INPUT_COLUMNS)


def add_code(rows: dict[str, dict[str, Any]], code: str, description: str | None) -> None:
    """Add a code (and, for 'Theme: Sub', its parent 'Theme') unless already there."""
    if code in rows:
        return
    parent, name = split_theme(code)
    if parent is not None and parent not in rows:
        rows[parent] = {"code_id": parent, "parent_id": None, "name": parent, "description": None}
    rows[code] = {"code_id": code, "parent_id": parent, "name": name, "description": description}


def split_theme(code: str) -> tuple[str | None, str]:
    """('Theme', 'Sub') for 'Theme: Sub'; (None, code) for a top-level or in-vivo code."""
    if is_in_vivo(code) or THEME_SEPARATOR not in code:
        return None, code
    parent, name = code.split(THEME_SEPARATOR, 1)
    if not parent.strip() or not name.strip():
        return None, code
    return parent.strip(), name.strip()


def read_atlasti_codes(path: Path, *, encoding: str | None = None) -> pd.DataFrame:
    """The codes of an ATLAS.ti code manager export (code_id, parent_id, name, description), in file order."""
    path = Path(path)
    frame = read_sheet(path, encoding=encoding)
    columns = find_columns(frame.columns, ATLASTI_CODES, str(path))
    sub_column = unnamed_sub_column(frame, columns["code"])
    rows: dict[str, dict[str, Any]] = {}
    theme: str | None = None
    for number, record in iter_records(frame, {**columns, "sub": sub_column}):
        top, sub = strip_bullet(record["code"]), strip_bullet(record["sub"])
        if top:
            theme = top
            add_code(rows, top, record["comment"])
        elif sub:
            if theme is None:
                reject_row(None, str(path), number, sub_column, "a sub-code comes before any code")
            add_code(rows, f"{theme}{THEME_SEPARATOR}{sub}", record["comment"])
    return pd.DataFrame(list(rows.values()), columns=CODE_INPUT_COLUMNS)


def unnamed_sub_column(frame: pd.DataFrame, code_column: str | None) -> str | None:
    """The unnamed column right of 'Code' where ATLAS.ti writes sub-codes indented, if there is one."""
    columns = list(frame.columns)
    if code_column is None or code_column not in columns:
        return None
    index = columns.index(code_column) + 1
    if index < len(columns) and columns[index] == f"column {index + 1}":
        return columns[index]
    return None


def strip_bullet(value: str | None) -> str | None:
    """A code name without ATLAS.ti's leading '●' / '○' marks; None when empty."""
    if value is None:
        return None
    text = value.lstrip(BULLETS).strip()
    return text or None


def read_atlasti_codebook(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Import an ATLAS.ti code manager export alone as a Study with codes and no codings."""
    path = Path(path)
    codes = read_atlasti_codes(path)
    return build_study(study_id_for(path, config), codes, pd.DataFrame(columns=CODING_INPUT_COLUMNS), None,
                       config, path, skipped=[] if skip_invalid else None)
