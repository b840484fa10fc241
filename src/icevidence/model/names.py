"""Identifiers are names, never paths: study ids and report names are checked before anything is written.

One rule for every command: a letter or digit, then letters, digits, '-' and '_' (at most 100), and
never a name Windows reserves for a device (CON, PRN, AUX, NUL, COM0-9, LPT0-9, in any case: also
'con.html' is the console there). A new study id must not differ only by case from an existing
study (macOS and Windows would write both into one folder).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import CompendiumError

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # starts with a letter or digit (never an option)
MAX_NAME_LENGTH = 100
_NAME = re.compile(NAME_PATTERN)
DEVICE_NAMES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)


@dataclass
class UnsafeNameError(CompendiumError):
    """An identifier (study id, report name) that is not a plain name; refused before any write."""

    source: str
    what: str
    value: str
    remedy: str = ("start with a letter or digit, then use only letters, digits, '-' and '_' (at most 100 characters; "
                   "no '/', '..', spaces or dots, and not a Windows device name such as CON or NUL).")
    reason: str = ""

    def describe(self) -> str:
        why = self.reason or ("is a name Windows reserves for a device" if is_device_name(self.value)
                              else "is not a plain name")
        return f"{self.source}: {self.what} {self.value!r} {why}"


def is_name(value: object) -> bool:
    """True for a plain identifier: letters, digits, '-' and '_' only, 1-100 characters, no Windows device name."""
    return isinstance(value, str) and len(value) <= MAX_NAME_LENGTH and _NAME.match(value) is not None \
        and not value.endswith("\n") and not is_device_name(value)


def is_device_name(value: str) -> bool:
    """True for a name Windows reserves for a device (CON, NUL, COM1, ...), whatever its case."""
    return DEVICE_NAMES.match(value) is not None


def check_name(value: object, what: str, source: str) -> str:
    """Return the value when it is a plain name; raise UnsafeNameError naming source and field otherwise."""
    if not is_name(value):
        raise UnsafeNameError(source, what, str(value))
    return str(value)


def case_twin(value: str, existing: Iterable[str]) -> str | None:
    """An existing name that differs from the value only by case (the same folder on macOS and Windows), if any."""
    folded = value.casefold()
    return next((name for name in existing if name != value and name.casefold() == folded), None)


def check_new_study_id(value: str, existing: Iterable[str], source: str) -> str:
    """The study id, after refusing one that differs only by case from an existing study."""
    twin = case_twin(value, existing)
    if twin is not None:
        raise UnsafeNameError(source, "study id", value,
                              remedy=f"use the existing study's id {twin!r} exactly (with --force to replace it), "
                                     "or choose an id that differs by more than case.",
                              reason=f"differs only by case from the existing study {twin!r}")
    return value
