"""The package is the pipeline: build/ -> present/ -> analyses/ -> io/ -> model/, imports only pointing down.

Read from the source with ``ast`` (nothing is imported), so a violation names the file and line.
Also checks the single homes of the shared rules (escaping, workbooks, atomic renames, suppression).
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "icevidence"
LAYERS = ["model", "io", "analyses", "present", "build"]  # lowest first
TOP_LEVEL_ALLOWED = {"__init__.py", "__main__.py"}
MAX_DEPTH = 7


def module_name(path: Path) -> str:
    """Dotted module name of a file under src/icevidence."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    """Every Python file of the package."""
    return sorted(PACKAGE.rglob("*.py"))


def resolve(importer: str, is_package: bool, node: ast.ImportFrom | ast.Import) -> list[str]:
    """The icevidence modules an import statement names (absolute), or [] for third-party imports."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name.split(".")[0] == "icevidence"]
    if node.level == 0:
        base = node.module or ""
        if base.split(".")[0] != "icevidence":
            return []
    else:
        parts = importer.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    names = [f"{base}.{alias.name}" for alias in node.names]
    return [name if (PACKAGE.parent / Path(*name.split("."))).with_suffix(".py").exists()
            or (PACKAGE.parent / Path(*name.split("."))).is_dir() else base for name in names]


def imports_of(path: Path, top_level_only: bool) -> list[tuple[int, str]]:
    """(line, module) of each icevidence import in a file; top-level ones only when asked."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    name, is_package = module_name(path), path.name == "__init__.py"
    found = []
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += [(node.lineno, target) for target in resolve(name, is_package, node)]
    return found


def layer_of(module: str) -> int | None:
    """Index of a module's layer in LAYERS, or None for the package's own __init__/__main__."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_only_init_and_main_sit_at_the_top_of_the_package():
    stray = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in TOP_LEVEL_ALLOWED)
    assert stray == [], f"modules directly in src/icevidence/ (move each into its layer): {stray}"


def test_every_subpackage_is_a_layer():
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    assert set(folders) <= set(LAYERS), f"folders that are not layers: {set(folders) - set(LAYERS)}"


def test_no_import_points_up_a_layer():
    upward = []
    for path in source_files():
        own = layer_of(module_name(path))
        for line, target in imports_of(path, top_level_only=False):
            theirs = layer_of(target)
            if own is not None and theirs is not None and theirs > own:
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {target}")
    assert upward == [], "imports running up a layer:\n" + "\n".join(upward)


@functools.cache
def module_graph() -> dict[str, set[str]]:
    """Module -> modules it imports at load time (top-level statements)."""
    graph = {module_name(p): set() for p in source_files()}
    for path in source_files():
        graph[module_name(path)] = {t for _, t in imports_of(path, top_level_only=True)
                                    if t in graph and t != module_name(path)}
    return graph


def test_module_imports_have_no_cycle():
    graph, state, cycles = module_graph(), {}, []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else nxt)
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert cycles == [], "import cycles:\n" + "\n".join(cycles)


def test_import_chain_is_at_most_seven_levels_deep():
    graph = module_graph()

    @functools.cache
    def depth(node: str) -> int:
        return 1 + max((depth(n) for n in graph[node]), default=0)

    deepest = max(graph, key=depth)
    assert depth(deepest) <= MAX_DEPTH, f"{deepest} is {depth(deepest)} import levels deep"


def files_containing(needle: str) -> set[str]:
    """Package files (relative paths) whose source contains ``needle``."""
    return {str(p.relative_to(PACKAGE)) for p in source_files() if needle in p.read_text(encoding="utf-8")}


@pytest.mark.parametrize(("needle", "home"), [
    ("html.escape", {"present/escape.py"}),
    ("Workbook(", {"present/xlsx.py"}),
    ("os.replace", {"model/atomic.py"}),
])
def test_shared_rule_lives_in_one_module(needle, home):
    assert files_containing(needle) <= home, f"{needle} outside {home}: {files_containing(needle) - home}"


def mentions_min_cell(node: ast.AST) -> bool:
    """True when an expression reads a name or attribute called min_cell."""
    return any(isinstance(n, ast.Name) and n.id == "min_cell" or isinstance(n, ast.Attribute) and n.attr == "min_cell"
               for n in ast.walk(node))


def compares_counts_with_min_cell(node: ast.AST) -> bool:
    """A comparison of something other than a constant against min_cell (``counts < min_cell``), or ``.lt(min_cell)``."""
    if isinstance(node, ast.Compare):
        sides = [node.left, *node.comparators]
        return any(mentions_min_cell(s) for s in sides) and any(
            not isinstance(s, ast.Constant) and not mentions_min_cell(s) for s in sides)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"lt", "le", "gt", "ge"} and any(mentions_min_cell(a) for a in node.args))


def test_suppression_masks_are_computed_only_in_suppression_module():
    places = [f"{p.relative_to(PACKAGE)}:{node.lineno}" for p in source_files()
              for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))) if compares_counts_with_min_cell(node)]
    homes = ("analyses/suppression.py:", "analyses/disclosure.py:")  # cells hidden; participant tables withheld
    assert all(place.startswith(homes) for place in places), \
        f"counts compared with min_cell outside {homes}: {places}"
