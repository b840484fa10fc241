"""Synthetic projects: valid REFI-QDA, deterministic bytes, the asked-for sizes, tier skew."""
from __future__ import annotations

import subprocess
import sys
import zipfile

from lxml import etree

from icevidence.io import read_export
from icevidence.io.refi_qda import PROJECT_XSD, load_schema
from icevidence.io.synth import SynthSpec, write_synthetic_qdpx

SPEC = SynthSpec(participants=40, segments=1500, codes=50, seed=3)


def test_same_seed_gives_the_same_bytes(tmp_path):
    first = write_synthetic_qdpx(SPEC, tmp_path / "a.qdpx").read_bytes()
    assert write_synthetic_qdpx(SPEC, tmp_path / "b.qdpx").read_bytes() == first


def test_another_seed_gives_another_project(tmp_path):
    first = write_synthetic_qdpx(SPEC, tmp_path / "a.qdpx").read_bytes()
    other = SynthSpec(SPEC.participants, SPEC.segments, SPEC.codes, seed=4)
    assert write_synthetic_qdpx(other, tmp_path / "b.qdpx").read_bytes() != first


def test_project_validates_against_the_refi_schema(tmp_path):
    path = write_synthetic_qdpx(SPEC, tmp_path / "a.qdpx")
    project = etree.fromstring(zipfile.ZipFile(path).read("project.qde"))
    schema = load_schema(PROJECT_XSD)
    assert schema.validate(project), schema.error_log


def test_import_gives_the_asked_for_sizes_and_three_levels(tmp_path):
    study = read_export(write_synthetic_qdpx(SPEC, tmp_path / "a.qdpx"))
    assert (len(study.participants), len(study.codes), len(study.segments)) == (40, 50, 1500)
    assert set(study.codes["level"]) == {"overarching", "main", "sub"}
    assert set(study.participants["tier"]) == {"micro", "meso", "macro"}


def test_coded_text_is_the_selected_sentence(tmp_path):
    study = read_export(write_synthetic_qdpx(SPEC, tmp_path / "a.qdpx"))
    texts = study.segments["text"]
    assert texts.str.match(r"^[A-Z][a-z ]+\.$").all()


def test_code_frequencies_depend_on_the_tier(tmp_path):
    study = read_export(write_synthetic_qdpx(SynthSpec(200, 20000, 40, seed=5), tmp_path / "a.qdpx"))
    shares = study.segments.groupby("tier")["code_id"].value_counts(normalize=True).unstack(fill_value=0)
    assert (shares.loc["micro"] - shares.loc["macro"]).abs().max() > 0.05


def test_cli_writes_the_project(tmp_path):
    out = tmp_path / "s.qdpx"
    done = subprocess.run([sys.executable, "-m", "icevidence", "synth", "--participants", "5", "--segments", "50",
                           "--codes", "10", "--seed", "1", "--out", str(out)], capture_output=True, text=True)
    assert done.returncode == 0 and zipfile.is_zipfile(out)
