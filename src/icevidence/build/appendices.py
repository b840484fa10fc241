"""The `appendices:` list of compendium.yml, built by `make report` after the reports."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import config
from ..model.errors import CompendiumError, ConfigError
from ..present import APPENDIX_TEMPLATE
from .compendium import AppendixEntry
from .compendium import load


@dataclass
class AppendixResult:
    """What happened to one appendix, for the log and the index."""

    spec: AppendixEntry
    seconds: float
    error: str | None = None
    skipped: bool = False
    paths: list[Path] = field(default_factory=list)

    def index_row(self) -> dict[str, Any]:
        """A row of reports/index.html, linking the PDF (the DOCX, XLSX and figures sit beside it)."""
        state = "FAILED" if self.error else "up to date (skipped)" if self.skipped else "built"
        return {"title": f"Appendix — {self.spec.study} (PDF; DOCX, XLSX and figures beside it)",
                "href": self.spec.pdf.relative_to(config.REPORTS).as_posix(), "output": self.spec.output,
                "exists": self.spec.pdf.is_file(), "state": state,
                "parameters": f"study={self.spec.study}, min_cell={self.spec.min_cell}, review={self.spec.review}"}


def read_appendix_specs(path: Path | None = None) -> list[AppendixEntry]:
    """The `appendices:` entries of compendium.yml, checked with the rest of the file (build/compendium.py)."""
    return load(path).appendices


def appendix_key(spec: AppendixEntry) -> dict[str, Any]:
    """What an appendix depends on: the layout, its parameters, the data, the code and the lock file."""
    from .cache import report_key
    inputs = [p for p in sorted(config.RAW.rglob("*")) if p.is_file()]
    inputs += [p for p in (config.CROSSWALK, config.DATA / "concepts.csv", config.ROOT / "CITATION.cff") if p.is_file()]
    return report_key(APPENDIX_TEMPLATE, {"study": spec.study, "min_cell": spec.min_cell, "review": spec.review}, inputs, False)


def build_appendices(force: bool = False, log=print, specs: list[AppendixEntry] | None = None) -> list[AppendixResult]:
    """Build every appendix compendium.yml lists (or `specs`, when already read), skipping those up to date."""
    from .cache import is_fresh, remember
    specs = read_appendix_specs() if specs is None else specs
    if specs:
        log(f"building {len(specs)} appendi{'ces' if len(specs) != 1 else 'x'}")
    results = []
    for done, spec in enumerate(specs, start=1):
        key = appendix_key(spec)
        if not force and is_fresh(spec.output, key, spec.pdf):
            log(f"  skipped  {spec.output} (unchanged since its last build)")
            results.append(AppendixResult(spec, 0.0, skipped=True))
            continue
        start = time.perf_counter()
        from .appendix import build_appendix   # the appendix stack (pandas, matplotlib, typst) only when one is stale
        try:
            paths = build_appendix(spec.study, min_cell=spec.min_cell, review=spec.review)
        except CompendiumError as exc:
            results.append(AppendixResult(spec, time.perf_counter() - start, error=str(exc)))
            log(f"  [{done}/{len(specs)}] FAILED  {spec.output}\n  {exc}")
            continue
        remember(spec.output, key, [Path(p) for p in paths])
        results.append(AppendixResult(spec, time.perf_counter() - start, paths=paths))
        log(f"  [{done}/{len(specs)}] built   {spec.output} in {results[-1].seconds:.1f} s")
    return results


def raise_if_failed(results: list[AppendixResult]) -> None:
    """After the index is written, stop with one error naming every appendix that failed."""
    failed = [r for r in results if r.error]
    if failed:
        raise ConfigError(str(config.COMPENDIUM), "appendices",
                          "; ".join(f"{r.spec.output} failed: {r.error}" for r in failed),
                          remedy="fix the cause named above and run `make report` again.")
