"""compendium.yml schema: every entry checked before any report runs, every problem listed at once.

Accepted keys (anything else is refused, with a "did you mean" when a key is close to a known one)::

    title: <text>                       # optional, the index page's title
    reports:                            # required, a list of report entries
      - output: <name>                  # required, unique, letters/digits/-/_ only (reports/<output>.html)
        notebook: <file>.ipynb          # required, a notebook directly under notebooks/
        title: <text>                   # optional, defaults to output
        parameters: {<name>: <value>}   # optional, only parameters the notebook declares, of its types
        inputs: [<glob>, ...]           # optional, extra input files beyond the notebook's own declaration
        show_code: <bool>               # optional
    appendices:                         # optional (built by `icevidence appendix`)
      - study: <study id>               # required, unique, a folder of data/raw/
        min_cell: <int >= 0>            # optional
        review: <bool>                  # optional

Structure is checked with pydantic models (strict, unknown keys forbidden, every error collected),
then each report's parameters against the parameters its notebook declares (its cell tagged
``parameters``, read as papermill reads it: top-level assignments) and the types of their defaults.
Each notebook declares the files it reads in its metadata::

    "metadata": {"icevidence": {"inputs": ["data/raw/{study}/*", "data/crosswalk.csv"]}}

Patterns are globs relative to the project root; ``{name}`` is replaced by the value of parameter
``name`` (once per element when it is a list; the pattern is dropped when it is None).
"""
from __future__ import annotations

import ast
import difflib
import json
import re
import string
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..model import config, yaml_loader
from ..model.errors import ConfigError
from ..model.names import NAME_PATTERN, is_device_name, is_name

NOTEBOOK_PATTERN = r"^[A-Za-z0-9_-]+\.ipynb$"
RESERVED_PARAMETERS = {"report_id": "the build sets it from 'output'"}
REPORT_KEYS = ["output", "notebook", "title", "parameters", "inputs", "show_code"]
APPENDIX_KEYS = ["study", "min_cell", "review"]
TOP_KEYS = ["title", "reports", "appendices"]

class Strict(BaseModel):
    """Unknown keys are errors; values are not coerced ("5" is not a number, "yes" not a boolean)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ReportModel(Strict):
    """One entry of reports:."""

    output: str = Field(pattern=NAME_PATTERN, max_length=100)
    notebook: str = Field(pattern=NOTEBOOK_PATTERN)
    title: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    inputs: list[str] = Field(default_factory=list)
    show_code: bool = False


class AppendixModel(Strict):
    """One entry of appendices:."""

    study: str = Field(pattern=NAME_PATTERN, max_length=100)
    min_cell: int | None = Field(default=None, ge=0)
    review: bool | None = None


class CompendiumModel(Strict):
    """The whole file."""

    title: str | None = None
    reports: list[ReportModel]
    appendices: list[AppendixModel] = Field(default_factory=list)


@dataclass
class Problem:
    """One thing wrong in compendium.yml: where, what, and what to do."""

    place: str
    problem: str
    remedy: str

    def line(self) -> str:
        """The problem as one line."""
        return f"{self.place}: {self.problem}. What to do: {self.remedy}"


@dataclass
class CompendiumSchemaError(ConfigError):
    """compendium.yml breaks its schema; lists every problem, each with its entry and remedy."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.problems) == 1:  # one problem: one line, with its own remedy
            self.remedy = self.problems[0].remedy
        super().__post_init__()

    def describe(self) -> str:
        n = len(self.problems)
        if n == 1:
            place = self.problems[0].place
            where = place if place.startswith(self.file) else f"{self.file}, {place}"
            return f"{where}: {self.problems[0].problem}; nothing was built"
        head = f"{self.file}: {n} problems; nothing was built"
        return "\n".join([head, *(f"  - {p.line()}" for p in self.problems)])

    def __str__(self) -> str:
        return super().__str__() if len(self.problems) == 1 else self.describe()


@dataclass
class Report:
    """One report of compendium.yml: a notebook, its parameters and the report's name (already checked)."""

    output: str
    notebook: str
    title: str
    parameters: dict[str, Any] = field(default_factory=dict)
    inputs: list[str] = field(default_factory=list)
    show_code: bool = False


@dataclass
class AppendixEntry:
    """One entry of `appendices:`: a study, its min_cell and whether to add the evidence review."""

    study: str
    min_cell: int = 0
    review: bool = False

    @property
    def output(self) -> str:
        return f"appendix-{self.study}"

    @property
    def pdf(self) -> Path:
        return config.APPENDIX / self.study / f"{self.study}-appendix.pdf"


@dataclass
class Compendium:
    """A validated compendium.yml."""

    title: str
    reports: list[Report]
    appendices: list[AppendixEntry]


def load(path: Path | None = None) -> Compendium:
    """Read and validate compendium.yml; raise CompendiumSchemaError listing every problem."""
    path = Path(path or config.COMPENDIUM)
    label = relative_label(path)
    data = read_yaml(path, label)
    problems = structure_problems(data)
    if isinstance(data, dict):
        problems += entry_problems(data)
    problems.sort(key=problem_order)
    if problems:
        raise CompendiumSchemaError(label, "", f"{len(problems)} problem(s)",
                                    remedy="fix each listed entry and build again.", problems=problems)
    return Compendium(title=str(data.get("title") or "Reports"),
                      reports=[to_entry(e) for e in data.get("reports") or []],
                      appendices=[AppendixEntry(**{k: v for k, v in a.items() if v is not None})
                                  for a in data.get("appendices") or []])


def problem_order(problem: Problem) -> tuple[int, str, int]:
    """Sort problems top level first, then by section and entry number."""
    found = re.match(r"(\w+)\[(\d+)\]", problem.place)
    return (1, found.group(1), int(found.group(2))) if found else (0, problem.place, 0)


def relative_label(path: Path) -> str:
    """The file's name relative to the project, for messages."""
    try:
        return str(path.resolve().relative_to(config.ROOT))
    except ValueError:
        return str(path)


def read_yaml(path: Path, label: str) -> Any:
    """Parse the file, turning a missing file or bad YAML into a one-problem schema error."""
    try:
        return yaml_loader.read_yaml(path, label) or {}
    except FileNotFoundError:
        problem = Problem(label, "the file does not exist", "create compendium.yml at the project root")
    except yaml_loader.YamlError as exc:
        problem = Problem(f"{label}{f', line {exc.line}' if exc.line else ''}", exc.problem, exc.remedy.rstrip("."))
    raise CompendiumSchemaError(label, "", problem.problem, remedy=problem.remedy, problems=[problem])


def to_entry(entry: dict[str, Any]) -> Report:
    """A checked raw entry as a Report."""
    return Report(output=entry["output"], notebook=entry["notebook"], title=str(entry.get("title") or
                       entry["output"]), parameters=dict(entry.get("parameters") or {}),
                       inputs=list(entry.get("inputs") or []), show_code=bool(entry.get("show_code", False)))


# ----------------------------------------------------------------------------- structure

def structure_problems(data: Any) -> list[Problem]:
    """Every violation of the schema (pydantic, all errors collected), as problems naming the entry."""
    try:
        CompendiumModel.model_validate(data)
    except ValidationError as exc:
        return [schema_problem(error, data) for error in exc.errors()]
    return []


def schema_problem(error: dict[str, Any], data: Any) -> Problem:
    """Translate one pydantic error into a place, a problem and a remedy."""
    path = list(error["loc"])
    kind, value = error["type"], error.get("input")
    if kind == "extra_forbidden":
        known = known_keys(path[:-1])
        return Problem(place_of(path[:-1], data), f"unknown key {path[-1]!r}",
                       f"{suggest([str(path[-1])], known)}allowed keys here: {', '.join(known)}")
    if kind == "missing":
        return Problem(place_of(path[:-1], data), f"required key {path[-1]!r} is missing",
                       f"add '{path[-1]}:' to this entry")
    place = place_of(path, data)
    if kind == "string_pattern_mismatch" and path[-1] in ("output", "study"):
        return Problem(place, f"{path[-1]} {value!r} is not a plain name",
                       "start with a letter or digit, then use only letters, digits, '-' and '_' "
                       "(no '/', '..', spaces or dots)")
    if kind == "string_pattern_mismatch" and path[-1] == "notebook":
        return Problem(place, f"notebook {value!r} is not a notebook file name",
                       "name a .ipynb file directly under notebooks/, e.g. sample_tables.ipynb")
    if kind == "greater_than_equal":
        return Problem(place, f"{value!r} is below the minimum {error['ctx']['ge']}",
                       f"give a whole number >= {error['ctx']['ge']}")
    if kind.endswith("_type"):
        expected = {"string_type": "text", "int_type": "a whole number", "bool_type": "true or false",
                    "list_type": "a list", "dict_type": "a mapping", "model_type": "a mapping of keys"}.get(kind, kind)
        return Problem(place, f"{short(value)} is not {expected}", f"give {expected}")
    return Problem(place, error["msg"], "see the compendium.yml section of the README")


def known_keys(path: list[Any]) -> list[str]:
    """The keys allowed at a place in the document."""
    if not path:
        return TOP_KEYS
    return APPENDIX_KEYS if path[0] == "appendices" else REPORT_KEYS


def place_of(path: list[Any], data: Any) -> str:
    """'reports[3] (output-name), key' for a JSON path into the document (entries count from 1)."""
    if not path:
        return "top level"
    section = path[0]
    if len(path) == 1:
        return str(section)
    index = path[1]
    entry = (data.get(section) or [None] * (index + 1))[index] if isinstance(data, dict) else None
    label = entry_label(section, index, entry)
    rest = ".".join(str(p) for p in path[2:])
    return f"{label}{', ' + rest if rest else ''}"


def entry_label(section: str, index: int, entry: Any) -> str:
    """'reports[3] (name)' naming an entry by position and, when it has one, its output or study."""
    key = "study" if section == "appendices" else "output"
    name = entry.get(key) if isinstance(entry, dict) else None
    return f"{section}[{index + 1}]" + (f" ({name!r})" if isinstance(name, str) else "")


def suggest(unknown: list[str], known: list[str]) -> str:
    """'did you mean ...? ' for keys close to known ones, else ''."""
    hints = [f"'{u}' -> '{m[0]}'" for u in unknown if (m := difflib.get_close_matches(str(u), known, n=1))]
    return f"did you mean {', '.join(hints)}? " if hints else ""


def short(value: Any) -> str:
    """A value for a message, shortened."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# ----------------------------------------------------------------------------- entries

def entry_problems(data: dict[str, Any]) -> list[Problem]:
    """Duplicates, missing notebooks and folders, parameters the notebook does not declare or type."""
    problems = duplicate_problems(data.get("reports"), "reports", "output") if isinstance(
        data.get("reports"), list) else []
    if isinstance(data.get("appendices"), list):
        problems += duplicate_problems(data["appendices"], "appendices", "study")
        for i, entry in enumerate(data["appendices"]):
            if isinstance(entry, dict) and is_name(entry.get("study")):
                problems += study_folder_problems([entry["study"]], entry_label("appendices", i, entry))
    for i, entry in enumerate(data.get("reports") or [] if isinstance(data.get("reports"), list) else []):
        if isinstance(entry, dict):
            problems += report_problems(entry, entry_label("reports", i, entry))
    return problems


def duplicate_problems(entries: list[Any], section: str, key: str) -> list[Problem]:
    """Entries that repeat another entry's output (or study), also when only the case differs (one file on
    macOS and Windows), or that name a Windows device (CON, NUL, COM1, ...)."""
    seen: dict[str, tuple[int, str]] = {}
    problems = []
    for i, entry in enumerate(entries):
        name = entry.get(key) if isinstance(entry, dict) else None
        if not isinstance(name, str):
            continue
        if is_device_name(name):
            problems.append(Problem(entry_label(section, i, entry), f"{key} {name!r} is a name Windows reserves "
                                    "for a device", f"choose another {key}"))
        first = seen.get(name.casefold())
        if first is not None:
            twin = "" if first[1] == name else f" ({first[1]!r}) except for case"
            problems.append(Problem(entry_label(section, i, entry), f"{key} {name!r} repeats {section}[{first[0]}]"
                                    f"{twin}", f"give each entry its own {key}"))
        else:
            seen[name.casefold()] = (i + 1, name)
    return problems


def report_problems(entry: dict[str, Any], label: str) -> list[Problem]:
    """A report's notebook exists, its parameters are declared and typed, its inputs are safe globs."""
    notebook = entry.get("notebook")
    problems = [Problem(f"{label}, inputs", f"pattern {p!r} is not a relative path inside the project",
                        "give a glob relative to the project root without '..', e.g. data/extra.csv")
                for p in entry.get("inputs") or [] if isinstance(p, str) and not safe_glob(p)]
    if not isinstance(notebook, str) or not re.fullmatch(r"[A-Za-z0-9_-]+\.ipynb", notebook):
        return problems
    if not (config.NOTEBOOKS / notebook).is_file():
        return [*problems, Problem(f"{label}, notebook", f"no notebook {notebook!r} in notebooks/",
                                   f"name one of: {', '.join(available_notebooks()) or '(none)'}")]
    parameters = entry.get("parameters")
    if isinstance(parameters, dict):
        problems += parameter_problems(parameters, notebook, label)
    return problems


def available_notebooks() -> list[str]:
    """The notebooks a report may name."""
    return sorted(p.name for p in config.NOTEBOOKS.glob("*.ipynb"))


def parameter_problems(parameters: dict[str, Any], notebook: str, label: str) -> list[Problem]:
    """Each parameter is declared by the notebook, not reserved, of the declared type; studies exist."""
    declared = declared_parameters(config.NOTEBOOKS / notebook)
    names = [n for n in declared if n not in RESERVED_PARAMETERS]
    problems = []
    for name, value in parameters.items():
        place = f"{label}, parameters.{name}"
        if name in RESERVED_PARAMETERS:
            problems.append(Problem(place, f"'{name}' may not be set here: {RESERVED_PARAMETERS[name]}",
                                    f"remove '{name}'"))
        elif name not in declared:
            problems.append(Problem(place, f"notebooks/{notebook} declares no parameter {name!r}",
                                    f"{suggest([str(name)], names)}its parameters are: {', '.join(names)}"))
        else:
            problems += value_problems(value, declared[name], place)
    studies = study_values(parameters)
    bad = [s for s in studies if not is_name(s)]
    problems += [Problem(f"{label}, parameters", f"study id {short(s)} is not a plain name",
                         "use a folder name of data/raw/ (letters, digits, '-' and '_')") for s in bad]
    problems += study_folder_problems([s for s in studies if is_name(s)], f"{label}, parameters")
    return problems


def value_problems(value: Any, default: Any, place: str) -> list[Problem]:
    """A parameter value that does not fit the type of the notebook's default."""
    expected = type_name(default)
    if fits(value, default):
        return []
    return [Problem(place, f"{short(value)} is a {type_name(value)}, the notebook expects {expected}",
                    f"give a {expected} (the notebook's default is {short(default)})")]


def fits(value: Any, default: Any) -> bool:
    """True when a YAML value can stand where the notebook has this default."""
    if default is None:
        return value is None or isinstance(value, (str, int, float, bool)) or (
            isinstance(value, list) and all(isinstance(v, (str, int, float, bool)) for v in value))
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str)
    if isinstance(default, (list, tuple)):
        kinds = {type(v) for v in default}
        return isinstance(value, list) and (len(kinds) != 1 or all(fits(v, default[0]) for v in value))
    if isinstance(default, dict):
        return isinstance(value, dict)
    return True


def type_name(value: Any) -> str:
    """A readable type name ('text', 'whole number', 'list of text', ...)."""
    names = {bool: "true/false", int: "whole number", float: "number", str: "text", dict: "mapping",
             type(None): "null"}
    if isinstance(value, (list, tuple)):
        inner = {names.get(type(v), type(v).__name__) for v in value}
        return f"list of {inner.pop()}" if len(inner) == 1 else "list"
    return names.get(type(value), type(value).__name__)


def study_values(parameters: dict[str, Any]) -> list[Any]:
    """The study ids a report's parameters name (study, studies)."""
    values = [parameters["study"]] if parameters.get("study") is not None else []
    studies = parameters.get("studies")
    return values + (list(studies) if isinstance(studies, list) else [])


def study_folder_problems(studies: list[str], place: str) -> list[Problem]:
    """Study ids without a folder under data/raw/."""
    return [Problem(place, f"study {s!r} has no folder data/raw/{s}/",
                    "import the study first (`icevidence import`) or correct the id")
            for s in studies if not (config.RAW / s / "study.yml").is_file()]


def safe_glob(pattern: str) -> bool:
    """A relative glob that cannot leave the project root."""
    pure = PurePosixPath(pattern.replace("\\", "/"))
    return bool(pattern) and not pure.is_absolute() and ".." not in pure.parts and ":" not in pattern


# ----------------------------------------------------------------------------- notebook declarations

def declared_parameters(notebook: Path) -> dict[str, Any]:
    """The notebook's parameters and their default values (None when a default is not a literal).

    Read like ``papermill.inspect_notebook`` (the top-level assignments of the cell tagged
    ``parameters``; tests/security checks they agree) but without importing papermill, whose
    imports (nbformat, jsonschema) cost seconds that a warm build must not pay.
    """
    return dict(_declared(str(notebook), notebook.stat().st_mtime_ns))


@lru_cache(maxsize=32)
def _declared(path: str, mtime: int) -> tuple[tuple[str, Any], ...]:
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells") or []
    source = next(("".join(c.get("source") or "") for c in cells
                   if c.get("cell_type") == "code" and "parameters" in (c.get("metadata") or {}).get("tags", [])), "")
    out = []
    for node in ast.parse(source).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else getattr(
            node, "target", None) if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and getattr(node, "value", None) is not None:
            try:
                default = ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                default = None
            out.append((target.id, default))
    return tuple(out)


def declared_input_patterns(notebook: Path) -> list[str]:
    """The input globs a notebook declares in its metadata (icevidence.inputs)."""
    meta = json.loads(notebook.read_text(encoding="utf-8")).get("metadata") or {}
    patterns = (meta.get("icevidence") or {}).get("inputs") or []
    return [p for p in patterns if isinstance(p, str)]


def expand_pattern(pattern: str, parameters: dict[str, Any]) -> list[str]:
    """A pattern with its {name} placeholders filled from the parameters (one per list element)."""
    fields = [f for _, f, _, _ in string.Formatter().parse(pattern) if f]
    results = [pattern]
    for name in fields:
        value = parameters.get(name)
        values = value if isinstance(value, list) else [] if value is None else [value]
        values = [str(v) for v in values if is_name(str(v))]
        results = [r.replace("{" + name + "}", v) for r in results for v in values]
    return results


def notebook_inputs(notebook: Path, parameters: dict[str, Any], extra: list[str] = ()) -> list[Path]:
    """The files a report reads: the notebook's declared globs (filled in) plus any extra globs."""
    values = {**dict(declared_parameters(notebook)), **parameters}
    patterns = [p for pattern in declared_input_patterns(notebook) for p in expand_pattern(pattern, values)]
    patterns += [p for p in extra if safe_glob(p)]
    root = config.ROOT.resolve()
    found = {p.resolve() for pattern in patterns if safe_glob(pattern) for p in config.ROOT.glob(pattern)
             if p.is_file()}
    return sorted(p for p in found if root in p.parents)
