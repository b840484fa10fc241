"""Read REFI-QDA projects (.qdpx archive, bare .qde) and codebooks (.qdc) into the canonical Study.

The project XML is streamed with lxml iterparse (end events of the few elements that matter, each
cleared when done), validated against the shipped REFI XSD in the same pass; XSD violations become
ExportWarnings, not errors, as long as the data can be read.

Vendor quirks handled:

* NVivo counts positions in UTF-16 code units (an emoji counts two): detected from the project's
  ``origin`` ("NVivo ...") or forced with ``refi: {positions: utf16 | codepoints}`` in study.yml;
  positions are converted to code points, the canonical unit.
* CRLF line endings are kept in the text, so positions counting them stay right; a leading BOM of a
  source .txt is dropped and not counted.
* GUIDs with or without braces, in any case; codes are identified by the lower-case bare GUID.
* MAXQDA's unnamed cases that only carry file variables: their variables become document variables.
* Selections with a description but no coding are not codings: listed in ``meta['uncoded_selections']``.
* Zero-length selections are kept as codings with empty text and a note.
* PDF/picture/audio/video selections are kept as codings (text from a PDF Representation where
  given, else empty) with the selection's page/area/time in the note.
"""
from __future__ import annotations

import bisect
import functools
import json
import multiprocessing
import re
import warnings
import zipfile
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import pandas as pd
from lxml import etree

from ..model.study import Study
from .assign import build_study, study_id_for
from .errors import ExportWarning, MalformedExportError
from .safety import (
    UNCARRIABLE,
    iter_member_names,
    iterparse,
    open_zip,
    read_member,
    read_text,
    refuse_doctype,
    xml_parser,
)

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
SCHEMA_DIR = Path(__file__).parent / "schemas"
PROJECT_XSD = SCHEMA_DIR / "Project-mrt2019.xsd"
CODEBOOK_XSD = SCHEMA_DIR / "Codebook-mrt2019.xsd"
ROUNDTRIP_NOTE = "icevidence study (do not edit)"
LINE_VALIDATION_BYTES = 32 * 1024**2  # re-validate on a tree (to get line numbers) only below this size
PARALLEL_VALIDATION_BYTES = 16 * 1024**2  # above this the XSD check runs in a second process
MAX_WARNINGS = 20
SELECTIONS = {"PlainTextSelection", "PDFSelection", "PictureSelection", "AudioSelection", "VideoSelection",
              "TranscriptSelection"}
SOURCES = {"TextSource", "PDFSource", "PictureSource", "AudioSource", "VideoSource"}
TEXT_HOLDERS = {"TextSource", "Representation", "Transcript"}
VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
STREAM_TAGS = ["Project", "CodeBook", "Users", "Codes", "Variables", "Cases", "PlainTextContent", "SyncPoint",
               *sorted(SELECTIONS),
               *sorted(SOURCES), "Representation", "Transcript", "Note", "Set"]
CODING_FIELDS = ["segment_id", "document", "case", "code_id", "text", "start", "end", "note", "coder"]
GUID_RE = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")


class RefiValidationWarning(ExportWarning):
    """The file breaks the REFI-QDA XSD but could still be read; names the file and line."""


# ----------------------------------------------------------------------------- public readers

def read_qdpx(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Read a REFI-QDA project archive (.qdpx, also when renamed .zip) into a Study."""
    path = Path(path)
    with open_zip(path) as archive:
        member = find_project_member(archive, path)
        texts = ArchiveTexts(archive, path)
        label = f"{path} (member '{member}')"
        size = archive.getinfo(member).file_size
        refuse_doctype(_head(archive, member), label)
        with archive.open(member) as stream:
            parsed = parse_project(stream, label, texts, config, skip_invalid, origin=(path, member, size))
        if parsed.schema_errors:
            warn_schema_errors(parsed, lambda: archive.open(member), size, PROJECT_XSD)
    return make_study(parsed, path, config)


def read_qde(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Read a bare REFI-QDA project file (.qde); source texts are looked up in a sources/ folder beside it."""
    path = Path(path)
    with open(path, "rb") as handle:
        refuse_doctype(handle.read(4096), str(path))
    texts = FolderTexts(path.parent, path)
    with open(path, "rb") as stream:
        parsed = parse_project(stream, str(path), texts, config, skip_invalid,
                               origin=(path, None, path.stat().st_size))
    if parsed.schema_errors:
        warn_schema_errors(parsed, lambda: open(path, "rb"), path.stat().st_size, PROJECT_XSD)
    return make_study(parsed, path, config)


def read_qdc(path: Path) -> pd.DataFrame:
    """Read a REFI-QDA codebook (.qdc): code_id, parent_id, name, description in codebook order."""
    return parse_codebook(Path(path)).codes_frame()


def read_qdc_study(path: Path, config: dict | None = None, skip_invalid: bool = False) -> Study:
    """Read a REFI-QDA codebook (.qdc) as a Study with codes and no participants or segments."""
    path = Path(path)
    parsed = parse_codebook(path)
    return make_study(parsed, path, config)


def parse_codebook(path: Path) -> ProjectParse:
    """Stream a .qdc codebook file, warning about XSD violations."""
    with open(path, "rb") as handle:
        refuse_doctype(handle.read(4096), str(path))
    with open(path, "rb") as stream:
        parsed = parse_project(stream, str(path), NoTexts(), None, False, xsd=CODEBOOK_XSD)
    if parsed.schema_errors:
        warn_schema_errors(parsed, lambda: open(path, "rb"), path.stat().st_size, CODEBOOK_XSD)
    return parsed


# ----------------------------------------------------------------------------- source texts

class NoTexts:
    """Text lookup for files that hold no sources (codebooks)."""

    internal_required = False

    def load(self, uri: str, place: str) -> str | None:
        """No texts: always None."""
        return None


class ArchiveTexts:
    """Source texts stored in a .qdpx archive under sources/ (any case); other URIs are not read."""

    internal_required = True

    def __init__(self, archive: zipfile.ZipFile, path: Path) -> None:
        self.archive, self.path = archive, path
        self.names = {name.lower(): name for name in iter_member_names(archive)}

    def load(self, uri: str, place: str) -> str | None:
        """The text a plainTextPath names, or None when it is not inside the archive."""
        name = internal_name(uri) or member_path(uri)
        if name is None:
            return None
        member = self.find(name)
        if member is None:
            return None
        data = read_member(self.archive, member, self.path)
        return read_text(data, f"{self.path} (member '{member}')")

    def find(self, name: str) -> str | None:
        """The archive member a source name means: sources/<name>, <name>, else sources/<its file name>."""
        base = PurePosixPath(name).name
        for candidate in (f"sources/{name}", name, f"sources/{base}"):
            if candidate.lower() in self.names:
                return self.names[candidate.lower()]
        return None


class FolderTexts:
    """Source texts of a bare .qde: internal:// files in a sources/ folder beside it, nowhere else."""

    internal_required = False

    def __init__(self, folder: Path, path: Path) -> None:
        self.folder, self.path = folder, path

    def load(self, uri: str, place: str) -> str | None:
        """The text in sources/<name> beside the .qde, or None; paths may not leave that folder."""
        name = internal_name(uri)
        if name is None:
            return None
        for sub in ("sources", "Sources"):
            base = (self.folder / sub).resolve()
            candidate = (base / name).resolve()
            if base in candidate.parents and candidate.is_file():
                return read_text(candidate.read_bytes(), str(candidate))
        return None


def member_path(uri: str | None) -> str | None:
    """The path a plainTextPath without 'internal://' names ('relative://x.txt', 'sources/x.txt', 'C:\\…\\x.txt'),
    as a name to look up among the archive's members only: nothing outside the archive is read."""
    if not uri:
        return None
    name = re.sub(r"^[a-z]+:/*", "", uri.strip(), flags=re.IGNORECASE).replace("\\", "/")
    name = re.sub(r"^[A-Za-z]:/", "", name).lstrip("/")  # a Windows drive, a leading slash
    parts = PurePosixPath(name).parts
    return None if not parts or ".." in parts else name


def internal_name(uri: str | None) -> str | None:
    """The file name of an 'internal://<name>' URI; None for other URIs or names escaping the folder."""
    if not uri or not uri.startswith("internal://"):
        return None
    name = uri[len("internal://"):].replace("\\", "/")
    parts = PurePosixPath(name).parts
    if not parts or ".." in parts or name.startswith("/"):
        return None
    return name


ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class SourceText:
    """One source's text with a fast UTF-16-unit to code-point position converter."""

    def __init__(self, text: str) -> None:
        self.text = text
        astral = [] if text.isascii() else [m.start() for m in ASTRAL.finditer(text)]
        self.astral_u16: list[int] = [i + shift for shift, i in enumerate(astral)]
        self.u16_length = len(text) + len(astral)

    def to_codepoint(self, pos: int) -> int:
        """Code-point index of a UTF-16 unit offset (an offset inside a surrogate pair rounds down)."""
        return pos - bisect.bisect_left(self.astral_u16, pos)


# ----------------------------------------------------------------------------- the streaming parse

@dataclass
class ProjectParse:
    """Everything read from one project or codebook file."""

    file: str
    skip_invalid: bool
    utf16: bool | None = None
    origin: str = ""
    codes: list[tuple] = field(default_factory=list)
    code_ids: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    case_names: dict[str, str] = field(default_factory=dict)
    source_cases: dict[str, list[str]] = field(default_factory=dict)
    selection_cases: dict[str, list[str]] = field(default_factory=dict)
    pending_attributes: list[tuple] = field(default_factory=list)
    attributes: list[tuple] = field(default_factory=list)
    source_names: dict[str, str] = field(default_factory=dict)
    codings: list[tuple] = field(default_factory=list)
    documents: list[tuple[str, int]] = field(default_factory=list)
    segment_ids: set[str] = field(default_factory=set)
    note_refs: list[tuple[int, str]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    roundtrip: str | None = None
    deferred: list[Exception] = field(default_factory=list)
    sets: list[dict] = field(default_factory=list)
    uncoded: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema_errors: list[tuple[int, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {
        "users": 0, "codes": 0, "sources": 0, "selections": 0, "codings": 0, "cases": 0, "notes": 0, "sets": 0})
    texts: dict[tuple, Any] = field(default_factory=dict)
    sync_points: dict[str, int] = field(default_factory=dict)
    missing_text_warned: set[str] = field(default_factory=set)
    current_source: tuple = (None, None)
    last_key: tuple | None = None
    last_holder: Any = None
    root_closed: bool = False
    last_line: int = 0

    def codes_frame(self) -> pd.DataFrame:
        """The code tree as the importer input table."""
        return pd.DataFrame([c[:4] for c in self.codes], columns=["code_id", "parent_id", "name", "description"],
                            dtype="string")

    def reject(self, place: str, problem: str, document: str | None = None, segment_id: str | None = None) -> None:
        """Raise a MalformedExportError, or with skip_invalid record the item as skipped."""
        if not self.skip_invalid:
            raise MalformedExportError(self.file, place, problem)
        self.skipped.append({"file": self.file, "place": place, "problem": problem,
                             "document": document, "segment_id": segment_id})

    def warn(self, place: str, problem: str) -> None:
        """Issue an ExportWarning naming file and place, and keep it for the import report."""
        warning = ExportWarning(self.file, place, problem)
        self.warnings.append(str(warning))
        warnings.warn(warning, stacklevel=3)


def parse_project(stream: IO[bytes], file: str, texts: Any, config: dict | None, skip_invalid: bool,
                  xsd: Path = PROJECT_XSD, origin: tuple[Path, str | None, int] | None = None) -> ProjectParse:
    """Stream one project/codebook XML document, handling each element of interest when it ends.

    The XSD is checked in the same pass; for a large file (``origin`` = path, archive member,
    size) it is checked by a second process reading the file alongside, so the check costs no time.
    """
    parsed = ProjectParse(file=file, skip_invalid=skip_invalid, utf16=position_setting(config))
    handlers = element_handlers()
    validator = start_validation(origin, xsd) if origin and origin[2] > PARALLEL_VALIDATION_BYTES else None
    schema = None if validator else load_schema(xsd)
    context = iterparse(stream, events=("end",), tag=[f"{{*}}{t}" for t in STREAM_TAGS],
                        **({"schema": schema} if schema is not None else {}))
    elem = None
    completed = False
    try:
        for _, elem in context:
            if not parsed.origin:
                read_root(parsed, elem)
            handlers[_LOCAL_NAMES.get(elem.tag) or local(elem)](parsed, elem, texts)
        completed = True
    except etree.XMLSyntaxError as exc:
        parsed.schema_errors = split_schema_errors(exc, file)
        completed = True
    finally:
        if validator is not None:
            parsed.schema_errors = parsed.schema_errors or finish_validation(validator, completed)
    parsed.last_line = (elem.sourceline or 0) if elem is not None else 0
    if parsed.deferred:  # raised after the parse, so lxml's iterparse is never left half-way
        raise parsed.deferred[0]
    if not parsed.root_closed:  # lxml's schema-validating iterparse can stop silently at a truncation
        raise MalformedExportError(file, f"after line {parsed.last_line}", "the XML ends before its root element "
                                   "is closed (truncated file?)", remedy="the file is incomplete; export it again.")
    if parsed.utf16 is None:
        parsed.utf16 = False
    finish_parse(parsed)
    return parsed


def start_validation(origin: tuple[Path, str | None, int], xsd: Path) -> tuple[Any, Any]:
    """Check a large file against the XSD in a second process while this one reads it.

    The helper dies with the import: it is terminated when the import fails or is interrupted
    (see finish_validation), and on Linux it asks the kernel to kill it if the importer dies (PDEATHSIG).
    """
    pool = multiprocessing.get_context("spawn").Pool(1, initializer=die_with_parent)
    path, member, _ = origin
    return pool, pool.apply_async(schema_violations, (str(path), member, str(xsd)))


def die_with_parent() -> None:
    """In a helper process: receive SIGTERM when the parent process dies (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


def finish_validation(validator: tuple[Any, Any], completed: bool = True) -> list[tuple[int, str]]:
    """Collect the second process's XSD violations; when the read did not complete, just stop it."""
    pool, result = validator
    try:
        return result.get() if completed else []
    finally:
        pool.terminate()
        pool.join()


def schema_violations(path: str, member: str | None, xsd: str) -> list[tuple[int, str]]:
    """XSD violations of a project file or archive member as (line, message); broken XML is left to the reader."""
    with ExitStack() as stack:
        stream = (stack.enter_context(stack.enter_context(open_zip(Path(path))).open(member)) if member
                  else stack.enter_context(open(path, "rb")))
        try:
            for _, elem in iterparse(stream, events=("end",), schema=load_schema(Path(xsd))):
                release(elem)  # validation streams; the tree is not needed, so memory stays flat
        except etree.XMLSyntaxError as exc:
            return [(e.line, e.message) for e in exc.error_log if e.domain_name == "SCHEMASV"]
    return []


def split_schema_errors(exc: etree.XMLSyntaxError, file: str) -> list[tuple[int, str]]:
    """Return the XSD violations; raise MalformedExportError when the XML itself is broken."""
    log = list(exc.error_log) or []
    fatal = [e for e in log if e.domain_name != "SCHEMASV"]
    if fatal or not log:
        first = fatal[0] if fatal else None
        line = first.line if first is not None else exc.lineno
        message = first.message if first is not None else str(exc)
        raise MalformedExportError(file, f"line {line}", f"not well-formed XML ({message})",
                                   remedy="the file is truncated or damaged; export it again.") from exc
    return [(e.line, e.message) for e in log]


def read_root(parsed: ProjectParse, elem: Any) -> None:
    """Note the project's origin and decide the position unit when the config does not say."""
    root = elem.getroottree().getroot()
    parsed.origin = root.get("origin") or "(no origin)"
    if parsed.utf16 is None:
        parsed.utf16 = "nvivo" in parsed.origin.lower()


def position_setting(config: dict | None) -> bool | None:
    """True/False when study.yml forces UTF-16 or code-point positions; None to decide by origin."""
    setting = ((config or {}).get("refi") or {}).get("positions")
    if setting in (None, "auto"):
        return None
    if setting not in ("utf16", "codepoints"):
        from ..model.errors import ConfigError
        raise ConfigError("study.yml", "refi.positions", f"must be utf16, codepoints or auto, got {setting!r}")
    return setting == "utf16"


@functools.lru_cache(maxsize=4)
def load_schema(xsd: Path) -> etree.XMLSchema:
    """The REFI XML schema shipped with the package, parsed safely once."""
    return etree.XMLSchema(etree.parse(str(xsd), xml_parser()))


def element_handlers() -> dict[str, Any]:
    """Map each streamed element's local name to its handler."""
    handlers: dict[str, Any] = {
        "Users": handle_users, "Codes": handle_codes, "Variables": handle_variables, "Cases": handle_cases,
        "PlainTextContent": handle_text_content, "SyncPoint": handle_sync_point, "Note": handle_note,
        "Set": handle_set, "Representation": handle_text_holder_end, "Transcript": handle_text_holder_end,
        "Project": handle_root, "CodeBook": handle_root,
    }
    handlers.update({tag: handle_selection for tag in SELECTIONS})
    handlers["PlainTextSelection"] = handle_text_selection
    handlers.update({tag: handle_source for tag in SOURCES})
    return handlers


_LOCAL_NAMES: dict[Any, str] = {}


def local(elem: Any) -> str:
    """An element's tag without namespace (cached per tag; '' for comments and PIs)."""
    tag = elem.tag
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = tag.rpartition("}")[2] if isinstance(tag, str) else ""
    return name


def children(elem: Any, name: str) -> list[Any]:
    """Direct children with the local name, in any namespace."""
    return list(elem.iterchildren("{*}" + name))


def child_text(elem: Any, name: str) -> str | None:
    """Text of the first direct child with the local name, or None."""
    found = next(elem.iterchildren("{*}" + name), None)
    return found.text if found is not None else None


def where(parsed: ProjectParse, elem: Any) -> str:
    """'line N, <Tag guid='...'>' for messages."""
    guid = elem.get("guid")
    tag = f"<{local(elem)}" + (f" guid='{guid}'" if guid else "") + ">"
    return f"line {elem.sourceline}, {tag}" if elem.sourceline else tag


def norm_guid(parsed: ProjectParse, value: str | None, elem: Any, attribute: str) -> str | None:
    """A GUID without braces, lower-cased; a missing or malformed one is reported."""
    if value is not None and len(value) == 36 and value[8] == value[13] == value[18] == value[23] == "-":
        return value.lower()
    found = GUID_RE.match((value or "").strip())
    if found:
        return found.group(1).lower()
    if value:
        parsed.warn(where(parsed, elem), f"{attribute} {value!r} is not a GUID; used as it is")
        return value.strip().strip("{}").lower()
    return None


def release(elem: Any) -> None:
    """Free a handled element and the already handled siblings before it (keeps memory flat)."""
    elem.clear(keep_tail=False)
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


# ----------------------------------------------------------------------------- element handlers

def handle_root(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Note that the document's root element closed (the file is complete)."""
    if elem.getparent() is None:
        parsed.root_closed = True


def handle_users(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Count the project's users and keep each one's name (the coder of the codings they created)."""
    parsed.counts["users"] += len(children(elem, "User"))
    for user in children(elem, "User"):
        guid = norm_guid(parsed, user.get("guid"), user, "guid")
        if guid:
            parsed.users[guid] = (user.get("name") or "").strip() or (user.get("id") or "").strip() or guid
    release(elem)


def handle_codes(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Read the whole code tree (depth first, codebook order) with parents and descriptions."""
    stack = [(code, None) for code in reversed(children(elem, "Code"))]
    while stack:
        code, parent = stack.pop()
        guid = norm_guid(parsed, code.get("guid"), code, "guid")
        name = (code.get("name") or "").strip()
        if guid is None or not name or guid in parsed.code_ids:
            problem = ("has no guid" if guid is None else "has no name" if not name
                       else f"repeats the guid of another code ({guid})")
            raise MalformedExportError(parsed.file, where(parsed, code), f"the code {problem}",
                                       remedy="fix the code in the QDA software and export again.")
        parsed.code_ids.add(guid)
        description = (child_text(code, "Description") or "").strip() or None
        parsed.codes.append((guid, parent, name, description, code.get("isCodable")))
        stack.extend((sub, guid) for sub in reversed(children(code, "Code")))
    parsed.counts["codes"] = len(parsed.codes)
    release(elem)


def handle_variables(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Map each variable's GUID to its name."""
    for variable in children(elem, "Variable"):
        guid = norm_guid(parsed, variable.get("guid"), variable, "guid")
        if guid:
            parsed.variables[guid] = variable.get("name") or guid
    release(elem)


def handle_cases(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Read cases: names, variables and the sources/selections they hold (unnamed ones give file variables)."""
    for case in children(elem, "Case"):
        parsed.counts["cases"] += 1
        guid = norm_guid(parsed, case.get("guid"), case, "guid") or f"case-{parsed.counts['cases']}"
        name = (case.get("name") or "").strip()
        sources = [norm_guid(parsed, r.get("targetGUID"), r, "targetGUID") for r in children(case, "SourceRef")]
        selections = [norm_guid(parsed, r.get("targetGUID"), r, "targetGUID") for r in children(case, "SelectionRef")]
        values = [read_variable_value(parsed, v) for v in children(case, "VariableValue")]
        if not name:
            parsed.pending_attributes.extend(("document", s, var, val) for s in sources if s
                                             for var, val in values if var)
            continue
        parsed.case_names[guid] = name
        parsed.attributes.append(("case", name, None, None))
        parsed.attributes.extend(("case", name, var, val) for var, val in values if var)
        for target, mapping in ((sources, parsed.source_cases), (selections, parsed.selection_cases)):
            for ref in target:
                if ref and name not in mapping.setdefault(ref, []):
                    mapping[ref].append(name)
    release(elem)


def read_variable_value(parsed: ProjectParse, value: Any) -> tuple[str | None, str | None]:
    """(variable name, value as text) of a VariableValue element, whatever its type."""
    refs = children(value, "VariableRef")
    guid = norm_guid(parsed, refs[0].get("targetGUID"), refs[0], "targetGUID") if refs else None
    name = parsed.variables.get(guid) if guid else None
    if guid and name is None:
        parsed.warn(where(parsed, value), f"VariableRef {guid} names no declared Variable; value ignored")
    for tag in VALUE_TAGS:
        text = child_text(value, tag)
        if text is not None:
            return name, text.strip()
    return name, None


def handle_text_content(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Keep the inline text of a source, representation or transcript for its selections."""
    parent = elem.getparent()
    if parent is not None and local(parent) in TEXT_HOLDERS:
        parsed.texts[holder_key(parent)] = SourceText(elem.text or "")


def handle_sync_point(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Remember a transcript sync point's text position."""
    guid = norm_guid(parsed, elem.get("guid"), elem, "guid")
    position = elem.get("position")
    if not guid or position in (None, ""):
        return
    if not position.strip().isascii() or not position.strip().isdigit():
        problem = f"SyncPoint position {position!r} is not a whole number >= 0"
        if parsed.skip_invalid:
            parsed.reject(where(parsed, elem), problem)
        elif not parsed.deferred:
            parsed.deferred.append(MalformedExportError(parsed.file, where(parsed, elem), problem))
        return
    parsed.sync_points[guid] = int(position)


def handle_note(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Keep a note's text for the NoteRefs of codings, and icevidence's round-trip note."""
    parsed.counts["notes"] += 1
    guid = norm_guid(parsed, elem.get("guid"), elem, "guid")
    text = child_text(elem, "PlainTextContent")
    if text is None and elem.get("plainTextPath"):
        text = texts.load(elem.get("plainTextPath"), where(parsed, elem))
    if elem.get("name") == ROUNDTRIP_NOTE:
        parsed.roundtrip = text
    elif guid:
        parsed.notes[guid] = (text or "").strip()
    release(elem)


def handle_set(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Record a set's member sources and codes (document sets become a 'set' file variable)."""
    parsed.counts["sets"] += 1
    members = {kind: [norm_guid(parsed, m.get("targetGUID"), m, "targetGUID") for m in children(elem, kind)]
               for kind in ("MemberSource", "MemberCode", "MemberNote")}
    parsed.sets.append({"name": elem.get("name") or "", "sources": members["MemberSource"],
                        "codes": members["MemberCode"], "notes": members["MemberNote"]})
    release(elem)


def handle_text_holder_end(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Drop the cached text of a representation or transcript once its selections are read."""
    parsed.texts.pop(holder_key(elem), None)


def handle_source(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """At a source's end: its whole-document codings and file variables; then free it."""
    parsed.counts["sources"] += 1
    guid = norm_guid(parsed, elem.get("guid"), elem, "guid") or f"source-{parsed.counts['sources']}"
    name = source_name(elem)
    parsed.source_names[guid] = name
    for value in children(elem, "VariableValue"):
        variable, text = read_variable_value(parsed, value)
        if variable:
            parsed.attributes.append(("document", name, variable, text))
    codings = children(elem, "Coding")
    if codings:
        add_codings(parsed, elem, codings, name, guid, None, ("", None, None, f"coding of the whole {local(elem)}"),
                    None)
    if local(elem) == "TextSource":
        record_length(parsed, elem, name, texts)
    parsed.texts.pop(holder_key(elem), None)
    release(elem)


def record_length(parsed: ProjectParse, elem: Any, name: str, texts: Any) -> None:
    """Keep a text source's full length in code points (its plain text, read now if no selection needed it)."""
    key = holder_key(elem)
    if key in parsed.texts:
        text = parsed.texts[key]
        length = len(text.text) if isinstance(text, SourceText) else None
    else:
        loaded = texts.load(elem.get("plainTextPath"), where(parsed, elem)) if elem.get("plainTextPath") else None
        length = None if loaded is None else len(loaded)
    if length is not None:
        parsed.documents.append((name, length))


def source_name(elem: Any) -> str:
    """A source's name, or its GUID when it has none."""
    return (elem.get("name") or "").strip() or (elem.get("guid") or "(unnamed source)")


def enclosing_source(elem: Any) -> Any:
    """The nearest ancestor that is a source (TextSource, PDFSource, ...)."""
    parent = elem.getparent()
    if parent is not None and local(parent) in SOURCES:
        return parent
    for ancestor in elem.iterancestors():
        if isinstance(ancestor.tag, str) and local(ancestor) in SOURCES:
            return ancestor
    return None


def handle_text_selection(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Fast path for the common case (a PlainTextSelection in a TextSource whose text is loaded, each
    Coding with one CodeRef); anything else goes to handle_selection."""
    holder = elem.getparent()
    if holder is not parsed.last_holder or parsed.selection_cases:
        return handle_selection(parsed, elem, texts)
    source = parsed.texts.get(parsed.last_key)
    codings = []
    for child in elem:
        name = _LOCAL_NAMES.get(child.tag) or local(child)
        if name == "Description" and not (child.text or "").strip():
            continue
        if name != "Coding" or len(child) != 1:
            return handle_selection(parsed, elem, texts)
        codings.append(child)
    try:
        start, end = int(elem.get("startPosition")), int(elem.get("endPosition"))
    except (TypeError, ValueError):
        return handle_selection(parsed, elem, texts)
    if not codings or source is None or source is MISSING:
        return handle_selection(parsed, elem, texts)
    if not 0 <= start < end <= (source.u16_length if parsed.utf16 else len(source.text)):
        return handle_selection(parsed, elem, texts)
    if parsed.utf16:
        start, end = source.to_codepoint(start), source.to_codepoint(end)
    document, source_guid = parsed.current_source[1]
    case = parsed.source_cases.get(source_guid) if source_guid else None
    case = case[0] if case and len(case) == 1 else None
    text = source.text[start:end]
    rows = []
    for coding in codings:
        ref = coding[0]
        segment_id, target = coding.get("guid") or "", ref.get("targetGUID") or ""
        if len(segment_id) != 36 or len(target) != 36 or (_LOCAL_NAMES.get(ref.tag) or local(ref)) != "CodeRef":
            return handle_selection(parsed, elem, texts)
        segment_id, target = segment_id.lower(), target.lower()
        if target not in parsed.code_ids or segment_id in parsed.segment_ids:
            return handle_selection(parsed, elem, texts)
        rows.append((segment_id, document, case, target, text, start, end, None,
                     (coding.get("creatingUser") or "").strip("{}").lower() or None))
    if len(rows) > 1 and len({r[0] for r in rows}) < len(rows):
        return handle_selection(parsed, elem, texts)
    parsed.counts["selections"] += 1
    parsed.counts["codings"] += len(rows)
    parsed.segment_ids.update(r[0] for r in rows)
    parsed.codings.extend(rows)
    release(elem)


def handle_selection(parsed: ProjectParse, elem: Any, texts: Any) -> None:
    """Turn a selection's codings into coding rows (one per Coding), checking positions and code refs."""
    parsed.counts["selections"] += 1
    holder = elem.getparent()
    source = holder if holder is not None and local(holder) in SOURCES else enclosing_source(elem)
    if source is None:  # a selection inside a Note: not interview evidence
        release(elem)
        return
    document, source_guid = describe_source(parsed, source)
    selection_guid = norm_guid(parsed, elem.get("guid"), elem, "guid")
    codings, description, note_refs = split_selection(elem)
    if not codings:
        if description:
            parsed.uncoded.append({"document": document, "selection": selection_guid, "description": description})
        release(elem)
        return
    extent = selection_extent(parsed, elem, texts, document, holder)
    if extent is not None:
        add_codings(parsed, elem, codings, document, source_guid, selection_guid, extent, description, note_refs)
    else:
        parsed.counts["codings"] += len(codings)
    release(elem)


def split_selection(elem: Any) -> tuple[list[Any], str, list[Any]]:
    """A selection's Coding elements, its description and its NoteRefs, in one pass over its children."""
    codings: list[Any] = []
    notes: list[Any] = []
    description = ""
    for child in elem:
        name = local(child)
        if name == "Coding":
            codings.append(child)
        elif name == "Description":
            description = (child.text or "").strip()
        elif name == "NoteRef":
            notes.append(child)
    return codings, description, notes


def describe_source(parsed: ProjectParse, source: Any) -> tuple[str, str | None]:
    """(name, normalised guid) of a source, cached for the run of selections inside it."""
    if source is parsed.last_holder:
        return parsed.current_source[1]
    key = holder_key(source)
    parsed.last_key, parsed.last_holder = key, source
    if parsed.current_source[0] != key:
        parsed.current_source = (key, (source_name(source), norm_guid(parsed, source.get("guid"), source, "guid")))
    return parsed.current_source[1]


def selection_extent(parsed: ProjectParse, elem: Any, texts: Any, document: str, holder: Any) -> tuple | None:
    """(text, start, end, note) of a selection in code points, or None when it was rejected."""
    kind = local(elem)
    if kind == "PlainTextSelection":
        return text_extent(parsed, elem, texts, document, holder)
    if kind == "TranscriptSelection":
        return transcript_extent(parsed, elem, texts, document)
    if kind == "PDFSelection":
        representation = children(elem, "Representation")
        text = (child_text(representation[0], "PlainTextContent") or "") if representation else ""
        return text, None, None, (f"PDFSelection page {elem.get('page')}, area ({elem.get('firstX')},"
                                  f"{elem.get('firstY')})-({elem.get('secondX')},{elem.get('secondY')})")
    if kind == "PictureSelection":
        return "", None, None, (f"PictureSelection area ({elem.get('firstX')},{elem.get('firstY')})-"
                                f"({elem.get('secondX')},{elem.get('secondY')})")
    return "", None, None, f"{kind} {elem.get('begin')}-{elem.get('end')} ms"


def read_positions(parsed: ProjectParse, elem: Any, document: str, first: str, second: str) -> tuple[int, int] | None:
    """The two integer position attributes of a selection, or None after rejecting it."""
    try:
        start, end = int(elem.get(first)), int(elem.get(second))
    except (TypeError, ValueError):
        parsed.reject(where(parsed, elem), f"{first}/{second} {elem.get(first)!r}/{elem.get(second)!r} "
                      "are not whole numbers", document, elem.get("guid"))
        return None
    if start < 0 or end < start:
        parsed.reject(where(parsed, elem), f"the selection {start}-{end} is not a valid range "
                      "(start must be >= 0 and not after the end)", document, elem.get("guid"))
        return None
    return start, end


MISSING = "missing"


def holder_key(elem: Any) -> tuple:
    """A stable key of an element (lxml proxies, and so id(), are not stable)."""
    return elem.sourceline, elem.get("guid"), local(elem)


def holder_text(parsed: ProjectParse, holder: Any, texts: Any, selection: Any, document: str) -> Any:
    """The (cached) text of a source/representation/transcript (inline or its plainTextPath file);
    None when unavailable, MISSING when the archive lacks a file it names."""
    key = parsed.last_key if holder is parsed.last_holder else holder_key(holder)
    if key not in parsed.texts:
        uri = holder.get("plainTextPath")
        text = texts.load(uri, "") if uri else None
        if text is None and uri and uri.startswith("internal://") and texts.internal_required:
            parsed.texts[key] = MISSING
            return MISSING
        if text is None and document not in parsed.missing_text_warned:
            parsed.missing_text_warned.add(document)
            parsed.warn(where(parsed, selection), f"the text of document {document!r} "
                                                  f"({uri or 'no plainTextPath'}) is not available; "
                               "its codings are kept with empty text")
        parsed.texts[key] = SourceText(text) if text is not None else None
    return parsed.texts[key]


def text_extent(parsed: ProjectParse, elem: Any, texts: Any, document: str, holder: Any) -> tuple | None:
    """Text and code-point range of a PlainTextSelection, converting NVivo's UTF-16 positions."""
    positions = read_positions(parsed, elem, document, "startPosition", "endPosition")
    if positions is None:
        return None
    start, end = positions
    source = holder_text(parsed, holder, texts, elem, document)
    note = "zero-length selection" if start == end else None
    if source is MISSING:
        parsed.reject(where(parsed, elem), f"the source text {holder.get('plainTextPath')!r} of document "
                      f"{document!r} is missing from the archive", document, elem.get("guid"))
        return None
    if source is None:
        preview = (elem.get("name") or "").strip()
        if preview:
            return preview, start, end, join_notes(note, "source text not available; text is the selection's "
                                                         "name (ATLAS.ti's quotation preview, may be shortened)")
        return "", start, end, join_notes(note, "source text not available")
    length = source.u16_length if parsed.utf16 else len(source.text)
    if end > length:
        unit = "UTF-16 units" if parsed.utf16 else "characters"
        parsed.reject(where(parsed, elem), f"the selection {start}-{end} goes beyond the end of its text "
                      f"({length} {unit} in document {document!r})", document, elem.get("guid"))
        return None
    if parsed.utf16:
        start, end = source.to_codepoint(start), source.to_codepoint(end)
    return source.text[start:end], start, end, note


def transcript_extent(parsed: ProjectParse, elem: Any, texts: Any, document: str) -> tuple | None:
    """Text of a TranscriptSelection between its two sync points."""
    first = norm_guid(parsed, elem.get("fromSyncPoint"), elem, "fromSyncPoint")
    second = norm_guid(parsed, elem.get("toSyncPoint"), elem, "toSyncPoint")
    start, end = parsed.sync_points.get(first or ""), parsed.sync_points.get(second or "")
    if start is None or end is None or end < start:
        return "", None, None, "TranscriptSelection (sync points unknown)"
    source = holder_text(parsed, elem.getparent(), texts, elem, document)
    if source is None or source is MISSING:
        return "", start, end, "TranscriptSelection; transcript text not available"
    if parsed.utf16:
        start, end = source.to_codepoint(start), source.to_codepoint(end)
    return source.text[start:end], start, end, "TranscriptSelection"


def add_codings(parsed: ProjectParse, elem: Any, codings: list[Any], document: str, source_guid: str | None,
                selection_guid: str | None, extent: tuple, description: str | None,
                note_refs: list[Any] = ()) -> None:
    """Append one coding row per Coding element, checking its CodeRef and guid."""
    text, start, end, kind_note = extent
    case = case_of(parsed, source_guid, selection_guid)
    note = join_notes(description or None, kind_note)
    for coding in codings:
        parsed.counts["codings"] += 1
        segment_id = (norm_guid(parsed, coding.get("guid"), coding, "guid")
                      or f"{selection_guid}-{parsed.counts['codings']}")
        target, refs = None, list(note_refs)
        for child in coding:
            name = local(child)
            if name == "CodeRef" and target is None:
                target = norm_guid(parsed, child.get("targetGUID"), child, "targetGUID")
            elif name == "NoteRef":
                refs.append(child)
        problem = (f"CodeRef targetGUID {target!r} names no code in the codebook (dangling CodeRef)"
                   if target not in parsed.code_ids else
                   f"the Coding guid {segment_id} is used twice" if segment_id in parsed.segment_ids else None)
        if problem:
            parsed.reject(f"{where(parsed, elem)}, {where(parsed, coding)}", problem, document, segment_id)
            continue
        parsed.segment_ids.add(segment_id)
        for ref in refs:
            guid = norm_guid(parsed, ref.get("targetGUID"), ref, "targetGUID")
            if guid:
                parsed.note_refs.append((len(parsed.codings), guid))
        coder = norm_guid(parsed, coding.get("creatingUser"), coding, "creatingUser")
        parsed.codings.append((segment_id, document, case, target, text, start, end, note, coder))


def case_of(parsed: ProjectParse, source_guid: str | None, selection_guid: str | None) -> str | None:
    """The one named case holding the selection (or else its source); None when none or several do."""
    for guid, mapping in ((selection_guid, parsed.selection_cases), (source_guid, parsed.source_cases)):
        names = mapping.get(guid or "")
        if names:
            return names[0] if len(names) == 1 else None
    return None


def join_notes(*parts: str | None) -> str | None:
    """Join the non-empty parts with '; ', or None."""
    kept = [p for p in parts if p]
    return "; ".join(kept) if kept else None


def finish_parse(parsed: ProjectParse) -> None:
    """Resolve what needed the whole file: file variables of unnamed cases, document sets, note texts."""
    for kind, guid, variable, value in parsed.pending_attributes:
        parsed.attributes.append((kind, parsed.source_names.get(guid, guid), variable, value))
    for entry in parsed.sets:
        names = [parsed.source_names[g] for g in entry["sources"] if g in parsed.source_names]
        parsed.attributes.extend(("document", n, "set", entry["name"]) for n in names)
    for index, guid in parsed.note_refs:
        text = parsed.notes.get(guid)
        if text:
            row = parsed.codings[index]
            parsed.codings[index] = row[:7] + (join_notes(row[7], f"note: {text}"),) + row[8:]
    parsed.texts.clear()


def warn_schema_errors(parsed: ProjectParse, reopen: Any, size: int, xsd: Path) -> None:
    """Warn about each XSD violation (with line numbers when the file is small enough to re-check)."""
    errors = parsed.schema_errors
    if size <= LINE_VALIDATION_BYTES:
        with reopen() as stream:
            tree = etree.parse(stream, xml_parser())
        schema = load_schema(xsd)
        schema.validate(tree)
        errors = [(e.line, e.message) for e in schema.error_log] or errors
    for line, message in errors[:MAX_WARNINGS]:
        warning = RefiValidationWarning(parsed.file, f"line {line}" if line else "",
                                        f"breaks the REFI-QDA XSD: {message}")
        parsed.warnings.append(str(warning))
        warnings.warn(warning, stacklevel=3)
    if len(errors) > MAX_WARNINGS:
        parsed.warn("", f"{len(errors) - MAX_WARNINGS} further XSD violations not listed")


def _head(archive: zipfile.ZipFile, member: str) -> bytes:
    """The first 4 KiB of an archive member."""
    with archive.open(member) as handle:
        return handle.read(4096)


def find_project_member(archive: zipfile.ZipFile, path: Path) -> str:
    """The archive's .qde member (whatever its name), preferring one at the top level."""
    names = [n for n in iter_member_names(archive) if n.lower().endswith(".qde")]
    if not names:
        raise MalformedExportError(str(path), "", "the archive holds no .qde project file, so it is not a REFI-QDA "
                                   "project", remedy="export the project from the QDA software as REFI-QDA (.qdpx).")
    names.sort(key=lambda n: (n.count("/"), n != "project.qde", n))
    return names[0]


# ----------------------------------------------------------------------------- to a Study

def make_study(parsed: ProjectParse, path: Path, config: dict | None) -> Study:
    """Build the Study from a parse (restoring icevidence ids when the file is one we wrote)."""
    note = read_roundtrip(parsed)
    roundtrip = note if not set(config or {}) - {"id"} else None
    if roundtrip is not None:
        config = roundtrip_description(parsed, roundtrip, config)
    codes = parsed.codes_frame()
    codings = pd.DataFrame(parsed.codings, columns=CODING_FIELDS)
    codings["coder"] = codings["coder"].map(lambda g: parsed.users.get(g, g))  # the user's name, else the GUID
    codings = codings.astype({c: "string" for c in CODING_FIELDS if c not in ("start", "end")})
    attributes = pd.DataFrame(parsed.attributes, columns=["owner_kind", "owner", "variable", "value"])
    if roundtrip is not None:
        codes, codings = apply_roundtrip_ids(roundtrip, codes, codings)
    study_id = study_id_for(path, config)
    study = build_study(study_id, codes, codings, attributes, config, path, parsed.skipped,
                        exclude_participants=(roundtrip or {}).get("unlisted_participants") or (),
                        documents=documents_frame(parsed, path, note, roundtrip is not None))
    if roundtrip is not None:
        study = restore_columns(study, roundtrip)
    study.meta.update({
        "uncoded_selections": parsed.uncoded, "warnings": [*parsed.warnings, *(study.meta.get("warnings") or [])],
        "refi": {"origin": parsed.origin, "user_names": sorted(set(parsed.users.values())),
                 "positions": "utf16" if parsed.utf16 else "codepoints",
                 "missing_texts": sorted(parsed.missing_text_warned),
                 **parsed.counts, "sets": [{"name": s["name"], "sources": len(s["sources"]),
                                            "codes": len(s["codes"])} for s in parsed.sets]},
    })
    return study


def documents_frame(parsed: ProjectParse, path: Path, note: dict | None, restored: bool) -> pd.DataFrame:
    """Each text source's full length. A project icevidence wrote has the quotes joined as its sources, not
    transcripts: it gives the lengths its round-trip note carries when its ids are restored, else none."""
    if note is not None:
        carried = note.get("documents") if restored and isinstance(note.get("documents"), list) else []
        rows = [(str(d.get("document")), d.get("characters"), d.get("source")) for d in carried
                if isinstance(d, dict) and d.get("document") is not None and isinstance(d.get("characters"), int)]
        return pd.DataFrame(rows, columns=["document", "characters", "source"])
    return pd.DataFrame([(name, length, f"{path.name}: length of the plain text of TextSource {name!r}")
                         for name, length in parsed.documents], columns=["document", "characters", "source"])


def read_roundtrip(parsed: ProjectParse) -> dict | None:
    """The round-trip note of a project icevidence wrote (origin 'icevidence ...'), or None."""
    if not parsed.roundtrip or not parsed.origin.startswith("icevidence"):
        return None
    try:
        data = json.loads(parsed.roundtrip)
    except ValueError as exc:
        parsed.warn(f"Note '{ROUNDTRIP_NOTE}'", f"not readable ({exc}); ids are the GUIDs")
        return None
    return data if isinstance(data, dict) else None


# study.yml keys that are rules (participant attribution, regexes, value mappings, reader settings):
# never taken from a file; they come only from the user's own study.yml / --config.
CONFIGURATION_KEYS = ("participants", "mapping", "attribution_pattern", "refi")
RULE_WORDS = ("pattern", "regex", "rule")
MAX_DEPTH = 4


def roundtrip_description(parsed: ProjectParse, roundtrip: dict, config: dict | None) -> dict | None:
    """The descriptive part of the study.yml a round-trip note carries (title, citation, sites...), never rules.

    A file is data, not configuration: participant rules, regexes and mappings in the note are
    ignored (with a warning) and only plain data (text, numbers, lists and mappings of them) is
    kept; rules come only from the user's --config.
    """
    from ..model.names import is_name
    carried = roundtrip.get("study") if isinstance(roundtrip.get("study"), dict) else {}
    ignored = sorted(str(k) for k, v in carried.items() if k != "id" and (is_rule(str(k)) or not plain_data(v)))
    kept = {str(k): v for k, v in carried.items() if k != "id" and str(k) not in ignored}
    if ignored:
        parsed.warn(f"Note '{ROUNDTRIP_NOTE}'", f"rules in the file ignored ({', '.join(ignored)}): a file is "
                    "data, not configuration; give them in your own study.yml with --config")
    if config and config.get("id"):
        kept["id"] = config["id"]
    elif is_name(carried.get("id")):
        kept["id"] = carried["id"]  # a name only (checked), never a path
    return kept or None


def is_rule(key: str) -> bool:
    """True for a study.yml key that configures behaviour (rules, regexes, mappings)."""
    return key in CONFIGURATION_KEYS or any(word in key.lower() for word in RULE_WORDS)


def plain_data(value: Any, depth: int = 0) -> bool:
    """True for text, numbers, booleans, None, and lists/mappings of them (no rule keys, bounded depth)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if depth >= MAX_DEPTH:
        return False
    if isinstance(value, list):
        return all(plain_data(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and not is_rule(k) and plain_data(v, depth + 1) for k, v in value.items())
    return False


def apply_roundtrip_ids(roundtrip: dict, codes: pd.DataFrame,
                        codings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Give codes and codings back the ids icevidence wrote them with."""
    code_ids = {str(k).lower(): str(v) for k, v in (roundtrip.get("codes") or {}).items()}
    segment_ids = {str(k).lower(): str(v) for k, v in (roundtrip.get("segments") or {}).items()}
    codes = codes.copy()
    codings = codings.copy()
    for column in ("code_id", "parent_id"):
        codes[column] = codes[column].map(lambda v: code_ids.get(v, v) if isinstance(v, str) else v).astype("string")
    codings["code_id"] = codings["code_id"].map(lambda v: code_ids.get(v, v)).astype("string")
    codings["segment_id"] = codings["segment_id"].map(lambda v: segment_ids.get(v, v)).astype("string")
    return codes, codings


def restore_columns(study: Study, roundtrip: dict) -> Study:
    """Put back the columns REFI-QDA cannot carry, as icevidence stored them in its round-trip note."""
    columns = roundtrip.get("columns") or {}
    for table_name, key in (("codes", "code_id"), ("participants", "participant_id"), ("segments", "segment_id")):
        table = getattr(study, table_name)
        values = columns.get(table_name) or {}
        for column, mapping in values.items():
            if column not in table.columns or not isinstance(mapping, dict):
                continue
            restored = pd.Series([mapping[k] if k in mapping else current
                                  for k, current in zip(table[key], table[column].astype(object))], index=table.index)
            restored = restored.where(restored.notna(), None).map(
                lambda v: UNCARRIABLE.sub("", v) if isinstance(v, str) else v)  # the note is data too
            if column in ("start", "end"):
                table[column] = pd.array(pd.to_numeric(restored, errors="coerce"), dtype="Int64")
            else:
                table[column] = restored.astype("string")
    return study
