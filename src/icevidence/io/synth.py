"""Synthetic REFI-QDA projects for scale tests: realistic shape, skewed tier-dependent coding.

A project has one transcript per participant (cases with variables tier and site), a code tree
of K codes in three levels and M codings spread over participants with skewed frequencies that
depend on the tier. The same arguments and seed give the same bytes.

With ``coders`` N > 1 (``--coders N --agreement P``), N coders code the same transcripts: each
coder keeps each of the M codings independently with probability P (its ``creatingUser`` is that
coder) and moves its boundaries by up to 2 % of the quote's length, so segments still match at an
overlap of 0.9. Agreement is then known in advance: of the codings at least one of two coders kept,
a share P / (2 - P) was kept by both (P = 0.8: 0.667); P = 1 gives perfect segment agreement.
"""
from __future__ import annotations

import shutil
import tempfile
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from lxml import etree

from ..model.atomic import atomic_path
from .refi_qda import PROJECT_NS

NAMESPACE = uuid.UUID("0b6a4f5e-1d2c-5e3f-8a7b-9c0d1e2f3a4b")
TIERS = np.array(["micro", "meso", "macro"])
TIER_SHARE = [0.5, 0.35, 0.15]
SITES = np.array(["Site A", "Site B", "Site C", "Site D"])
WORDS = ("care team patient staff social health referral integration manager service budget record "
         "system change training community hospital nurse doctor council partnership meeting data "
         "access pressure workload leadership trust culture identity colleague network pathway").split()
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class SynthSpec:
    """What to generate."""

    participants: int
    segments: int
    codes: int
    seed: int = 0
    coders: int = 1
    agreement: float = 1.0


def guid(spec: SynthSpec, kind: str, key: int | str) -> str:
    """Deterministic GUID of one item."""
    return str(uuid.uuid5(NAMESPACE, f"{spec.seed}:{kind}:{key}")).upper()


def make_code_tree(spec: SynthSpec) -> np.ndarray:
    """Parent index of each code (-1 for roots): ~4% overarching, ~20% main, the rest sub."""
    rng = np.random.default_rng([spec.seed, 1])
    n_top = max(1, spec.codes // 25)
    n_main = max(1, min(spec.codes - n_top, spec.codes // 5))
    parents = np.full(spec.codes, -1)
    parents[n_top:n_top + n_main] = rng.integers(0, n_top, n_main)
    parents[n_top + n_main:] = rng.integers(n_top, n_top + n_main, spec.codes - n_top - n_main)
    return parents


def draw_participants(spec: SynthSpec) -> tuple[np.ndarray, np.ndarray]:
    """Each participant's tier index and site index (sites skew by tier)."""
    rng = np.random.default_rng([spec.seed, 2])
    tiers = rng.choice(3, size=spec.participants, p=TIER_SHARE)
    sites = (rng.integers(0, len(SITES), spec.participants) + tiers) % len(SITES)
    return tiers, sites


def draw_codings(spec: SynthSpec, tiers: np.ndarray, parents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Participant and code of every coding: talkative participants, Zipf-like codes per tier."""
    rng = np.random.default_rng([spec.seed, 3])
    talk = rng.lognormal(0.0, 1.0, spec.participants)
    who = np.sort(rng.choice(spec.participants, size=spec.segments, p=talk / talk.sum()))
    codable = np.flatnonzero(np.isin(np.arange(spec.codes), parents, invert=True) | (parents >= 0))
    base = 1.0 / np.arange(1, len(codable) + 1) ** 0.9
    codes = np.empty(spec.segments, dtype=np.int64)
    for tier in range(3):
        weights = base * rng.lognormal(0.0, 1.2, len(codable))
        weights = rng.permutation(weights)
        mask = tiers[who] == tier
        codes[mask] = rng.choice(codable, size=int(mask.sum()), p=weights / weights.sum())
    return who, codes


def utterance(rng: np.random.Generator, lo: int, hi: int) -> str:
    """A sentence of random interview words."""
    words = rng.choice(WORDS, size=int(rng.integers(lo, hi)))
    return " ".join(words).capitalize() + "."


def write_synthetic_qdpx(spec: SynthSpec, out: Path, progress=None) -> Path:
    """Write the synthetic project as a .qdpx archive, streaming so memory stays flat."""
    parents = make_code_tree(spec)
    tiers, sites = draw_participants(spec)
    who, codes = draw_codings(spec, tiers, parents)
    starts = np.searchsorted(who, np.arange(spec.participants + 1))
    out = Path(out)
    with atomic_path(out) as temp:
        write_archive(spec, temp, parents, tiers, sites, who, codes, starts, progress)
    return out


def write_archive(spec: SynthSpec, out: Path, parents: np.ndarray, tiers: np.ndarray, sites: np.ndarray,
                  who: np.ndarray, codes: np.ndarray, starts: np.ndarray, progress=None) -> None:
    """Stream the project XML to a temporary file and zip it with the source texts into ``out``."""
    with tempfile.TemporaryFile() as qde, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        with etree.xmlfile(qde, encoding="utf-8") as xf:
            xf.write_declaration()
            with xf.element(f"{{{PROJECT_NS}}}Project", nsmap={None: PROJECT_NS}, name=f"synthetic-{spec.seed}",
                            origin="icevidence synth"):
                write_head(xf, spec, parents, tiers, sites)
                with xf.element(f"{{{PROJECT_NS}}}Sources"):
                    for p in range(spec.participants):
                        text = write_source(xf, spec, p, codes[starts[p]:starts[p + 1]], int(starts[p]))
                        info = zipfile.ZipInfo(f"sources/{guid(spec, 'source', p)}.txt", date_time=ZIP_DATE)
                        archive.writestr(info, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
                        if progress and p % 500 == 0:
                            progress(p, spec.participants)
        qde.seek(0)
        with archive.open(zipfile.ZipInfo("project.qde", date_time=ZIP_DATE), "w") as member:
            shutil.copyfileobj(qde, member, 1 << 20)


def write_head(xf, spec: SynthSpec, parents: np.ndarray, tiers: np.ndarray, sites: np.ndarray) -> None:
    """Users, the code tree, the tier and site variables and one case per participant."""
    ns = f"{{{PROJECT_NS}}}"
    with xf.element(f"{ns}Users"):
        for c in range(spec.coders):
            xf.write(etree.Element(f"{ns}User", guid=guid(spec, "user", c), name=coder_name(spec, c)))
    children: dict[int, list[int]] = {}
    for code, parent in enumerate(parents):
        children.setdefault(int(parent), []).append(code)
    with xf.element(f"{ns}CodeBook"), xf.element(f"{ns}Codes"):
        for root in children.get(-1, []):
            xf.write(code_element(spec, root, children))
    with xf.element(f"{ns}Variables"):
        for name in ("tier", "site"):
            xf.write(etree.Element(f"{ns}Variable", guid=guid(spec, "variable", name), name=name,
                                   typeOfVariable="Text"))
    with xf.element(f"{ns}Cases"):
        for p in range(spec.participants):
            case = etree.Element(f"{ns}Case", guid=guid(spec, "case", p), name=f"P{p + 1:05d}")
            for name, value in (("tier", TIERS[tiers[p]]), ("site", SITES[sites[p]])):
                holder = etree.SubElement(case, f"{ns}VariableValue")
                etree.SubElement(holder, f"{ns}VariableRef", targetGUID=guid(spec, "variable", name))
                etree.SubElement(holder, f"{ns}TextValue").text = str(value)
            etree.SubElement(case, f"{ns}SourceRef", targetGUID=guid(spec, "source", p))
            xf.write(case)


def code_element(spec: SynthSpec, code: int, children: dict[int, list[int]]) -> etree._Element:
    """A Code element with its subtree."""
    ns = f"{{{PROJECT_NS}}}"
    element = etree.Element(f"{ns}Code", guid=guid(spec, "code", code), name=f"Code {code + 1:04d}", isCodable="true")
    for child in children.get(code, []):
        element.append(code_element(spec, child, children))
    return element


def coder_name(spec: SynthSpec, c: int) -> str:
    """'synth' for a one-coder project, else 'Coder A', 'Coder B', ..."""
    return "synth" if spec.coders == 1 else f"Coder {chr(ord('A') + c)}"


def add_coder_selections(source: etree._Element, spec: SynthSpec, rng: np.random.Generator, key: int, code: int,
                         start: int, end: int) -> None:
    """Each coder's version of one coding: kept with probability P, boundaries jittered by up to 2 %."""
    ns = f"{{{PROJECT_NS}}}"
    reach = (end - start) // 50
    keep = rng.random(spec.coders) < spec.agreement
    shifts = rng.integers(-reach, reach + 1, size=(spec.coders, 2))
    for c in np.flatnonzero(keep):
        lo, hi = start + int(shifts[c, 0]), min(end + int(shifts[c, 1]), end + 1)  # the text has one more line break
        selection = etree.SubElement(source, f"{ns}PlainTextSelection", guid=guid(spec, "selection", f"{key}:{c}"),
                                     startPosition=str(max(lo, 0)), endPosition=str(max(hi, lo + 1)))
        coding = etree.SubElement(selection, f"{ns}Coding", guid=guid(spec, "coding", f"{key}:{c}"),
                                  creatingUser=guid(spec, "user", int(c)))
        etree.SubElement(coding, f"{ns}CodeRef", targetGUID=guid(spec, "code", code))


def write_source(xf, spec: SynthSpec, p: int, codes: np.ndarray, first: int) -> str:
    """One participant's transcript element with its coded selections; returns the transcript."""
    ns = f"{{{PROJECT_NS}}}"
    rng = np.random.default_rng([spec.seed, 4, p])
    parts, position = [], 0
    source = etree.Element(f"{ns}TextSource", guid=guid(spec, "source", p), name=f"Interview P{p + 1:05d}",
                           plainTextPath=f"internal://{guid(spec, 'source', p)}.txt")
    for offset, code in enumerate(codes):
        filler = utterance(rng, 4, 12) + " "
        quote = utterance(rng, 8, 24)
        start = position + len(filler)
        end = start + len(quote)
        parts += [filler, quote, "\n"]
        position = end + 1
        if spec.coders > 1:
            add_coder_selections(source, spec, rng, first + offset, int(code), start, end)
            continue
        selection = etree.SubElement(source, f"{ns}PlainTextSelection", guid=guid(spec, "selection", first + offset),
                                     startPosition=str(start), endPosition=str(end))
        coding = etree.SubElement(selection, f"{ns}Coding", guid=guid(spec, "coding", first + offset))
        etree.SubElement(coding, f"{ns}CodeRef", targetGUID=guid(spec, "code", int(code)))
    xf.write(source)
    return "".join(parts)
