"""The four picklists and the rules of an entry's name."""

from __future__ import annotations

import enum
import unicodedata

NAME_MAX_LENGTH = 100
CATEGORY_MAX_ENTRIES = 1000


class Category(enum.Enum):
    """The four picklists, in the order they are shown."""

    REASON = 1
    CAUSE = 2
    RESOLUTION = 3
    CREDIT_REASON = 4

    @property
    def title(self) -> str:
        return _TITLES[self][0]

    @property
    def label(self) -> str:
        return _TITLES[self][1]


_TITLES = {
    Category.REASON: ("Reasons", "Reason"),
    Category.CAUSE: ("Causes", "Cause"),
    Category.RESOLUTION: ("Resolutions", "Resolution"),
    Category.CREDIT_REASON: ("Credit Reasons", "Credit Reason"),
}

# Tab, line feed and carriage return count as whitespace and are collapsed;
# every other control character is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")

# Format characters (zero-width spaces and joiners, direction marks, the byte
# order mark, soft hyphens), combining marks and the Hangul fillers draw nothing
# on their own: a name made only of them would show as blank.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Mn", "Me"})
_HANGUL_FILLERS = frozenset("\u115f\u1160\u3164\uffa0")


def _visible(char: str) -> bool:
    return (
        unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        and char not in _HANGUL_FILLERS
        and not char.isspace()
    )


class InvalidName(ValueError):
    """A name that breaks a rule; the message is meant for the person who typed it."""


def normalise_name(raw: str) -> str:
    """Trim, collapse inner whitespace and check the rules; raise InvalidName if broken."""
    for char in raw:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _WHITESPACE_CONTROLS) or category == "Cs":
            raise InvalidName("Name must not contain control characters.")
    name = " ".join(raw.split())
    if not name:
        raise InvalidName("Name is required.")
    if not any(_visible(char) for char in name):
        raise InvalidName("Name must contain at least one visible character.")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidName(
            f"Name must be at most {NAME_MAX_LENGTH} characters (this one has {len(name)})."
        )
    return name


def name_key(name: str) -> str:
    """The comparison key: NFKC-normalised, case-folded, whitespace collapsed.

    Format characters are dropped first, as Unicode's NFKC_Casefold does, so that
    "Foo" with a zero-width space or a direction mark in it is still "foo".
    """
    shown = "".join(char for char in name if unicodedata.category(char) != "Cf")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", shown).casefold())
    return " ".join(folded.split())
