"""User-supplied regular expressions (study.yml patterns) compiled with RE2, a linear-time engine.

Why RE2 (google-re2, pinned in requirements.lock): Python's ``re`` backtracks, so a pattern such as
``(a+)+$`` takes exponential time on a long non-matching string (ReDoS); a study.yml, or a file posing
as one, could hang an import or a build. RE2 matches in time linear in the input, with bounded
memory, whatever the pattern. The price is that it lacks backreferences (``\\1``) and lookaround
(``(?=``, ``(?!``, ``(?<=``, ``(?<!``); a pattern using them is refused with a message naming the
field and saying how to rewrite it.
"""
from __future__ import annotations

import re
from typing import Any

from .errors import ConfigError

UNSUPPORTED = [
    (re.compile(r"\(\?<?[=!]"), "lookaround ((?=, (?!, (?<=, (?<!)",
     "match the surrounding text with a group instead, and pick the group you need"),
    (re.compile(r"\\[1-9]|\(\?P="), "a backreference (\\1, (?P=name))",
     "spell the repeated text out, or check it after matching"),
]


def compile_user_regex(pattern: Any, file: str, field: str) -> Any:
    """Compile a study.yml pattern with RE2; raise ConfigError naming file, field and the remedy."""
    import re2
    text = str(pattern)
    for finder, feature, remedy in UNSUPPORTED:
        if finder.search(text):
            raise ConfigError(file, field, f"the pattern {text!r} uses {feature}, which the safe regex engine "
                              "(RE2, linear time) does not support", remedy=f"{remedy}.")
    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(text, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ConfigError(file, field, f"not a valid regular expression ({reason})",
                          remedy="correct the pattern (RE2 syntax: no backreferences or lookaround).") from exc
