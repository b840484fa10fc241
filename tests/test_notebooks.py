"""Every notebook is thin and stored clean: code cells of at most six logic lines, cell ids, no outputs."""
from __future__ import annotations

import nbformat
import pytest

from icevidence.model import config

NOTEBOOKS = sorted((config.ROOT / "notebooks").glob("*.ipynb"))
MAX_LOGIC_LINES = 6


def logic_lines(source: str) -> list[str]:
    """Lines that do something: not blank, not a comment, not a lone closing bracket."""
    return [line for line in source.splitlines()
            if line.strip() and not line.strip().startswith("#") and line.strip() not in {")", "]", "}", "),", "],"}]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 7


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_code_cell_has_at_most_six_logic_lines(path):
    notebook = nbformat.read(path, as_version=4)
    long = [(i, len(logic_lines(c.source))) for i, c in enumerate(notebook.cells)
            if c.cell_type == "code" and "parameters" not in c.metadata.get("tags", [])
            and len(logic_lines(c.source)) > MAX_LOGIC_LINES]
    assert long == [], f"{path.name}: cells (index, logic lines) over {MAX_LOGIC_LINES}: {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_with_cell_ids(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all(c.get("id") for c in notebook.cells)
    nbformat.validate(notebook)
