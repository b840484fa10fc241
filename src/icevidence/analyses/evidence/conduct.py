"""conduct.yml: how the study was done, as the paper tells it, read by hand with the paper's words.

Four lists, each record with `id`, `location` and `text` (the paper's words):

* `sampling_aims` — what the sampling aimed at: `attribute`, `values`, `aim` (`equal`: the values in
  equal numbers), checked against the counts the paper states;
* `anonymisation` — what the paper says it withholds: `withholds` (`site`: `names` the site names a
  reader must not find in the quotes; `profession`: `names` the profession words an editorial
  insertion must not reveal of a speaker; `participant`: quote IDs must not link to participant-table
  rows);
* `interviewers` — who did the interviews: `names`, and `covers` (`all`, or a site);
* `shares_interviews` — another study holding the same interviews: `study`, `site` (this study's
  site whose interviews the other study holds, all of them), `values` (this study's attribute
  values as the other study spells them) and `reason`.
"""
from __future__ import annotations

from typing import Any

from ...model import config
from ...model.errors import ConfigError
from ...model.study import Study
from ...model.yaml_loader import read_yaml

CONDUCT_FILE = "conduct.yml"
SECTIONS: dict[str, list[str]] = {
    "sampling_aims": ["id", "location", "text", "attribute", "values", "aim"],
    "anonymisation": ["id", "location", "text", "withholds"],
    "interviewers": ["id", "location", "text", "names", "covers"],
    "shares_interviews": ["study", "site", "location", "reason"],
}
AIMS = ["equal"]
WITHHELD = ["site", "profession", "participant"]


def conduct_path(study: Study) -> object:
    """Where a study's conduct.yml lives."""
    return (study.folder or config.study_dir(study.id)) / CONDUCT_FILE


def read_conduct(study: Study) -> dict[str, list[dict[str, Any]]]:
    """The study's conduct.yml as lists of records (every list empty when the study has none), validated."""
    path = conduct_path(study)
    if not path.is_file():
        return {name: [] for name in SECTIONS}
    data = read_yaml(path) or {}
    if not isinstance(data, dict):
        raise ConfigError(str(path), "", "is not a mapping of lists", remedy=f"use the keys {list(SECTIONS)}.")
    validate_conduct(data, str(path))
    return {name: list(data.get(name) or []) for name in SECTIONS}


def validate_conduct(data: dict[str, Any], file: str) -> None:
    """Raise one ConfigError naming every unknown list, record with a missing field or value outside its list."""
    problems = [f"unknown list {k!r}" for k in data if k not in SECTIONS]
    for name, fields in SECTIONS.items():
        records = data.get(name) or []
        if not isinstance(records, list):
            problems.append(f"{name} is not a list")
            continue
        for n, record in enumerate(records, start=1):
            missing = [f for f in fields if not isinstance(record, dict) or f not in record]
            if missing:
                problems.append(f"{name} #{n} lacks {', '.join(missing)}")
            elif name == "sampling_aims" and record["aim"] not in AIMS:
                problems.append(f"{name} #{n} has aim {record['aim']!r}")
            elif name == "anonymisation" and record["withholds"] not in WITHHELD:
                problems.append(f"{name} #{n} withholds {record['withholds']!r}")
    if problems:
        raise ConfigError(file, "", "; ".join(problems),
                          remedy="give each record the fields data/README.md lists for conduct.yml, an aim from "
                                 f"{AIMS} and a withheld item from {WITHHELD}.")
