"""The DOCX appendix as LibreOffice lays it out: its page count stays within 1.5 times the typst PDF's.

Word tables with equal column widths and words broken mid-word once ran the DOCX to nearly twice the
PDF's length; this renders the DOCX to PDF with LibreOffice, where it is installed, and counts pages.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from icevidence.build.appendix import build_appendix

STUDY = "tracy2025"
INSTALL = "apt-get install -y libreoffice-writer-nogui poppler-utils"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason=f"LibreOffice is not installed; install it with: {INSTALL}")


def pages(pdf: Path) -> int:
    import pdfplumber
    with pdfplumber.open(str(pdf)) as document:
        return len(document.pages)


@pytest.mark.parametrize("min_cell", [0, 5])
def test_docx_rendered_by_libreoffice_stays_within_one_and_a_half_times_the_pdf(tmp_path, min_cell):
    folder = tmp_path / STUDY
    build_appendix(STUDY, min_cell=min_cell, out=folder)
    profile = tmp_path / "profile"  # a profile of its own: no clash with another LibreOffice running
    done = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path / "lo"), str(folder / f"{STUDY}-appendix.docx")],
                          capture_output=True, text=True, timeout=300)
    rendered = tmp_path / "lo" / f"{STUDY}-appendix.pdf"
    assert rendered.is_file(), done.stdout + done.stderr
    assert pages(rendered) <= 1.5 * pages(folder / f"{STUDY}-appendix.pdf")
