"""Who may call what, applied to root fields only (never to leaf fields).

Anonymous callers get UNAUTHENTICATED for every field, with `extensions.reason` saying
why (`missing`, `invalid` or `revoked` credentials; the endpoint answers them with HTTP 401).
Viewers (and VIEWER tokens) only read; agents (and AGENT tokens) also work customers and
cases; only admins change the lists, people, tokens and the company; a person's own password
and sessions are theirs alone (no API token touches them). Refusals are FORBIDDEN.
Both are GraphQL errors, so they are not masked. What each role may do is decided in
atrisk.domain.accounts.
"""

from __future__ import annotations

from typing import Any

from strawberry.exceptions import StrawberryGraphQLError
from strawberry.permission import BasePermission

from atrisk.domain.accounts import Refusal
from atrisk.graphql.context import Info

UNAUTHENTICATED = "UNAUTHENTICATED"
UNAUTHENTICATED_MESSAGES = {
    Refusal.MISSING: "Sign in first: send the session cookie or an API token "
    "(Authorization: Bearer).",
    Refusal.INVALID: "These credentials are not valid: the API token is unknown, or the "
    "session has ended. Sign in again, or send a valid token.",
    Refusal.REVOKED: "This API token was revoked. Ask an admin for a new one.",
}


class SignedIn(BasePermission):
    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        if info.context.caller is not None:
            return True
        refusal = info.context.refusal or Refusal.MISSING
        raise StrawberryGraphQLError(
            UNAUTHENTICATED_MESSAGES[refusal],
            extensions={"code": UNAUTHENTICATED, "reason": refusal.value},
        )


class IsAdmin(BasePermission):
    message = "Only a company admin may do this; your access does not include it."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        return caller is not None and caller.is_admin


class WorksCases(BasePermission):
    message = "Your access is read-only: only admins and agents change customers and cases."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        return caller is not None and caller.works_cases


class IsPerson(BasePermission):
    message = "Only a signed-in person may do this; an API token cannot."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        return caller is not None and caller.user_id is not None


READ: list[type[BasePermission]] = [SignedIn]
WORK: list[type[BasePermission]] = [SignedIn, WorksCases]
ADMIN: list[type[BasePermission]] = [SignedIn, IsAdmin]
PERSON: list[type[BasePermission]] = [SignedIn, IsPerson]
