"""Coverage: framework elements nobody was quoted for, quotes outside the framework, broken claim references,
and block quotes no recorded claim cites.

Every block quote is offered by the sentence that introduces it (data/README.md), so once every
introducing sentence is recorded as a claim, each block quote is cited by one; a block quote no claim
cites is an info row (the claims file is incomplete, not the paper).
"""
from __future__ import annotations

import pandas as pd

from ....model.codes import codes_without_evidence, descendants_with_self
from ....model.study import Study
from ..claims import read_claims
from ..findings import as_findings, finding, quote_excerpt
from ..quotes import block_quotes
from ..registry import Check, register_check

CHECK = "coverage"


def check_coverage(study: Study) -> pd.DataFrame:
    """Framework coverage, and, where the study has claims.yml, its references and block-quote coverage."""
    rows = framework_rows(study)
    claims = read_claims(study)
    if claims:
        rows += broken_references(study, claims) + uncited_block_quotes(study, claims)
    return as_findings(rows)


def framework_rows(study: Study) -> list[dict[str, str]]:
    """Framework elements nobody was quoted for, and quotes coded to a theme outside the framework."""
    empty = codes_without_evidence(study.codes, study.segments)
    parents = dict(zip(study.codes["code_id"], study.codes["parent_id"]))
    empty_ids = set(empty["code_id"])
    below = descendants_with_self(study.codes)
    rows = []
    for code in empty.itertuples(index=False):
        if parents.get(code.code_id) in empty_ids:
            continue
        under = len(below[code.code_id]) - 1
        rest = f" (nor any of its {under} codes below)" if under else ""
        rows.append(finding(study.id, CHECK, "framework element with no quote", "low",
                            code.source if isinstance(code.source, str) else "the code list",
                            f"{code.path} ({code.level}): no published quote{rest}", code.code_id))
    outside = study.segments[~study.segments["code_id"].isin(set(study.codes["code_id"]))]
    for seg in outside.itertuples(index=False):
        rows.append(finding(study.id, CHECK, "quote coded outside the framework", "high", seg.location,
                            f"coded {seg.code_id!r}, which is not a code of the framework; "
                            f"quote {quote_excerpt(seg.text)}", seg.segment_id))
    return rows


def broken_references(study: Study, claims: list[dict]) -> list[dict[str, str]]:
    """Claims naming a code outside the framework or a quote that is not in the segment table."""
    codes, quotes = set(study.codes["code_id"]), set(study.segments["segment_id"])
    rows = []
    for claim in claims:
        for code in [c for c in claim.get("codes") or [] if c not in codes]:
            rows.append(finding(study.id, CHECK, "claim code not in the framework", "medium", claim["location"],
                                f"{claim['id']} names code {code!r}, which codes.csv does not define", claim["id"]))
        for quote in [q for q in claim.get("quotes") or [] if q not in quotes]:
            rows.append(finding(study.id, CHECK, "claim cites an unknown quote", "medium", claim["location"],
                                f"{claim['id']} cites {quote!r}, which segments.csv does not hold", claim["id"]))
    return rows


def block_quote_coverage(study: Study, claims: list[dict] | None = None) -> pd.DataFrame:
    """Each block quote and the claims citing it (empty list: none)."""
    claims = read_claims(study) if claims is None else claims
    quotes = block_quotes(study)
    citing = [[c["id"] for c in claims if set(str(ids).split("; ")) & set(c.get("quotes") or [])]
              for ids in quotes["segment_ids"]]
    return quotes.assign(claims=["; ".join(c) for c in citing], cited=[bool(c) for c in citing])


def uncited_block_quotes(study: Study, claims: list[dict]) -> list[dict[str, str]]:
    """One info row listing the block quotes no recorded claim cites."""
    table = block_quote_coverage(study, claims)
    missing = table[~table["cited"]]
    if missing.empty:
        return []
    return [finding(study.id, CHECK, "block quote cited by no claim", "info", "; ".join(missing["location"]),
                    f"{len(missing)} of {len(table)} block quotes are cited by no recorded claim: their introducing "
                    "sentences are not yet in claims.yml, so whether each quote says what its sentence says is not "
                    "checked", "; ".join(missing["segment_ids"]))]


register_check(Check(CHECK, check_coverage, "framework elements without quotes, quotes outside the framework, claim "
                     "references and block quotes no claim cites (the last two where the study has claims.yml)",
                     order=70))
