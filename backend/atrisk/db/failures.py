"""What a database failure means for a caller: the one mapping from driver errors to
`DATABASE_UNAVAILABLE` (down, unreachable, hung) and `DATABASE_WRITE_FAILED` (read-only or
full), used by GraphQL's error masking and by the HTTP routes outside it."""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc as sa

DATABASE_UNAVAILABLE = (
    "DATABASE_UNAVAILABLE",
    "The database is not reachable right now. Nothing was changed; try again shortly.",
)
DATABASE_WRITE_FAILED = (
    "DATABASE_WRITE_FAILED",
    "The database cannot store changes right now (it is read-only or out of space). "
    "Nothing was changed.",
)
# The exception classes that may carry one of the failures above.
FAILURE_TYPES: tuple[type[BaseException], ...] = (
    sa.DBAPIError,
    sa.TimeoutError,
    sa.DisconnectionError,
    OSError,
    TimeoutError,
)

_WRITE_REFUSED = ("readonly", "read-only", "disk is full", "disk i/o error")
_SQLITE_UNAVAILABLE = ("unable to open database file", "database is locked")
# Connection exceptions (class 08) and shutdown states (57P01-57P03) of PostgreSQL.
_POSTGRES_UNAVAILABLE = ("08", "57P01", "57P02", "57P03")
_LOST = (OSError, TimeoutError, sa.TimeoutError, sa.DisconnectionError)


def describe(error: BaseException) -> str:
    """A one-line reason for a database failure, without SQL or parameters."""
    cause = error.orig if isinstance(error, sa.DBAPIError) and error.orig is not None else error
    first_line = (str(cause).strip().splitlines() or [""])[0]
    name = type(cause).__name__
    return f"{name}: {first_line}" if first_line else name


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


def violates(error: sa.IntegrityError, constraint: str, columns: str) -> bool:
    """Whether `error` is the violation of the unique constraint named `constraint` (as
    PostgreSQL names it) on `columns` ("table.column, …" as SQLite names them)."""
    text = str(error.orig)
    return constraint in text or f"UNIQUE constraint failed: {columns}" in text
