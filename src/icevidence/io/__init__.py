"""Readers and writers of QDA-software exports; every reader returns the canonical Study."""
from __future__ import annotations
