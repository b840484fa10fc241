"""Which sentence of a paper introduces each printed quote: the rule claims.yml links follow.

A claim cites the quotes the paper offers for it, and only those (data/README.md, claims.yml):

* an inline quote belongs to the sentence it is printed in;
* a block quote (a paragraph opening with a quote mark) belongs to the sentence just before it,
  which ends with a colon or is the last sentence of its paragraph; block quotes printed one
  after another share that sentence.

Other sentences of the same paragraph do not cite the quote. `cites_correctly` reads the rule
off a paper's text, so tests check every link in claims.yml against the paper itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

PARAGRAPH, COLON, BLOCK = "¶", ":", "«"
PROBE = 6
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|:")
_MARKUP = re.compile(r"<sup>.*?</sup>|\*\*|\[\d+(?:[,–-]\s*\d+)*\]")
_OPENS_QUOTE = re.compile(r"^\s*(?:\.{2,}|…)?\s*[“\"'‘]")


@dataclass(frozen=True)
class Tokens:
    """A text as words plus the colons, paragraph breaks and block-quote openings that decide links."""

    tokens: list[str]
    words: list[str]
    word_at: list[int]


def tokenise(text: str) -> Tokens:
    """Lower-case words, ':' , '¶' between paragraphs and '«' opening a block-quote paragraph."""
    tokens: list[str] = []
    for paragraph in re.split(r"\n\s*\n", str(text)):
        if not paragraph.strip():
            continue
        if tokens:
            tokens.append(PARAGRAPH)
        if _OPENS_QUOTE.match(paragraph):
            tokens.append(BLOCK)
        clean = _MARKUP.sub(" ", paragraph).casefold().replace("’", "'").replace("‘", "'")
        tokens += _WORD.findall(clean)
    word_at = [i for i, t in enumerate(tokens) if t not in (PARAGRAPH, COLON, BLOCK)]
    return Tokens(tokens, [tokens[i] for i in word_at], word_at)


def words(text: str) -> list[str]:
    """A text's words as tokenise reads them."""
    return tokenise(text).words


def find_words(haystack: list[str], needle: list[str]) -> list[int]:
    """Every index where the word list needle starts inside haystack."""
    if not needle:
        return []
    first, n = needle[0], len(needle)
    return [i for i, w in enumerate(haystack) if w == first and haystack[i:i + n] == needle]


def locate_sentence(paper: Tokens, sentence: str) -> tuple[int, int] | None:
    """Token span (start, end exclusive) of a sentence's first printing in the paper, or None.

    A sentence broken by a table or a page (its start printed elsewhere) is found by its longest
    printed ending of at least half its words.
    """
    wanted = words(sentence)
    for cut in range(0, max(1, len(wanted) // 2)):
        hits = find_words(paper.words, wanted[cut:])
        if hits:
            return paper.word_at[hits[0]], paper.word_at[hits[0] + len(wanted) - cut - 1] + 1
    return None


def locate_quote(paper: Tokens, quote: str) -> list[int]:
    """Token positions where a quote's first words are printed in the paper."""
    return [paper.word_at[i] for i in find_words(paper.words, words(quote)[:PROBE])]


def cites_correctly(paper: Tokens, sentence: str, quote: str) -> bool:
    """True when the quote is printed inside the sentence, or is a block quote the sentence introduces."""
    span = locate_sentence(paper, sentence)
    if span is None:
        return False
    start, end = span
    return any(start <= at < end or introduces(paper, end, at) for at in locate_quote(paper, quote))


def introduces(paper: Tokens, end: int, at: int) -> bool:
    """Whether the sentence ending at token `end` introduces the block quote whose words start at `at`.

    After the sentence comes a colon or the paragraph's end; then only block-quote paragraphs
    up to the quote's own paragraph, which opens with a quote mark.
    """
    if at <= end:
        return False
    chunks = _split(paper.tokens[end:at])
    first, *middle, last = chunks if len(chunks) > 1 else ([], [])
    return first in ([], [COLON]) and last == [BLOCK] and all(c[:1] == [BLOCK] for c in middle)


def _split(tokens: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for token in tokens:
        if token == PARAGRAPH:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return chunks
