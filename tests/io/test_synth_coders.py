"""Synthetic multi-coder projects (`icevidence synth --coders N --agreement P`) and the shipped synthcoders study."""
from __future__ import annotations

import subprocess
import sys

import pytest

from icevidence.analyses.agreement import agreement
from icevidence.io import read_export
from icevidence.io.importer import import_export
from icevidence.io.synth import SynthSpec, write_synthetic_qdpx
from icevidence.model import config

SHIPPED = config.RAW / "synthcoders"
# The command documented in data/raw/synthcoders/README.md.
SHIPPED_SPEC = SynthSpec(participants=8, segments=400, codes=30, seed=12, coders=2, agreement=0.8)


def project(tmp_path, agreement_p: float, coders: int = 2, seed: int = 1):
    spec = SynthSpec(participants=10, segments=600, codes=30, seed=seed, coders=coders, agreement=agreement_p)
    return read_export(write_synthetic_qdpx(spec, tmp_path / f"p{agreement_p}-{coders}-{seed}.qdpx"))


def test_each_coder_has_a_name_and_codes_the_same_transcripts(tmp_path):
    study = project(tmp_path, 0.9, coders=3)
    assert sorted(study.segments["coder"].unique()) == ["Coder A", "Coder B", "Coder C"]
    assert study.segments.groupby("coder")["document"].nunique().eq(10).all()


def test_same_seed_gives_the_same_bytes(tmp_path):
    spec = SynthSpec(5, 100, 10, seed=2, coders=2, agreement=0.7)
    first = write_synthetic_qdpx(spec, tmp_path / "a.qdpx").read_bytes()
    assert write_synthetic_qdpx(spec, tmp_path / "b.qdpx").read_bytes() == first


def test_probability_one_gives_perfect_segment_agreement(tmp_path):
    overall = agreement(project(tmp_path, 1.0), unit="segment", replicates=0).overall
    assert (overall["alpha"], overall["percent agreement"]) == (1.0, 100.0)


def test_share_of_codings_both_coders_kept_is_p_over_two_minus_p(tmp_path):
    overall = agreement(project(tmp_path, 0.8), unit="segment", level="sub", replicates=0).overall
    assert overall["percent agreement where coded"] / 100 == pytest.approx(0.8 / (2 - 0.8), abs=0.05)


def test_lower_probability_gives_lower_alpha(tmp_path):
    alphas = [agreement(project(tmp_path, p), replicates=0).overall["alpha"] for p in (0.95, 0.7, 0.4)]
    assert alphas[0] > alphas[1] > alphas[2]


def test_cli_refuses_an_agreement_outside_zero_to_one(tmp_path):
    done = subprocess.run([sys.executable, "-m", "icevidence", "synth", "--participants", "2", "--segments", "5",
                           "--codes", "3", "--coders", "2", "--agreement", "1.5", "--out", str(tmp_path / "x.qdpx")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--agreement" in done.stderr


@pytest.mark.skipif(not SHIPPED.is_dir(), reason="the synthcoders study folder is not in this checkout")
def test_regenerating_the_shipped_study_gives_the_same_tables(tmp_path):
    qdpx = write_synthetic_qdpx(SHIPPED_SPEC, tmp_path / "synthcoders.qdpx")
    out = import_export(qdpx, "synthcoders", config_path=SHIPPED / "study.yml", out_dir=tmp_path / "synthcoders")
    for name in ("participants.csv", "codes.csv", "segments.csv", "documents.csv"):
        assert (out / name).read_bytes() == (SHIPPED / name).read_bytes(), name


def test_shipped_study_says_it_is_synthetic():
    from icevidence.model.study import load_study
    study = load_study("synthcoders")
    assert study.meta["synthetic"] is True and "SYNTHETIC" in study.meta["citation"]
    assert any("Synthetic data" in a for a in study.assumptions)
