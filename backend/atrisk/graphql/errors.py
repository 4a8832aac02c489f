"""The one place that turns service failures into GraphQL union members, and masks the
unexpected ones (database outages get a clear message that still reveals nothing inside)."""

from __future__ import annotations

import sqlite3

import strawberry
from graphql import GraphQLError
from sqlalchemy import exc as sa
from strawberry.extensions import MaskErrors

from atrisk.graphql.types import AtRiskEntry, NotFoundError, ValidationError, VersionConflictError
from atrisk.services.errors import NotFound, ServiceError, ValidationFailed, VersionConflict

UserErrorResult = ValidationError | NotFoundError | VersionConflictError


def not_found(error: NotFound) -> NotFoundError:
    return NotFoundError(message=error.message, id=strawberry.ID(error.entry_id))


def to_user_error(error: ServiceError) -> UserErrorResult:
    if isinstance(error, ValidationFailed):
        return ValidationError(message=error.message, field=error.field)
    if isinstance(error, NotFound):
        return not_found(error)
    if isinstance(error, VersionConflict):
        return VersionConflictError(
            message=error.message, current=AtRiskEntry.from_model(error.current)
        )
    raise TypeError(f"unmapped service error {type(error).__name__}")


DATABASE_UNAVAILABLE = (
    "DATABASE_UNAVAILABLE",
    "The database is not reachable right now. Nothing was changed; try again shortly.",
)
DATABASE_WRITE_FAILED = (
    "DATABASE_WRITE_FAILED",
    "The database cannot store changes right now (it is read-only or out of space). "
    "Nothing was changed.",
)
_WRITE_REFUSED = ("readonly", "read-only", "disk is full", "disk i/o error")
_SQLITE_UNAVAILABLE = ("unable to open database file", "database is locked")
# Connection exceptions (class 08) and shutdown states (57P01-57P03) of PostgreSQL.
_POSTGRES_UNAVAILABLE = ("08", "57P01", "57P02", "57P03")
_LOST = (OSError, TimeoutError, sa.TimeoutError, sa.DisconnectionError)


def _caused_by_lost_connection(error: BaseException | None) -> bool:
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _LOST):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def database_failure(error: BaseException | None) -> tuple[str, str] | None:
    """(code, message) when `error` means the database is down or refuses writes."""
    if isinstance(error, sa.DBAPIError):
        if isinstance(error.orig, sqlite3.Error):
            text = str(error.orig).lower()
            if any(phrase in text for phrase in _WRITE_REFUSED):
                return DATABASE_WRITE_FAILED
            if any(phrase in text for phrase in _SQLITE_UNAVAILABLE):
                return DATABASE_UNAVAILABLE
            return None
        sqlstate = str(getattr(error.orig, "sqlstate", None) or "")
        if (
            error.connection_invalidated
            or sqlstate.startswith(_POSTGRES_UNAVAILABLE)
            or _caused_by_lost_connection(error.orig)
        ):
            return DATABASE_UNAVAILABLE
        return None
    if _caused_by_lost_connection(error):
        return DATABASE_UNAVAILABLE
    return None


class MaskUnexpectedErrors(MaskErrors):
    """MaskErrors, with a clear code and message when the database is the cause."""

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        failure = database_failure(error.original_error)
        if failure is None:
            return super().anonymise_error(error)
        code, message = failure
        return GraphQLError(
            message=message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": code},
        )
