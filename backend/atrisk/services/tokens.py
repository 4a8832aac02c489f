"""API tokens: created (shown once), revoked, and who a token is.

Only a keyed hash of a token is stored (see atrisk.services.credentials).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Caller, Role
from atrisk.domain.changes import Action, Area, Entity
from atrisk.models.accounts import TOKEN_NAME_MAX_LENGTH, ApiToken
from atrisk.models.companies import Company
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.credentials import keyed_hash, new_api_token
from atrisk.services.errors import ValidationFailed
from atrisk.services.users import checked_label

logger = logging.getLogger(__name__)

# A token's last-used time is written at most this often, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)

# Built once: it runs on every request with a token, and reads the company's versions too.
_TOKEN_CALLER = (
    select(
        ApiToken.id,
        ApiToken.last_used_at,
        Company.id,
        Company.name,
        Company.lists_version,
        Company.cases_version,
        Company.accounts_version,
    )
    .join(Company, Company.id == ApiToken.company_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


async def caller_from_token(db: Database, key: bytes, token: str) -> Caller | None:
    """The read-only caller behind an API token; notes when the token was last used.

    That note is best-effort: a database that refuses writes must not refuse reads.
    """
    rows = await db.lookup(_TOKEN_CALLER, {"token_hash": keyed_hash(key, token)})
    if not rows:
        return None
    (row,) = rows
    token_id, last_used_at, company_id, company_name, lists, cases, accounts = row
    now = utcnow()
    if last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION:
        try:
            async with db.write() as session:
                await changes.claim(session, company_id, Area.ACCOUNTS)
                await session.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
        except DBAPIError:
            logger.warning("could not record the last use of an API token", exc_info=True)
        else:
            accounts += 1
    return Caller(
        company_id=company_id,
        company_name=company_name,
        role=Role.VIEWER,
        token_id=token_id,
        versions={Area.LISTS: lists, Area.CASES: cases, Area.ACCOUNTS: accounts},
    )


async def create_token(
    db: Database, key: bytes, company_id: str, name: str
) -> tuple[ApiToken, str]:
    """A new read-only token; returns the row and the token itself, which is shown only now."""
    name = checked_label(name, "name", TOKEN_NAME_MAX_LENGTH)
    token = new_api_token()
    try:
        async with db.write() as session:
            await changes.claim(session, company_id, Area.ACCOUNTS)
            row = ApiToken(company_id=company_id, name=name, token_hash=keyed_hash(key, token))
            session.add(row)
            await session.flush()
            changes.record(session, Change(company_id, Entity.API_TOKEN, row.id, Action.CREATE))
    except IntegrityError:
        raise ValidationFailed(
            "name", f'This company already has a token named "{name}".'
        ) from None
    return row, token


async def revoke_token(db: Database, company_id: str, name: str) -> bool:
    """Delete the company's token with this name; False if there was none."""
    name = " ".join(name.split())
    async with db.write() as session:
        token_id = await session.scalar(
            select(ApiToken.id).where(ApiToken.company_id == company_id, ApiToken.name == name)
        )
        if token_id is None:
            return False
        await changes.claim(session, company_id, Area.ACCOUNTS)
        await session.execute(delete(ApiToken).where(ApiToken.id == token_id))
        changes.record(session, Change(company_id, Entity.API_TOKEN, token_id, Action.DELETE))
    return True


async def revoke_tokens_created_before(db: Database, moment: datetime) -> int:
    """Revoke every company's tokens created before `moment`; returns how many."""
    async with db.write() as session:
        rows = (
            await session.execute(
                select(ApiToken.id, ApiToken.company_id).where(ApiToken.created_at < moment)
            )
        ).all()
        for company_id in sorted({company_id for _, company_id in rows}):
            await changes.claim(session, company_id, Area.ACCOUNTS)
        await session.execute(delete(ApiToken).where(ApiToken.id.in_([id_ for id_, _ in rows])))
        for token_id, company_id in rows:
            changes.record(session, Change(company_id, Entity.API_TOKEN, token_id, Action.DELETE))
    return len(rows)
