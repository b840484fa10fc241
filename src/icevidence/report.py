"""Build the compendium's reports: run each notebook with papermill, render HTML, link an index."""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import yaml
from jinja2 import Environment, PackageLoader, select_autoescape
from jupyter_client.kernelspec import KernelSpecManager
from nbconvert import HTMLExporter

from . import config
from .errors import ConfigError
from .provenance import footer_markdown, relative

KERNEL = "icevidence"


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


def build(only: list[str] | None = None, show_code: bool = False, log=print) -> list[BuildResult]:
    """Build every report in compendium.yml (or the named ones) and write reports/index.html."""
    specs = read_compendium()
    chosen = [s for s in specs if not only or s.output in only]
    unknown = set(only or []) - {s.output for s in specs}
    if unknown:
        raise ConfigError(str(config.COMPENDIUM), "reports", f"no report named {sorted(unknown)}",
                          remedy="use `icevidence list` to see the report names.")
    results = []
    for number, spec in enumerate(chosen, start=1):
        log(f"[{number}/{len(chosen)}] {spec.output}: running {spec.notebook} {spec.parameters} ...")
        result = build_report(spec, show_code=show_code)
        log(f"[{number}/{len(chosen)}] {spec.output}: " +
            (f"done in {result.seconds:.1f} s -> {relative(result.html)}" if result.ok
             else f"FAILED after {result.seconds:.1f} s\n{result.error}"))
        results.append(result)
    write_index(specs, results)
    return results


def build_report(spec: ReportSpec, show_code: bool = False) -> BuildResult:
    """Execute one notebook with its parameters, add the provenance footer and render HTML."""
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
    html_path = config.REPORTS / f"{spec.output}.html"
    html_path.write_text(render_html(notebook, spec.title, show_code or spec.show_code), encoding="utf-8")
    return BuildResult(spec, html_path, time.perf_counter() - start)


def execute_notebook(spec: ReportSpec, parameters: dict[str, Any], out: Path) -> nbformat.NotebookNode:
    """Run the notebook with papermill in the project's kernel and return the executed notebook."""
    return pm.execute_notebook(
        str(config.NOTEBOOKS / spec.notebook), str(out), parameters=parameters,
        kernel_name=kernel_name(), cwd=str(config.NOTEBOOKS), progress_bar=False,
        log_output=False, report_mode=False,
    )


def kernel_name() -> str:
    """The project's registered kernel, or the current interpreter's when it is not registered."""
    return KERNEL if KERNEL in KernelSpecManager().find_kernel_specs() else "python3"


def append_provenance(notebook: nbformat.NotebookNode, parameters: dict[str, Any], inputs: list[Path]) -> None:
    """Append the provenance footer as the notebook's last cell."""
    notebook.cells.append(nbformat.v4.new_markdown_cell(footer_markdown(parameters, inputs)))


def render_html(notebook: nbformat.NotebookNode, title: str, show_code: bool = False) -> str:
    """Render an executed notebook to standalone HTML, code hidden unless asked for."""
    exporter = HTMLExporter(template_name="lab", exclude_input=not show_code,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return body


def write_index(specs: list[ReportSpec], results: list[BuildResult]) -> Path:
    """Write reports/index.html linking every report, with the state of its last build."""
    env = Environment(loader=PackageLoader("icevidence", "templates"), autoescape=select_autoescape())
    status = {r.spec.output: r for r in results}
    rows = [{"title": s.title, "href": f"{s.output}.html", "output": s.output,
             "exists": (config.REPORTS / f"{s.output}.html").is_file(),
             "state": ("built" if status[s.output].ok else "failed") if s.output in status else "not rebuilt",
             "parameters": ", ".join(f"{k}={v}" for k, v in s.parameters.items())} for s in specs]
    title = (yaml.safe_load(config.COMPENDIUM.read_text(encoding="utf-8")) or {}).get("title", "Reports")
    path = config.REPORTS / "index.html"
    path.write_text(env.get_template("index.html.j2").render(title=title, rows=rows), encoding="utf-8")
    return path


def failed(results: list[BuildResult]) -> list[BuildResult]:
    """The results that did not build."""
    return [r for r in results if not r.ok]


if __name__ == "__main__":  # pragma: no cover
    sys.exit("use `icevidence build`")
