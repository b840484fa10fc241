"""The one YAML reader: PyYAML's SafeLoader with bounds, so no file can exhaust memory, recurse or hide a key.

Every YAML file the compendium reads (study.yml, compendium.yml, ``--config``, claims.yml,
coreq.yml, CITATION.cff) goes through ``read_yaml``. On top of SafeLoader (no Python objects):

* aliases: at most MAX_ALIASES references, at most MAX_NODES nodes once every alias is expanded,
  and no alias inside the node it names (a billion-laughs file is refused before it is built);
* nesting: at most MAX_DEPTH levels of mappings and sequences (never a RecursionError);
* duplicate keys in one mapping are refused naming both lines (YAML forbids them; PyYAML would
  keep the last silently);
* the file: at most MAX_BYTES, UTF-8.

Every refusal is a YamlError (a ConfigError) naming the file and line, with the remedy.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

MAX_ALIASES = 100
MAX_NODES = 100_000
MAX_DEPTH = 64
MAX_BYTES = 10 * 1024**2
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class YamlError(ConfigError):
    """A YAML file that cannot be read, or that breaks a bound; names the file and the line."""

    line: int | None = None

    def describe(self) -> str:
        where = f", line {self.line}" if self.line else ""
        return f"{self.file}{where}: {self.problem}"


class BoundBroken(yaml.MarkedYAMLError):
    """Raised inside the loader when the document breaks a bound; carries the place and the remedy."""

    def __init__(self, problem: str, mark: Any, remedy: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.remedy = remedy


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader counting aliases and nesting while it composes, and refusing duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0
        self.depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing too many aliases or nesting deeper than MAX_DEPTH."""
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise BoundBroken(f"more than {MAX_ALIASES} aliases (*name)", self.peek_event().start_mark,
                                  "write the values out instead of repeating them by alias.")
            return super().compose_node(parent, index)
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise BoundBroken(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark,
                                  "flatten the structure; no compendium file needs such nesting.")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def get_single_node(self) -> Any:
        """The document's node, after checking its size with every alias expanded."""
        node = super().get_single_node()
        if node is not None:
            check_expanded_size(node)
        return node

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        """A mapping, refusing a key written twice (merge keys '<<' excepted)."""
        if isinstance(node, yaml.MappingNode):
            refuse_duplicate_keys(self, node)
        return super().construct_mapping(node, deep=deep)


def refuse_duplicate_keys(loader: BoundedLoader, node: yaml.MappingNode) -> None:
    """Raise naming the line of a key that appears twice in one mapping, and the line of its first use."""
    first: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == MERGE_TAG or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in first:
            raise BoundBroken(f"duplicate key {key!r} (first at line {first[key]})", key_node.start_mark,
                              "keep one of the two entries; YAML allows each key once per mapping.")
        first[key] = line


def check_expanded_size(root: Any) -> None:
    """Refuse a node graph larger than MAX_NODES once aliases are expanded, or an alias inside its own node."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            open_nodes.discard(id(node))
            sizes[id(node)] = 1 + sum(sizes[id(child)] for child in children(node))
            if sizes[id(node)] > MAX_NODES:
                raise BoundBroken(f"more than {MAX_NODES} values once its aliases are expanded",
                                  node.start_mark, "write the values out instead of repeating them by alias.")
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            raise BoundBroken("an alias refers to the node that contains it", node.start_mark,
                              "remove the self-reference.")
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children(node) if id(child) not in sizes)


def children(node: Any) -> list[Any]:
    """The nodes directly inside a node (a mapping's keys and values)."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML text within the bounds; raise YamlError naming file and line."""
    try:
        return yaml.load(text, Loader=BoundedLoader)  # noqa: S506 - BoundedLoader is a SafeLoader
    except BoundBroken as exc:
        raise YamlError(file, "", exc.problem, remedy=exc.remedy, line=line_of(exc)) from None
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(file, "", f"not valid YAML ({problem})", remedy="fix the YAML syntax at that line.",
                        line=line_of(exc)) from None
    except RecursionError:
        raise YamlError(file, "", "nested too deeply to read", remedy="flatten the structure.") from None


def line_of(exc: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, if it says."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def read_yaml(path: Path, label: str | None = None) -> Any:
    """Read a UTF-8 YAML file of at most MAX_BYTES within the bounds; ``label`` names it in messages."""
    path = Path(path)
    file = label or str(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlError(file, "", f"{size} bytes; a compendium YAML file holds at most {MAX_BYTES}",
                        remedy="check it is the right file.")
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(file, "", f"not UTF-8 text (byte {exc.start})", remedy="save the file as UTF-8.",
                        line=data[:exc.start].count(b"\n") + 1) from None
    return load_yaml(text, file)
