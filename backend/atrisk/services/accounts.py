"""Companies with their people, sign-in sessions and API tokens; who is calling.

Session ids and tokens are stored only as keyed hashes (see atrisk.credentials),
so every function that touches them takes the key.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from atrisk.credentials import (
    check_password_rules,
    hash_password,
    keyed_hash,
    needs_rehash,
    new_api_token,
    new_session_id,
    verify_password,
)
from atrisk.db import Database
from atrisk.domain import InvalidEmail, Role, normalise_email
from atrisk.models import TOKEN_NAME_MAX_LENGTH, ApiToken, Company, User, UserSession, utcnow
from atrisk.services.errors import ValidationFailed

logger = logging.getLogger(__name__)

COMPANY_NAME_MAX_LENGTH = 200
# A token's last-used time is written at most this often, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who a request acts for. `email` is None when an API token is calling."""

    company_id: str
    company_name: str
    role: Role
    email: str | None = None

    @property
    def can_write(self) -> bool:
        return self.role is Role.ADMIN


def _email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except InvalidEmail as error:
        raise ValidationFailed("email", str(error)) from None


def _label(raw: str, field: str, max_length: int) -> str:
    label = " ".join(raw.split())
    if not label:
        raise ValidationFailed(field, f"The {field} is required.")
    if len(label) > max_length:
        raise ValidationFailed(field, f"The {field} must be at most {max_length} characters.")
    return label


async def _password_hash(password: str) -> str:
    if reason := check_password_rules(password):
        raise ValidationFailed("password", reason)
    return await hash_password(password)


async def create_company_with_admin(
    db: Database, name: str, admin_email: str, password: str
) -> tuple[Company, User]:
    """A new company and its first admin, in one transaction."""
    name = _label(name, "name", COMPANY_NAME_MAX_LENGTH)
    email = _email(admin_email)
    password_hash = await _password_hash(password)
    try:
        async with db.write() as session:
            if await session.scalar(select(Company.id).where(Company.name == name)):
                raise ValidationFailed("name", f'A company named "{name}" already exists.')
            company = Company(name=name, data_version=1)
            session.add(company)
            await session.flush()
            user = User(
                company_id=company.id, email=email, password_hash=password_hash, role=Role.ADMIN
            )
            session.add(user)
    except IntegrityError:
        raise _taken(email) from None
    return company, user


def _taken(email: str) -> ValidationFailed:
    return ValidationFailed("email", f"An account with the email {email} already exists.")


async def create_user(db: Database, company_id: str, email: str, role: Role, password: str) -> User:
    email = _email(email)
    password_hash = await _password_hash(password)
    try:
        async with db.write() as session:
            user = User(company_id=company_id, email=email, password_hash=password_hash, role=role)
            session.add(user)
    except IntegrityError:
        raise _taken(email) from None
    return user


async def check_password(db: Database, email: str, password: str) -> User | None:
    """The account if the email and password match, else None (the same for both mistakes)."""
    try:
        address = normalise_email(email)
    except InvalidEmail:
        address = None
    user = None
    if address is not None:
        async with db.read() as session:
            user = await session.scalar(select(User).where(User.email == address))
    if not await verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if needs_rehash(user.password_hash):
        new_hash = await hash_password(password)
        async with db.write() as session:
            await session.execute(
                update(User).where(User.id == user.id).values(password_hash=new_hash)
            )
    return user


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


# Built once: these run on every authenticated request.
_SESSION_CALLER = (
    select(User.email, User.role, Company.id, Company.name)
    .join(UserSession, UserSession.user_id == User.id)
    .join(Company, Company.id == User.company_id)
    .where(UserSession.id_hash == bindparam("id_hash"))
    .where(UserSession.expires_at > bindparam("now"))
)
_TOKEN_CALLER = (
    select(ApiToken.id, ApiToken.last_used_at, Company.id, Company.name)
    .join(Company, Company.id == ApiToken.company_id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


async def caller_from_session(db: Database, key: bytes, session_id: str) -> Caller | None:
    parameters = {"id_hash": keyed_hash(key, session_id), "now": utcnow()}
    rows = await db.read_rows(_SESSION_CALLER, parameters)
    if not rows:
        return None
    (row,) = rows
    email, role, company_id, company_name = row
    return Caller(company_id=company_id, company_name=company_name, role=role, email=email)


async def caller_from_token(db: Database, key: bytes, token: str) -> Caller | None:
    """The read-only caller behind an API token; notes when the token was last used.

    That note is best-effort: a database that refuses writes must not refuse reads.
    """
    rows = await db.read_rows(_TOKEN_CALLER, {"token_hash": keyed_hash(key, token)})
    if not rows:
        return None
    (row,) = rows
    token_id, last_used_at, company_id, company_name = row
    now = utcnow()
    if last_used_at is None or now - last_used_at >= TOKEN_USE_RESOLUTION:
        try:
            async with db.write() as session:
                await session.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now)
                )
        except DBAPIError:
            logger.warning("could not record the last use of an API token", exc_info=True)
    return Caller(company_id=company_id, company_name=company_name, role=Role.VIEWER)


async def create_token(
    db: Database, key: bytes, company_id: str, name: str
) -> tuple[ApiToken, str]:
    """A new read-only token; returns the row and the token itself, which is shown only now."""
    name = _label(name, "name", TOKEN_NAME_MAX_LENGTH)
    token = new_api_token()
    try:
        async with db.write() as session:
            row = ApiToken(company_id=company_id, name=name, token_hash=keyed_hash(key, token))
            session.add(row)
    except IntegrityError:
        raise ValidationFailed(
            "name", f'This company already has a token named "{name}".'
        ) from None
    return row, token


async def revoke_token(db: Database, company_id: str, name: str) -> bool:
    """Delete the company's token with this name; False if there was none."""
    name = " ".join(name.split())
    async with db.write() as session:
        result = await session.execute(
            delete(ApiToken).where(ApiToken.company_id == company_id, ApiToken.name == name)
        )
    return bool(getattr(result, "rowcount", 0))
