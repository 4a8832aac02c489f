"""People and credentials: roles, who is calling and what they may do, email and password rules."""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from atrisk.domain.changes import Area

EMAIL_MAX_LENGTH = 254
USER_NAME_MAX_LENGTH = 100
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 1024


class Role(enum.Enum):
    """What a caller may do: admins everything; agents work customers and cases but not the
    lists, people, tokens or company settings; viewers read. Tokens are VIEWER or AGENT."""

    ADMIN = "ADMIN"
    AGENT = "AGENT"
    VIEWER = "VIEWER"


TOKEN_ROLES = frozenset({Role.VIEWER, Role.AGENT})


class Refusal(enum.Enum):
    """Why a request acts for nobody: it has no credential, one that matches nothing (an
    unknown token, an ended or expired session), or a token that was revoked."""

    MISSING = "missing"
    INVALID = "invalid"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request acts for: a signed-in person (`user_id`, `email`) or an API token
    (`token_id`, no email). The company comes only from the credential."""

    company_id: str
    company_name: str
    role: Role
    email: str | None = None
    user_id: str | None = None
    token_id: str | None = None
    token_name: str | None = None
    currency: str = "USD"
    timezone: str = "UTC"
    # The company's version of each area, read in the same statement as the credential:
    # what the read cache compares its results against.
    versions: Mapping[Area, int] = field(default_factory=dict, compare=False)

    @property
    def principal(self) -> str:
        """One string per person or token: what tells two callers of a company apart."""
        return f"user:{self.user_id}" if self.user_id else f"token:{self.token_id}"

    @property
    def is_admin(self) -> bool:
        """Keeps the lists, people, tokens and the company's settings."""
        return self.role is Role.ADMIN

    @property
    def works_cases(self) -> bool:
        """Creates and changes customers and their at-risk cases."""
        return self.role in (Role.ADMIN, Role.AGENT)

    @property
    def actor(self) -> str:
        """Who did it, as history shows it: the person's email, or the token's name."""
        return self.email or f"token {self.token_name}"


class InvalidEmail(ValueError):
    """An address that cannot be an account's email."""


def _has_space_or_control(text: str) -> bool:
    if text.isascii():  # printable ASCII is U+0020 to U+007E, and only U+0020 is a space
        return not text.isprintable() or " " in text
    return any(char.isspace() or unicodedata.category(char) == "Cc" for char in text)


def normalise_email(raw: str) -> str:
    """Trim and lower-case; refuse what cannot be an address (no full RFC 5322 parsing)."""
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or not domain or "@" in domain:
        raise InvalidEmail("Email must look like name@example.com.")
    if len(email) > EMAIL_MAX_LENGTH:
        raise InvalidEmail(f"Email must be at most {EMAIL_MAX_LENGTH} characters.")
    if _has_space_or_control(email):
        raise InvalidEmail("Email must not contain spaces or control characters.")
    return email


def password_problem(password: str) -> str | None:
    """The reason a new password is refused, or None."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Password must be at least {PASSWORD_MIN_LENGTH} characters."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Password must be at most {PASSWORD_MAX_LENGTH} characters."
    return None
