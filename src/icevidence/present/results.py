"""Result objects that own their counts, unit, suppression mask, notes and captions, and render every output.

Like tableone's TableOne: build once, then `.show()` in a notebook, `.figure()`, `.write(folder)`.
`min_cell` is applied to the counts once, here, with complementary suppression; every output
(HTML table, heatmap, drill-down, share column, CSV, XLSX) takes that one mask, so no output
shows what another hides.
"""
from __future__ import annotations

import warnings
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..codes import ancestors, rollup_rows, row_labels
from ..matrix import TOTAL as MATRIX_TOTAL
from ..matrix import UNITS, as_study, drilldown, theme_matrix
from ..sample import (
    ATTRIBUTE_LABELS, OVERALL, TOTAL, count_table, group_sizes, reported_attributes,
)
from ..schema import CODE_LEVELS
from ..study import Study
from ..suppression import apply_mask, hidden_label, suppression_mask
from .escape import text
from .figures import HUE_CANDIDATES, Chart, composition_chart, heatmap_chart, study_name

UNIT_PHRASES = {"references": "coded segments (references)", "participants": "distinct participants quoted",
                "share": "participants quoted as % of the group's n"}


def suppression_note(min_cell: int) -> str:
    """The sentence every suppressed output carries."""
    return (f"Counts from 1 to {min_cell - 1} are shown as {hidden_label(min_cell)}; further cells are hidden so "
            f"that no row or column total recovers them (complementary suppression).")


@contextmanager
def collected(notes: list[str]):
    """Run a block with Python warnings captured as one tidy note each, never printed into a report."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    for message in dict.fromkeys(str(w.message).splitlines()[0] for w in caught):
        notes.append(f"Note from the software: {message}")


def show_html(fragment: str) -> None:
    """Display an HTML fragment in a notebook."""
    from IPython.display import HTML, display
    display(HTML(fragment))


def notes_html(notes: list[str]) -> str:
    """Notes as an escaped list."""
    if not notes:
        return ""
    return '<ul class="icevidence-note">' + "".join(f"<li>{text(n)}</li>" for n in notes) + "</ul>"


class SampleTables:
    """Who was interviewed: n per group and each reported attribute by group, suppressed once."""

    def __init__(self, study: Study | str, group_by: str | None = None, min_cell: int = 0) -> None:
        self.study = as_study(study)
        self.group_by = group_by or self.study.group_by
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []

    @cached_property
    def counts(self) -> dict[str, pd.DataFrame]:
        """Raw counts: 'n' (group sizes with Total), then each attribute by group with margins."""
        tables = {"n": group_sizes(self.study, self.group_by)}
        for attribute in reported_attributes(self.study, self.group_by):
            tables[attribute] = count_table(self.study, attribute, self.group_by)
        return tables

    @cached_property
    def mask(self) -> dict[str, pd.DataFrame]:
        """Hidden cells of each table; group sizes hidden in 'n' are hidden in every Total row too."""
        sizes = self.counts["n"]
        size_mask = suppression_mask(sizes, self.min_cell)
        hidden_groups = {str(g) for g in sizes.index[size_mask["n"].to_numpy()]}
        masks = {"n": size_mask}
        for name, counts in self.counts.items():
            if name == "n":
                continue
            force = pd.DataFrame(False, index=counts.index, columns=counts.columns)
            for column in counts.columns:
                if str(column) in hidden_groups or (column == OVERALL and TOTAL in hidden_groups):
                    force.loc[TOTAL, column] = True
            masks[name] = suppression_mask(counts, self.min_cell, force=force)
        return masks

    @cached_property
    def table(self) -> dict[str, pd.DataFrame]:
        """Display tables: 'n (%)' of each column's total; hidden cells '<k'; no % where the total is hidden."""
        label = hidden_label(self.min_cell)
        tables = {"n": apply_mask(self.counts["n"], self.mask["n"], self.min_cell)}
        for name, counts in self.counts.items():
            if name == "n":
                continue
            mask, totals = self.mask[name], counts.loc[TOTAL]
            out = counts.astype(object).copy()
            for row in counts.index:
                for column in counts.columns:
                    n = int(counts.at[row, column])
                    if mask.at[row, column]:
                        out.at[row, column] = label
                    elif row == TOTAL or mask.at[TOTAL, column] or not totals[column]:
                        out.at[row, column] = str(n)
                    else:
                        out.at[row, column] = f"{n} ({100 * n / totals[column]:.0f}%)"
            tables[name] = out
        return tables

    @property
    def caption(self) -> dict[str, str]:
        """A caption per table saying what it counts, the unit and the suppression."""
        by = ATTRIBUTE_LABELS.get(self.group_by, self.group_by).lower()
        tail = f"; counts below {self.min_cell} suppressed" if self.min_cell > 1 else ""
        captions = {"n": f"{study_name(self.study)}: participants by {by} (n){tail}"}
        for name in self.counts:
            if name != "n":
                label = ATTRIBUTE_LABELS.get(name, name)
                captions[name] = (f"{study_name(self.study)}: {label.lower()} by {by}, n (% of the column's "
                                  f"participants){tail}")
        return captions

    def export(self, name: str) -> pd.DataFrame:
        """A table for CSV/XLSX: counts and percentages in separate numeric columns, hidden cells '<k'."""
        counts, mask = self.counts[name], self.mask[name]
        if name == "n":
            return apply_mask(counts, mask, self.min_cell)
        totals = counts.loc[TOTAL]
        columns = {}
        for column in counts.columns:
            n = counts[column].astype(object).where(~mask[column], hidden_label(self.min_cell))
            share = (100 * counts[column] / totals[column]).round(1) if totals[column] else counts[column] * float("nan")
            hide_share = mask[column] | bool(mask.at[TOTAL, column])
            columns[f"{column} n"] = n
            columns[f"{column} %"] = share.astype(object).where(~hide_share, None)
        return pd.DataFrame(columns, index=counts.index)

    @property
    def attributes(self) -> list[str]:
        """The attribute tables (every table but 'n')."""
        return [name for name in self.counts if name != "n"]

    def show(self, names: list[str] | None = None) -> None:
        """Display the named tables (default: all) with their captions, then the notes."""
        from IPython.display import display
        from .escape import styled
        with collected(self.notes):
            shown = [styled(self.table[name], self.caption[name]) for name in names or list(self.table)]
        for table in shown:
            display(table)
        show_html(notes_html(self.notes))

    def colour_attribute(self) -> str | None:
        """The attribute the composition figure colours by: site, sector, level or group, where reported."""
        return next((h for h in HUE_CANDIDATES if h in self.counts and len(self.counts[h].index) > 2), None)

    def figure(self) -> Chart:
        """Participants per group, coloured by site/sector/level; suppressed bars marked, not drawn."""
        hue = self.colour_attribute()
        if hue:
            counts = self.counts[hue].drop(index=TOTAL, columns=OVERALL)
            hidden = self.mask[hue].drop(index=TOTAL, columns=OVERALL)
        else:
            counts = self.counts["n"].drop(index=TOTAL).T.rename(index={"n": "participants"})
            hidden = self.mask["n"].drop(index=TOTAL).T.rename(index={"n": "participants"})
        by = ATTRIBUTE_LABELS.get(self.group_by, self.group_by)
        title = f"{study_name(self.study)}: participants by {by.lower()}"
        caption = title + (f", coloured by {ATTRIBUTE_LABELS.get(hue, hue).lower()}" if hue else "") + \
            (f"; counts below {self.min_cell} suppressed (bars not drawn, marked {hidden_label(self.min_cell)})"
             if self.min_cell > 1 else "")
        with collected(self.notes):
            return composition_chart(counts, hidden, hidden_label(self.min_cell), by,
                                     ATTRIBUTE_LABELS.get(hue, hue) if hue else None, title, caption)

    def write(self, folder: Path, figures: Path | None = None, name: str = "sample-tables") -> list[Path]:
        """Write each table as CSV, all as one XLSX (captions, notes), and the figure as SVG/PDF/PNG."""
        from .tables import write_csv, write_workbook
        sheets = {table: self.export(table) for table in self.counts}
        note = " ".join([f"Source: {self.study.meta.get('citation', self.study.id)}.", *self.notes])
        paths = [write_csv(sheet, folder / f"{table}.csv") for table, sheet in sheets.items()]
        paths.append(write_workbook(sheets, folder / f"{name}.xlsx", captions=self.caption,
                                    notes={table: note for table in sheets}))
        if figures is not None:
            paths += self.figure().save(figures, "composition")
        return paths


class ThemeMatrix:
    """Codes at one level of the framework by group, in one unit, with the quotes behind each shown cell."""

    def __init__(self, study: Study | str, level: str = "main", unit: str = "references",
                 group_by: str | None = None, min_cell: int = 0) -> None:
        self.study = as_study(study)
        self.level, self.unit = level, unit
        self.group_by = group_by or self.study.group_by
        self.min_cell = int(min_cell or 0)
        self.notes: list[str] = [suppression_note(self.min_cell)] if self.min_cell > 1 else []
        if unit != "references":
            self.notes.append("A speaker whose attribution is malformed counts once per distinct printed "
                              "attribution, so participant counts are upper bounds where attributions are malformed.")
        if unit == "share" and self.min_cell > 1:
            self.notes.append("A share whose participant count is suppressed is hidden too (shown as "
                              f"n{hidden_label(self.min_cell)}).")

    @cached_property
    def counts(self) -> pd.DataFrame:
        """The counts suppression is decided on: references, or participants (for participants and share)."""
        return theme_matrix(self.study, self.level, "references" if self.unit == "references" else "participants",
                            self.group_by)

    @cached_property
    def values(self) -> pd.DataFrame:
        """The matrix in its unit (counts, or % for share), before suppression."""
        return self.counts if self.unit != "share" else theme_matrix(self.study, self.level, "share", self.group_by)

    @cached_property
    def mask(self) -> pd.DataFrame:
        """Hidden cells, decided on the counts once."""
        return suppression_mask(self.counts, self.min_cell)

    @cached_property
    def table(self) -> pd.DataFrame:
        """The matrix for display: hidden cells '<k' (for share: 'n<k')."""
        label = hidden_label(self.min_cell)
        return self.values.astype(object).where(~self.mask, f"n{label}" if self.unit == "share" else label)

    @cached_property
    def lineage(self) -> pd.DataFrame:
        """Each row's ancestors, one column per level above the matrix's level (overarching, main)."""
        codes = self.study.codes
        row_of, order = rollup_rows(codes, self.level)
        target = CODE_LEVELS.index(self.level)
        rank = {c: CODE_LEVELS.index(lv) for c, lv in zip(codes["code_id"], codes["level"])}
        labels, chains = row_labels(codes), ancestors(codes)
        above = CODE_LEVELS[:target]
        rows: dict[str, dict[str, str]] = {}
        for code in codes["code_id"]:
            if rank[code] > target or row_of[code] in rows:
                continue
            members = [c for c in chains[code] if rank[c] < target]
            rows[row_of[code]] = {CODE_LEVELS[rank[c]]: labels[c] for c in members}
        frame = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=above)
        return frame.reindex(self.table.index)

    @property
    def parents(self) -> pd.Series | None:
        """Each row's ancestors as one label ('Theme › Main theme'), or None at the top level."""
        if self.lineage.columns.empty:
            return None
        return self.lineage.apply(lambda row: " › ".join(str(v) for v in row if isinstance(v, str)) or None, axis=1)

    @property
    def caption(self) -> str:
        """What the matrix counts, the unit, the suppression and the source."""
        tail = f"; counts below {self.min_cell} suppressed" if self.min_cell > 1 else ""
        return (f"{study_name(self.study)}: {self.level} codes by {self.group_by} — "
                f"{UNIT_PHRASES[self.unit]}{tail}")

    def sibling(self, unit: str) -> ThemeMatrix:
        """The same matrix in another unit, with the same suppression rule."""
        return ThemeMatrix(self.study, self.level, unit, self.group_by, self.min_cell)

    @cached_property
    def shown_cells(self) -> pd.DataFrame:
        """Cells whose quotes may be listed: visible in both references and participants.

        A drill-down prints the quotes (a references count) and their attributions (a participants
        count), so a cell hidden in either unit lists nothing.
        """
        if self.min_cell <= 1:
            return ~self.mask
        return ~(self.sibling("references").mask | self.sibling("participants").mask)

    def quotes(self) -> pd.DataFrame:
        """The quotes behind every shown cell, in matrix order; those of hidden cells are left out."""
        return self.shown_quotes.copy()

    @cached_property
    def shown_quotes(self) -> pd.DataFrame:
        """The drill-down filtered once by the shown cells (quotes of a cell outside the matrix are
        kept only when nothing is suppressed)."""
        quotes = drilldown(self.study, self.level, self.group_by)
        shown = self.shown_cells
        rows = shown.index.astype(str).get_indexer(quotes["row"].astype(str))
        columns = shown.columns.astype(str).get_indexer(quotes["group"].astype(str))
        inside = (rows >= 0) & (columns >= 0)
        visible = shown.to_numpy(dtype=bool)[rows.clip(0), columns.clip(0)]
        keep = np.where(inside, visible, self.min_cell <= 1)
        return quotes[keep].reset_index(drop=True)

    def single_group(self) -> pd.DataFrame:
        """Rows with evidence from exactly one known group, the count shown as the matrix shows it."""
        groups = self.counts.drop(columns=["unknown", MATRIX_TOTAL], errors="ignore")
        present = groups.gt(0)
        only = present.sum(axis=1) == 1
        group = present[only].idxmax(axis=1)
        shown = [self.table.at[row, column] for row, column in group.items()]
        return pd.DataFrame({"theme": group.index, "only group": group.to_numpy(), self.unit: shown})

    def html(self) -> str:
        """The matrix as escaped HTML, shown cells linked to their quotes, rows grouped under their parents."""
        from .drilldown import cells_with_quotes, linked_matrix_html
        return linked_matrix_html(self.table, cells_with_quotes(self.quotes()), self.parents, self.caption)

    def show(self) -> None:
        """Display the matrix with its caption and notes (warnings raised on the way become notes)."""
        with collected(self.notes):
            fragment = self.html()
        show_html(fragment + notes_html(self.notes))

    def show_quotes(self, full_csv: str | None = None) -> None:
        """Display the quotes behind each shown cell, under an anchored heading per cell."""
        from .drilldown import drilldown_html
        with collected(self.notes):
            quotes = self.quotes()
        hidden_note = ("<p><em>Quotes of suppressed cells are not listed.</em></p>"
                       if self.min_cell > 1 else "")
        show_html(hidden_note + (drilldown_html(quotes, full_csv=full_csv) if len(quotes)
                                 else "<p><em>No quotes to list.</em></p>"))

    def figure(self) -> Chart:
        """Heatmap of the matrix: hidden cells blank and marked, never plotted; parent groups separated."""
        shown = self.values.drop(columns=[MATRIX_TOTAL], errors="ignore")
        hidden = self.mask.drop(columns=[MATRIX_TOTAL], errors="ignore")
        title = f"{study_name(self.study)}: {self.level} codes by {self.group_by} ({self.unit})"
        caption = self.caption + ("; hatched cells are suppressed" if self.min_cell > 1 else "")
        label = hidden_label(self.min_cell)
        with collected(self.notes):
            return heatmap_chart(shown, hidden, self.unit, f"n{label}" if self.unit == "share" else label, title,
                                 caption, self.parents)

    def export(self) -> pd.DataFrame:
        """The matrix for CSV/XLSX: parents as leading columns, numbers numeric, hidden cells '<k'."""
        table = self.table.copy()
        if self.unit == "share":
            table.columns = [f"{c} %" for c in table.columns]
        table.index.name = f"{self.level} code"
        lineage = self.lineage.rename(columns=lambda c: f"{c} code")
        rows = pd.Series(table.index, index=table.index, name=f"{self.level} code")
        return pd.concat([lineage, rows, table], axis=1).reset_index(drop=True)

    def write(self, folder: Path, figures: Path | None = None, name: str = "theme-matrix") -> list[Path]:
        """Write the matrix in every unit and the shown quotes as CSV and one XLSX, and the figures."""
        from ..matrix import XLSX_QUOTE_LIMIT
        from .tables import write_csv, write_workbook
        matrices = {unit: (self if unit == self.unit else self.sibling(unit)) for unit in UNITS}
        sheets = {unit: m.export() for unit, m in matrices.items()}
        sheets["quotes"] = self.quotes()
        captions = {unit: m.caption for unit, m in matrices.items()}
        captions["quotes"] = (f"{study_name(self.study)}: the quotes behind each "
                              f"{'shown ' if self.min_cell > 1 else ''}cell of the {self.level}-level matrix")
        source = f"Source: {self.study.meta.get('citation', self.study.id)}."
        notes = {unit: " ".join([source, *m.notes]) for unit, m in matrices.items()}
        notes["quotes"] = source + (" Quotes of suppressed cells are left out." if self.min_cell > 1 else "")
        paths = [write_csv(sheet, folder / f"{sheet_name}.csv", index=False) for sheet_name, sheet in sheets.items()]
        if len(sheets["quotes"]) > XLSX_QUOTE_LIMIT:
            sheets["quotes"] = pd.DataFrame({"note": [f"{len(sheets['quotes'])} quotes: too many for a workbook; "
                                                      f"see quotes.csv beside it"]})
        paths.append(write_workbook(sheets, folder / f"{name}.xlsx", index=False, captions=captions, notes=notes))
        if figures is not None:
            paths += self.figure().save(figures, f"heatmap-{self.unit}")
        return paths
