"""Sign-in sessions: started on sign-in, ended on sign-out or expiry; who a session is.

Only a keyed hash of the session id is stored (see atrisk.services.credentials), so every
function here takes the key.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Caller, Refusal
from atrisk.domain.changes import Area
from atrisk.models.accounts import User, UserSession
from atrisk.models.companies import Company
from atrisk.services.credentials import keyed_hash, new_session_id


async def start_session(
    db: Database, key: bytes, user_id: str, lifetime: timedelta
) -> tuple[str, datetime]:
    """A new session; returns the cookie value (never stored) and when it expires."""
    session_id = new_session_id()
    now = utcnow()
    expires_at = now + lifetime
    async with db.write() as session:
        await session.execute(delete(UserSession).where(UserSession.expires_at <= now))
        session.add(
            UserSession(
                id_hash=keyed_hash(key, session_id),
                user_id=user_id,
                created_at=now,
                expires_at=expires_at,
            )
        )
    return session_id, expires_at


async def end_session(db: Database, key: bytes, session_id: str) -> None:
    async with db.write() as session:
        await session.execute(
            delete(UserSession).where(UserSession.id_hash == keyed_hash(key, session_id))
        )


def session_hash(key: bytes, session_id: str) -> str:
    """What is stored for a session's cookie value."""
    return keyed_hash(key, session_id)


async def end_sessions_of(session: AsyncSession, user_id: str, keep: str | None = None) -> int:
    """In the caller's transaction: end every session of a person but the one whose stored
    hash is `keep`; returns how many ended."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        statement = statement.where(UserSession.id_hash != keep)
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def end_sessions_started_before(db: Database, moment: datetime) -> int:
    """End every session started before `moment`; returns how many were ended."""
    async with db.write() as session:
        result = await session.execute(delete(UserSession).where(UserSession.created_at < moment))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# Built once: it runs on every signed-in request, and reads the company's versions too.
_SESSION_CALLER = (
    select(
        User.id,
        User.email,
        User.role,
        Company.id,
        Company.name,
        Company.currency,
        Company.timezone,
        Company.lists_version,
        Company.cases_version,
        Company.accounts_version,
    )
    .join(UserSession, UserSession.user_id == User.id)
    .join(Company, Company.id == User.company_id)
    .where(UserSession.id_hash == bindparam("id_hash"))
    .where(UserSession.expires_at > bindparam("now"))
    .where(User.active.is_(True))
)


async def caller_from_session(db: Database, key: bytes, session_id: str) -> Caller | Refusal:
    """The person signed in with this session, or INVALID when it ended, expired or never was."""
    parameters = {"id_hash": keyed_hash(key, session_id), "now": utcnow()}
    rows = await db.lookup(_SESSION_CALLER, parameters)
    if not rows:
        return Refusal.INVALID
    (row,) = rows
    user_id, email, role, company_id, company_name, currency, timezone, lists, cases, accounts = row
    return Caller(
        company_id=company_id,
        company_name=company_name,
        role=role,
        email=email,
        user_id=user_id,
        currency=currency,
        timezone=timezone,
        versions={Area.LISTS: lists, Area.CASES: cases, Area.ACCOUNTS: accounts},
    )
