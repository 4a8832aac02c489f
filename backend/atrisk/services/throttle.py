"""Sign-in throttling: attempts counted per account and per client address.

Each key (an email address or a client address) gets a fixed window that opens with its
first attempt. An attempt is counted *before* its password is checked, in one upsert per
key that adds one and returns the new count, so concurrent attempts each see their own
number and no burst gets past a limit:

- **account** (5): the sixth attempt in a window, and every one after it, is refused
  without checking the password. A successful sign-in clears the account's count.
- **address** (20): a back-off, not a lock. Past it, the password is still checked and
  a correct one signs in (as long as the account is under its own limit); a wrong one is
  answered `429` instead of `401`, and an unknown account costs no password check at all.
  A successful sign-in gives its attempt back to the address, so the address counts
  failures (and attempts still in flight).

The counters live in the database, so every app process sees the same numbers. Rows of
windows that closed long ago are deleted, a bounded batch with each attempt.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import UTCDateTime, utcnow
from atrisk.models.accounts import LoginFailures
from atrisk.services.credentials import keyed_hash

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
# Rows whose window closed at least this long ago are deleted, this many at a time.
PURGE_AFTER = WINDOW
PURGE_BATCH = 100


@dataclass(frozen=True, slots=True)
class Limit:
    key_hash: str
    limit: int


@dataclass(frozen=True, slots=True)
class Count:
    """A key's count in its window, this attempt included."""

    limit: Limit
    count: int
    window_started_at: datetime

    @property
    def over(self) -> bool:
        return self.count > self.limit.limit

    def retry_after(self, now: datetime | None = None) -> int:
        """Seconds until the window closes (at least 1)."""
        closes = self.window_started_at + WINDOW
        return max(1, math.ceil((closes - (now or utcnow())).total_seconds()))


@dataclass(frozen=True, slots=True)
class Attempt:
    account: Count
    address: Count


def account_limit(key: bytes, email: str) -> Limit:
    return Limit(keyed_hash(key, "account:" + email.strip().lower()), ACCOUNT_LIMIT)


def address_limit(key: bytes, address: str) -> Limit:
    return Limit(keyed_hash(key, "address:" + address), ADDRESS_LIMIT)


async def _add_one(session: AsyncSession, dialect: str, limit: Limit, now: datetime) -> Count:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    expired = LoginFailures.window_started_at <= now - WINDOW
    statement = (
        insert(LoginFailures)
        .values(key_hash=limit.key_hash, failures=1, window_started_at=now)
        .on_conflict_do_update(
            index_elements=[LoginFailures.key_hash],
            set_={
                "failures": case((expired, 1), else_=LoginFailures.failures + 1),
                "window_started_at": case(
                    (expired, literal(now, UTCDateTime())),
                    else_=LoginFailures.window_started_at,
                ),
            },
        )
        .returning(LoginFailures.failures, LoginFailures.window_started_at)
    )
    count, started = (await session.execute(statement)).one()
    return Count(limit, count, started)


async def _purge(session: AsyncSession, now: datetime) -> None:
    closed_long_ago = LoginFailures.window_started_at <= now - WINDOW - PURGE_AFTER
    batch = select(LoginFailures.key_hash).where(closed_long_ago).limit(PURGE_BATCH)
    # The age is checked again on the row itself: one that a concurrent attempt has
    # just opened a new window on is kept.
    await session.execute(
        delete(LoginFailures).where(
            and_(closed_long_ago, LoginFailures.key_hash.in_(batch.scalar_subquery()))
        )
    )


async def count_attempt(db: Database, account: Limit, address: Limit) -> Attempt:
    """Count one sign-in attempt against both keys, before its password is checked."""
    now = utcnow()
    async with db.write() as session:
        await _purge(session, now)
        # Always in this order, so two attempts never wait for each other's second row.
        counted = {
            limit.key_hash: await _add_one(session, db.dialect, limit, now)
            for limit in sorted({account, address}, key=lambda limit: limit.key_hash)
        }
    return Attempt(counted[account.key_hash], counted[address.key_hash])


async def succeeded(db: Database, attempt: Attempt) -> None:
    """After a correct password: clear the account's count, give the address its attempt back."""
    account, address = attempt.account, attempt.address
    clear = delete(LoginFailures).where(LoginFailures.key_hash == account.limit.key_hash)
    give_back = (
        update(LoginFailures)
        .where(
            LoginFailures.key_hash == address.limit.key_hash,
            LoginFailures.window_started_at == address.window_started_at,
            LoginFailures.failures > 0,
        )
        .values(failures=LoginFailures.failures - 1)
    )
    statements = [(account.limit.key_hash, clear), (address.limit.key_hash, give_back)]
    async with db.write() as session:
        # In count_attempt's order of keys, so that the two never wait for each other.
        for _, statement in sorted(statements, key=lambda item: item[0]):
            await session.execute(statement)
