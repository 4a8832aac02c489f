"""Text a person types: one-line labels and multi-line notes, cleaned the same way everywhere.

A one-line value is trimmed and every inner run of whitespace becomes one space; a note
keeps its line breaks. Both refuse control characters (tab, line feed and carriage return
count as whitespace), a value with nothing visible in it, and more than `max_length`
characters. Messages name the field as the person sees it: "Name is required.",
"Notes must be at most 5000 characters."
"""

from __future__ import annotations

import unicodedata

# Tab, line feed and carriage return count as whitespace; every other control is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")

# Format characters (zero-width spaces and joiners, direction marks, the byte order mark,
# soft hyphens), combining marks and the Hangul fillers draw nothing on their own: a value
# made only of them would show as blank.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


class InvalidText(ValueError):
    """Text that breaks a rule; the message is meant for the person who typed it."""


def _visible(char: str) -> bool:
    return (
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and char not in _HANGUL_FILLERS
        and not char.isspace()
    )


def _refuse_controls(raw: str, label: str) -> None:
    for char in raw:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _WHITESPACE_CONTROLS) or category == "Cs":
            raise InvalidText(f"{label} must not contain control characters.")


def _check(text: str, label: str, max_length: int) -> str:
    if not text:
        raise InvalidText(f"{label} is required.")
    if not any(_visible(char) for char in text):
        raise InvalidText(f"{label} must contain at least one visible character.")
    if len(text) > max_length:
        raise InvalidText(
            f"{label} must be at most {max_length} characters (this one has {len(text)})."
        )
    return text


def one_line(raw: str, label: str, max_length: int) -> str:
    """`raw` trimmed with inner whitespace collapsed, or InvalidText."""
    _refuse_controls(raw, label)
    return _check(" ".join(raw.split()), label, max_length)


def note(raw: str, label: str, max_length: int) -> str:
    """`raw` trimmed, line breaks kept (as \\n), or InvalidText."""
    _refuse_controls(raw, label)
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _check("\n".join(lines).strip(), label, max_length)


def fold(text: str) -> str:
    """The comparison key: NFKC-normalised, case-folded, whitespace collapsed, format
    characters dropped (as Unicode's NFKC_Casefold does)."""
    shown = "".join(char for char in text if unicodedata.category(char) != "Cf")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", shown).casefold())
    return " ".join(folded.split())
