"""The check families of the evidence review, one module each; importing this package registers them all.

A new family is one module here that defines its checks and calls `registry.register_check` for
each; nothing else changes.
"""
from __future__ import annotations

import pkgutil
from importlib import import_module

for module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{module.name}")
