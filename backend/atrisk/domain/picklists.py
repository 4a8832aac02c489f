"""The four picklists and the rules of an entry: its name, description and order."""

from __future__ import annotations

import enum
import unicodedata

from atrisk.domain.text import fold, one_line, optional_note

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 500
CATEGORY_MAX_ENTRIES = 1000
DESCRIPTION_LABEL = "Description"


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


def normalise_name(raw: str) -> str:
    """Trim, collapse inner whitespace and check the rules; raise InvalidText if broken."""
    return one_line(raw, NAME_MAX_LENGTH)


def normalise_description(raw: str | None) -> str | None:
    """Trimmed, with line breaks as line feeds; empty becomes None (no description)."""
    return optional_note(raw, DESCRIPTION_MAX_LENGTH)


def sort_key(name: str) -> tuple[str, str]:
    """A to Z as people read it: accents and case do not count first ("émile" by "Emile")."""
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain, name_key(name)


def name_key(name: str) -> str:
    """The comparison key of a name (see atrisk.domain.text.fold)."""
    return fold(name)
