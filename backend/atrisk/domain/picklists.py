"""The four picklists and the rules of an entry: its name, description and order."""

from __future__ import annotations

import enum
import unicodedata

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


class InvalidText(ValueError):
    """A value that breaks a rule. The rule completes a sentence whose subject is the field's
    label, so that every message reads the same way: "Reason is required.",
    "Description must be at most 500 characters."."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule

    def message(self, label: str) -> str:
        return f"{label} {self.rule}"


def _refuse_controls(raw: str) -> None:
    for char in raw:
        category = unicodedata.category(char)
        if (category == "Cc" and char not in _WHITESPACE_CONTROLS) or category == "Cs":
            raise InvalidText("must not contain control characters.")


def normalise_name(raw: str) -> str:
    """Trim, collapse inner whitespace and check the rules; raise InvalidText if broken."""
    _refuse_controls(raw)
    name = " ".join(raw.split())
    if not name:
        raise InvalidText("is required.")
    if not any(_visible(char) for char in name):
        raise InvalidText("must contain at least one visible character.")
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidText(f"must be at most {NAME_MAX_LENGTH} characters.")
    return name


def normalise_description(raw: str | None) -> str | None:
    """Trimmed, with line breaks as line feeds; empty becomes None (no description)."""
    if raw is None:
        return None
    _refuse_controls(raw)
    description = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not any(_visible(char) for char in description):
        return None
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise InvalidText(f"must be at most {DESCRIPTION_MAX_LENGTH} characters.")
    return description


def sort_key(name: str) -> tuple[str, str]:
    """A to Z as people read it: accents and case do not count first ("émile" by "Emile")."""
    decomposed = unicodedata.normalize("NFKD", name_key(name))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain, name_key(name)


def name_key(name: str) -> str:
    """The comparison key: NFKC-normalised, case-folded, whitespace collapsed.

    Format characters are dropped first, as Unicode's NFKC_Casefold does, so that
    "Foo" with a zero-width space or a direction mark in it is still "foo".
    """
    shown = "".join(char for char in name if unicodedata.category(char) != "Cf")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", shown).casefold())
    return " ".join(folded.split())
