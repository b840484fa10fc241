"""A paper's printed quotes as the checks read them: one row per printed quote, its ID's form, block quotes.

A quote coded with several codes is printed once, so the segments are grouped by text, location and
attribution. IDs are compared by their form (G1P13 -> A9A9) and skeleton (G1P13 -> G9P9). A block
quote is one the data locate as '(block quote)' or 'quote after para N' (data/README.md).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...model.speakers import speaker_keys
from ...model.study import Study
from .findings import quote_excerpt
from .reuse_index import runs

BLOCK_QUOTE = re.compile(r"\(block quote\)|\bquote after para(?:graph)? \d+", re.IGNORECASE)


def printed_quotes(study: Study) -> pd.DataFrame:
    """One row per printed quote (a quote coded with several codes is one quote), in paper order."""
    segments = study.segments
    keys = segments.groupby(["text", "location", "attribution_raw"], dropna=False, sort=False).ngroup().to_numpy()
    first = ~pd.Series(keys).duplicated().to_numpy()
    quotes = segments.loc[first, ["text", "location", "attribution_raw", "segment_id", "participant_id",
                                  "attribution_status", "tier", "site"]].reset_index(drop=True)
    quotes["speaker"] = speaker_keys(segments).to_numpy()[first]
    quotes = quotes.rename(columns={"segment_id": "first", "attribution_status": "status"})
    quotes.insert(3, "segment_ids", joined_by_group(keys, segments["segment_id"]))
    quotes.insert(5, "code_ids", joined_by_group(keys, segments["code_id"]))
    return quotes[["text", "location", "attribution_raw", "segment_ids", "first", "participant_id", "code_ids",
                   "status", "tier", "site", "speaker"]]


def joined_by_group(keys: Any, values: pd.Series) -> list[str]:
    """The values of each group joined by '; ', groups numbered 0.. in order of first appearance."""
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    text = values.astype(str).to_numpy(dtype=object)[order].tolist()
    starts, lengths = runs(keys[order])
    if len(starts) == len(text):  # one value per group, the common case
        return text
    return ["; ".join(text[start:start + length]) for start, length in zip(starts.tolist(), lengths.tolist())]


def map_distinct(values: pd.Series, function: Callable[[Any], Any], missing: Any = None) -> pd.Series:
    """function applied to each distinct value once (missing values give missing): a 1M-quote study
    repeats a few thousand attributions."""
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=True)
    mapped = np.asarray([function(v) for v in distinct] + [missing], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


def id_form(identifier: str) -> str:
    """The general form of an ID (digits 9, capitals A, small letters a): G1P13 -> A9A9."""
    return re.sub(r"[a-z]", "a", re.sub(r"[A-Z]", "A", re.sub(r"[0-9]+", "9", identifier)))


def id_skeleton(identifier: str) -> str:
    """An ID with its numbers generalised and its letters kept: G1P13 -> G9P9, G1PL -> G9PL."""
    return re.sub(r"[0-9]+", "9", identifier)


def printed_id(raw: object) -> str:
    """The printed attribution without brackets and spaces, as an ID would be written."""
    return re.sub(r"[()\s]", "", "" if pd.isna(raw) else str(raw))


def is_block_quote(location: object) -> bool:
    """Whether the data locate a quote as a block quote (its own paragraph) rather than inside a sentence."""
    return bool(BLOCK_QUOTE.search("" if pd.isna(location) else str(location)))


def block_quotes(study: Study) -> pd.DataFrame:
    """The study's printed block quotes, one row each."""
    quotes = printed_quotes(study)
    return quotes[quotes["location"].map(is_block_quote)].reset_index(drop=True)


def cited_quotes(quotes: pd.DataFrame, ids: Sequence[str]) -> str:
    """The cited quotes in full with their attributions as printed, one per line."""
    wanted = list(ids)
    if not wanted:
        return ""
    lines = []
    for quote in quotes.itertuples(index=False):
        mine = [i for i in str(quote.segment_ids).split("; ") if i in wanted]
        if mine:
            printed = "no attribution" if pd.isna(quote.attribution_raw) else quote.attribution_raw
            lines.append(f"{mine[0]} ({printed}): {quote_excerpt(quote.text)}")
    return "\n".join(lines)
