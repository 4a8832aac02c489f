"""People: a company with its first admin, more people, and checking a password."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.failures import violates
from atrisk.domain.accounts import InvalidEmail, Role, normalise_email, password_problem
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.text import fold
from atrisk.models.accounts import User
from atrisk.models.companies import COMPANY_NAME_MAX_LENGTH, Company
from atrisk.services import changes
from atrisk.services.changes import CLI, Change
from atrisk.services.credentials import (
    hash_password,
    needs_rehash,
    pretend_to_verify,
    verify_password,
)
from atrisk.services.errors import ValidationFailed


def checked_email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except InvalidEmail as error:
        raise ValidationFailed("email", str(error)) from None


def checked_label(raw: str, field: str, max_length: int) -> str:
    """A short label (a company or token name): whitespace collapsed, 1..max_length long."""
    label = " ".join(raw.split())
    if not label:
        raise ValidationFailed(field, f"The {field} is required.")
    if len(label) > max_length:
        raise ValidationFailed(field, f"The {field} must be at most {max_length} characters.")
    return label


async def _password_hash(password: str) -> str:
    if reason := password_problem(password):
        raise ValidationFailed("password", reason)
    return await hash_password(password)


def _taken(email: str) -> ValidationFailed:
    return ValidationFailed("email", f"An account with the email {email} already exists.")


def snapshot(user: User) -> dict[str, object]:
    """The fields history shows: never a password or its hash."""
    return {"email": user.email, "name": user.name, "role": user.role, "active": user.active}


def record_user(
    session: AsyncSession,
    user: User,
    action: Action,
    actor: str,
    before: dict[str, object] | None = None,
) -> None:
    changes.record(
        session,
        Change(
            user.company_id,
            Entity.USER,
            user.id,
            action,
            actor=actor,
            label=user.email,
            fields=changes.diff(before or {}, snapshot(user)),
        ),
    )


async def create_company_with_admin(
    db: Database, name: str, admin_email: str, password: str, actor: str = CLI
) -> tuple[Company, User]:
    """A new company and its first admin, in one transaction."""
    name = checked_label(name, "name", COMPANY_NAME_MAX_LENGTH)
    email = checked_email(admin_email)
    password_hash = await _password_hash(password)
    try:
        async with db.write() as session:
            if await session.scalar(select(Company.id).where(Company.name_key == fold(name))):
                raise ValidationFailed("name", f'A company named "{name}" already exists.')
            company = Company(name=name, name_key=fold(name))
            session.add(company)
            await session.flush()
            await changes.claim(session, company.id, Area.ACCOUNTS)
            user = User(
                company_id=company.id, email=email, password_hash=password_hash, role=Role.ADMIN
            )
            session.add(user)
            await session.flush()
            changes.record(
                session,
                Change(
                    company.id,
                    Entity.COMPANY,
                    company.id,
                    Action.CREATE,
                    actor=actor,
                    label=company.name,
                    fields=changes.diff({}, {"name": company.name}),
                ),
            )
            record_user(session, user, Action.CREATE, actor)
    except IntegrityError as error:
        # Emails are unique across companies, whose writers do not queue on each other.
        if violates(error, "uq_users_email", "users.email"):
            raise _taken(email) from None
        raise
    return company, user


async def create_user(
    db: Database, company_id: str, email: str, role: Role, password: str, actor: str = CLI
) -> User:
    email = checked_email(email)
    password_hash = await _password_hash(password)
    try:
        async with db.write() as session:
            await changes.claim(session, company_id, Area.ACCOUNTS)
            user = User(company_id=company_id, email=email, password_hash=password_hash, role=role)
            session.add(user)
            await session.flush()
            record_user(session, user, Action.CREATE, actor)
    except IntegrityError as error:
        if violates(error, "uq_users_email", "users.email"):
            raise _taken(email) from None
        raise
    return user


async def check_password(
    db: Database, email: str, password: str, *, check_unknown: bool = True
) -> User | None:
    """The account if the email and password match, else None (the same for both mistakes).

    An unknown email costs a real password check, so timing tells nothing; with
    `check_unknown` off it only takes as long as one (no correct password exists for it).
    A hash made with older argon2 parameters is replaced by a current one.
    """
    try:
        address = normalise_email(email)
    except InvalidEmail:
        address = None
    user = None
    if address is not None:
        async with db.read() as session:
            user = await session.scalar(select(User).where(User.email == address))
    if user is None and not check_unknown:
        await pretend_to_verify()
        return None
    if not await verify_password(user.password_hash if user else None, password):
        return None
    assert user is not None
    if needs_rehash(user.password_hash):
        new_hash = await hash_password(password)
        async with db.write() as session:
            await changes.claim(session, user.company_id, Area.ACCOUNTS)
            await session.execute(
                update(User).where(User.id == user.id).values(password_hash=new_hash)
            )
    return user


async def list_users(db: Database, company_id: str, *, include_inactive: bool) -> list[User]:
    """The company's people by email; deactivated ones only when asked."""
    query = select(User).where(User.company_id == company_id)
    if not include_inactive:
        query = query.where(User.active.is_(True))
    async with db.read() as session:
        return list((await session.execute(query.order_by(User.email))).scalars())
