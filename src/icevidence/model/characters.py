"""Characters that look like nothing: cleaned from names at import, shown escaped on a terminal, dropped from labels.

* ``clean_name``: a name without the byte-order mark and zero-width characters an editor or a
  copy-paste leaves (U+FEFF, U+200B, U+2060, U+180E anywhere; U+200C/U+200D at either end, where
  they join nothing; inside a name they spell Persian words and emoji, so they stay).
* ``skeleton``: a name without any invisible format character (Unicode category Cf), so two names
  that look alike on screen compare equal (``lookalikes``).
* ``printable``: text for a terminal, every control character (C0 but tab and line feed, DEL, C1,
  so ESC sequences, OSC-8 links and carriage-return overwrites), bidi control and zero-width
  character written as a visible ``\\uXXXX`` escape.
* ``visible``: a figure label without control and format characters (matplotlib's PDF backend
  fails on a byte-order mark).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

STRIPPED = re.compile("[\ufeff\u200b\u2060\u180e]")
JOINERS = "\u200c\u200d"
TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                             "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
LABEL_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
                          "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")
NAMES = {"\ufeff": "byte-order mark", "\u200b": "zero-width space", "\u2060": "word joiner",
         "\u180e": "Mongolian vowel separator", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner"}


def clean_name(value: str) -> str:
    """The name without byte-order marks and zero-width characters (see the module's docstring); a name made of
    nothing else is kept as its escapes ('\\u200b'), so it stays a name a reader can see and tell apart."""
    cleaned = STRIPPED.sub("", value).strip(JOINERS)
    return cleaned if cleaned.strip() or not value else "".join(escaped(c) for c in value)


def removed_from(value: str) -> list[str]:
    """The invisible characters clean_name removes from a value, named ('zero-width space U+200B')."""
    inside = STRIPPED.sub("", value)
    ends = inside[:len(inside) - len(inside.lstrip(JOINERS))] + inside[len(inside.rstrip(JOINERS)):]
    return [f"{NAMES[c]} U+{ord(c):04X}" for c in dict.fromkeys(STRIPPED.findall(value) + list(ends))]


def skeleton(value: str) -> str:
    """The value as it looks: NFC, without any invisible format character (category Cf)."""
    return "".join(c for c in unicodedata.normalize("NFC", value) if unicodedata.category(c) != "Cf")


def lookalikes(names: Iterable[str]) -> list[list[str]]:
    """Groups of distinct names that look the same once invisible characters are removed."""
    groups: dict[str, list[str]] = {}
    for name in dict.fromkeys(n for n in names if isinstance(n, str)):
        groups.setdefault(skeleton(name), []).append(name)
    return [group for group in groups.values() if len(group) > 1]


def printable(text: str) -> str:
    """Text safe to print on a terminal: control, bidi and zero-width characters as visible escapes."""
    return TERMINAL_UNSAFE.sub(lambda m: escaped(m.group(0)), str(text))


def escaped(character: str) -> str:
    """A character as a Python-style escape (\\x1b, \\u202e, \\U000e0041)."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def visible(text: str) -> str:
    """A label without control and invisible format characters (line feeds kept), for figures."""
    return LABEL_UNSAFE.sub("", str(text))
