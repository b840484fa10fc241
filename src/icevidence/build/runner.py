"""Build the compendium's reports: run each notebook with papermill, render HTML, link an index."""
from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model import config
from ..model.atomic import describe_os_error, move, remove_stale_temps, write_text
from ..model.errors import ConfigError
from ..model.names import check_name
from ..model.outputs import check_reports_folder
from ..model.provenance import relative, sha256_of
from . import compendium
from .cache import (
    forget,
    is_current,
    is_fresh,
    library_fingerprint,
    read_record,
    remember,
    report_key,
    site_record_path,
    write_record,
)
from .compendium import Report

if TYPE_CHECKING:
    import nbformat

KERNEL = "icevidence"
KERNEL_START_SECONDS = 600  # a guard against a kernel that never starts; a loaded machine starts one slowly
RUNNING_SUFFIX = ".running.ipynb"  # the notebook papermill is executing; renamed when it completes
TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@dataclass
class BuildResult:
    """What happened to one report: its HTML path, or the error that stopped it."""

    spec: Report
    html: Path | None
    seconds: float
    error: str | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def read_compendium(path: Path | None = None) -> list[Report]:
    """The reports of compendium.yml, validated (build/compendium.py); every problem at once."""
    return compendium.load(path).reports


def input_files(spec: Report) -> list[Path]:
    """The data files a report reads, as its notebook declares them (plus any extra `inputs:` globs)."""
    return compendium.notebook_inputs(config.NOTEBOOKS / spec.notebook, spec.parameters, spec.inputs)


def build(only: list[str] | None = None, show_code: bool = False, force: bool = False,
          jobs: int | None = None, log=print) -> list[BuildResult]:
    """Build the reports in compendium.yml (or the named ones), skipping those already up to date.

    Independent reports run in parallel (`jobs` processes, default: the number of cores); the
    index is written once all have finished.
    """
    check_reports_folder()
    book = compendium.load()
    specs = book.reports
    chosen = select_reports(specs, only)
    remove_leftovers()
    stale, results = [], []
    for spec in chosen:
        key = report_key(config.NOTEBOOKS / spec.notebook, spec.parameters, input_files(spec),
                         show_code or spec.show_code)
        if not force and is_fresh(spec.output, key, html_path(spec)):
            log(f"  skipped  {spec.output} (unchanged since its last build)")
            results.append(BuildResult(spec, html_path(spec), 0.0, skipped=True))
        else:
            forget(spec.output)
            stale.append((spec, key))
    queue = [Job(spec.output, "report", build_report, (spec, show_code), key, finish) for spec, key in stale]
    appendices: list = []
    if not only:
        from .appendices import appendix_jobs
        appendices, waiting = appendix_jobs(book.appendices, force, log)
        queue = [Job(spec.output, "appendix", run, (spec,), key, done) for spec, key, run, done in waiting] + queue
    finished = run_jobs(queue, jobs or os.cpu_count() or 1, log)
    results += [r for r in finished if isinstance(r, BuildResult)]
    appendices = sorted(appendices + [r for r in finished if not isinstance(r, BuildResult)],
                        key=lambda r: book.appendices.index(r.spec))
    write_index_if_changed(specs, results, appendices)
    from .appendices import raise_if_failed
    raise_if_failed(appendices)
    return results


@dataclass
class Job:
    """One entry of the build queue, a report or an appendix: the module-level function that builds it (so a
    spawned worker can run it), its arguments, its cache key, and what to do with its result once back."""

    name: str
    kind: str  # "report" or "appendix", for the log
    run: Callable[..., Any]
    args: tuple
    key: dict
    finish: Callable[..., Any]


def select_reports(specs: list[Report], only: list[str] | None) -> list[Report]:
    """The reports to consider, refusing names compendium.yml does not define."""
    for name in only or []:
        check_name(name, "report name", "icevidence build --only")
    unknown = set(only or []) - {s.output for s in specs}
    if unknown:
        raise ConfigError(str(config.COMPENDIUM), "reports", f"no report named {sorted(unknown)}",
                          remedy="use `icevidence list` to see the report names.")
    return [s for s in specs if not only or s.output in only]


def run_jobs(queue: list[Job], jobs: int, log) -> list:
    """Run the queued reports and appendices, in parallel when there is more than one, logging each state change;
    the results in the order they finished."""
    results: list = []
    total = len(queue)
    if total == 0:
        return results
    log(f"building {describe_queue(queue)} with {min(jobs, total)} parallel job(s)")
    if jobs <= 1 or total == 1:
        for done, job in enumerate(queue, start=1):
            results.append(job.finish(job.run(*job.args), job.key, done, total, log))
        return results
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context)
    try:
        futures = {pool.submit(job.run, *job.args): job for job in queue}
        for job in queue:
            log(f"  queued   {job.name}")
        for done, future in enumerate(as_completed(futures), start=1):
            job = futures[future]
            results.append(job.finish(future.result(), job.key, done, total, log))
    except BaseException:  # Ctrl-C / SIGTERM: stop the workers now instead of waiting for their notebooks
        stop_workers(pool)
        raise
    pool.shutdown()
    return results


def describe_queue(queue: list[Job]) -> str:
    """'3 reports and 1 appendix': what a queue holds."""
    plural = {"report": "reports", "appendix": "appendices"}
    counts = {kind: sum(job.kind == kind for job in queue) for kind in plural}
    return " and ".join(f"{n} {kind if n == 1 else plural[kind]}" for kind, n in counts.items() if n)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate a pool's worker processes (their kernels exit when their parent is gone)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()


def finish(result: BuildResult, key: dict, done: int, total: int, log) -> BuildResult:
    """Log a finished report and remember its key when it built."""
    if result.ok:
        try:
            remember(result.spec.output, key, report_outputs(result.spec))
        except OSError as exc:
            result.error, result.html = describe_os_error(exc), None
    if result.ok:
        log(f"  [{done}/{total}] built   {result.spec.output} in {result.seconds:.1f} s")
    else:
        remove_outputs(result.spec)
        log(f"  [{done}/{total}] FAILED  {result.spec.output} after {result.seconds:.1f} s: {result.error}")
    return result


def html_path(spec: Report) -> Path:
    """Where a report's HTML goes (the name is checked: never a path)."""
    return config.inside(config.REPORTS, spec.output, what="report name", suffix=".html")


def notebook_path(spec: Report, suffix: str = ".ipynb") -> Path:
    """Where a report's executed notebook goes."""
    return config.inside(config.REPORTS, "notebooks", spec.output, what="report name", suffix=suffix)


def report_outputs(spec: Report) -> list[Path]:
    """Every file a built report consists of: HTML, executed notebook, its tables and figures."""
    folders = [config.inside(root, spec.output, what="report name") for root in (config.TABLES, config.FIGURES)]
    files = [p for folder in folders if folder.is_dir() for p in sorted(folder.rglob("*")) if p.is_file()]
    return [html_path(spec), notebook_path(spec), *files]


def remove_outputs(spec: Report) -> None:
    """Remove what a failed build of a report may have left: its HTML, notebook, tables and figures."""
    import shutil
    for path in (html_path(spec), notebook_path(spec)):
        path.unlink(missing_ok=True)
    for root in (config.TABLES, config.FIGURES):
        shutil.rmtree(config.inside(root, spec.output, what="report name"), ignore_errors=True)


def remove_leftovers() -> None:
    """Delete temporary files a killed build left behind (they are never outputs)."""
    for folder in (config.REPORTS, config.REPORTS / "notebooks", config.REPORTS / ".cache"):
        remove_stale_temps(folder)
    for running in (config.REPORTS / "notebooks").glob(f"*{RUNNING_SUFFIX}"):
        running.unlink(missing_ok=True)


def build_report(spec: Report, show_code: bool = False) -> BuildResult:
    """Execute one notebook with its parameters, add the provenance footer and render HTML.

    The executed notebook and the HTML are written to temporary files and renamed into place; a
    failure returns a one-line reason (the failing cell, or the OS error such as ENOSPC/EROFS).
    """
    import papermill as pm
    start = time.perf_counter()
    parameters = {**spec.parameters, "report_id": spec.output}
    failed_copy = notebook_path(spec, ".failed.ipynb")
    try:
        html = html_path(spec)
        executed = notebook_path(spec)
        executed.parent.mkdir(parents=True, exist_ok=True)
        failed_copy.unlink(missing_ok=True)
        running = notebook_path(spec, RUNNING_SUFFIX)
        try:
            notebook = execute_notebook(spec, parameters, running)
        except pm.PapermillExecutionError as exc:
            move(running, failed_copy)
            where = f"cell {exc.exec_count or exc.cell_index}"
            error = (f"notebook notebooks/{spec.notebook}, {where}: {exc.ename}: {one_line(exc.evalue)} "
                     f"(partial notebook kept at {relative(failed_copy)})")
            return BuildResult(spec, None, time.perf_counter() - start, error)
        except BaseException:
            running.unlink(missing_ok=True)
            raise
        move(running, executed)
        append_provenance(notebook, parameters, input_files(spec))
        from .site import report_navigation
        write_text(html, render_html(notebook, spec.title, show_code or spec.show_code, report_navigation(spec)))
    except OSError as exc:
        return BuildResult(spec, None, time.perf_counter() - start, describe_os_error(exc))
    return BuildResult(spec, html, time.perf_counter() - start)


def one_line(text: str) -> str:
    """Collapse a message onto one line."""
    return " ".join(str(text).split())


def execute_notebook(spec: Report, parameters: dict[str, Any], out: Path) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return the executed notebook."""
    import papermill as pm

    from .kernels import IPCKernelManager
    return pm.execute_notebook(
        str(config.NOTEBOOKS / spec.notebook), str(out), parameters=parameters,
        kernel_name=kernel_name(), cwd=str(config.NOTEBOOKS), progress_bar=False,
        log_output=False, report_mode=False, kernel_manager_class=IPCKernelManager,
        start_timeout=KERNEL_START_SECONDS,
    )


def kernel_name() -> str:
    """The project's registered kernel, or the current interpreter's when it is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager
    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def append_provenance(notebook: nbformat.NotebookNode, parameters: dict[str, Any], inputs: list[Path]) -> None:
    """Append the provenance footer as the notebook's last cell."""
    import nbformat

    from ..model.provenance import footer_markdown
    notebook.cells.append(nbformat.v4.new_markdown_cell(footer_markdown(parameters, inputs)))


def render_html(notebook: nbformat.NotebookNode, title: str, show_code: bool = False, navigation: str = "") -> str:
    """Render an executed notebook to standalone HTML, code hidden unless asked for, with the site's navigation
    bar and, when a table is marked interactive, the one script its policy allows (by hash)."""
    from nbconvert import HTMLExporter

    from ..present.site import page_resources
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
                            exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True)
    notebook.metadata["title"] = title
    resources = page_resources(output_html(notebook), navigation)
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    from ..present.html import add_contents
    return add_contents(body)


def output_html(notebook: nbformat.NotebookNode) -> str:
    """The HTML a notebook's cells display (to see whether the page needs its script)."""
    return "\n".join(str(output.get("data", {}).get("text/html", "")) for cell in notebook.cells
                     for output in cell.get("outputs", []))


def write_index(specs: list[Report], results: list[BuildResult], appendices: list | None = None) -> list[Path]:
    """Write reports/index.html (reports by task and by study, with headlines and search) and the search index."""
    from .site import site_pages
    pages = site_pages(specs, results, appendices, compendium.load().title)
    for path, text in pages.items():
        write_text(path, text)
    return list(pages)


def write_index_if_changed(specs: list[Report], results: list[BuildResult], appendices: list) -> None:
    """Write the index pages unless the last ones were made from exactly what they would be made from now.

    So a build that changed nothing loads none of the site's renderers (pandas, lxml, jinja2).
    """
    key = site_key(specs, results, appendices)
    if not is_current(site_record_path(), key, config.REPORTS / "index.html"):
        site_record_path().unlink(missing_ok=True)
        write_record(site_record_path(), key, write_index(specs, results, appendices))


def site_key(specs: list[Report], results: list[BuildResult], appendices: list) -> dict[str, Any]:
    """What the index pages are made from: compendium.yml, the code, the studies' study.yml (citations), and per
    report and appendix its state, whether its page is there and the outputs its record lists (headlines, search)."""
    status = {r.spec.output: r for r in results}
    reports = {s.output: [state_of(status.get(s.output)), html_path(s).is_file(), files_recorded(s.output)]
               for s in specs}
    added = {a.spec.output: [a.index_row(), files_recorded(a.spec.output)] for a in appendices}
    studies = {relative(p): sha256_of(p) for p in sorted(config.RAW.glob("*/study.yml"))}
    return {"compendium": sha256_of(config.COMPENDIUM), "library": library_fingerprint(), "reports": reports,
            "appendices": added, "studies": studies}


def files_recorded(output: str) -> dict | None:
    """The outputs (size, SHA-256) the cache record of a report or appendix lists; None without a record."""
    return (read_record(output) or {}).get("files")


def state_of(result: BuildResult | None) -> str:
    """A report's state for the index."""
    if result is None:
        return "not part of this build"
    return "up to date (skipped)" if result.skipped else "built" if result.ok else "FAILED"


def failed(results: list[BuildResult]) -> list[BuildResult]:
    """The results that did not build."""
    return [r for r in results if not r.ok]

