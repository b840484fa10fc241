"""Fixed vocabularies of the data model: the code levels of a code tree, and the tiers the published studies use.

Kept apart from the schemas so the code tree (codes.py) can use them without loading pandera.
A study may group its participants by any column it declares; TIERS is only the order of the
published studies' grouping when a study uses it.
"""
from __future__ import annotations

TIERS = ["micro", "meso", "macro"]
CODE_LEVELS = ["overarching", "main", "sub"]
