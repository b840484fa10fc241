"""Provenance: file hashes, commit and versions recorded in each report."""
from __future__ import annotations

import hashlib

from icevidence.model.provenance import footer_markdown, input_hashes, package_versions, sha256_of


def test_sha256_matches_hashlib(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n1,2\n")
    assert sha256_of(path) == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_missing_input_is_listed_as_missing(tmp_path):
    table = input_hashes([tmp_path / "gone.csv"])
    assert table["sha256"].tolist() == ["missing"]


def test_versions_include_python_and_pandas():
    versions = package_versions().set_index("package")["version"]
    assert versions["python"].startswith("3.") and versions["pandas"] != "not installed"


def test_footer_lists_each_parameter_and_input(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("1")
    text = footer_markdown({"study": "mini", "min_cell": 5}, [path])
    assert "'mini'" in text and "min_cell" in text and sha256_of(path) in text
