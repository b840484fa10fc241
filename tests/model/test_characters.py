"""Invisible characters: cleaned from names, escaped for terminals, dropped from figure labels."""
from __future__ import annotations

from icevidence.model.characters import clean_name, lookalikes, printable, removed_from, visible


def test_a_name_loses_its_byte_order_mark_and_zero_width_spaces():
    assert clean_name("\ufeffMo\u200bney\u2060") == "Money"


def test_joiners_inside_a_name_stay_and_at_its_ends_go():
    assert clean_name("\u200dمی\u200cخواهم\u200c") == "می\u200cخواهم"


def test_removed_characters_are_named_with_their_code_points():
    assert removed_from("\ufeffA\u200b") == ["byte-order mark U+FEFF", "zero-width space U+200B"]


def test_names_that_differ_only_by_invisible_characters_look_alike():
    assert lookalikes(["Money", "Mo\u200dney", "Trust", "Money"]) == [["Money", "Mo\u200dney"]]


def test_printable_escapes_terminal_controls_and_bidi_but_keeps_lines_and_tabs():
    raw = "a\x1b[31mred\x1b]8;;http://x\x07link\u202eevil\rover\x9b\tz\n"
    assert printable(raw) == "a\\x1b[31mred\\x1b]8;;http://x\\x07link\\u202eevil\\x0dover\\x9b\tz\n"


def test_printable_leaves_ordinary_unicode_alone():
    assert printable("Zoë, שלום, 😀") == "Zoë, שלום, 😀"


def test_visible_drops_controls_and_invisible_characters_from_labels():
    assert visible("\ufeffMain\u200b X\x1b\nsub") == "Main X\nsub"


def test_a_name_of_invisible_characters_only_stays_a_visible_name():
    from icevidence.model.characters import clean_name
    assert clean_name("\u200b") == "\\u200b" and clean_name("\ufeff\u200b") == "\\ufeff\\u200b"
