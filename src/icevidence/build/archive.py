"""`icevidence archive`: the compendium as one deterministic zip to deposit (Zenodo) and cite.

The zip holds the data, notebooks, source, environment (environment.yml, requirements.lock,
pyproject.toml, postBuild), the built reports and appendices, CITATION.cff and LICENSE, plus two
files written here: ro-crate-metadata.json (RO-Crate, written with the `rocrate` library: every
file with its format, licence and role; the papers the data come from cited) and .zenodo.json
(Zenodo's deposit metadata, derived from CITATION.cff). The same inputs give the same bytes:
members in sorted order, fixed timestamps and permissions, no date that is not the inputs' own.
"""
from __future__ import annotations

import json
import mimetypes
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..model import config
from ..model.atomic import TEMP_PREFIX, atomic_path
from ..model.errors import ConfigError

TOP_FILES = ["CITATION.cff", "LICENSE", "README.md", "Makefile", "compendium.yml", "environment.yml",
             "requirements.lock", "pyproject.toml", "postBuild"]
FOLDERS = ["data", "notebooks", "src", "reports"]
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints", ".cache"}
SKIPPED_SUFFIXES = (".pyc", ".failed.ipynb", ".running.ipynb")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can record: no clock enters the archive
CRATE = "ro-crate-metadata.json"
ZENODO = ".zenodo.json"
FORMATS = {".ipynb": "application/x-ipynb+json", ".csv": "text/csv", ".yml": "application/yaml",
           ".yaml": "application/yaml", ".cff": "application/yaml", ".md": "text/markdown", ".py": "text/x-python",
           ".lock": "text/plain", ".j2": "text/plain", ".typ": "text/plain", ".xsd": "application/xml",
           ".json": "application/json", ".js": "text/javascript", ".css": "text/css", "": "text/plain"}
LICENCES = {  # licence names as study.yml and CITATION.cff write them -> their canonical URL
    "cc by 4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc0 1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "mit": "https://spdx.org/licenses/MIT.html",
}
ROLES = [("data/raw/", "data: a study's tables, read from its paper"), ("data/", "data: the crosswalk and concepts"),
         ("notebooks/", "notebook: a report's analysis"), ("src/", "source code of the icevidence package"),
         ("reports/appendix/", "appendix: supplementary material built from the data"),
         ("reports/", "report: built from the data by icevidence build")]
ENVIRONMENT = {"environment.yml", "requirements.lock", "pyproject.toml", "postBuild", "Makefile", "compendium.yml"}


@dataclass
class Member:
    """One file of the archive: where it is and what it is called inside the zip."""

    path: Path
    name: str


def archive_name(citation: dict[str, Any]) -> str:
    """dist/icevidence-<version>.zip, from CITATION.cff's version."""
    version = re.sub(r"[^A-Za-z0-9._-]", "-", str(citation.get("version", "0")))
    return f"icevidence-{version}.zip"


def read_citation(root: Path) -> dict[str, Any]:
    """CITATION.cff as a mapping (the compendium's title, version, licence, authors, references)."""
    path = root / "CITATION.cff"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), "", f"cannot be read: {exc}",
                          remedy="restore CITATION.cff (cff-version 1.2.0).") from exc
    if not isinstance(data, dict) or not data.get("title"):
        raise ConfigError(str(path), "title", "missing", remedy="give CITATION.cff a title, version and license.")
    return data


def is_skipped(relative: Path) -> bool:
    """Caches, bytecode, temporary and failed outputs, and hidden files never enter the archive."""
    return (any(part in SKIPPED_PARTS or part.startswith(".") or part.startswith(TEMP_PREFIX)
                for part in relative.parts) or relative.name.endswith(SKIPPED_SUFFIXES)
            or any(part.endswith(".egg-info") for part in relative.parts))


def collect(root: Path, reports: Path) -> list[Member]:
    """Every file the archive holds, sorted by its name in the zip; refuses when no report was built."""
    if not (reports / "index.html").is_file():
        raise ConfigError(str(reports), "index.html", "no built reports to archive",
                          remedy="run `make report` first, then `make archive`.")
    members = [Member(root / name, name) for name in TOP_FILES if (root / name).is_file()]
    for folder in FOLDERS:
        base = reports if folder == "reports" else root / folder
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if path.is_file() and not is_skipped(relative):
                members.append(Member(path, f"{folder}/{relative.as_posix()}"))
    return sorted(members, key=lambda m: m.name)


def licence_entity(name: str) -> dict[str, str]:
    """A licence as an RO-Crate entity: its canonical URL when known, else a local entity named as stated."""
    text = " ".join(str(name).split())
    for known, url in LICENCES.items():
        if text.lower() == known or text.lower().startswith(known + " "):
            return {"@id": url, "@type": "CreativeWork", "name": text}
    return {"@id": f"#licence-{re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-') or 'unstated'}",
            "@type": "CreativeWork", "name": text}


def study_metadata(root: Path) -> dict[str, dict[str, Any]]:
    """Each study folder's study.yml (citation, DOI, licence), by study id."""
    studies = {}
    for path in sorted((root / "data" / "raw").glob("*/study.yml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        studies[path.parent.name] = meta if isinstance(meta, dict) else {}
    return studies


def paper_entity(study: str, meta: dict[str, Any]) -> dict[str, Any] | None:
    """The paper a study's data come from, as a ScholarlyArticle (none for a synthetic study)."""
    if meta.get("synthetic"):
        return None
    doi = meta.get("doi")
    entity = {"@id": f"https://doi.org/{doi}" if doi else f"#paper-{study}", "@type": "ScholarlyArticle",
              "name": " ".join(str(meta.get("title", study)).split()),
              "description": " ".join(str(meta.get("citation", "")).split()),
              "license": {"@id": licence_entity(meta.get("licence", "not stated"))["@id"]}}
    if doi:
        entity["identifier"] = f"https://doi.org/{doi}"
    if meta.get("doi_version_of_record"):
        entity["sameAs"] = f"https://doi.org/{meta['doi_version_of_record']}"
    return entity


def file_format(name: str) -> str:
    """A file's media type (IANA), from its name."""
    suffix = Path(name).suffix.lower()
    return FORMATS.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def role_of(name: str) -> str:
    """What a file is for in the compendium."""
    if name in ENVIRONMENT:
        return "computational environment"
    if name in ("CITATION.cff", ZENODO):
        return "citation metadata"
    if name == "LICENSE":
        return "licence of the code"
    return next((role for prefix, role in ROLES if name.startswith(prefix)), "documentation")


def licence_of(name: str, studies: dict[str, dict], code: str, data: str) -> str:
    """A file's licence: its study's (study.yml), the data licence for other data and reports, else the code's."""
    parts = name.split("/")
    if name.startswith("data/raw/") and len(parts) > 3 and parts[2] in studies:
        return str(studies[parts[2]].get("licence", "not stated"))
    if name.startswith(("data/", "reports/")):
        return data
    return code


def crate_metadata(root: Path, members: list[Member], citation: dict[str, Any], date: str) -> dict[str, Any]:
    """The RO-Crate metadata (rocrate library): root dataset, every file, licences, cited papers."""
    from rocrate.model.contextentity import ContextEntity
    from rocrate.rocrate import ROCrate
    crate = ROCrate(gen_preview=False)
    studies = study_metadata(root)
    code_licence = str(citation.get("license", "not stated"))
    data_licence = str((yaml.safe_load((root / "data" / "licence.yml").read_text(encoding="utf-8")) or {})
                       .get("licence", "not stated")) if (root / "data" / "licence.yml").is_file() else "not stated"
    entities: dict[str, dict] = {}
    for name in [m.name for m in members] + [ZENODO]:
        licence = licence_entity(licence_of(name, studies, code_licence, data_licence))
        entities[licence["@id"]] = licence
        properties = {"name": Path(name).name, "encodingFormat": file_format(name), "license": {"@id": licence["@id"]},
                      "description": role_of(name)}
        parts = name.split("/")
        paper = paper_entity(parts[2], studies[parts[2]]) if name.startswith("data/raw/") and len(parts) > 3 \
            and parts[2] in studies else None
        if paper:
            properties["isBasedOn"] = {"@id": paper["@id"]}
        crate.add_file(dest_path=name, properties=properties)
    papers = [p for p in (paper_entity(s, m) for s, m in studies.items()) if p]
    for paper in papers:
        entities[paper["license"]["@id"]] = entities.get(paper["license"]["@id"]) or licence_entity("not stated")
    for entity in [*entities.values(), *papers]:
        crate.add(ContextEntity(crate, entity["@id"], properties={k: v for k, v in entity.items() if k != "@id"}))
    root_dataset = crate.root_dataset
    root_dataset["name"] = str(citation["title"])
    root_dataset["description"] = str(citation.get("abstract") or citation.get("message") or citation["title"])
    root_dataset["datePublished"] = date
    root_dataset["version"] = str(citation.get("version", ""))
    root_dataset["license"] = {"@id": licence_entity(code_licence)["@id"]}
    root_dataset["citation"] = [{"@id": p["@id"]} for p in papers]
    root_dataset["author"] = [{"@id": f"#author-{i}"} for i, _ in enumerate(citation.get("authors") or [], start=1)]
    for i, author in enumerate(citation.get("authors") or [], start=1):
        crate.add(ContextEntity(crate, f"#author-{i}", properties={"@type": "Person" if author.get("family-names")
                                                                   else "Organization", "name": author_name(author)}))
    return crate.metadata.generate()


def author_name(author: dict[str, Any]) -> str:
    """A CFF author's display name (a person's given and family names, or an entity's name)."""
    return str(author.get("name") or " ".join(filter(None, [author.get("given-names"), author.get("family-names")])))


def zenodo_metadata(citation: dict[str, Any], date: str) -> dict[str, Any]:
    """Zenodo's deposit metadata (.zenodo.json), derived from CITATION.cff."""
    creators = []
    for author in citation.get("authors") or []:
        if author.get("family-names"):
            creators.append({"name": f"{author['family-names']}, {author.get('given-names', '')}".strip(", ")})
        else:
            creators.append({"name": author_name(author)})
        if author.get("orcid"):
            creators[-1]["orcid"] = str(author["orcid"]).rsplit("/", 1)[-1]
    related = [{"identifier": f"https://doi.org/{ref['doi']}", "relation": "references", "scheme": "doi"}
               for ref in citation.get("references") or [] if ref.get("doi")]
    metadata = {"title": str(citation["title"]), "upload_type": "software" if citation.get("type") == "software"
                else "dataset", "description": str(citation.get("abstract") or citation.get("message") or ""),
                "version": str(citation.get("version", "")), "license": str(citation.get("license", "")),
                "creators": creators, "publication_date": date, "related_identifiers": related}
    if citation.get("keywords"):
        metadata["keywords"] = [str(k) for k in citation["keywords"]]
    return metadata


def release_date(root: Path, citation: dict[str, Any]) -> str:
    """The archive's date: CITATION.cff's date-released, else the date of the checked-out commit, else 2000-01-01."""
    if citation.get("date-released"):
        return str(citation["date-released"])
    try:
        done = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%cs"], capture_output=True, text=True,
                              check=True)
    except (OSError, subprocess.CalledProcessError):
        return "2000-01-01"
    return done.stdout.strip() or "2000-01-01"


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A zip member header with no clock, owner or platform in it: the same for the same name."""
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o100644 << 16
    return info


def write_zip(path: Path, members: list[Member], extra: dict[str, bytes]) -> Path:
    """Write the members and the extra files (name -> bytes), sorted by name, as one zip, atomically."""
    entries = {m.name: m.path for m in members} | extra
    with atomic_path(path) as temp:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name in sorted(entries):
                data = entries[name] if isinstance(entries[name], bytes) else Path(entries[name]).read_bytes()
                archive.writestr(zip_entry(name), data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return path


def as_json(data: dict[str, Any]) -> bytes:
    """JSON bytes with a fixed layout (keys in the order written, two-space indent, final newline)."""
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build_archive(out: Path | None = None, root: Path | None = None, reports: Path | None = None) -> Path:
    """Write the compendium's deposit zip (default dist/icevidence-<version>.zip) and return its path."""
    root = root or config.ROOT
    reports = reports or config.REPORTS
    citation = read_citation(root)
    date = release_date(root, citation)
    members = collect(root, reports)
    extra = {ZENODO: as_json(zenodo_metadata(citation, date))}
    extra[CRATE] = as_json(crate_metadata(root, members, citation, date))
    return write_zip(Path(out) if out else root / "dist" / archive_name(citation), members, extra)
