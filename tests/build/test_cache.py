"""Build cache: what makes a report stale, and what leaves it fresh."""
from __future__ import annotations

import pytest

from icevidence.build import cache
from icevidence.model import config


@pytest.fixture
def reports(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    return tmp_path / "reports"


@pytest.fixture
def files(tmp_path):
    notebook, data = tmp_path / "n.ipynb", tmp_path / "d.csv"
    notebook.write_text("{}")
    data.write_text("a\n1\n")
    return notebook, data


def test_report_built_from_the_same_key_is_fresh(reports, files):
    notebook, data = files
    key = cache.report_key(notebook, {"study": "x"}, [data], False)
    html = reports / "r.html"
    reports.mkdir()
    html.write_text("<html>")
    cache.remember("r", key, [html])
    assert cache.is_fresh("r", cache.report_key(notebook, {"study": "x"}, [data], False), html)


def test_changed_input_content_makes_the_report_stale(reports, files):
    notebook, data = files
    reports.mkdir()
    (reports / "r.html").write_text("<html>")
    cache.remember("r", cache.report_key(notebook, {}, [data], False), [reports / "r.html"])
    data.write_text("a\n2\n")
    assert not cache.is_fresh("r", cache.report_key(notebook, {}, [data], False), reports / "r.html")


def test_changed_parameters_make_the_report_stale(reports, files):
    notebook, data = files
    reports.mkdir()
    (reports / "r.html").write_text("<html>")
    cache.remember("r", cache.report_key(notebook, {"level": "main"}, [data], False), [reports / "r.html"])
    assert not cache.is_fresh("r", cache.report_key(notebook, {"level": "sub"}, [data], False), reports / "r.html")


def test_missing_html_is_stale_even_with_a_record(reports, files):
    notebook, data = files
    key = cache.report_key(notebook, {}, [data], False)
    reports.mkdir()
    (reports / "r.html").write_text("<html>")
    cache.remember("r", key, [reports / "r.html"])
    (reports / "r.html").unlink()
    assert not cache.is_fresh("r", key, reports / "r.html")


def test_an_output_changed_since_the_build_makes_the_report_stale(reports, files):
    notebook, data = files
    key = cache.report_key(notebook, {}, [data], False)
    reports.mkdir()
    (reports / "r.html").write_text("<html>")
    (reports / "t.csv").write_text("a\n1\n")
    cache.remember("r", key, [reports / "r.html", reports / "t.csv"])
    (reports / "t.csv").write_text("a\n")  # e.g. truncated by a killed build
    assert not cache.is_fresh("r", key, reports / "r.html")


def test_an_empty_html_is_stale(reports, files):
    notebook, data = files
    key = cache.report_key(notebook, {}, [data], False)
    reports.mkdir()
    (reports / "r.html").write_text("")
    cache.remember("r", key, [reports / "r.html"])
    assert not cache.is_fresh("r", key, reports / "r.html")


def test_corrupt_record_is_stale_not_an_error(reports, files):
    notebook, data = files
    reports.mkdir()
    (reports / "r.html").write_text("<html>")
    cache.cache_dir().mkdir(parents=True)
    (cache.cache_dir() / "r.json").write_text("{not json")
    assert not cache.is_fresh("r", cache.report_key(notebook, {}, [data], False), reports / "r.html")


def test_library_fingerprint_covers_the_lock_file():
    assert len(cache.library_fingerprint()) == 64 and config.LOCK.is_file()
