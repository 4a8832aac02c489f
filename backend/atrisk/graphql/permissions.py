"""Who may call what, applied to root fields only (never to leaf fields).

Anonymous callers get UNAUTHENTICATED for every field; viewers and API tokens
get FORBIDDEN for mutations. Both are GraphQL errors, so they are not masked.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from atrisk.graphql.context import Info


class SignedIn(BasePermission):
    message = "Sign in first: send the session cookie or an API token (Authorization: Bearer)."
    error_extensions = {"code": "UNAUTHENTICATED"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return info.context.caller is not None


class CanWrite(BasePermission):
    message = "Your access is read-only: only a company admin may change entries."
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 (the base class declares it)

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        caller = info.context.caller
        return caller is not None and caller.can_write


READ: list[type[BasePermission]] = [SignedIn]
WRITE: list[type[BasePermission]] = [SignedIn, CanWrite]
