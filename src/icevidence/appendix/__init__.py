"""Appendices a journal can take: one study's supplementary material as DOCX, PDF, XLSX and figures."""
from __future__ import annotations

from .build import build_appendix

__all__ = ["build_appendix"]
