"""Coding coverage: the share of each document's characters coded with each code (NVivo's "coverage").

For a code at the chosen level (codes below it roll up into it) and a document, coverage is the
union of the code's coded spans in the document (overlapping codings, of one coder or several,
counted once) divided by the document's full length in characters, from the study's documents
table. A participant's documents, a group's and all documents are pooled: their coded characters
over their characters, as NVivo computes a case's coverage. Every column says how many
documents (and for a group, participants) its figures rest on.

It needs what the published studies do not have: each transcript's full length, and where each
quote sits in it. For such a study `Coverage` computes nothing and says why (`reason`), so no
report prints an empty table.

Suppression (`min_cell`): a group resting on fewer than min_cell participants, and a participant
(or document) resting on fewer than min_cell documents, is hidden; so that the pooled figures
cannot recover a hidden column, each line of columns (the groups and 'all'; the participants of
one group) hides a second column beside a lone hidden one, and a hidden group hides its
participants. The masks are decided once, on those counts, by `suppression`.
"""
from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd

from ..model.codes import NOT_FURTHER_CODED, check_level, rollup_rows
from ..model.errors import ConfigError
from ..model.schema import CODE_LEVELS
from ..model.study import Study, as_study
from .groups import attribute_label, groups_of
from .result import Figure, Result, Table
from .suppression import hidden_label, suppression_mask

BY = ("participant", "document")
UNKNOWN = "unknown"
ALL = "all"
ANY_CODE = "Any code (coded at all)"
SHOWN_SAMPLE = 5


class Coverage(Result):
    """Coverage of each code at one level, per participant (or document) and per group, with what it rests on."""

    def __init__(self, study: Study | str, level: str = "main", by: str = "participant", group_by: str | None = None,
                 min_cell: int = 0, coder: str | None = None) -> None:
        self.study = as_study(study)
        check_level(level)
        self.level, self.by = level, by
        self.group_by = group_by or self.study.group_by
        self.min_cell = int(min_cell or 0)
        self.coder = coder
        check_arguments(self.study, by, self.group_by, coder)
        self.notes: list[str] = []
        if self.available:
            self.notes += self.basis_notes()

    # ------------------------------------------------------------------------- what it rests on

    @cached_property
    def spans(self) -> pd.DataFrame:
        """The coded spans counted: document, code row, start, end (in documents of known length)."""
        return coded_spans(self.study, self.level, self.coder)

    @property
    def available(self) -> bool:
        """True when at least one coding sits at known positions in a document of known length."""
        return len(self.spans) > 0

    @property
    def reason(self) -> str:
        """Why coverage cannot be computed ('' when it can)."""
        return "" if self.available else unavailable_reason(self.study)

    @cached_property
    def documents(self) -> pd.DataFrame:
        """Each document of known length: its characters, its one participant (if one) and group."""
        return document_basis(self.study, self.group_by)

    @cached_property
    def rows(self) -> list[str]:
        """The code rows at the level, in codebook order (a '(not further coded)' row only where used)."""
        _, order = rollup_rows(self.study.codes, self.level)
        used = set(self.spans["row"])
        suffix = NOT_FURTHER_CODED.format(name="")
        return [r for r in dict.fromkeys(order) if not r.endswith(suffix) or r in used]

    @cached_property
    def covered(self) -> pd.DataFrame:
        """Coded characters per document (rows) and code row (columns), plus any code; overlaps counted once."""
        by_code = union_lengths(self.spans, ["document", "row"]).unstack("row", fill_value=0)
        by_code = by_code.reindex(index=self.documents.index, columns=self.rows, fill_value=0)
        by_code[ANY_CODE] = union_lengths(self.spans, ["document"]).reindex(self.documents.index, fill_value=0)
        return by_code.astype("int64")

    # ------------------------------------------------------------------------- the two tables' columns

    @cached_property
    def group_columns(self) -> pd.Series:
        """Each document's column in the group table (its group, or unknown)."""
        return self.documents["group"]

    @cached_property
    def group_order(self) -> list[str]:
        """The group columns in the sample's order, then unknown (if any document has no group)."""
        known = [g for g in self.documents["group"].cat.categories if g != UNKNOWN and (self.group_columns == g).any()]
        return known + ([UNKNOWN] if (self.group_columns == UNKNOWN).any() else [])

    @cached_property
    def group_counts(self) -> pd.DataFrame:
        """Participants and documents each group column (and all) rests on."""
        docs = self.documents
        counts = {g: (docs.loc[docs["group"] == g, "participant"].nunique(), int((docs["group"] == g).sum()))
                  for g in self.group_order}
        counts[ALL] = (docs["participant"].nunique(), len(docs))
        return pd.DataFrame(counts, index=["participants", "documents"])

    @cached_property
    def unit_columns(self) -> pd.Series:
        """Each document's column in the unit table: its participant (None when it has none or several) or itself."""
        if self.by == "document":
            return pd.Series(self.documents.index, index=self.documents.index)
        return self.documents["participant"]

    @cached_property
    def unit_order(self) -> list[str]:
        """The unit columns: participants in the participant table's order, or documents in the documents table's."""
        present = set(self.unit_columns.dropna())
        if self.by == "document":
            return [d for d in self.documents.index if d in present]
        listed = [str(p) for p in self.study.participants["participant_id"] if str(p) in present]
        return listed + sorted(present - set(listed))

    @cached_property
    def unit_counts(self) -> pd.DataFrame:
        """Documents each unit column rests on, and the group it belongs to."""
        docs = self.documents.assign(unit=self.unit_columns).dropna(subset=["unit"])
        counts = docs.groupby("unit")["characters"].size().reindex(self.unit_order)
        groups = docs.drop_duplicates("unit").set_index("unit")["group"].reindex(self.unit_order).astype(str)
        return pd.DataFrame({"documents": counts.astype(int), "group": groups})

    # ------------------------------------------------------------------------- masks, decided once

    @cached_property
    def group_mask(self) -> pd.Series:
        """Hidden group columns: fewer than min_cell participants (documents for unknown), their complements,
        and any group whose participants' line could not be protected inside it."""
        line = self.group_counts.loc["participants"].copy()
        if UNKNOWN in line.index:
            line[UNKNOWN] = self.group_counts.at["documents", UNKNOWN]
        force = pd.DataFrame([[g in self.unprotected_groups for g in line.index]], columns=line.index)
        return suppression_mask(line.to_frame().T, self.min_cell, force=force).iloc[0]

    @cached_property
    def unprotected_groups(self) -> set[str]:
        """Groups with a lone participant hidden: the group's pooled figure would recover it, so it hides too."""
        lines = self.participant_lines
        return {g for g, hidden in lines.items() if hidden.sum() == 1}

    @cached_property
    def participant_lines(self) -> dict[str, pd.Series]:
        """Per group, its unit columns hidden for resting on fewer than min_cell documents, with complements."""
        lines = {}
        counts = self.unit_counts
        for group, members in counts.groupby("group", sort=False):
            line = members["documents"].to_frame().T
            lines[group] = suppression_mask(line, self.min_cell).iloc[0]
        return lines

    @cached_property
    def unit_mask(self) -> pd.Series:
        """Hidden unit columns: their own line's decision, and every unit of a hidden group."""
        hidden = pd.Series(False, index=self.unit_order)
        for line in self.participant_lines.values():
            hidden[line.index] = line.to_numpy(dtype=bool)
        hidden_groups = set(self.group_mask.index[self.group_mask.to_numpy(dtype=bool)])
        return hidden | self.unit_counts["group"].isin(hidden_groups)

    # ------------------------------------------------------------------------- values

    def pooled(self, columns: pd.Series, order: list[str]) -> pd.DataFrame:
        """Coverage in % per code row and column: the column's documents' coded characters over their characters."""
        keep = columns.notna()
        covered = self.covered[keep].groupby(columns[keep]).sum().reindex(order)
        characters = self.documents.loc[keep, "characters"].groupby(columns[keep]).sum().reindex(order)
        share = 100 * covered.div(characters.where(characters > 0), axis=0)
        return share.T.rename_axis(index=f"{self.level} code", columns=None)

    @cached_property
    def group_values(self) -> pd.DataFrame:
        """Coverage % per code row by group, and over all documents."""
        values = self.pooled(self.group_columns.astype(str), self.group_order)
        values[ALL] = self.pooled(pd.Series(ALL, index=self.documents.index), [ALL])[ALL]
        return values

    @cached_property
    def unit_values(self) -> pd.DataFrame:
        """Coverage % per code row by participant (or document)."""
        return self.pooled(self.unit_columns, self.unit_order)

    # ------------------------------------------------------------------------- tables and figures

    @property
    def unit_word(self) -> str:
        """'participant' or 'document'."""
        return self.by

    @property
    def group_word(self) -> str:
        """The grouping's name for captions ('tier')."""
        return attribute_label(self.group_by).lower()

    def group_headers(self) -> list[str]:
        """Group column headers with what each rests on ('micro (6 participants, 6 documents)'); hidden: 'hidden'."""
        headers = []
        for group in self.group_values.columns:
            n, d = self.group_counts.at["participants", group], self.group_counts.at["documents", group]
            rest = plural(d, "document") if group == UNKNOWN else f"{plural(n, 'participant')}, {plural(d, 'document')}"
            headers.append(f"{group} ({'hidden' if self.group_mask[group] else rest})")
        return headers

    def unit_headers(self) -> list[str]:
        """Unit column headers with the documents each rests on; hidden: 'hidden'."""
        if self.by == "document":
            return [str(u) for u in self.unit_order]
        return [f"{u} ({'hidden' if self.unit_mask[u] else plural(self.unit_counts.at[u, 'documents'], 'document')})"
                for u in self.unit_order]

    def display(self, values: pd.DataFrame, hidden: pd.Series, headers: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Values as printed (one decimal; hidden columns '<k'; no length '—') and the mask, under the headers."""
        shown = values.map(lambda v: "—" if pd.isna(v) else f"{v:.1f}").astype(object)
        mask = pd.DataFrame(np.repeat(hidden.to_numpy(dtype=bool)[None, :], len(values), axis=0),
                            index=values.index, columns=values.columns)
        shown = shown.where(~mask, hidden_label(self.min_cell))
        shown.columns = mask.columns = headers
        return shown, mask

    def long_sheet(self, values: pd.DataFrame, hidden: pd.Series, counts: pd.DataFrame, column: str) -> pd.DataFrame:
        """The table for CSV/XLSX: one row per code and column, counts and coverage as numbers, hidden ones '<k'."""
        label = hidden_label(self.min_cell)
        rows = []
        for row in values.index:
            for key in values.columns:
                out = {f"{self.level} code": row, column: key}
                for name in counts.index:
                    out[name] = label if hidden[key] else int(counts.at[name, key])
                share = values.at[row, key]
                out["coverage %"] = label if hidden[key] else (None if pd.isna(share) else round(float(share), 1))
                rows.append(out)
        return pd.DataFrame(rows, columns=[f"{self.level} code", column, *counts.index, "coverage %"])

    def group_table(self) -> Table:
        """Coverage per code by group and over all documents."""
        frame, mask = self.display(self.group_values, self.group_mask, self.group_headers())
        return Table(f"coverage-by-{slug_word(self.group_by)}",
                     f"{self.study.short_name}: coding coverage of {self.level} codes by {self.group_word}", frame,
                     f"Share of the documents' characters coded with each {self.level} code (overlapping codings "
                     f"counted once), the documents of each {self.group_word} pooled; each column names the "
                     "participants and documents it rests on", "% of characters", self.source,
                     self.suppression_text("participants", self.group_mask), mask, notes=list(self.notes), index=True,
                     sheet=self.long_sheet(self.group_values, self.group_mask, self.group_counts, self.group_word))

    def unit_table(self) -> Table:
        """Coverage per code by participant (their documents pooled) or by document."""
        frame, mask = self.display(self.unit_values, self.unit_mask, self.unit_headers())
        counts = self.unit_counts[["documents"]].T
        pooled = ", each participant's documents pooled" if self.by == "participant" else ""
        return Table(f"coverage-by-{self.by}", f"{self.study.short_name}: coding coverage of {self.level} codes by "
                     f"{self.by}", frame, f"Share of the characters coded with each {self.level} code (overlapping "
                     f"codings counted once){pooled}", "% of characters", self.source,
                     self.suppression_text("documents", self.unit_mask), mask, index=True,
                     sheet=self.long_sheet(self.unit_values, self.unit_mask, counts, self.by))

    def tables(self) -> list[Table]:
        """By group, then by participant (or document); none when coverage cannot be computed."""
        return [self.group_table(), self.unit_table()] if self.available else []

    def figures(self) -> list[Figure]:
        """A heatmap of coverage per code by group (any code left out: it would set the scale); hidden columns blank
        and marked, never plotted."""
        if not self.available:
            return []
        table = self.group_table()
        data = self.group_values.drop(index=ANY_CODE)
        data.columns = [h.replace(" (", "\n").replace(", ", "\n").rstrip(")") for h in self.group_headers()]
        mask = table.mask.drop(index=ANY_CODE)
        mask.columns = data.columns
        return [Figure(f"coverage-heatmap-{slug_word(self.group_by)}", f"{table.title} (% of characters)", "heatmap",
                       data, mask, "% of characters", table.counted, table.unit, self.source,
                       table.suppression + (" Hatched columns are suppressed." if self.group_mask.any() else ""),
                       hidden_label(self.min_cell), alt=f"Heatmap of coding coverage per {self.level} code and "
                       f"{self.group_word}", min_cell=self.min_cell, options={"fmt": ".1f"})]

    # ------------------------------------------------------------------------- words

    @property
    def source(self) -> str:
        """Where the codings and the documents' lengths come from."""
        return f"{self.study.table_source('segments')}; document lengths from its documents table"

    def suppression_text(self, rests_on: str, hidden: pd.Series) -> str:
        """The caption's sentence on suppression ('' when nothing is suppressed)."""
        if self.min_cell <= 1:
            return ""
        count = int(hidden.sum())
        if not count:
            return f"No column rests on fewer than {self.min_cell} {rests_on}, so none is hidden."
        return (f"A column resting on fewer than {self.min_cell} {rests_on} is hidden ({hidden_label(self.min_cell)}), "
                "and further columns so that the pooled figures cannot recover it (complementary suppression); "
                f"{plural(count, 'column')} hidden.")

    def basis_notes(self) -> list[str]:
        """What the figures rest on and what was left out, one sentence each."""
        study, docs = self.study, self.documents
        notes = [f"Coverage rests on {plural(len(docs), 'document')} of known length "
                 f"({int(docs['characters'].sum()):,} characters) and {plural(len(self.spans), 'coded span')}."]
        segments = considered_segments(study, self.coder)
        unplaced = segments["start"].isna() | segments["end"].isna()
        if unplaced.any():
            notes.append(f"{plural(int(unplaced.sum()), 'coding')} without character positions (e.g. whole-document "
                         "or media codings) are left out.")
        unknown = sorted(set(segments.loc[~unplaced, "document"].dropna()) - set(docs.index))
        if unknown:
            notes.append(f"{plural(len(unknown), 'document')} with codings but no known length are left out: "
                         f"{shown_list(unknown)}.")
        several = int(docs["several"].sum())
        if several:
            notes.append(f"{plural(several, 'document')} hold codings of several participants (e.g. focus groups): "
                         f"they count for their group only if all share one, and for no participant.")
        coders = segments["coder"].dropna().unique() if "coder" in segments else []
        if self.coder:
            notes.append(f"Only the codings of {self.coder} are counted.")
        elif len(coders) > 1:
            notes.append(f"The codings of {len(coders)} coders are pooled: a character counts once whoever coded it.")
        return notes


# ----------------------------------------------------------------------------- the computation

def check_arguments(study: Study, by: str, group_by: str, coder: str | None) -> None:
    """Refuse a unit, grouping or coder the study does not have, naming what it has."""
    if by not in BY:
        raise ConfigError("coverage", "by", f"unknown unit {by!r}", remedy=f"use one of {list(BY)}.")
    if group_by not in study.participants.columns:
        columns = sorted(set(study.participants.columns) - {"study", "source", "note"})
        raise ConfigError("coverage", "group_by", f"{group_by!r} is not a participant column",
                          remedy=f"group by one of {columns}.")
    known = sorted(study.segments["coder"].dropna().unique()) if "coder" in study.segments else []
    if coder is not None and coder not in known:
        raise ConfigError("coverage", "coder", f"{coder!r} coded nothing in this study; its coders are {known}",
                          remedy="name a coder exactly as the coder column spells it, or None for all.")


def considered_segments(study: Study, coder: str | None) -> pd.DataFrame:
    """The study's segments that name their document (of the one coder, when one is named)."""
    segments = study.segments[study.segments["document"].notna()]
    return segments[segments["coder"] == coder] if coder is not None else segments


def coded_spans(study: Study, level: str, coder: str | None) -> pd.DataFrame:
    """Positioned codings in documents of known length: document, row at the level, start and end (clipped)."""
    lengths = study.document_lengths
    segments = considered_segments(study, coder)
    segments = segments[segments["start"].notna() & segments["end"].notna() & segments["document"].isin(lengths.index)]
    row_of, _ = rollup_rows(study.codes, level)
    document = segments["document"].astype(str)
    end = np.minimum(segments["end"].astype("int64"), document.map(lengths).astype("int64"))
    spans = pd.DataFrame({"document": document, "row": segments["code_id"].map(row_of).astype(str),
                          "start": segments["start"].astype("int64"), "end": end})
    return spans[spans["end"] > spans["start"]].reset_index(drop=True)


def union_lengths(spans: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Characters covered by the union of the spans of each key (overlapping spans counted once).

    Sorted by start within a key, a span adds only what reaches beyond every earlier span's end.
    """
    if spans.empty:
        return pd.Series(dtype="int64", index=pd.MultiIndex.from_tuples([], names=keys) if len(keys) > 1 else
                         pd.Index([], name=keys[0]))
    ordered = spans.sort_values([*keys, "start", "end"], kind="stable")
    groups = [ordered[k] for k in keys]
    reach = ordered.groupby(groups, sort=False)["end"].cummax()
    before = reach.groupby(groups, sort=False).shift(1)
    start = np.maximum(ordered["start"].to_numpy(), before.fillna(-1).to_numpy())
    gained = np.clip(ordered["end"].to_numpy() - start, 0, None)
    return pd.Series(gained, index=ordered.index).groupby(groups).sum().astype("int64")


def document_basis(study: Study, group_by: str) -> pd.DataFrame:
    """Per document of known length: characters, its participant (when exactly one), its group, and whether
    codings of several participants sit in it."""
    lengths = study.document_lengths
    attributed = study.segments.dropna(subset=["document", "participant_id"])
    people = attributed.groupby("document")["participant_id"].unique()
    participant = {d: str(p[0]) for d, p in people.items() if len(p) == 1}
    group_of = groups_of(study, group_by).astype(str)
    group_of.index = study.participants["participant_id"].astype(str)
    group_of = group_of[~group_of.index.duplicated()]
    groups = []
    for document in lengths.index:
        found = {group_of.get(str(p), UNKNOWN) for p in people.get(document, [])}
        groups.append(found.pop() if len(found) == 1 else UNKNOWN)
    categories = list(dict.fromkeys([*groups_of(study, group_by).cat.categories, UNKNOWN]))
    return pd.DataFrame({"characters": lengths.to_numpy(),
                         "participant": [participant.get(d) for d in lengths.index],
                         "group": pd.Categorical(groups, categories=categories, ordered=True),
                         "several": [len(people.get(d, [])) > 1 for d in lengths.index]},
                        index=lengths.index.astype(str).rename("document"))


def unavailable_reason(study: Study) -> str:
    """Why a study's coverage cannot be computed, from what its tables lack."""
    lead = (f"Coverage cannot be computed for {study.short_name}: it is the share of a document's characters coded "
            "with a code, so it needs each document's full length and where each coding sits in it")
    if study.segments.empty:
        return f"{lead}, and this study has no codings at all."
    if not study.segments["start"].notna().any():
        return (f"{lead}, and this study has neither: its {plural(len(study.segments), 'coded segment')} are quotes "
                "without a position in a transcript (as a paper prints them, or a spreadsheet export lists them), "
                "and it records no document lengths.")
    if study.documents.empty:
        return (f"{lead}, and no document length is recorded (the export it came from did not carry the documents' "
                "full texts; a REFI-QDA .qdpx, a QualCoder project or a Taguette database does).")
    return (f"{lead}, and none of its positioned codings lies in a document whose length is recorded in its "
            "documents table.")


def default_level(study: Study) -> str:
    """The level an appendix reports coverage at: main where the study has it, else its first level."""
    present = [lv for lv in CODE_LEVELS if lv in set(study.codes["level"].dropna())]
    return "main" if "main" in present else (present[0] if present else "main")


def plural(n: int, word: str) -> str:
    """'1 document', '3 documents'."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shown_list(names: list[str]) -> str:
    """The first few names, and how many more."""
    more = f" and {len(names) - SHOWN_SAMPLE} more" if len(names) > SHOWN_SAMPLE else ""
    return ", ".join(repr(n) for n in names[:SHOWN_SAMPLE]) + more


def slug_word(name: str) -> str:
    """A column name as a table key part ('professional_group' -> 'professional-group')."""
    return str(name).replace("_", "-")
