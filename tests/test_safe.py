"""The text boundary: what counts as a control character, and how it is shown."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smpcare.safe import first_control, visible


@pytest.mark.parametrize(
    ("text", "found", "shown"),
    [
        ("plain text, tabs\tand\nnewlines", None, "plain text, tabs\tand\nnewlines"),
        ("clear \x1b[2J screen", "\\x1b", "clear \\x1b[2J screen"),
        ("bell\x07", "\\x07", "bell\\x07"),
        ("car\rriage", "\\x0d", "car\\x0driage"),
        ("c1 \x9b31m", "\\x9b", "c1 \\x9b31m"),
        ("bidi \u202eevil", "\\u202e", "bidi \\u202eevil"),
        ("isolate \u2066x\u2069", "\\u2066", "isolate \\u2066x\\u2069"),
        ("bad byte \udcff", "\\udcff", "bad byte \\udcff"),
        ("日本語 and emoji 🙂 are fine", None, "日本語 and emoji 🙂 are fine"),
    ],
)
def test_control_characters_are_found_and_escaped(text, found, shown):
    assert first_control(text) == found
    assert visible(text) == shown


@given(st.text())
def test_visible_text_has_no_control_character_left(text):
    shown = visible(text)
    assert first_control(shown) is None
    assert all(c in "\t\n" or ord(c) >= 0x20 for c in shown)
