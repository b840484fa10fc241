"""Same bytes for the same content: zip containers (XLSX, DOCX) with fixed timestamps and document dates."""
from __future__ import annotations

import datetime as dt
import io
import zipfile

from lxml import etree

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_TIME = dt.datetime(2000, 1, 1)
DCTERMS = "http://purl.org/dc/terms/"


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps and permissions, members in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            member = src.read(info.filename)
            dst.writestr(fixed, fix_core_properties(member) if info.filename == "docProps/core.xml" else member)
    return out.getvalue()


def fix_core_properties(xml: bytes) -> bytes:
    """Set a document's created/modified stamps (the libraries write the save time) to a fixed date."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for name in ("created", "modified"):
        for element in root.iter(f"{{{DCTERMS}}}{name}"):
            element.text = "2000-01-01T00:00:00Z"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
