"""Every QDA matrix written whole (the `icevidence matrices` command); the report's notebook stays thin."""
from __future__ import annotations

import json

import pandas as pd

from icevidence.model import config
from icevidence.present.views import qda_matrices as qm

NOTEBOOK = config.ROOT / "notebooks" / "qda_matrices.ipynb"


def test_the_full_tables_are_written(mini, tmp_path, monkeypatch):
    monkeypatch.setattr(config, "TABLES", tmp_path)
    paths = qm.write_all_matrices(mini, "main", "references", "participant_id")
    assert [p.name for p in paths] == ["codes_by_cases.csv", "codes_by_cases_column_percent.csv", "cooccurrence.csv",
                                       "framework_matrix.csv", "framework_matrix.xlsx"]
    assert all(p.parent == tmp_path / "mini-qda-matrices" for p in paths)
    assert pd.read_csv(paths[0], index_col=0).loc["Main X", "G1P1"] == 1
    assert pd.read_csv(paths[1], index_col=0).loc["Main X", "G1P1 %"] == 100.0


def test_the_notebook_is_thin_with_ids_and_no_outputs():
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    logic = [sum(1 for line in "".join(c["source"]).splitlines() if line.strip() and not line.strip().startswith("#"))
             for c in code if "parameters" not in c["metadata"].get("tags", [])]
    assert max(logic) <= 6 and all(c.get("id") for c in cells) and not any(c["outputs"] for c in code)
