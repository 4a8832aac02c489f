"""People: a company with its first admin, more people, their roles and passwords, and
checking a password.

Every company keeps at least one active admin: demoting or deactivating the last one is
refused. The check runs after `changes.claim`, which queues the company's writers (a row
lock on PostgreSQL, BEGIN IMMEDIATE on SQLite), so concurrent demotions cannot all pass it.
Deactivating a person, resetting their password or changing one's own password ends
sessions in the same transaction; `caller_from_session` also refuses a deactivated person.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.failures import violates
from atrisk.db.types import utcnow
from atrisk.domain.accounts import (
    USER_NAME_MAX_LENGTH,
    Caller,
    InvalidEmail,
    Role,
    normalise_email,
    password_problem,
)
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.text import InvalidText, fold, one_line, visible
from atrisk.models.accounts import User
from atrisk.models.companies import COMPANY_NAME_MAX_LENGTH, Company
from atrisk.services import changes, sessions, throttle
from atrisk.services.changes import CLI, Change, FieldChange
from atrisk.services.credentials import (
    generate_password,
    hash_password,
    needs_rehash,
    pretend_to_verify,
    verify_password,
)
from atrisk.services.errors import NotFound, ValidationFailed
from atrisk.services.rows import owned

EDITABLE = ("name", "role", "active")


def checked_email(raw: str) -> str:
    try:
        return normalise_email(raw)
    except InvalidEmail as error:
        raise ValidationFailed("email", str(error)) from None


def checked_label(raw: str, field: str, max_length: int) -> str:
    """A short label (a company or token name): whitespace collapsed, 1..max_length long,
    something visible in it and no control characters."""
    label = " ".join(raw.split())
    if not label:
        raise ValidationFailed(field, f"The {field} is required.")
    if len(label) > max_length:
        raise ValidationFailed(field, f"The {field} must be at most {max_length} characters.")
    try:
        return one_line(label, max_length)
    except InvalidText as error:
        raise ValidationFailed(field, error.message(f"The {field}")) from None


def checked_name(raw: str | None) -> str | None:
    """A person's name: optional (nothing visible is no name), one line, at most 100."""
    if raw is None or not any(visible(char) for char in raw):
        return None
    try:
        return one_line(raw, USER_NAME_MAX_LENGTH)
    except InvalidText as error:
        raise ValidationFailed("name", error.message("Name")) from None


async def _password_hash(password: str, field: str = "password") -> str:
    if reason := password_problem(password):
        raise ValidationFailed(field, reason)
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
    db: Database,
    company_id: str,
    email: str,
    role: Role,
    password: str,
    actor: str = CLI,
    *,
    name: str | None = None,
) -> User:
    email = checked_email(email)
    name = checked_name(name)
    password_hash = await _password_hash(password)
    try:
        async with db.write() as session:
            await changes.claim(session, company_id, Area.ACCOUNTS)
            user = User(
                company_id=company_id,
                email=email,
                name=name,
                password_hash=password_hash,
                role=role,
            )
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
    """The active account if the email and password match, else None (the same for every
    mistake, a deactivated account included).

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
    if not user.active:  # a deactivated person cannot sign in (after the same check)
        return None
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


async def add_person(
    db: Database,
    caller: Caller,
    email: str,
    role: Role,
    *,
    name: str | None = None,
    password: str | None = None,
) -> tuple[User, str | None]:
    """A new person in the caller's company. Without a password one is generated and
    returned (to be shown once); with one, it must meet the rules and None is returned."""
    generated = generate_password() if password is None else None
    user = await create_user(
        db,
        caller.company_id,
        email,
        role,
        password if password is not None else generated or "",
        caller.actor,
        name=name,
    )
    return user, generated


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if "name" in values:
        clean["name"] = checked_name(values["name"])
    if "role" in values:
        if values["role"] is None:
            raise ValidationFailed("role", "Role is required: ADMIN, AGENT or VIEWER.")
        clean["role"] = Role(values["role"])
    if "active" in values:
        if values["active"] is None:
            raise ValidationFailed("active", "Active is required: true or false.")
        clean["active"] = bool(values["active"])
    return clean


async def _other_active_admins(session: AsyncSession, user: User) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.company_id == user.company_id,
                User.role == Role.ADMIN,
                User.active.is_(True),
                User.id != user.id,
            )
        )
        or 0
    )


def _last_admin(field: str, user: User) -> ValidationFailed:
    what = "demoted" if field == "role" else "deactivated"
    return ValidationFailed(
        field,
        f"{user.email} is the company's last active admin and cannot be {what}: "
        "make someone else an admin first.",
    )


async def update_user(
    db: Database, caller: Caller, user_id: str, values: Mapping[str, Any]
) -> User:
    """Change a person's name, role or active flag (the given ones). Deactivating ends
    their sessions at once; the company's last active admin stays an active admin."""
    clean = {field: value for field, value in _clean(values).items() if field in EDITABLE}
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.ACCOUNTS)  # queues the writers
        user = await owned(session, User, caller.company_id, user_id)
        if user is None:
            raise NotFound(user_id, "person")
        demoted = clean.get("role", user.role) is not Role.ADMIN
        deactivated = not clean.get("active", user.active)
        was_admin = user.role is Role.ADMIN and user.active
        if was_admin and (demoted or deactivated) and not await _other_active_admins(session, user):
            raise _last_admin("role" if demoted else "active", user)
        before = snapshot(user)
        for field, value in clean.items():
            setattr(user, field, value)
        fields = changes.diff(before, snapshot(user))
        if not fields:
            return user
        ended = 0
        if before["active"] and not user.active:
            ended = await sessions.end_sessions_of(session, user.id)
        await session.flush()
        if ended:
            fields += (FieldChange("sessions", str(ended), "0"),)
        _record_fields(session, user, caller.actor, fields)
    return user


def _record_fields(
    session: AsyncSession, user: User, actor: str, fields: tuple[FieldChange, ...]
) -> None:
    changes.record(
        session,
        Change(
            user.company_id,
            Entity.USER,
            user.id,
            Action.UPDATE,
            actor=actor,
            label=user.email,
            fields=fields,
        ),
    )


async def reset_password(db: Database, caller: Caller, user_id: str) -> tuple[User, str]:
    """A new generated password for a person of the caller's company (returned, to be shown
    once); their sessions end. One's own password is changed with the current one instead."""
    if caller.user_id is not None and caller.user_id == (user_id or "").strip().lower():
        raise ValidationFailed(
            "id",
            "You cannot reset your own password here: change it with your current one "
            "(Change password).",
        )
    password = generate_password()
    password_hash = await hash_password(password)
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.ACCOUNTS)
        user = await owned(session, User, caller.company_id, user_id)
        if user is None:
            raise NotFound(user_id, "person")
        user.password_hash = password_hash
        ended = await sessions.end_sessions_of(session, user.id)
        await session.flush()
        fields: tuple[FieldChange, ...] = (FieldChange("password", None, "reset"),)
        if ended:
            fields += (FieldChange("sessions", str(ended), "0"),)
        _record_fields(session, user, caller.actor, fields)
    return user, password


def _too_many(count: throttle.Count) -> ValidationFailed:
    minutes = max(1, round(count.retry_after() / 60))
    return ValidationFailed(
        "currentPassword",
        "Too many wrong passwords for this account. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
    )


async def change_password(
    db: Database,
    key: bytes,
    caller: Caller,
    current_password: str,
    new_password: str,
    *,
    address: str,
    keep_session: str | None,
) -> int:
    """Change the signed-in person's own password; their other sessions end (the one whose
    cookie value is `keep_session` stays). Returns how many ended.

    A wrong current password counts against the account as a failed sign-in does
    (atrisk.services.throttle): past the limit it is refused without being checked.
    """
    if caller.user_id is None or caller.email is None:
        raise ValidationFailed("currentPassword", "Only a signed-in person has a password.")
    if reason := password_problem(new_password):
        raise ValidationFailed("newPassword", reason)
    attempt = await throttle.count_attempt(
        db, throttle.account_limit(key, caller.email), throttle.address_limit(key, address)
    )
    if attempt.account.over:
        raise _too_many(attempt.account)
    async with db.read() as session:
        stored = await session.scalar(
            select(User.password_hash).where(
                User.id == caller.user_id, User.company_id == caller.company_id
            )
        )
    if not await verify_password(stored, current_password):
        if attempt.address.over:
            raise _too_many(attempt.address)
        raise ValidationFailed("currentPassword", "The current password is not correct.")
    await throttle.succeeded(db, attempt)
    if new_password == current_password:
        raise ValidationFailed(
            "newPassword", "The new password must be different from the current one."
        )
    password_hash = await hash_password(new_password)
    kept = sessions.session_hash(key, keep_session) if keep_session else None
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.ACCOUNTS)
        user = await owned(session, User, caller.company_id, caller.user_id)
        if user is None:
            raise NotFound(caller.user_id, "person")
        user.password_hash = password_hash
        ended = await sessions.end_sessions_of(session, user.id, keep=kept)
        await session.flush()
        fields: tuple[FieldChange, ...] = (FieldChange("password", None, "changed"),)
        if ended:
            fields += (FieldChange("sessions", str(ended), "0"),)
        _record_fields(session, user, caller.actor, fields)
    return ended


async def sign_out_everywhere(db: Database, caller: Caller) -> int:
    """End every session of the signed-in person, the current one included; how many."""
    if caller.user_id is None:
        return 0
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.ACCOUNTS)
        user = await owned(session, User, caller.company_id, caller.user_id)
        if user is None:
            return 0
        ended = await sessions.end_sessions_of(session, user.id)
        _record_fields(session, user, caller.actor, (FieldChange("sessions", str(ended), "0"),))
    return ended


async def note_sign_in(db: Database, user: User) -> None:
    """Remember when the person last signed in (shown on the people list)."""
    async with db.write() as session:
        await changes.claim(session, user.company_id, Area.ACCOUNTS)
        await session.execute(
            update(User).where(User.id == user.id).values(last_sign_in_at=utcnow())
        )
