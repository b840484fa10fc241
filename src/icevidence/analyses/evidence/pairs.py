"""Quotes printed more than once: word runs shared by two printed quotes, within one paper or across papers.

Runs of at least MIN_RUN words count as shared; a pair is reused evidence when the shared runs
cover COVER of the shorter quote (and at least MIN_SHARED words), when the shorter quote is a
verbatim excerpt of the longer of at least MIN_EXCERPT words, or when one run is a sentence
(SENTENCE words). Candidate pairs come from a shingle index (reuse_index), so the work is linear.
The reuse check family and the crosswalk's consistency check both read the pairs from here.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz.distance import Indel, LCSseq

from ...model.study import Study
from .quotes import printed_quotes
from .reuse_index import candidate_pairs_of_tokens

MIN_RUN, MIN_SHARED, COVER, MIN_EXCERPT, SENTENCE, SAME_QUOTE = 4, 8, 0.6, 5, 12, 0.9
WORD = r"[a-z0-9]+(?:'[a-z]+)?"
QUOTE_BREAK = "\x1e"  # record separator: no word contains it (NUL would not do: numpy strips it)


def fold_for_words(text: str) -> str:
    """Text as the word reader sees it: case folded, typographic apostrophes plain, brackets spaces."""
    return text.casefold().replace("’", "'").replace("‘", "'").replace("[", " ").replace("]", " ")


def words_of(text: object) -> list[str]:
    """A quote as lower-case words, ignoring punctuation, ellipses and typographic quote marks."""
    return re.findall(WORD, fold_for_words("" if pd.isna(text) else str(text)))


def read_words(texts: pd.Series, chunk: int = 20_000) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Every quote's words as words_of reads them, numbered (equal words, equal numbers):
    (word numbers, quote number of each, the words by number). Read a chunk of quotes at a time,
    so a million quotes never sit in memory as separate word strings."""
    cleaned = texts.astype(object).where(texts.notna(), "").astype(str).str.replace(QUOTE_BREAK, " ", regex=False)
    vocabulary: dict[str, int] = {}
    numbers, owners = [np.empty(0, dtype=np.int64)], [np.empty(0, dtype=np.int64)]
    for start in range(0, len(cleaned), chunk):
        found = re.findall(f"{WORD}|{QUOTE_BREAK}", fold_for_words(QUOTE_BREAK.join(cleaned.iloc[start:start + chunk])))
        local, distinct = pd.factorize(np.asarray(found, dtype=object)) if found else (np.empty(0, dtype=np.int64), [])
        breaks = np.isin(local, [n for n, word in enumerate(distinct) if word == QUOTE_BREAK])
        number_of = np.asarray([vocabulary.setdefault(word, len(vocabulary)) for word in distinct], dtype=np.int64)
        numbers.append(number_of[local[~breaks]])
        owners.append(start + np.cumsum(breaks)[~breaks])
    return np.concatenate(numbers), np.concatenate(owners), list(vocabulary)


def compare_quotes(a: list, b: list) -> dict[str, float] | None:
    """How two quotes overlap (shared share of the shorter, similarity, longest run), or None.

    Runs of at least MIN_RUN words in the same order (rapidfuzz's longest common subsequence of
    words, in blocks) count as shared, so an excerpt with omissions ('...') still matches the full
    quote, and a shared sentence is found inside two otherwise different quotes.
    """
    if not a or not b:
        return None
    found = [m.size for m in LCSseq.opcodes(a, b).as_matching_blocks() if m.size >= MIN_RUN]
    shared, longest = sum(found), max(found, default=0)
    shorter = min(len(a), len(b))
    cover = shared / shorter
    excerpt = longest == shorter >= MIN_EXCERPT
    if not ((shared >= MIN_SHARED and cover >= COVER) or excerpt or longest >= SENTENCE):
        return None
    similarity = Indel.normalized_similarity(a, b)
    return {"cover": round(cover, 2), "similarity": round(similarity, 2), "longest": longest, "shared": shared}


def reuse_relation(overlap: dict[str, float]) -> str:
    """'same quote' when one covers the other (an excerpt or a variant), else 'shared passage'."""
    return "same quote" if overlap["cover"] >= SAME_QUOTE else "shared passage"


def reused_pairs(quotes_a: pd.DataFrame, quotes_b: pd.DataFrame | None = None) -> pd.DataFrame:
    """Pairs of printed quotes that are the same or share a passage, within one table or across two."""
    return reused_pairs_among([quotes_a] if quotes_b is None else [quotes_a, quotes_b], within=quotes_b is None)


def reused_pairs_among(tables: list[pd.DataFrame], within: bool = True) -> pd.DataFrame:
    """reused_pairs over several tables read in one pass: pairs within each table (when within) first,
    table by table, then pairs across two tables, by table pair; side a is always the earlier table."""
    combined = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=["text"])
    table_of = np.repeat(np.arange(len(tables)), [len(t) for t in tables])
    numbers, owners, _ = read_words(combined["text"])
    candidates = candidate_pairs_of_tokens(numbers, owners, len(combined), None if within else table_of,
                                           size=MIN_RUN)
    if len(tables) > 1:  # one table's candidates already come in (i, j) order
        candidates.sort(key=lambda ij: (table_of[ij[0]] != table_of[ij[1]], table_of[ij[0]], table_of[ij[1]], ij))
    bounds = np.searchsorted(owners, np.arange(len(combined) + 1)).tolist()
    sequence = numbers.tolist()  # word numbers compare as the words do, and faster
    rows = []
    for i, j in candidates:
        overlap = compare_quotes(sequence[bounds[i]:bounds[i + 1]], sequence[bounds[j]:bounds[j + 1]])
        if overlap:
            rows.append({**{f"{k}_a": v for k, v in combined.iloc[i].items()},
                         **{f"{k}_b": v for k, v in combined.iloc[j].items()},
                         "relation": reuse_relation(overlap), **overlap})
    return pd.DataFrame(rows)


def quotes_for_reuse(study: Study) -> pd.DataFrame:
    """A study's printed quotes with the study id, ready for pairing."""
    return printed_quotes(study).assign(study=study.id)


def describe_overlap(pair: pd.Series) -> str:
    """Words in common, as a share of the shorter quote, and the longest shared run."""
    return f"{pair['cover']:.0%} of the shorter quote shared, longest run {pair['longest']} words"


def pair_quotes(pair: pd.Series, studies: bool = False) -> str:
    """Both quotes of a pair in full, each with its attribution as printed (and study, across papers)."""
    def one(side: str) -> str:
        printed = pair[f"attribution_raw_{side}"]
        shown = "no attribution" if pd.isna(printed) else printed
        where = f"{pair[f'study_{side}']} " if studies else ""
        return f"{where}{pair[f'segment_ids_{side}']} ({shown}): '{' '.join(str(pair[f'text_{side}']).split())}'"
    return f"{one('a')}\n{one('b')}"


def pair_evidence(pair: pd.Series) -> str:
    """Both quotes of a pair with their attributions as printed and as read."""
    def one(side: str) -> str:
        read = pair[f"participant_id_{side}"]
        printed = pair[f"attribution_raw_{side}"]
        read_as = "" if pd.isna(read) or read == printed else f" = {read}"
        shown = "—" if pd.isna(printed) else printed
        return f"{pair[f'study_{side}']} {pair[f'segment_ids_{side}']} ({shown}{read_as})"
    return f"{one('a')}; {one('b')}"
