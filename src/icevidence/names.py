"""Identifiers are names, never paths: study ids and report names are checked before anything is written."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import CompendiumError

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # starts with a letter or digit (never an option)
MAX_NAME_LENGTH = 100
_NAME = re.compile(NAME_PATTERN)


@dataclass
class UnsafeNameError(CompendiumError):
    """An identifier (study id, report name) that is not a plain name; refused before any write."""

    source: str
    what: str
    value: str
    remedy: str = "start with a letter or digit, then use only letters, digits, '-' and '_' (at most 100 characters; no '/', '..', spaces or dots)."

    def __post_init__(self) -> None:
        super().__init__(self.describe())

    def describe(self) -> str:
        return f"{self.source}: {self.what} {self.value!r} is not a plain name"


def is_name(value: object) -> bool:
    """True for a plain identifier: letters, digits, '-' and '_' only, 1-100 characters."""
    return isinstance(value, str) and len(value) <= MAX_NAME_LENGTH and _NAME.match(value) is not None \
        and not value.endswith("\n")


def check_name(value: object, what: str, source: str) -> str:
    """Return the value when it is a plain name; raise UnsafeNameError naming source and field otherwise."""
    if not is_name(value):
        raise UnsafeNameError(source, what, str(value))
    return str(value)
