"""The one script a page may run, and the Content-Security-Policy that allows only it.

Long tables are searchable, sortable and filterable in the browser with DataTables, as the
itables package bundles it for offline use (a pinned dependency, read from the installed
package, never copied here). The bundle is an ES module; the page inlines it with our own
enhancement code (present/assets/*.js) as one module script, and the page's policy allows that
script by its SHA-256 and nothing else: no inline handler, no `javascript:` URL, no request.
The script reads only the page's HTML (tables marked INTERACTIVE_CLASS, lists inside
FILTERABLE_CLASS, the search index of the site page): no data is ever put inside a script.
"""
from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from importlib import resources

INTERACTIVE_CLASS = "icevidence-interactive"
FILTERABLE_CLASS = "icevidence-filterable"
ASSETS = resources.files("icevidence.present") / "assets"
EXPORTS = re.compile(r"export\s*\{([^}]*)\};?")
POLICY = ("default-src 'none'; script-src {scripts}; object-src 'none'; base-uri 'none'; form-action 'none'; "
          "frame-src 'none'; connect-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:")


def bundle_file(name: str) -> str:
    """A file of the DataTables bundle itables ships (dt_bundle.js or dt_bundle.css)."""
    return (resources.files("itables") / "html" / name).read_text(encoding="utf-8")


def asset(name: str) -> str:
    """One of our own files in present/assets."""
    return (ASSETS / name).joinpath().read_text(encoding="utf-8")


def as_library(module: str) -> str:
    """The bundle with its final `export {...}` turned into a `library` object our code uses in the same script."""
    found = list(EXPORTS.finditer(module))
    if not found:
        raise RuntimeError("the itables DataTables bundle has no export statement; is the pinned itables installed?")
    last = found[-1]
    pairs = [part.split(" as ") for part in last.group(1).split(",")]
    members = ", ".join(f"{public.strip()!r}: {local.strip()}" for local, public in pairs)
    return module[:last.start()] + f"const library = {{{members}}};" + module[last.end():]


@cache
def page_script(*parts: str) -> str:
    """The page's one script: the DataTables library (when tables need it) and our named assets."""
    code = [asset(name) for name in parts]
    if "tables.js" in parts:
        code.insert(0, as_library(bundle_file("dt_bundle.js")))
    script = "\n".join(code)
    if "</script" in script.lower():
        raise RuntimeError("a page script may not contain '</script'")
    return script


def script_hash(script: str) -> str:
    """The CSP source allowing exactly this inline script ('sha256-…' of its UTF-8 text)."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"


def policy(script: str | None) -> str:
    """The Content-Security-Policy of a page: no script at all, or only this one (by its hash)."""
    return POLICY.format(scripts=script_hash(script) if script else "'none'")


@cache
def page_style(tables: bool) -> str:
    """The page's styles: our site styles, and the bundle's when tables are enhanced."""
    return (bundle_file("dt_bundle.css") + "\n" if tables else "") + asset("site.css")


def needs_tables(html: str) -> bool:
    """Whether a page holds a table or list our script enhances."""
    return INTERACTIVE_CLASS in html or FILTERABLE_CLASS in html
