"""Text a person types: one-line names and labels, multi-line notes, and the key they are
compared by. The one set of rules for every field that holds text.

A one-line value is trimmed and every inner run of whitespace becomes one space; a note
keeps its line breaks (as line feeds). Both refuse control characters (tab, line feed and
carriage return count as whitespace), a value with nothing visible in it, and more than
their most characters. A refusal names the rule; `InvalidText.message(label)` says it of the
field as the person sees it: "Reason is required.", "Notes must be at most 5000 characters."
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
    """A value that breaks a rule. The rule completes a sentence whose subject is the field's
    label, so that every message reads the same way: "Reason is required.",
    "Description must be at most 500 characters."."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule

    def message(self, label: str) -> str:
        return f"{label} {self.rule}"


def visible(char: str) -> bool:
    return (
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and char not in _HANGUL_FILLERS
        and not char.isspace()
    )


def _any_visible(text: str) -> bool:
    if text.isascii():  # in ASCII only whitespace draws nothing
        return bool(text) and not text.isspace()
    return any(visible(char) for char in text)


def _refuse_controls(raw: str) -> None:
    if raw.isascii() and raw.isprintable():  # the usual case, without a look at each char
        return
    for char in raw:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _WHITESPACE_CONTROLS) or category == "Cs":
            raise InvalidText("must not contain control characters.")


def _check(text: str, max_length: int) -> str:
    if not text:
        raise InvalidText("is required.")
    if not _any_visible(text):
        raise InvalidText("must contain at least one visible character.")
    if len(text) > max_length:
        raise InvalidText(f"must be at most {max_length} characters.")
    return text


def one_line(raw: str, max_length: int) -> str:
    """`raw` trimmed with inner whitespace collapsed, or InvalidText."""
    _refuse_controls(raw)
    return _check(" ".join(raw.split()), max_length)


def note(raw: str, max_length: int) -> str:
    """`raw` trimmed, line breaks kept (as line feeds), or InvalidText."""
    _refuse_controls(raw)
    lines = [line.rstrip() for line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _check("\n".join(lines).strip(), max_length)


def optional_note(raw: str | None, max_length: int) -> str | None:
    """`note`, with nothing (None, or nothing visible) as None instead of a refusal."""
    if raw is None:
        return None
    _refuse_controls(raw)
    if not _any_visible(raw):
        return None
    return note(raw, max_length)


def fold(text: str) -> str:
    """The comparison key: NFKC-normalised, case-folded, whitespace collapsed, format
    characters dropped first (as Unicode's NFKC_Casefold does), so that "Foo" with a
    zero-width space or a direction mark in it is still "foo"."""
    if text.isascii():  # no format characters, NFKC changes nothing, case-folding lowers
        return " ".join(text.lower().split())
    return _fold_unicode(text)


def _fold_unicode(text: str) -> str:
    shown = "".join(char for char in text if unicodedata.category(char) != "Cf")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", shown).casefold())
    return " ".join(folded.split())
