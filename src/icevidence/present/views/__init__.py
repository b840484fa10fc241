"""One view per analysis: how its result reads in a notebook, a report, a workbook and an appendix.

Every module of this package is imported here; each registers its view for the result class it
renders (`analyses.result.register_view`), so adding an analysis adds one view module and touches
nothing else. The appendix asks every registered view for its sections, in each view's `order`.
"""
from __future__ import annotations

import pkgutil
from importlib import import_module

from ...analyses.result import Result, register_view
from .base import View

register_view(Result, View())
for module in pkgutil.iter_modules(__path__):
    import_module(f"{__name__}.{module.name}")
