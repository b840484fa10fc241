"""Remember the last results of an expensive function of loaded studies, keyed by the objects themselves.

A report asks for the same evidence rows or reuse pairs once per table; for a million quotes each
costs tens of seconds. Studies and crosswalks are not hashable, and equal content is not checked:
the same objects (``is``) give the remembered result, as a copy so callers cannot change it.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd


def flatten(args: tuple) -> tuple:
    """The arguments with lists and tuples opened one level (a list of studies is made afresh per call)."""
    return tuple(item for arg in args for item in (arg if isinstance(arg, (list, tuple)) else (arg,)))


def remember_recent(size: int = 2) -> Callable[[Callable[..., pd.DataFrame]], Callable[..., pd.DataFrame]]:
    """Decorator: keep the last ``size`` results of a table-returning function, keyed by argument identity."""
    def decorate(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        recent: list[tuple[tuple, pd.DataFrame]] = []

        @functools.wraps(function)
        def call(*args: Any) -> pd.DataFrame:
            key = flatten(args)
            for seen, result in recent:
                if len(seen) == len(key) and all(a is b for a, b in zip(seen, key)):
                    return result.copy()
            result = function(*args)
            recent[:] = [*recent[len(recent) - size + 1:], (key, result)]
            return result.copy()
        return call
    return decorate
