"""Domain exceptions that carry the facts (file, row, field, value) and say what to do."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


class CompendiumError(Exception):
    """Base for every error a user can cause and fix; the CLI prints it without a traceback."""

    remedy: str = ""

    def __post_init__(self) -> None:
        """A dataclass subclass's message is its facts (``describe``), so ``args`` and logs carry them."""
        super().__init__(self.describe())

    def __str__(self) -> str:
        text = self.describe()
        return f"{text}\nWhat to do: {self.remedy}" if self.remedy else text

    def describe(self) -> str:
        """The facts of the error, without the remedy."""
        return super().__str__()


FAILURE_COLUMNS = ["file", "row", "column", "value", "problem"]


@dataclass
class DataValidationError(CompendiumError):
    """One or more tables broke their schema; lists every failing file, row, column and value."""

    failures: pd.DataFrame
    remedy: str = (
        "correct each listed value in its file (rows count from 1 at the header line) "
        "and load again; data/README.md describes every column and its allowed values."
    )

    def describe(self) -> str:
        n = len(self.failures)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the data:"]
        for rec in self.failures.itertuples(index=False):
            where = f"{rec.file}" + (f", row {rec.row}" if rec.row not in (None, "") else "")
            col = f", column '{rec.column}'" if rec.column not in (None, "") else ""
            val = "" if rec.value is None else f": value {rec.value!r}"
            lines.append(f"  - {where}{col}{val}: {rec.problem}")
        return "\n".join(lines)


@dataclass
class ConfigError(CompendiumError):
    """A configuration file (study.yml, compendium.yml, crosswalk) is missing or wrong."""

    file: str
    field: str
    problem: str
    remedy: str = "edit the file as described and run again."

    def describe(self) -> str:
        field = f", field '{self.field}'" if self.field else ""
        return f"{self.file}{field}: {self.problem}"
