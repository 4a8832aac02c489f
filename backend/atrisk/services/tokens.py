"""API tokens: created (shown once), revoked (kept, and refused as revoked), and who a
token is.

Only a keyed hash of a token is stored (see atrisk.services.credentials).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import DBAPIError

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.accounts import TOKEN_ROLES, Caller, Refusal, Role
from atrisk.domain.changes import Action, Area, Entity
from atrisk.models.accounts import TOKEN_NAME_MAX_LENGTH, ApiToken
from atrisk.models.companies import Company
from atrisk.services import changes
from atrisk.services.changes import CLI, Change
from atrisk.services.credentials import keyed_hash, new_api_token
from atrisk.services.errors import NotFound, ValidationFailed
from atrisk.services.rows import owned
from atrisk.services.users import checked_label

logger = logging.getLogger(__name__)

# A token's last-used time is written at most this often, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)

# Built once: it runs on every request with a token, and reads the company's versions too.
_TOKEN_CALLER = (
    select(
        ApiToken.id,
        ApiToken.name,
        ApiToken.role,
        ApiToken.last_used_at,
        ApiToken.revoked_at,
        Company.id,
        Company.name,
        Company.currency,
        Company.timezone,
        Company.lists_version,
        Company.cases_version,
        Company.accounts_version,
    )
    .join(Company, Company.id == ApiToken.company_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


async def caller_from_token(db: Database, key: bytes, token: str) -> Caller | Refusal:
    """The read-only caller behind an API token, or why there is none; notes when the token
    was last used.

    That note is best-effort: a database that refuses writes must not refuse reads.
    """
    rows = await db.lookup(_TOKEN_CALLER, {"token_hash": keyed_hash(key, token)})
    if not rows:
        return Refusal.INVALID
    (row,) = rows
    (
        token_id,
        token_name,
        role,
        last_used_at,
        revoked_at,
        company_id,
        company_name,
        currency,
        timezone,
        lists,
        cases,
        accounts,
    ) = row
    if revoked_at is not None:
        return Refusal.REVOKED
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
        role=role,
        token_id=token_id,
        token_name=token_name,
        currency=currency,
        timezone=timezone,
        versions={Area.LISTS: lists, Area.CASES: cases, Area.ACCOUNTS: accounts},
    )


async def create_token(
    db: Database,
    key: bytes,
    company_id: str,
    name: str,
    role: Role | None = Role.VIEWER,
    created_by: str = CLI,
) -> tuple[ApiToken, str]:
    """A new token (VIEWER reads; AGENT also works customers and cases); returns the row and
    the token itself, which is shown only now."""
    name = checked_label(name, "name", TOKEN_NAME_MAX_LENGTH)
    if role is None or role not in TOKEN_ROLES:
        raise ValidationFailed("role", "A token's role is VIEWER or AGENT, never ADMIN.")
    token = new_api_token()
    async with db.write() as session:
        await changes.claim(session, company_id, Area.ACCOUNTS)  # queues the company's writers
        taken = await session.scalar(
            select(ApiToken.id).where(
                ApiToken.company_id == company_id,
                ApiToken.name == name,
                ApiToken.revoked_at.is_(None),  # a revoked token's name is free
            )
        )
        if taken:
            raise ValidationFailed("name", f'This company already has a token named "{name}".')
        row = ApiToken(
            company_id=company_id,
            name=name,
            token_hash=keyed_hash(key, token),
            role=role,
            created_by=created_by,
        )
        session.add(row)
        await session.flush()
        changes.record(
            session,
            Change(
                company_id,
                Entity.API_TOKEN,
                row.id,
                Action.CREATE,
                actor=created_by,
                label=row.name,
                fields=changes.diff({}, {"name": row.name, "role": row.role}),
            ),
        )
    return row, token


async def revoke_token(db: Database, company_id: str, name: str, actor: str = CLI) -> bool:
    """Revoke the company's active token with this name, at once; False if there is none.

    The token is kept, marked revoked: it is refused as revoked, and its name is free again.
    """
    name = " ".join(name.split())
    async with db.write() as session:
        await changes.claim(session, company_id, Area.ACCOUNTS)
        token_id = await session.scalar(
            select(ApiToken.id).where(
                ApiToken.company_id == company_id,
                ApiToken.name == name,
                ApiToken.revoked_at.is_(None),
            )
        )
        if token_id is None:
            return False
        revoked_at = utcnow()
        await session.execute(
            update(ApiToken).where(ApiToken.id == token_id).values(revoked_at=revoked_at)
        )
        changes.record(
            session,
            Change(
                company_id,
                Entity.API_TOKEN,
                token_id,
                Action.UPDATE,
                actor=actor,
                label=name,
                fields=(changes.FieldChange("revokedAt", None, revoked_at.isoformat()),),
            ),
        )
    return True


def _revocation(row: ApiToken, actor: str) -> Change:
    assert row.revoked_at is not None
    return Change(
        row.company_id,
        Entity.API_TOKEN,
        row.id,
        Action.UPDATE,
        actor=actor,
        label=row.name,
        fields=(changes.FieldChange("revokedAt", None, row.revoked_at.isoformat()),),
    )


async def revoke_token_by_id(db: Database, company_id: str, token_id: str, actor: str) -> ApiToken:
    """Revoke one of the company's tokens, at once; it stays listed, marked revoked.

    Revoking a revoked token changes nothing (no second event); another company's id
    answers NotFound like an unknown one.
    """
    async with db.read() as session:
        row = await owned(session, ApiToken, company_id, token_id)
    if row is None:
        raise NotFound(token_id, "API token")
    if row.revoked_at is not None:
        return row
    async with db.write() as session:
        await changes.claim(session, company_id, Area.ACCOUNTS)
        row = await owned(session, ApiToken, company_id, token_id)
        if row is None:
            raise NotFound(token_id, "API token")
        if row.revoked_at is None:  # not revoked meanwhile
            row.revoked_at = utcnow()
            await session.flush()
            changes.record(session, _revocation(row, actor))
    return row


async def list_tokens(db: Database, company_id: str) -> list[ApiToken]:
    """The company's tokens, revoked ones included, newest first."""
    async with db.read() as session:
        rows = await session.execute(
            select(ApiToken)
            .where(ApiToken.company_id == company_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
        return list(rows.scalars())


async def revoke_tokens_created_before(db: Database, moment: datetime, actor: str = CLI) -> int:
    """Revoke every company's active tokens created before `moment`; returns how many.

    Each is kept, marked revoked, and its revocation is in its company's history.
    """
    async with db.write() as session:
        rows = (
            await session.execute(
                select(ApiToken.id, ApiToken.company_id, ApiToken.name).where(
                    ApiToken.created_at < moment, ApiToken.revoked_at.is_(None)
                )
            )
        ).all()
        for company_id in sorted({row.company_id for row in rows}):
            await changes.claim(session, company_id, Area.ACCOUNTS)
        revoked_at = utcnow()
        await session.execute(
            update(ApiToken)
            .where(ApiToken.id.in_([row.id for row in rows]))
            .values(revoked_at=revoked_at)
        )
        for row in rows:
            changes.record(
                session,
                Change(
                    row.company_id,
                    Entity.API_TOKEN,
                    row.id,
                    Action.UPDATE,
                    actor=actor,
                    label=row.name,
                    fields=(changes.FieldChange("revokedAt", None, revoked_at.isoformat()),),
                ),
            )
    return len(rows)
