"""Every transaction that writes a company's data must go through the change recorder.

`guard(engine)` watches an app engine's statements: a transaction with an INSERT, UPDATE
or DELETE on any table but the few that are not company data (sessions, sign-in failure
counters, Alembic's own) must also bump one of the company's area versions (what
`atrisk.services.changes.claim` does) and write its history events (what `record` does),
or its commit fails with `UnrecordedWrite`: no change without its event. Bookkeeping that is
nobody's change (a token's last use, a password hash made stronger) needs the version bump
only. The `db` and `app` fixtures guard their engines, so every in-process test of a use
case checks it, including use cases added later.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

NOT_COMPANY_DATA = frozenset({"sessions", "login_failures", "alembic_version", "audit_events"})

_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)
_VERSION_BUMP = re.compile(
    r"^\s*UPDATE\s+companies\s+SET\s+(?:lists|cases|accounts)_version\s*=", re.IGNORECASE
)
_EVENTS = re.compile(r"^\s*INSERT\s+INTO\s+audit_events\b", re.IGNORECASE)
_BOOKKEEPING = re.compile(
    r"^\s*UPDATE\s+(?:api_tokens\s+SET\s+last_used_at|users\s+SET\s+(?:password_hash|last_sign_in_at))\s*=",
    re.IGNORECASE,
)
_STATE = "atrisk_changes_guard"


class UnrecordedWrite(AssertionError):
    """A transaction wrote company data without the change recorder."""


def _watch(
    conn: Connection,
    cursor: Any,
    statement: str,
    parameters: Any,
    context: Any,
    executemany: bool,
) -> None:
    state = conn.info.setdefault(_STATE, {"writes": [], "claimed": False, "events": False})
    if _VERSION_BUMP.match(statement):
        state["claimed"] = True
        return
    if _EVENTS.match(statement):
        state["events"] = True
        return
    if _BOOKKEEPING.match(statement):
        state["bookkeeping"] = True
        return
    match = _WRITE.match(statement)
    if match and match.group(1).lower() not in NOT_COMPANY_DATA:
        state["writes"].append(" ".join(statement.split())[:120])


def _check(conn: Connection) -> None:
    state = conn.info.pop(_STATE, None)
    if not state:
        return
    if (state["writes"] or state.get("bookkeeping")) and not state["claimed"]:
        raise UnrecordedWrite(
            "a transaction wrote company data without claiming its area "
            "(atrisk.services.changes.claim): " + "; ".join(state["writes"])
        )
    if state["writes"] and not state["events"]:
        raise UnrecordedWrite(
            "a transaction wrote company data without its history events "
            "(atrisk.services.changes.record): " + "; ".join(state["writes"])
        )


def _forget(conn: Connection) -> None:
    conn.info.pop(_STATE, None)


def guard(engine: Engine) -> None:
    event.listen(engine, "before_cursor_execute", _watch)
    event.listen(engine, "commit", _check)
    event.listen(engine, "rollback", _forget)
