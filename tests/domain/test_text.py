"""The shortcuts for plain ASCII text give what the rules for any Unicode text give."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from atrisk.domain import accounts, text
from atrisk.domain.text import InvalidText

ASCII = st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40)


@given(ASCII)
def test_folding_ascii_is_folding_unicode(value: str) -> None:
    assert value.isascii()
    assert text.fold(value) == text._fold_unicode(value)


@given(ASCII)
def test_ascii_has_something_visible_as_unicode_says(value: str) -> None:
    assert text._any_visible(value) == any(text.visible(char) for char in value)


@given(ASCII)
def test_ascii_controls_are_refused_as_any_others(value: str) -> None:
    expected = any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in value)
    try:
        text._refuse_controls(value)
    except InvalidText:
        refused = True
    else:
        refused = False
    assert refused == expected


@given(ASCII)
def test_ascii_spaces_and_controls_in_an_email_are_found_as_any_others(value: str) -> None:
    expected = any(char.isspace() or unicodedata.category(char) == "Cc" for char in value)
    assert accounts._has_space_or_control(value) == expected


def test_the_rules_still_hold_beyond_ascii() -> None:
    assert text.fold("Ｆｏｏ\u200b Bär") == "foo bär"
    assert not text._any_visible("\u200b\u3164 ")
    assert accounts._has_space_or_control("a\u00a0b@example.com")
