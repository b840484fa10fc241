"""Helpers shared by the evidence-review tests: constructed claims, extra segments, a second study."""
from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pandas as pd
import pytest
import yaml

from icevidence import load_study
from icevidence.model import config
from icevidence.model.study import Study

FIXTURES = Path(__file__).parent / "fixtures"
SEGMENT_HEADER = "segment_id,participant_id,code_id,text,location,attribution_raw,attribution_status,tier,note\n"
SEEDS = {"tracy2025": "000_bc6a56c2d9eae06c.txt", "mitchell2020": "003_e6c53b2672bf410f.txt",
         "mitchell2023": "004_0fb97a56346d1e68.txt"}


def claim(**fields) -> dict:
    """A claims.yml record with defaults for the fields a test does not care about."""
    return {"id": "C-1", "location": "Results, para 1", "section": "Results", "text": "Staff said so.",
            "codes": ["a.x"], "quantifier": "some", "scope": "participants", "groups": [], "quotes": [],
            "content": "states", "content_reason": "the quote says so", "note": "", **fields}


def with_segments(folder: Path, rows: str) -> Study:
    """The mini study (copied to folder) with extra segment rows appended."""
    path = folder / "segments.csv"
    table = pd.read_csv(path, dtype=str)
    extra = pd.read_csv(StringIO(SEGMENT_HEADER + rows), dtype=str)
    pd.concat([table, extra], ignore_index=True).to_csv(path, index=False)
    return load_study(folder.name, root=folder.parent)


def with_file(folder: Path, name: str, content: object) -> Study:
    """The mini study (copied to folder) with one more file: YAML for dicts and lists, else text."""
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    (folder / name).write_text(text, encoding="utf-8")
    return load_study(folder.name, root=folder.parent)


def second_study(tmp_path: Path, name: str, rows: str) -> Study:
    """A copy of the mini study under another id, with the given segments only."""
    folder = tmp_path / name
    shutil.copytree(FIXTURES / "studies" / "mini", folder)
    meta = yaml.safe_load((folder / "study.yml").read_text())
    (folder / "study.yml").write_text(yaml.safe_dump({**meta, "id": name}))
    (folder / "segments.csv").write_text(SEGMENT_HEADER + rows)
    return load_study(name, root=tmp_path)


def seed_text(study: str) -> str:
    """The text of a paper's seed file, or skip saying where the seeds live."""
    path = config.SHARED / "seeds" / SEEDS[study]
    if not path.is_file():
        pytest.skip(f"{path} is absent: the seed papers live in ../shared/seeds (see tests/fixtures/SOURCES.md)")
    return path.read_text(encoding="utf-8")


def words(text: str) -> str:
    """A text's words, lower case, one space apart (quote marks, dashes and breaks ignored)."""
    import re
    return " ".join(re.findall(r"[a-z0-9]+", str(text).casefold().replace("’", "'")))
