"""The `appendices:` list of compendium.yml, built by `make report` in the same parallel queue as the reports."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import config
from ..model.errors import CompendiumError, ConfigError
from ..model.names import is_name
from ..present import APPENDIX_TEMPLATE
from .compendium import AppendixEntry, load


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
    """What an appendix depends on: the layout, its parameters, the files it reads, the code and the lock file."""
    from .cache import report_key
    return report_key(APPENDIX_TEMPLATE, {"study": spec.study, "min_cell": spec.min_cell, "review": spec.review},
                      appendix_inputs(spec.study), False)


def appendix_inputs(study: str) -> list[Path]:
    """The files an appendix reads: its study's folder, CITATION.cff and, when the crosswalk lists the study (its
    comparison section sets it beside the other studies listed), the crosswalk and those studies' folders."""
    listed = crosswalk_studies()
    folders = [study] + ([s for s in listed if s != study] if study in listed else [])
    files = [p for name in folders if is_name(name) for p in sorted(config.study_dir(name).rglob("*")) if p.is_file()]
    if study in listed:
        files += [config.CROSSWALK, config.DATA / "concepts.csv", *sorted(config.CROSSWALK_DIR.rglob("*"))]
    return [p for p in [*files, config.ROOT / "CITATION.cff"] if p.is_file()]


def crosswalk_studies() -> list[str]:
    """The studies data/crosswalk.csv lists (its `study` column), in order; none without a crosswalk."""
    import csv
    try:
        with config.CROSSWALK.open(newline="", encoding="utf-8") as handle:
            return list(dict.fromkeys(row.get("study") or "" for row in csv.DictReader(handle)))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []


def split_stale(specs: list[AppendixEntry], force: bool, log) -> tuple[list[AppendixResult], list[tuple]]:
    """The appendices up to date (as skipped results) and the (spec, key) of those to build."""
    from .cache import forget, is_fresh
    skipped, stale = [], []
    for spec in specs:
        key = appendix_key(spec)
        if not force and is_fresh(spec.output, key, spec.pdf):
            log(f"  skipped  {spec.output} (unchanged since its last build)")
            skipped.append(AppendixResult(spec, 0.0, skipped=True))
        else:
            forget(spec.output)
            stale.append((spec, key))
    return skipped, stale


def appendix_jobs(specs: list[AppendixEntry], force: bool, log) -> tuple[list[AppendixResult], list[tuple]]:
    """For the build's queue: the appendices up to date (as skipped results) and, for each of the others, its
    spec, key, the function that builds it and the one that records its result."""
    skipped, stale = split_stale(specs, force, log)
    return skipped, [(spec, key, build_one, finish_appendix) for spec, key in stale]


def build_one(spec: AppendixEntry) -> AppendixResult:
    """Build one appendix (in a build worker, or in this process); a CompendiumError becomes the result's error."""
    from .appendix import build_appendix  # the appendix stack (pandas, matplotlib, typst) only when one is stale
    start = time.perf_counter()
    try:
        paths = build_appendix(spec.study, min_cell=spec.min_cell, review=spec.review)
    except CompendiumError as exc:
        return AppendixResult(spec, time.perf_counter() - start, error=str(exc))
    return AppendixResult(spec, time.perf_counter() - start, paths=paths)


def finish_appendix(result: AppendixResult, key: dict, done: int, total: int, log) -> AppendixResult:
    """Log a finished appendix and remember its key when it built."""
    from .cache import remember
    if result.error:
        log(f"  [{done}/{total}] FAILED  {result.spec.output}\n  {result.error}")
        return result
    remember(result.spec.output, key, [Path(p) for p in result.paths])
    log(f"  [{done}/{total}] built   {result.spec.output} in {result.seconds:.1f} s")
    return result


def build_appendices(force: bool = False, log=print, specs: list[AppendixEntry] | None = None) -> list[AppendixResult]:
    """Build every appendix compendium.yml lists (or `specs`), one after another, skipping those up to date.

    `icevidence build` runs them in its parallel queue with the reports instead (build/runner.py).
    """
    specs = read_appendix_specs() if specs is None else specs
    if specs:
        log(f"building {len(specs)} appendi{'ces' if len(specs) != 1 else 'x'}")
    results, stale = split_stale(specs, force, log)
    for done, (spec, key) in enumerate(stale, start=1):
        results.append(finish_appendix(build_one(spec), key, done, len(stale), log))
    return results


def raise_if_failed(results: list[AppendixResult]) -> None:
    """After the index is written, stop with one error naming every appendix that failed."""
    failed = [r for r in results if r.error]
    if failed:
        raise ConfigError(str(config.COMPENDIUM), "appendices",
                          "; ".join(f"{r.spec.output} failed: {r.error}" for r in failed),
                          remedy="fix the cause named above and run `make report` again.")
