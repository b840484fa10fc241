"""The conda environment.yml pins the same versions as requirements.lock."""
from __future__ import annotations

import re

import yaml

from icevidence.model import config


def read_lock() -> dict[str, str]:
    pins = {}
    for line in config.LOCK.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if match:
            pins[match[1].lower().replace("_", "-")] = match[2]
    return pins


def test_environment_yml_pins_agree_with_the_lock_file():
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    lock = read_lock()
    pinned = [p for p in pip_section if "==" in p]
    assert pinned, "environment.yml pins nothing"
    disagreements = {name: (version, lock.get(name.lower()))
                     for name, version in (p.split("==") for p in pinned) if lock.get(name.lower()) != version}
    assert not disagreements, f"environment.yml vs requirements.lock: {disagreements}"


def test_every_direct_dependency_is_pinned_in_the_lock():
    project = (config.ROOT / "pyproject.toml").read_text()
    direct = re.findall(r'"([A-Za-z0-9_.-]+)==([^"]+)"', project)
    lock = read_lock()
    assert direct and all(lock.get(n.lower()) == v for n, v in direct)
