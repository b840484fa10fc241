"""`icevidence archive`: one deterministic zip with RO-Crate metadata (read back by rocrate) and .zenodo.json."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from icevidence.build import archive
from icevidence.model import config
from icevidence.model.errors import ConfigError


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """A small built-reports folder (an index, a report, a table, a cache file that must stay out)."""
    folder = tmp_path_factory.mktemp("reports")
    (folder / "index.html").write_text("<html>index</html>", encoding="utf-8")
    (folder / "r.html").write_text("<html>report</html>", encoding="utf-8")
    (folder / "tables" / "r").mkdir(parents=True)
    (folder / "tables" / "r" / "n.csv").write_text("n\n1\n", encoding="utf-8")
    (folder / ".cache").mkdir()
    (folder / ".cache" / "r.json").write_text("{}", encoding="utf-8")
    return folder


def run_archive(reports: Path, out: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICEVIDENCE_REPORTS": str(reports)}
    return subprocess.run([sys.executable, "-m", "icevidence", "archive", "--out", str(out)], env=env,
                          capture_output=True, text=True, cwd=config.ROOT)


@pytest.fixture(scope="module")
def zips(reports, tmp_path_factory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("zips")
    for name in ("first.zip", "second.zip"):
        done = run_archive(reports, out / name)
        assert done.returncode == 0, done.stdout + done.stderr
    return out / "first.zip", out / "second.zip"


@pytest.fixture(scope="module")
def crate(zips, tmp_path_factory):
    from rocrate.rocrate import ROCrate
    folder = tmp_path_factory.mktemp("crate")
    zipfile.ZipFile(zips[0]).extractall(folder)
    return ROCrate(folder)


def test_two_archives_of_the_same_inputs_are_the_same_bytes(zips):
    first, second = zips
    assert first.read_bytes() == second.read_bytes()


def test_the_archive_holds_data_notebooks_source_environment_reports_and_metadata(zips):
    names = set(zipfile.ZipFile(zips[0]).namelist())
    expected = {"CITATION.cff", "LICENSE", "environment.yml", "requirements.lock", "postBuild",
                "ro-crate-metadata.json", ".zenodo.json", "data/raw/tracy2025/segments.csv",
                "notebooks/theme_matrix.ipynb", "src/icevidence/build/archive.py", "reports/index.html",
                "reports/tables/r/n.csv"}
    assert expected <= names
    assert not any("__pycache__" in n or n.startswith("reports/.cache") for n in names)


def test_members_carry_no_clock_and_the_same_permissions(zips):
    infos = zipfile.ZipFile(zips[0]).infolist()
    assert {i.date_time for i in infos} == {archive.ZIP_TIME} and {i.external_attr >> 16 for i in infos} == {0o100644}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)


def test_rocrate_reads_the_crate_back_with_every_member_described(crate, zips):
    described = {e.id for e in crate.data_entities}
    names = set(zipfile.ZipFile(zips[0]).namelist()) - {"ro-crate-metadata.json"}
    assert names <= described


def test_every_data_file_has_its_studys_licence_and_format(crate):
    studies = {p.parent.name: yaml.safe_load(p.read_text()) for p in (config.RAW).glob("*/study.yml")}
    data = [e for e in crate.data_entities if e.id.startswith("data/")]
    assert data and all(e.get("license") and e.get("encodingFormat") and e.get("description") for e in data)
    for entity in (e for e in data if e.id.startswith("data/raw/")):
        licence = crate.dereference(entity["license"].id)
        assert licence["name"] == " ".join(str(studies[entity.id.split("/")[2]]["licence"]).split())


def test_the_papers_the_data_come_from_are_cited(crate):
    cited = {c.id for c in crate.root_dataset["citation"]}
    assert "https://doi.org/10.1192/bjo.2025.10841" in cited
    assert crate.dereference("https://doi.org/10.1192/bjo.2025.10841")["license"].id.startswith(
        "https://creativecommons.org/licenses/by/4.0")
    segments = crate.dereference("data/raw/tracy2025/segments.csv")
    assert segments["isBasedOn"].id == "https://doi.org/10.1192/bjo.2025.10841"


def test_zenodo_metadata_is_derived_from_citation_cff(zips):
    zenodo = json.loads(zipfile.ZipFile(zips[0]).read(".zenodo.json"))
    cff = yaml.safe_load((config.ROOT / "CITATION.cff").read_text())
    assert zenodo["title"] == cff["title"] and zenodo["version"] == str(cff["version"]) and zenodo["license"] == "MIT"
    dois = {r["identifier"] for r in zenodo["related_identifiers"]}
    assert dois == {f"https://doi.org/{r['doi']}" for r in cff["references"] if r.get("doi")}


def test_an_archive_without_built_reports_is_refused_with_the_remedy(tmp_path):
    with pytest.raises(ConfigError, match="make report"):
        archive.build_archive(tmp_path / "x.zip", reports=tmp_path)


def test_a_licence_the_crate_does_not_know_keeps_its_stated_name():
    entity = archive.licence_entity("not stated (facts only, no text reproduced)")
    assert entity["@id"].startswith("#licence-not-stated") and entity["name"].startswith("not stated")
    assert archive.licence_entity("CC0 1.0 (generated)")["@id"] == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_the_makefile_target_runs_the_archive_command():
    makefile = (config.ROOT / "Makefile").read_text()
    assert re.search(r"^archive: \$\(STAMP\)[^\n]*\n\t\$\(BIN\)/icevidence archive$", makefile, re.M)
