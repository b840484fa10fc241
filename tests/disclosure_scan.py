"""Disclosure scan: does any written file show a count that min_cell hides?

Reusable by every report kind (sample, matrix, appendix, comparison): give it the hidden cells
(table caption, row label, column label, raw count) and the files; it returns every place a
hidden cell's raw count (or its share, or its quotes) appears, as readable strings. An empty
list means nothing leaked.

Rules, per cell position (never "the digit anywhere", which would always fail):
- a CSV/XLSX/HTML cell at (row, column) — or at a column named '<column> n' / '<column> %' —
  must not read as the raw count ('2', '2.0', '2 (15%)'); a '%' column must hold no number;
- a drill-down heading '<row> — <column> (N segments)' must not exist, nor quote rows of the cell;
- an SVG must hold no value label whose id names the cell (figures give each label an id).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from lxml import etree
from lxml import html as lxml_html

from icevidence.present.escape import slug


@dataclass(frozen=True)
class HiddenCell:
    """One suppressed cell: the caption of its table, its labels and its raw count."""

    table: str
    row: str
    column: str
    value: float


def primary_cells(table: str, counts: pd.DataFrame, min_cell: int) -> list[HiddenCell]:
    """The cells any correct suppression must hide: 0 < count < min_cell (computed here, not by the library)."""
    return [HiddenCell(table, str(r), str(c), float(v)) for r, row in counts.iterrows() for c, v in row.items()
            if 0 < v < min_cell]


def masked_cells(table: str, counts: pd.DataFrame, mask: pd.DataFrame) -> list[HiddenCell]:
    """The cells a library mask hides (primary and complementary)."""
    return [HiddenCell(table, str(r), str(c), float(counts.at[r, c])) for r in counts.index for c in counts.columns
            if bool(mask.at[r, c])]


def reads_as(text: object, value: float) -> bool:
    """True when a displayed cell shows the raw count."""
    if text is None:
        return False
    shown = str(text).strip()
    whole = f"{value:.0f}"
    return shown in {whole, f"{value:.1f}", f"{value:g}"} or shown.startswith(f"{whole} (")


def is_number(text: object) -> bool:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return False
    if isinstance(text, (int, float)):
        return True
    return bool(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?%?", str(text).strip()))


def check_grid(where: str, header: list[str], rows: list[list[object]], key: int,
               hidden: list[HiddenCell]) -> list[str]:
    """Leaks in one grid of cells: header labels, rows of values, the row label in column `key`."""
    leaks = []
    for cell in hidden:
        columns = [j for j, h in enumerate(header) if h == cell.column or h in (f"{cell.column} n", f"{cell.column} %")]
        for values in rows:
            if key >= len(values) or str(values[key]).strip() != cell.row:
                continue
            for j in columns:
                value = values[j] if j < len(values) else None
                if reads_as(value, cell.value) or (header[j].endswith("%") and is_number(value)):
                    leaks.append(f"{where}: cell ({cell.row}, {header[j]}) shows {value!r} (hidden count {cell.value:g})")
    return leaks


def scan_csv(path: Path, key_column: str, hidden: list[HiddenCell]) -> list[str]:
    """Leaks in a CSV whose rows are labelled in `key_column`."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    header = [str(c) for c in frame.columns]
    return check_grid(str(path.name), header, frame.values.tolist(), header.index(key_column), hidden)


def xlsx_grid(path: Path, sheet: str, key_column: str) -> tuple[list[str], list[list[object]]]:
    """The header and rows of one sheet, found below its caption by the key column's name."""
    from openpyxl import load_workbook
    rows = [list(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if key_column in r)
    return [str(h) for h in rows[start]], rows[start + 1:]


def scan_xlsx(path: Path, sheet: str, key_column: str, hidden: list[HiddenCell]) -> list[str]:
    """Leaks in one sheet of a workbook."""
    header, rows = xlsx_grid(path, sheet, key_column)
    scaled = [[(v * 100 if isinstance(v, float) and header[j].endswith("%") else v) for j, v in enumerate(r)]
              for r in rows]
    return check_grid(f"{path.name}[{sheet}]", header, scaled, header.index(key_column), hidden)


def html_tables(document: str) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Every captioned table of an HTML page: caption -> (header, rows), texts as a reader sees them."""
    tree = lxml_html.fromstring(document)
    tables = {}
    for table in tree.iter("table"):
        caption = table.find("caption")
        if caption is None:
            continue
        header_row = table.find(".//thead/tr")
        header = [c.text_content().strip() for c in header_row] if header_row is not None else []
        rows = [[c.text_content().strip() for c in tr] for tr in table.findall(".//tbody/tr")]
        tables[caption.text_content().strip()] = (header, rows)
    return tables


def scan_html(path: Path, hidden: list[HiddenCell]) -> list[str]:
    """Leaks in the captioned tables of an HTML report (each hidden cell checked in its own table)."""
    tables = html_tables(path.read_text(encoding="utf-8"))
    leaks = []
    for caption in {c.table for c in hidden}:
        if caption not in tables:
            leaks.append(f"{path.name}: no table captioned {caption!r} to scan")
            continue
        header, rows = tables[caption]
        leaks += check_grid(f"{path.name} «{caption}»", header, rows, 0, [c for c in hidden if c.table == caption])
    return leaks


def scan_headings(path: Path, cells: list[HiddenCell]) -> list[str]:
    """Drill-down headings of hidden cells ('<row> — <column> (N segments)') in an HTML report."""
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    headings = [h.text_content().strip() for h in tree.iter("h4")]
    return [f"{path.name}: drill-down heading {h!r} of a hidden cell" for cell in cells for h in headings
            if h.startswith(f"{cell.row} — {cell.column} (")]


def scan_quotes_csv(path: Path, cells: list[HiddenCell]) -> list[str]:
    """Quote rows of hidden cells in a theme matrix's quotes.csv (Theme, then the group's column, …, Segment)."""
    group_column = pd.read_csv(path, dtype=str, nrows=0).columns[1]
    return scan_quote_rows(path, cells, "Theme", group_column, "Segment")


def scan_quote_rows(path: Path, cells: list[HiddenCell], row_column: str = "row", column_column: str = "group",
                    id_column: str = "segment_id") -> list[str]:
    """Quote rows of hidden cells in a quotes CSV whose cells are named by two columns."""
    quotes = pd.read_csv(path, dtype=str, keep_default_na=False)
    hidden = {(c.row, c.column) for c in cells}
    return [f"{path.name}: quote {r[id_column]} of hidden cell ({r[row_column]}, {r[column_column]})"
            for r in quotes.to_dict("records") if (r[row_column], r[column_column]) in hidden]


def scan_quote_columns(path: Path, cells: list[HiddenCell]) -> list[str]:
    """Quote tables headed '<column> (N)' under a '<row>' heading (h3) for a hidden cell: the count or the quotes."""
    tree = lxml_html.fromstring(path.read_text(encoding="utf-8"))
    leaks = []
    for heading in tree.iter("h3"):
        table = heading.getnext()
        if table is None or table.tag != "table":
            continue
        header = [th.text_content().strip() for th in table.iter("th")]
        for cell in (c for c in cells if c.row == heading.text_content().strip()):
            leaks += [f"{path.name}: quote column {h!r} of hidden cell ({cell.row}, {cell.column})" for h in header
                      if h.startswith(f"{cell.column} (")]
    return leaks


def scan_svg(path: Path, cells: list[HiddenCell]) -> list[str]:
    """Value labels of hidden cells in an SVG figure (labels carry the id 'value-<cell>')."""
    tree = etree.parse(str(path), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    return [f"{path.name}: value label of hidden cell ({c.row}, {c.column})" for c in cells
            if slug(c.row, c.column, prefix="value") in ids]


def formula_cells(path: Path) -> list[str]:
    """Every formula cell of a workbook (there must be none)."""
    from openpyxl import load_workbook
    book = load_workbook(path)
    return [f"{path.name}[{ws.title}]!{cell.coordinate}: {cell.value!r}" for ws in book.worksheets
            for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
