"""The files Binder (repo2docker) reads install the package and register the kernel the notebooks name."""
from __future__ import annotations

import json
import re

import yaml

from icevidence.model import config


def notebook_kernels() -> set[tuple[str, str]]:
    """(name, display name) of the kernel each notebook asks for."""
    specs = [json.loads(p.read_text())["metadata"]["kernelspec"] for p in config.NOTEBOOKS.glob("*.ipynb")]
    return {(s["name"], s["display_name"]) for s in specs}


def test_post_build_registers_the_kernel_every_notebook_names():
    post_build = (config.ROOT / "postBuild").read_text()
    registered = re.findall(r'ipykernel install --sys-prefix --name (\S+) --display-name "([^"]+)"', post_build)
    assert len(notebook_kernels()) == 1 and set(registered) == notebook_kernels()


def test_post_build_is_executable_and_stops_on_error():
    post_build = config.ROOT / "postBuild"
    assert post_build.stat().st_mode & 0o111 and "set -euo pipefail" in post_build.read_text()


def test_the_makefile_registers_the_same_kernel():
    makefile = (config.ROOT / "Makefile").read_text()
    name = re.search(r"^KERNEL := (\S+)", makefile, re.M)[1]
    display = re.search(r'--display-name "([^"]+)"', makefile)[1]
    assert {(name, display)} == notebook_kernels()


def test_environment_yml_installs_the_package_for_binder():
    env = yaml.safe_load((config.ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section and "ipykernel==" in " ".join(pip_section)
