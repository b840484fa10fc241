"""Builders of small REFI-QDA fixtures (written by the tests, invented content) for the io tests."""
from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from fixture_paths import FIXTURES

NS = "urn:QDA-XML:project:1.0"


def guid(n: int, braces: bool = False, upper: bool = False) -> str:
    """A valid GUID made from a number (optionally braced / upper-case, as some vendors write them)."""
    text = f"00000000-0000-4000-8000-{n:012d}"
    text = text.upper() if upper else text
    return "{" + text + "}" if braces else text


def project_xml(body: str, origin: str = "Test writer 1.0") -> str:
    """A Project document around the given inner XML."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}" name="test" origin="{origin}">\n'
            f"{body}\n</Project>\n")


def codebook_xml(*names: str) -> str:
    """A flat codebook: code i has GUID guid(100 + i)."""
    codes = "".join(f'<Code guid="{guid(100 + i)}" name="{name}" isCodable="true"/>' for i, name in enumerate(names))
    return f"<CodeBook><Codes>{codes}</Codes></CodeBook>"


def selection_xml(n: int, start: int, end: int, code: int = 100, coding: int | None = None,
                  description: str | None = None) -> str:
    """A PlainTextSelection with one coding of code guid(code)."""
    desc = f"<Description>{description}</Description>" if description is not None else ""
    coded = (f'<Coding guid="{guid(coding or 1000 + n)}"><CodeRef targetGUID="{guid(code)}"/></Coding>'
             if code is not None else "")
    return (f'<PlainTextSelection guid="{guid(n)}" name="" startPosition="{start}" endPosition="{end}">'
            f"{desc}{coded}</PlainTextSelection>")


@pytest.fixture
def make_qdpx(tmp_path: Path) -> Callable[..., Path]:
    """Write a .qdpx (zip) holding the project XML and the given extra members."""
    def make(xml: str | bytes, files: dict[str, bytes | str] | None = None, name: str = "test.qdpx",
             qde_name: str = "project.qde") -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(qde_name, xml.encode("utf-8") if isinstance(xml, str) else xml)
            for member, data in (files or {}).items():
                archive.writestr(member, data.encode("utf-8") if isinstance(data, str) else data)
        return path
    return make


@pytest.fixture
def text_project(make_qdpx: Callable[..., Path]) -> Callable[..., Path]:
    """A one-document project: codes A and B, the text in sources/doc.txt, the given selections."""
    def make(text: str | bytes, selections: str, origin: str = "Test writer 1.0", cases: str = "",
             variables: str = "", source_extra: str = "", name: str = "test.qdpx") -> Path:
        body = (codebook_xml("A", "B") + variables + cases + "<Sources>"
                f'<TextSource guid="{guid(1)}" name="interview 1" plainTextPath="internal://doc.txt">'
                f"{selections}{source_extra}</TextSource></Sources>")
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        return make_qdpx(project_xml(body, origin), {"sources/doc.txt": data}, name=name)
    return make


@pytest.fixture
def refi():
    """The builders above, for test modules (conftest functions cannot be imported directly)."""
    from types import SimpleNamespace
    return SimpleNamespace(guid=guid, project_xml=project_xml, codebook_xml=codebook_xml,
                           selection_xml=selection_xml, NS=NS, fixtures=FIXTURES)
