"""Where commands may write: never a folder of the project's own, never over the user's files unless asked.

Every command that writes (``appendix --out``, ``matrices --out``, ``import``, ``export-qdpx``,
``synth --out``, and ``build`` into the reports folder) checks its target here first:

* a folder of the project's own (the project root, ``data/`` and everything in it, ``notebooks/``,
  ``src/``, ``tests/``, ``docs/``, ``bench/``, ``.git/``, ``.venv/``, ``reports/.cache``), a folder
  inside one, or an ancestor of one is refused, even with ``--force``;
* an existing non-empty folder (or an existing file) is refused unless ``--force`` is given.

Paths are compared after resolving symlinks, so a link to ``data/raw`` is ``data/raw``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import config
from .errors import CompendiumError

OWN_FOLDERS = ("data", "notebooks", "src", "tests", "docs", "bench", ".git", ".venv")
FORCE_INTO = "pass --force to write into it (files of the same name are replaced, other files are kept)"


@dataclass
class UnsafeOutputError(CompendiumError):
    """An output path that would replace or mix with the project's own files or the user's; nothing written."""

    option: str
    target: str
    problem: str
    remedy: str = "choose a new or empty folder outside the project's own folders (data/, notebooks/, src/, tests/)."

    def describe(self) -> str:
        return f"{self.option} {self.target}: {self.problem}"


def project_folders(*, keep: Path | None = None) -> list[Path]:
    """The project's own folders (resolved, read at call time so tests may move them); ``keep`` is left out."""
    root = config.ROOT
    folders = [root, *(root / name for name in OWN_FOLDERS), config.DATA, config.RAW, config.NOTEBOOKS,
               config.REPORTS / ".cache"]
    skip = keep.resolve() if keep is not None else None
    return list(dict.fromkeys(p.resolve() for p in folders if p.resolve() != skip))


def refuse_project_folder(target: Path, option: str, *, keep: Path | None = None,
                          allow_under: Path | None = None) -> Path:
    """The resolved target, unless it is, holds or lies inside a project folder (``allow_under``'s children
    excepted)."""
    resolved = Path(target).expanduser().resolve()
    folders = project_folders(keep=keep)
    for folder in folders:
        if resolved == folder or folder.is_relative_to(resolved):
            raise UnsafeOutputError(option, str(target), f"is {'' if resolved == folder else 'a folder holding '}"
                                    f"the project's own folder {folder}; it is never replaced")
    allowed = allow_under.resolve() if allow_under is not None else None
    for folder in folders:
        inside = resolved.is_relative_to(folder) and folder != config.ROOT.resolve()
        if inside and not (allowed is not None and resolved.parent == allowed):
            raise UnsafeOutputError(option, str(target), f"lies inside the project's own folder {folder}")
    return resolved


def check_output_folder(target: Path, *, force: bool, option: str = "--out") -> Path:
    """Refuse a project folder always, and an existing non-empty folder (or a file) unless ``force``."""
    resolved = refuse_project_folder(target, option)
    if resolved.exists() and not resolved.is_dir():
        raise UnsafeOutputError(option, str(target), "is a file, not a folder",
                                remedy="name a new or empty folder.")
    held = sum(1 for _ in resolved.iterdir()) if resolved.is_dir() else 0
    if held and not force:
        raise UnsafeOutputError(option, str(target), f"the folder already holds {held} file(s) or folder(s)",
                                remedy=f"choose a new or empty folder, or {FORCE_INTO}.")
    return resolved


def check_output_file(target: Path, *, force: bool, option: str) -> Path:
    """Refuse a file inside a project folder or at the project root always, and an existing file unless ``force``."""
    resolved = refuse_project_folder(target, option)
    if resolved.is_dir():
        raise UnsafeOutputError(option, str(target), "is a folder, not a file", remedy="name a file, e.g. out.qdpx.")
    if resolved.exists() and resolved.parent == config.ROOT.resolve():
        raise UnsafeOutputError(option, str(target), "is one of the project's own files; it is never replaced")
    if resolved.exists() and not force:
        raise UnsafeOutputError(option, str(target), "the file already exists",
                                remedy="choose another file name, or pass --force to replace it.")
    return resolved


def check_reports_folder() -> Path:
    """The reports folder (``ICEVIDENCE_REPORTS`` may move it), refused when it is one of the project's own."""
    return refuse_project_folder(config.REPORTS, "the reports folder (ICEVIDENCE_REPORTS)",
                                 keep=config.REPORTS / ".cache")


def check_study_folder(target: Path, *, force: bool, option: str = "--out") -> Path:
    """An import's target: a new folder, or with ``force`` an existing study folder (holding study.yml) or empty one."""
    resolved = refuse_project_folder(target, option, allow_under=config.RAW)
    if not resolved.exists():
        return resolved
    if not force:
        raise UnsafeOutputError(option, str(target), "the output folder already exists",
                                remedy="choose another --out or --study, or pass --force to replace it.")
    if not resolved.is_dir() or (any(resolved.iterdir()) and not (resolved / "study.yml").is_file()):
        raise UnsafeOutputError(option, str(target), "is not a study folder (it holds no study.yml), "
                                "so --force does not replace it", remedy="choose a new or empty folder.")
    return resolved
