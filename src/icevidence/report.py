"""Build the compendium's reports: run each notebook with papermill, render HTML, link an index."""
from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from . import config
from .cache import is_fresh, remember, report_key
from .errors import ConfigError
from .provenance import relative

if TYPE_CHECKING:
    import nbformat

KERNEL = "icevidence"
TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass
class ReportSpec:
    """One entry of compendium.yml: a notebook, its parameters and the report's name."""

    output: str
    notebook: str
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    show_code: bool = False


@dataclass
class BuildResult:
    """What happened to one report: its HTML path, or the error that stopped it."""

    spec: ReportSpec
    html: Path | None
    seconds: float
    error: str | None = None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None


def read_compendium(path: Path | None = None) -> list[ReportSpec]:
    """Parse compendium.yml into report specs, checking every entry names a real notebook."""
    path = path or config.COMPENDIUM
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    specs = []
    for i, entry in enumerate(data.get("reports") or [], start=1):
        for key in ("output", "notebook"):
            if key not in entry:
                raise ConfigError(str(path), f"reports[{i}].{key}", "required field is missing",
                                  remedy=f"give report {i} an '{key}:'.")
        if not (config.NOTEBOOKS / entry["notebook"]).is_file():
            raise ConfigError(str(path), f"reports[{i}].notebook", f"no notebook {entry['notebook']!r} in notebooks/",
                              remedy="name a notebook that exists in notebooks/.")
        specs.append(ReportSpec(output=entry["output"], notebook=entry["notebook"],
                                title=entry.get("title", entry["output"]),
                                parameters=dict(entry.get("parameters") or {}),
                                inputs=list(entry.get("inputs") or []),
                                show_code=bool(entry.get("show_code", False))))
    return specs


def input_files(spec: ReportSpec) -> list[Path]:
    """The data files a report reads: its studies' folders plus any declared input globs."""
    studies = [spec.parameters["study"]] if "study" in spec.parameters else []
    studies += list(spec.parameters.get("studies") or [])
    paths = [p for s in studies for p in sorted(config.study_dir(str(s)).glob("*")) if p.is_file()]
    paths += [p for pattern in spec.inputs for p in sorted(config.ROOT.glob(pattern)) if p.is_file()]
    return paths


def build(only: list[str] | None = None, show_code: bool = False, force: bool = False,
          jobs: int | None = None, log=print) -> list[BuildResult]:
    """Build the reports in compendium.yml (or the named ones), skipping those already up to date.

    Independent reports run in parallel (`jobs` processes, default: the number of cores); the
    index is written once all have finished.
    """
    specs = read_compendium()
    chosen = select_reports(specs, only)
    stale, results = [], []
    for spec in chosen:
        key = report_key(config.NOTEBOOKS / spec.notebook, spec.parameters, input_files(spec), show_code or spec.show_code)
        if not force and is_fresh(spec.output, key, html_path(spec)):
            log(f"  skipped  {spec.output} (unchanged since its last build)")
            results.append(BuildResult(spec, html_path(spec), 0.0, skipped=True))
        else:
            stale.append((spec, key))
    results += run_reports(stale, show_code, jobs or os.cpu_count() or 1, log)
    from .appendix.compendium import build_appendices, raise_if_failed
    appendices = build_appendices(force=force, log=log) if not only else []
    write_index(specs, results, appendices)
    raise_if_failed(appendices)
    return results


def select_reports(specs: list[ReportSpec], only: list[str] | None) -> list[ReportSpec]:
    """The reports to consider, refusing names compendium.yml does not define."""
    unknown = set(only or []) - {s.output for s in specs}
    if unknown:
        raise ConfigError(str(config.COMPENDIUM), "reports", f"no report named {sorted(unknown)}",
                          remedy="use `icevidence list` to see the report names.")
    return [s for s in specs if not only or s.output in only]


def run_reports(stale: list[tuple[ReportSpec, dict]], show_code: bool, jobs: int, log) -> list[BuildResult]:
    """Run the stale reports, in parallel when there is more than one, logging each state change."""
    results = []
    total = len(stale)
    if total == 0:
        return results
    log(f"building {total} report{'s' if total != 1 else ''} with {min(jobs, total)} parallel job(s)")
    if jobs <= 1 or total == 1:
        outcomes = ((spec, key, build_report(spec, show_code)) for spec, key in stale)
        for done, (spec, key, result) in enumerate(outcomes, start=1):
            results.append(finish(result, key, done, total, log))
        return results
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, total), mp_context=context) as pool:
        futures = {pool.submit(build_report, spec, show_code): (spec, key) for spec, key in stale}
        for spec, _ in stale:
            log(f"  queued   {spec.output}")
        for done, future in enumerate(as_completed(futures), start=1):
            spec, key = futures[future]
            results.append(finish(future.result(), key, done, total, log))
    return results


def finish(result: BuildResult, key: dict, done: int, total: int, log) -> BuildResult:
    """Log a finished report and remember its key when it built."""
    if result.ok:
        remember(result.spec.output, key)
        log(f"  [{done}/{total}] built   {result.spec.output} in {result.seconds:.1f} s")
    else:
        log(f"  [{done}/{total}] FAILED  {result.spec.output} after {result.seconds:.1f} s\n{result.error}")
    return result


def html_path(spec: ReportSpec) -> Path:
    """Where a report's HTML goes."""
    return config.REPORTS / f"{spec.output}.html"


def build_report(spec: ReportSpec, show_code: bool = False) -> BuildResult:
    """Execute one notebook with its parameters, add the provenance footer and render HTML."""
    import papermill as pm
    start = time.perf_counter()
    executed_path = config.REPORTS / "notebooks" / f"{spec.output}.ipynb"
    executed_path.parent.mkdir(parents=True, exist_ok=True)
    parameters = {**spec.parameters, "report_id": spec.output}
    try:
        notebook = execute_notebook(spec, parameters, executed_path)
    except pm.PapermillExecutionError as exc:
        error = (f"  notebook notebooks/{spec.notebook}, cell {exc.exec_count or exc.cell_index}: "
                 f"{exc.ename}: {exc.evalue}\n  partial notebook kept at {relative(executed_path)}")
        return BuildResult(spec, None, time.perf_counter() - start, error)
    append_provenance(notebook, parameters, input_files(spec))
    html = html_path(spec)
    html.write_text(render_html(notebook, spec.title, show_code or spec.show_code), encoding="utf-8")
    return BuildResult(spec, html, time.perf_counter() - start)


def execute_notebook(spec: ReportSpec, parameters: dict[str, Any], out: Path) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return the executed notebook."""
    import papermill as pm
    from .kernels import IPCKernelManager
    return pm.execute_notebook(
        str(config.NOTEBOOKS / spec.notebook), str(out), parameters=parameters,
        kernel_name=kernel_name(), cwd=str(config.NOTEBOOKS), progress_bar=False,
        log_output=False, report_mode=False, kernel_manager_class=IPCKernelManager,
    )


def kernel_name() -> str:
    """The project's registered kernel, or the current interpreter's when it is not registered."""
    from jupyter_client.kernelspec import KernelSpecManager
    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def append_provenance(notebook: nbformat.NotebookNode, parameters: dict[str, Any], inputs: list[Path]) -> None:
    """Append the provenance footer as the notebook's last cell."""
    import nbformat

    from .provenance import footer_markdown
    notebook.cells.append(nbformat.v4.new_markdown_cell(footer_markdown(parameters, inputs)))


def render_html(notebook: nbformat.NotebookNode, title: str, show_code: bool = False) -> str:
    """Render an executed notebook to standalone HTML, code hidden unless asked for."""
    from nbconvert import HTMLExporter
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
                            exclude_input=not show_code, exclude_input_prompt=True, exclude_output_prompt=True)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return body


def write_index(specs: list[ReportSpec], results: list[BuildResult], appendices: list | None = None) -> Path:
    """Write reports/index.html linking every report, with the state of its last build."""
    from jinja2 import Environment, PackageLoader, select_autoescape
    env = Environment(loader=PackageLoader("icevidence", "templates"), autoescape=select_autoescape())
    status = {r.spec.output: r for r in results}
    rows = [{"title": s.title, "href": f"{s.output}.html", "output": s.output,
             "exists": (config.REPORTS / f"{s.output}.html").is_file(),
             "state": state_of(status.get(s.output)),
             "parameters": ", ".join(f"{k}={v}" for k, v in s.parameters.items())} for s in specs]
    rows += [a.index_row() for a in appendices or []]
    title = (yaml.safe_load(config.COMPENDIUM.read_text(encoding="utf-8")) or {}).get("title", "Reports")
    path = config.REPORTS / "index.html"
    path.write_text(env.get_template("index.html.j2").render(title=title, rows=rows), encoding="utf-8")
    return path


def state_of(result: BuildResult | None) -> str:
    """A report's state for the index."""
    if result is None:
        return "not part of this build"
    return "up to date (skipped)" if result.skipped else "built" if result.ok else "FAILED"


def failed(results: list[BuildResult]) -> list[BuildResult]:
    """The results that did not build."""
    return [r for r in results if not r.ok]

