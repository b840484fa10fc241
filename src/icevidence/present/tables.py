"""Write result tables as CSV and XLSX appendices, byte-identical for identical content."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
from lxml import etree

FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = pd.Timestamp("2000-01-01T00:00:00")
DCTERMS = "http://purl.org/dc/terms/"


def write_table(df: pd.DataFrame, folder: Path, name: str, index: bool = True) -> list[Path]:
    """Write one table as <name>.csv and <name>.xlsx in folder; return both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    xlsx_path = folder / f"{name}.xlsx"
    xlsx_path.write_bytes(xlsx_bytes({name: df}, index=index))
    return [write_csv(df, folder / f"{name}.csv", index=index), xlsx_path]


def write_csv(df: pd.DataFrame, path: Path, index: bool = True) -> Path:
    """Write a table as UTF-8 CSV with LF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=index, lineterminator="\n")
    return path


def write_workbook(sheets: dict[str, pd.DataFrame], path: Path, index: bool = True) -> Path:
    """Write several tables as sheets of one XLSX workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(xlsx_bytes(sheets, index=index))
    return path


def xlsx_bytes(sheets: dict[str, pd.DataFrame], index: bool = True) -> bytes:
    """Render sheets to XLSX bytes with fixed timestamps, so equal tables give equal bytes."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        writer.book.properties.created = FIXED_DOC_TIME.to_pydatetime()
        writer.book.properties.modified = FIXED_DOC_TIME.to_pydatetime()
        for name, df in sheets.items():
            df.to_excel(writer, sheet_name=safe_sheet_name(name), index=index)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps and sorted-stable order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            dst.writestr(fixed, fix_core_properties(data) if info.filename == "docProps/core.xml" else data)
    return out.getvalue()


def fix_core_properties(xml: bytes) -> bytes:
    """Set the workbook's created/modified stamps (openpyxl writes the save time) to a fixed date."""
    root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    for name in ("created", "modified"):
        for element in root.iter(f"{{{DCTERMS}}}{name}"):
            element.text = "2000-01-01T00:00:00Z"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def safe_sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "Sheet"
