"""How a theme matrix reads: cells link to the quotes behind them, rows grouped under their parents.

Only the quotes of shown cells are listed (a suppressed cell's quotes and its "N segments"
heading would disclose its count); the workbook holds the matrix in every unit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ...analyses.groups import attribute_label
from ...analyses.result import Table, collected, register_view
from ...analyses.theme_matrix import UNITS, ThemeMatrix, drilldown
from ...model.codes import descendants_with_self
from ...model.schema import CODE_LEVELS
from ...model.study import Study
from ..document import Section, stating_suppression
from ..escape import slug, text
from ..html import notes_html, table_html
from ..interactive import FILTERABLE_CLASS
from .base import View

DRILL_CAP = 50
QUOTES_PER_CELL = 10
LEVEL_TITLES = {"overarching": "Overarching themes", "main": "Main themes", "sub": "Subthemes"}


class ThemeMatrixView(View):
    """The matrix with drill-down links, the quotes per cell, and every unit in the workbook."""

    title = "Themes by group"
    order = 20

    def html(self, result: ThemeMatrix, keys: list[str] | None = None, full_csv: str | None = None, **options) -> str:
        """The matrix (default), its column percentages (keys=['column-percent']), the quotes behind its shown
        cells (keys=['quotes']) or the code tree (['tree'])."""
        with collected(result.notes):
            if keys == ["quotes"]:
                return quotes_html(result, full_csv)
            if keys == ["tree"]:
                return code_tree_html(result.study, counted=result.min_cell <= 1)
            if keys == ["column-percent"]:
                return table_html(result.column_percent_table(), groups=result.parents)  # not the linked matrix
            table, links = result.matrix_table(), cells_with_quotes(result.quotes())
            page = table_html(table, links=links, groups=result.parents, css_class="icevidence-matrix", notes=False)
        return page + notes_html(result.notes)

    def spreadsheets(self, result: ThemeMatrix):
        """The matrix in every unit and each count unit as column percentages (parents as leading columns), and
        the quotes of its shown cells."""
        tables = []
        for unit in UNITS:
            matrix = result if unit == result.unit else result.sibling(unit)
            table = matrix.matrix_table()
            table.key, table.index, table.sheet = unit, False, matrix.export()
            table.notes = list(matrix.notes)
            tables.append(table)
        for unit in ("references", "participants"):
            matrix = result if unit == result.unit else result.sibling(unit)
            table = matrix.column_percent_table()
            table.key, table.index, table.sheet = f"{unit}-column-percent", False, matrix.export(percent=True)
            tables.append(table)
        return [*tables, result.quotes_table()]

    def write(self, result: ThemeMatrix, folder: Path, figures: Path | None = None, name: str | None = None):
        """The workbook and CSVs of every unit and the quotes, and the heatmap."""
        return super().write(result, folder, figures, name or "theme-matrix")

    def appendix(self, study: Study, min_cell: int = 0, review: bool = False) -> list[Section]:
        """Participants and references by group at each level, a heatmap per level, then the quotes per cell."""
        return [*matrix_sections(study, min_cell), quotes_section(study, min_cell)]


def cells_with_quotes(quotes: pd.DataFrame) -> set[tuple[str, str]]:
    """The (row, group) cells that have at least one quote."""
    return {(str(r), str(g)) for r, g in quotes[["row", "group"]].drop_duplicates().itertuples(index=False)}


def quotes_html(result: ThemeMatrix, full_csv: str | None = None, cap: int = DRILL_CAP) -> str:
    """The quotes behind each shown cell, under an anchored heading per cell (linked from the matrix)."""
    quotes = result.quotes()
    hidden = "<p><em>Quotes of suppressed cells are not listed.</em></p>" if result.min_cell > 1 else ""
    if not len(quotes):
        return hidden + "<p><em>No quotes to list.</em></p>"
    parts = [hidden]
    for (row, group), cell in quotes.groupby(["row", "group"], observed=True, sort=True):
        parts.append(f'<h4 id="{slug(row, group, prefix="cell")}">{text(row)} — {text(group)} '
                     f"({len(cell)} segment{'s' if len(cell) != 1 else ''})</h4><ul>")
        for quote in cell.head(cap).itertuples():
            who = quote.attribution_raw if isinstance(quote.attribution_raw, str) else "no attribution printed"
            status = "" if quote.attribution_status == "valid" else f" [{quote.attribution_status} attribution]"
            parts.append(f"<li>“{text(quote.text)}” <em>({text(who)}{text(status)}; {text(quote.location)})</em></li>")
        if len(cell) > cap:
            more = f" — see <code>{text(full_csv)}</code>" if full_csv else ""
            parts.append(f"<li><em>{len(cell) - cap} more not shown{more}.</em></li>")
        parts.append("</ul>")
    return f'<div class="{FILTERABLE_CLASS}">' + "\n".join(parts) + "</div>"


def code_tree_html(study: Study, counted: bool = True) -> str:
    """The study's codebook as a tree that folds (<details>, no script): each code with the segments at or below it."""
    codes = study.codes
    below = descendants_with_self(codes)
    coded = study.segments["code_id"].value_counts()
    children: dict[object, list[str]] = {}
    for code, parent in zip(codes["code_id"], codes["parent_id"]):
        children.setdefault(parent if isinstance(parent, str) and parent in below else None, []).append(code)
    names = dict(zip(codes["code_id"], codes["name"]))

    def branch(code: str) -> str:
        count = int(coded.reindex(list(below[code]), fill_value=0).sum())
        label = text(names[code]) + (f" ({count} segment{'s' if count != 1 else ''})" if counted else "")
        if code not in children:
            return f"<li>{label}</li>"
        inner = "".join(branch(c) for c in children[code])
        return f"<li><details><summary>{label}</summary><ul>{inner}</ul></details></li>"

    return f'<ul class="icevidence-code-tree">{"".join(branch(c) for c in children.get(None, []))}</ul>'


def levels_of(study: Study) -> list[str]:
    """The framework levels at which the study has codes."""
    present = set(study.codes["level"].dropna())
    return [level for level in CODE_LEVELS if level in present]


def matrix_sections(study: Study, min_cell: int) -> list[Section]:
    """At each framework level: participants and references by group, and a heatmap of participants."""
    by = attribute_label(study.group_by).lower()
    sections = [Section("Themes by group", paragraphs=[
        f"Each table counts, for every code at one level of the framework (quotes filed under a code below it "
        f"count for it), the participants quoted and the coded segments, per {by}; 'unknown' holds evidence "
        f"whose speaker's {by} is not known, and 'total' counts across all groups."])]
    for level in levels_of(study):
        items = []
        for unit in ("participants", "references"):
            matrix = ThemeMatrix(study, level, unit, min_cell=min_cell)
            table = stating_suppression(matrix.matrix_table(), min_cell)
            table.key, table.title = f"matrix-{level}-{unit}", f"{LEVEL_TITLES[level]} by {by}: {unit}"
            table.frame = table.frame.rename_axis("Theme")
            items.append(table)
            if unit == "participants":
                [heat] = matrix.figures()
                heat.key, heat.title = f"matrix-{level}-figure", f"{LEVEL_TITLES[level]} by {by}: participants quoted"
                stating_suppression(heat, min_cell)
        sections.append(Section(LEVEL_TITLES[level], level=2, items=[*items, heat]))
    return sections


def evidence_level(study: Study) -> str:
    """The level the quote table is organised by: main where the study has it."""
    levels = levels_of(study)
    return "main" if "main" in levels else levels[-1] if levels else "main"


def quotes_section(study: Study, min_cell: int) -> Section:
    """The quotes behind each theme and group, at most QUOTES_PER_CELL per cell; none for a hidden cell."""
    level, by = evidence_level(study), attribute_label(study.group_by)
    matrix = ThemeMatrix(study, level, "participants", min_cell=min_cell)
    frame, withheld, capped, left_out = quote_rows(matrix, by)
    note = (f"Quotes are not listed for the {withheld} cells suppressed (below {min_cell} or hidden to protect them) "
            f"in the {LEVEL_TITLES[level].lower()} tables." if min_cell > 1 else "No counts suppressed (min_cell = 0).")
    table = Table("quotes", f"Quotes behind each {LEVEL_TITLES[level].lower()[:-1]}, by {by.lower()}", frame,
                  f"Every coded quote under each theme and {by.lower()}, with its attribution as printed and its "
                  f"location in the paper; {cap_statement(capped, left_out)}", "quotes (coded segments)",
                  study.table_source("segments"), note, prose=("Quote",))
    return Section("Quotes behind each theme", items=[table])


def quote_rows(matrix: ThemeMatrix, by: str) -> tuple[pd.DataFrame, int, int, int]:
    """The capped quote rows, a 'withheld' row for each hidden cell with quotes; with the counts the caption needs."""
    quotes = drilldown(matrix.study, matrix.level, matrix.group_by)
    shown = matrix.shown_cells
    rows, withheld, capped, left_out = [], 0, 0, 0
    for (theme, group), cell in quotes.groupby(["row", "group"], observed=True, sort=True):
        base = {"Theme": str(theme), by: str(group)}
        if str(theme) in shown.index and str(group) in shown.columns and not shown.at[str(theme), str(group)]:
            withheld += 1
            rows.append({**base, "Attribution": "", "Quote": f"quotes withheld: fewer than {matrix.min_cell} "
                         "participants", "Location": ""})
            continue
        for q in cell.head(QUOTES_PER_CELL).itertuples():
            rows.append({**base, "Attribution": "" if pd.isna(q.attribution_raw) else str(q.attribution_raw),
                         "Quote": str(q.text), "Location": str(q.location)})
        if len(cell) > QUOTES_PER_CELL:
            capped += 1
            left_out += len(cell) - QUOTES_PER_CELL
            rows.append({**base, "Attribution": "", "Quote": f"{len(cell) - QUOTES_PER_CELL} more quotes not listed "
                         "here", "Location": ""})
    frame = pd.DataFrame(rows, columns=["Theme", by, "Attribution", "Quote", "Location"])
    return frame, withheld, capped, left_out


def cap_statement(capped: int, left_out: int) -> str:
    """What the caption says about the cap of QUOTES_PER_CELL quotes per cell, and what it left out."""
    cap = f"at most {QUOTES_PER_CELL} {plural(QUOTES_PER_CELL, 'quote')} listed per cell"
    if not capped:
        return f"{cap} (no cell has more)"
    return (f"{cap}, so {left_out} {plural(left_out, 'quote')} in {capped} {plural(capped, 'cell')} "
            f"{'is' if left_out == 1 else 'are'} left out (each such cell ends with a row giving its number)")


def plural(n: int, word: str) -> str:
    return word if n == 1 else f"{word}s"


register_view(ThemeMatrix, ThemeMatrixView())
