"""Who may call what, applied to root fields only (never to leaf fields).

Anonymous callers get UNAUTHENTICATED for every field, with `extensions.reason` saying
why (`missing`, `invalid` or `revoked` credentials; the endpoint answers them with HTTP 401);
viewers and API tokens get FORBIDDEN for mutations. Both are GraphQL errors, so they are
not masked.
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


class CanWrite(BasePermission):
    message = "Your access is read-only: only a company admin may change entries."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        return caller is not None and caller.can_write


READ: list[type[BasePermission]] = [SignedIn]
WRITE: list[type[BasePermission]] = [SignedIn, CanWrite]
