"""The page's one script (DataTables from itables plus our code) and the policy that allows only it, by hash."""
from __future__ import annotations

import base64
import hashlib

import pytest

from icevidence.present import interactive


def test_the_bundles_export_becomes_a_library_object_our_code_uses():
    module = "var a=1;var b=2;export{a as DataTable,b as default};\n/* licence */"
    expected = "var a=1;var b=2;const library = {'DataTable': a, 'default': b};\n/* licence */"
    assert interactive.as_library(module) == expected


def test_a_bundle_without_exports_is_refused():
    with pytest.raises(RuntimeError, match="itables"):
        interactive.as_library("var a = 1;")


def test_the_page_script_is_the_library_then_our_code_with_no_module_syntax_left():
    script = interactive.page_script("tables.js")
    assert "const library = {" in script and "enhanceTables();" in script
    assert "export{" not in script.replace(" ", "") and "</script" not in script.lower()


def test_the_hash_is_the_sha256_of_the_scripts_utf8_text():
    digest = base64.b64encode(hashlib.sha256("é".encode()).digest()).decode()
    assert interactive.script_hash("é") == f"'sha256-{digest}'"


def test_the_policy_allows_only_the_pages_script_and_nothing_fetched():
    policy = interactive.policy("x")
    assert f"script-src {interactive.script_hash('x')};" in policy
    assert "unsafe-inline' " not in policy.split("script-src")[1].split(";")[0]
    assert "connect-src 'none'" in policy and "default-src 'none'" in policy


def test_a_page_without_a_script_allows_none():
    assert "script-src 'none'" in interactive.policy(None)


def test_the_bundles_styles_fetch_nothing():
    style = interactive.page_style(True)
    assert "url(http" not in style and "@import" not in style and "nav.icevidence-site" in style


def test_pages_need_the_script_only_for_marked_tables_or_lists():
    assert interactive.needs_tables('<table class="x icevidence-interactive">')
    assert interactive.needs_tables('<div class="icevidence-filterable">')
    assert not interactive.needs_tables("<table>")
