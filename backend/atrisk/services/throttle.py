"""Sign-in throttling: failed attempts counted per account and per client address.

Each key (an email address or a client address) gets a fixed window that opens
with its first failure; once the window holds `limit` failures, further attempts
are refused until it closes. The counters live in the database, so every app
process sees the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from atrisk.db.database import Database
from atrisk.db.types import UTCDateTime, utcnow
from atrisk.models.accounts import LoginFailures
from atrisk.services.credentials import keyed_hash

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Limit:
    key_hash: str
    limit: int


def account_limit(key: bytes, email: str) -> Limit:
    return Limit(keyed_hash(key, "account:" + email.strip().lower()), 5)


def address_limit(key: bytes, address: str) -> Limit:
    return Limit(keyed_hash(key, "address:" + address), 20)


async def seconds_blocked(db: Database, limits: list[Limit], now: datetime | None = None) -> int:
    """0 if an attempt may go ahead, else how many seconds until it may."""
    now = now or utcnow()
    wanted = {limit.key_hash: limit.limit for limit in limits}
    async with db.read() as session:
        rows = (
            await session.execute(select(LoginFailures).where(LoginFailures.key_hash.in_(wanted)))
        ).scalars()
        wait = 0.0
        for row in rows:
            closes = row.window_started_at + WINDOW
            if row.failures >= wanted[row.key_hash] and closes > now:
                wait = max(wait, (closes - now).total_seconds())
    return math.ceil(wait)


async def record_failure(db: Database, limits: list[Limit]) -> None:
    now = utcnow()
    insert = postgresql_insert if db.dialect == "postgresql" else sqlite_insert
    expired = LoginFailures.window_started_at <= now - WINDOW
    async with db.write() as session:
        for limit in limits:
            statement = insert(LoginFailures).values(
                key_hash=limit.key_hash, failures=1, window_started_at=now
            )
            statement = statement.on_conflict_do_update(
                index_elements=[LoginFailures.key_hash],
                set_={
                    "failures": case((expired, 1), else_=LoginFailures.failures + 1),
                    "window_started_at": case(
                        (expired, literal(now, UTCDateTime())),
                        else_=LoginFailures.window_started_at,
                    ),
                },
            )
            await session.execute(statement)


async def forget(db: Database, limit: Limit) -> None:
    """Clear a key's failures (an account after a successful sign-in)."""
    async with db.write() as session:
        await session.execute(delete(LoginFailures).where(LoginFailures.key_hash == limit.key_hash))
