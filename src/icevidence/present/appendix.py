"""A study's appendix, assembled from the same result objects the reports show: sample, themes, quotes,
comparison and the evidence review (each from its view), assumptions and provenance.

Every count comes from a result whose suppression mask was decided once; this module only chooses
which tables and figures go where, and words the sections.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from ..analyses.caveats import has_paper
from ..analyses.result import Figure, Table, registered_views
from ..analyses.suppression import hidden_label
from ..model import config
from ..model.provenance import git_commit, input_hashes, package_versions
from ..model.readings import reading_notes, with_site_names
from ..model.study import Study
from ..model.yaml_loader import read_yaml
from .document import Document, Section, numbered
from .docx import docx_bytes
from .figures import draw, save
from .page import says_little, split_heatmap
from .pdf import pdf_bytes
from .xlsx import write_workbook

EXTRA_PACKAGES = ["python-docx", "typst"]
NO_SUPPRESSION = "Not subject to suppression (no counts of participants)."


def appendix_document(study: Study, min_cell: int = 0, review: bool = False) -> Document:
    """Every section of a study's appendix, in reading order, numbered, with suppression applied; sites named
    as study.yml's `site_names` says (the paper's own wording)."""
    study = with_site_names(study)
    sections = [about_section(study, min_cell)]
    for view in appendix_views():
        sections += view.appendix(study, min_cell, review)
    sections += [assumptions_section(study),
                 provenance_section(study, min_cell, review)]
    parameters = {"study": study.id, "min_cell": min_cell, "review": review}
    laid = [laid_out(s) for s in sections]
    return numbered(Document(study.id, appendix_title(study), front_matter(study), laid, parameters))


def appendix_title(study: Study) -> str:
    """A title that says what the appendix is: a reanalysis made with icevidence, not the authors' supplement."""
    if has_paper(study):
        return f"Reanalysis of the published evidence of {study.short_name}, produced with icevidence"
    return f"Reanalysis of the coded evidence of {study.short_name}, produced with icevidence"


def laid_out(section: Section) -> Section:
    """A section whose figures fit the page: long heatmaps split into parts, and a heatmap that suppression
    leaves (nearly) empty replaced by a sentence saying so."""
    items: list[Table | Figure] = []
    for item in section.items:
        if isinstance(item, Figure) and says_little(item):
            why = (f"with counts below {item.min_cell} suppressed, too few of its cells are shown"
                   if item.min_cell > 1 else "every cell is zero")
            section.paragraphs.append(f"No figure is drawn for '{item.title}': {why} for a figure to say anything; "
                                      "the table gives the counts.")
        elif isinstance(item, Figure):
            items += split_heatmap(item)
        else:
            items.append(item)
    section.items = items
    return section


def appendix_views() -> list:
    """Every registered view that adds to an appendix, in its order."""
    return sorted({id(v): v for v in registered_views().values()}.values(), key=lambda v: v.order)


# --- front matter ---------------------------------------------------------------------------

def front_matter(study: Study) -> list[tuple[str, str]]:
    """The title page's (label, text) lines: the source and the compendium's own citation."""
    meta = study.meta
    return [("Source", str(meta.get("citation") or study.id)),
            ("DOI", str(meta.get("doi") or "none printed")),
            ("Licence of the source", str(meta.get("licence") or "not stated")),
            ("Cite the compendium as", compendium_citation())]


def compendium_citation() -> str:
    """The compendium's citation, from CITATION.cff."""
    path = config.ROOT / "CITATION.cff"
    if not path.is_file():
        return "icevidence (no CITATION.cff found)"
    cff = read_yaml(path) or {}
    authors = "; ".join(str(a.get("name") or " ".join(filter(None, [a.get("given-names"), a.get("family-names")])))
                        for a in cff.get("authors") or [])
    return (f"{authors}. {cff.get('title', 'icevidence')}. Version {cff.get('version', '?')}. "
            f"Licence {cff.get('license', '?')}.")


def about_section(study: Study, min_cell: int) -> Section:
    """What the appendix is and how small counts are treated."""
    rule = (f"Counts below {min_cell} (other than 0) are shown as {hidden_label(min_cell)}; further counts are hidden "
            "where a total would recover them, and the same cells are hidden in every table, figure and quote list."
            if min_cell > 1 else "No counts are suppressed (min_cell = 0).")
    return Section("About this appendix", paragraphs=[
        f"This appendix was generated by the icevidence compendium from the coded evidence of the study "
        f"{str(study.meta.get('citation') or study.id).rstrip('.')}. It holds {len(study.participants)} participants, "
        f"{len(study.codes)} codes and {len(study.segments)} coded segments.", rule])


def assumptions_section(study: Study) -> Section:
    """Assumptions the compendium makes that the paper does not state, and every declared recode and alias."""
    paragraphs = list(study.assumptions or ["None declared."])
    readings = reading_notes(study.meta)
    if readings:
        paragraphs += ["Categories and IDs merged as study.yml declares, each with its reason:", *readings]
    return Section("Declared assumptions", paragraphs=paragraphs)


# --- provenance -----------------------------------------------------------------------------

def provenance_section(study: Study, min_cell: int, review: bool) -> Section:
    """Parameters, SHA-256 of the inputs, the git commit and the software versions."""
    params = pd.DataFrame({"Parameter": ["study", "min_cell", "review"], "Value": [study.id, min_cell, str(review)]})
    inputs = input_hashes(study.inputs or sorted(p for p in (study.folder or config.study_dir(study.id)).glob("*")
                                                 if p.is_file()))
    rows = [(params, "Parameters", "The parameters this appendix was built with", "parameters"),
            (inputs.rename(columns={"file": "File", "sha256": "SHA-256"}), "Input files",
             "Every input file and the SHA-256 of its bytes", "files"),
            (software_versions().rename(columns={"package": "Package", "version": "Version"}), "Software",
             "Python and the packages that built this appendix", "packages")]
    items: list[Any] = [Table(f"provenance-{unit}", title, frame, counted, unit, "icevidence build record",
                              NO_SUPPRESSION) for frame, title, counted, unit in rows]
    built = f"Built with the command icevidence appendix from git commit {git_commit()}."
    return Section("Provenance", paragraphs=[built], items=items)


def software_versions() -> pd.DataFrame:
    """Key package versions, plus the document engines."""
    from importlib import metadata
    extra = []
    for name in EXTRA_PACKAGES:
        try:
            extra.append({"package": name, "version": metadata.version(name)})
        except metadata.PackageNotFoundError:
            extra.append({"package": name, "version": "not installed"})
    return pd.concat([package_versions(), pd.DataFrame(extra)], ignore_index=True)


# --- files ----------------------------------------------------------------------------------

def write_appendix(document: Document, folder: Path, log: Callable[[str], None] = lambda _m: None) -> None:
    """Write a document's figures (SVG, PDF, PNG), its workbook, DOCX and PDF into a (staging) folder."""
    svgs, pngs = {}, {}
    for figure in document.figures:
        number = document.number(figure)
        svg, _pdf, png = save(draw(figure), folder / "figures", number)
        svgs[number], pngs[number] = svg, png
    log(f"    figures  {len(svgs)} (SVG, PDF, PNG)")
    names = [document.number(t) for t in document.tables]
    write_workbook(folder / f"{document.key}-tables.xlsx", document.tables, names, readme_rows(document))
    log(f"    xlsx     {len(document.tables)} tables")
    (folder / f"{document.key}-appendix.docx").write_bytes(docx_bytes(document, pngs))
    log("    docx")
    (folder / f"{document.key}-appendix.pdf").write_bytes(pdf_bytes(document, svgs))
    log("    pdf")


def readme_rows(document: Document) -> list[list[object]]:
    """The workbook's README sheet: title, front matter, then each sheet's caption and source."""
    rows: list[list[object]] = [[document.title], *[[label, text] for label, text in document.front], []]
    rows.append(["Sheet", "Caption", "Source"])
    rows += [[document.number(t), f"{document.label(t)}. {t.caption}", t.source] for t in document.tables]
    rows += [[], ["Built with", ", ".join(f"{k}={v}" for k, v in document.parameters.items())]]
    return rows
