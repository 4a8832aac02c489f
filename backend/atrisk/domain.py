"""Domain vocabulary and the name rules, free of any database or GraphQL."""

from __future__ import annotations

import enum
import unicodedata

NAME_MAX_LENGTH = 100
EMAIL_MAX_LENGTH = 254


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


class Role(enum.Enum):
    """What a caller may do: admins read and write, viewers (and API tokens) only read."""

    ADMIN = "ADMIN"
    VIEWER = "VIEWER"


_TITLES = {
    Category.REASON: ("Reasons", "Reason"),
    Category.CAUSE: ("Causes", "Cause"),
    Category.RESOLUTION: ("Resolutions", "Resolution"),
    Category.CREDIT_REASON: ("Credit Reasons", "Credit Reason"),
}

# Tab, line feed and carriage return count as whitespace and are collapsed;
# every other control character is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")


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
    if len(name) > NAME_MAX_LENGTH:
        raise InvalidName(
            f"Name must be at most {NAME_MAX_LENGTH} characters (this one has {len(name)})."
        )
    return name


def name_key(name: str) -> str:
    """The comparison key: NFKC-normalised, case-folded, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())


class InvalidEmail(ValueError):
    """An address that cannot be an account's email."""


def normalise_email(raw: str) -> str:
    """Trim and lower-case; refuse what cannot be an address (no full RFC 5322 parsing)."""
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain:
        raise InvalidEmail("Email must look like name@example.com.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidEmail(f"Email must be at most {EMAIL_MAX_LENGTH} characters.")
    if any(char.isspace() or unicodedata.category(char) == "Cc" for char in email):
        raise InvalidEmail("Email must not contain spaces or control characters.")
    return email
