"""Errors and warnings of the importers: each names the file, the place in it and a remedy."""
from __future__ import annotations

from dataclasses import dataclass

from ..model.errors import CompendiumError


@dataclass
class ExportError(CompendiumError):
    """Base of import errors: a problem in one file at one place (element, row, column, member)."""

    file: str
    place: str
    problem: str
    remedy: str = "fix or re-export the file and import again."

    def describe(self) -> str:
        place = f", {self.place}" if self.place else ""
        return f"{self.file}{place}: {self.problem}"


@dataclass
class UnsafeInputError(ExportError):
    """The file was refused because reading it could harm the machine (zip-slip, zip bomb, XXE)."""

    remedy: str = "do not import this file; if you trust it, unpack and check it by hand first."


@dataclass
class MalformedExportError(ExportError):
    """The file is broken or not what its format requires (truncated, wrong encoding, bad reference)."""

    remedy: str = "re-export the file from the QDA software, or pass --skip-invalid to import the rest."


@dataclass
class UnknownFormatError(ExportError):
    """No importer recognises the file; the message lists what was tried."""

    remedy: str = ("export from your QDA software as REFI-QDA (.qdpx/.qdc) or as one of the "
                   "listed spreadsheet formats, and import that file.")


class ExportWarning(UserWarning):
    """A problem in an export that does not stop the import (e.g. an XSD violation); names file and line.

    A UserWarning, not an ImportWarning: Python's default filters hide ImportWarning subclasses.
    """

    def __init__(self, file: str, place: str, problem: str) -> None:
        self.file, self.place, self.problem = file, place, problem
        super().__init__(f"{file}{', ' + place if place else ''}: {problem}")
