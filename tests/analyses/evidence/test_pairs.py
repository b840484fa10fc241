"""Quotes printed more than once: word runs shared by two quotes."""
from __future__ import annotations

from icevidence.analyses.evidence import pairs as pr

QUOTE = "we have statutory responsibilities and it is a big learning curve for our health colleagues"


def test_different_quotes_do_not_match():
    assert pr.compare_quotes(pr.words_of(QUOTE), pr.words_of("the GP is at the heart of everything here")) is None
    assert pr.compare_quotes(pr.words_of("not being listened to"), pr.words_of("it's not being listened to")) is None


def test_identical_excerpted_and_overlapping_quotes_match():
    same = pr.compare_quotes(pr.words_of(QUOTE), pr.words_of(QUOTE.upper() + "."))
    excerpt = pr.compare_quotes(pr.words_of(QUOTE), pr.words_of("...statutory responsibilities and it is a big "
                                                                "learning curve ..."))
    sentence = "I think it needs to be looked at, where does the GP fit within this integrated working?"
    shared = pr.compare_quotes(pr.words_of(QUOTE + " " + sentence), pr.words_of(sentence + " What is their view?"))
    short = pr.compare_quotes(pr.words_of(QUOTE), pr.words_of("'it is a big learning curve'"))
    assert pr.reuse_relation(same) == pr.reuse_relation(excerpt) == pr.reuse_relation(short) == "same quote"
    assert shared is not None and shared["longest"] >= pr.SENTENCE
