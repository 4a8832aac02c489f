"""The accounts service and sign-in throttling on their own, without HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from atrisk.db.types import utcnow
from atrisk.domain.accounts import Caller, InvalidEmail, Refusal, Role, normalise_email
from atrisk.domain.changes import Action, Area, Entity
from atrisk.models.accounts import ApiToken, LoginFailures, User, UserSession
from atrisk.services import changes, sessions, throttle, tokens, users
from atrisk.services.changes import Change
from atrisk.services.credentials import keyed_hash
from atrisk.services.errors import ValidationFailed

KEY = b"k" * 32


@pytest.mark.parametrize(
    ("raw", "email"),
    [(" Owner@Acme.Example ", "owner@acme.example"), ("a@b", "a@b")],
)
def test_emails_are_trimmed_and_lower_cased(raw, email):
    assert normalise_email(raw) == email


@pytest.mark.parametrize(
    "raw", ["", "no-at-sign", "@acme.example", "owner@", "a@b@c", "a b@c.d", "a\x00@b.c"]
)
def test_impossible_emails_are_refused(raw):
    with pytest.raises(InvalidEmail):
        normalise_email(raw)


async def test_company_with_admin_stores_an_argon2_hash(db):
    company, user = await users.create_company_with_admin(
        db, "  Acme   Alarms ", "Owner@Acme.example", "long enough"
    )
    assert company.name == "Acme Alarms"
    async with db.read() as session:
        stored = await session.scalar(select(User).where(User.id == user.id))
    assert stored is not None
    assert stored.role is Role.ADMIN
    assert stored.email == "owner@acme.example"
    assert stored.password_hash.startswith("$argon2id$")
    assert "long enough" not in stored.password_hash


async def test_duplicate_company_name_is_refused(db):
    await users.create_company_with_admin(db, "Acme Alarms", "a@acme.example", "long enough")
    with pytest.raises(ValidationFailed, match='A company named "Acme Alarms" already exists'):
        await users.create_company_with_admin(db, "Acme Alarms", "b@acme.example", "long enough")


async def test_check_password(db):
    await users.create_company_with_admin(db, "Acme Alarms", "a@acme.example", "long enough")
    assert await users.check_password(db, " A@ACME.example", "long enough") is not None
    assert await users.check_password(db, "a@acme.example", "Long enough") is None
    assert await users.check_password(db, "b@acme.example", "long enough") is None
    assert await users.check_password(db, "not an email", "long enough") is None


async def test_tokens_are_stored_hashed_and_resolve_to_read_only_callers(db, company):
    row, token = await tokens.create_token(db, KEY, company.id, "  picker  app ")
    assert row.name == "picker app"
    async with db.read() as session:
        stored = (await session.execute(select(ApiToken.token_hash))).scalar_one()
    assert stored == keyed_hash(KEY, token)
    assert token not in stored
    caller = await tokens.caller_from_token(db, KEY, token)
    assert caller == Caller(
        company.id, "Acme Alarms", Role.VIEWER, None, token_id=row.id, token_name="picker app"
    )
    assert caller is not None
    assert not caller.works_cases
    assert not caller.is_admin
    assert await tokens.caller_from_token(db, b"another key" * 3, token) is Refusal.INVALID
    assert await tokens.revoke_token(db, company.id, "picker app")
    assert await tokens.caller_from_token(db, KEY, token) is Refusal.REVOKED
    assert not await tokens.revoke_token(db, company.id, "picker app")
    # The revoked token is kept; its name is free for a new one.
    renewed, new_token = await tokens.create_token(db, KEY, company.id, "picker app")
    assert renewed.id != row.id
    assert await tokens.caller_from_token(db, KEY, token) is Refusal.REVOKED
    assert isinstance(await tokens.caller_from_token(db, KEY, new_token), Caller)
    async with db.read() as session:
        kept = dict((await session.execute(select(ApiToken.id, ApiToken.revoked_at))).all())
    assert kept.keys() == {row.id, renewed.id}
    assert kept[row.id] is not None
    assert kept[renewed.id] is None


async def test_a_token_name_is_unique_per_company_only(db, company, other_company):
    await tokens.create_token(db, KEY, company.id, "app")
    await tokens.create_token(db, KEY, other_company.id, "app")
    with pytest.raises(ValidationFailed, match="already has a token"):
        await tokens.create_token(db, KEY, company.id, "app")
    assert not await tokens.revoke_token(db, company.id, "other")


async def test_sessions_expire_and_end(db, company):
    user = await users.create_user(db, company.id, "v@acme.example", Role.VIEWER, "long enough")
    session_id, expires_at = await sessions.start_session(db, KEY, user.id, timedelta(hours=1))
    assert expires_at > utcnow()
    caller = await sessions.caller_from_session(db, KEY, session_id)
    assert caller == Caller(
        company.id, "Acme Alarms", Role.VIEWER, "v@acme.example", user_id=user.id
    )
    await sessions.end_session(db, KEY, session_id)
    assert await sessions.caller_from_session(db, KEY, session_id) is Refusal.INVALID

    gone, _ = await sessions.start_session(db, KEY, user.id, timedelta(seconds=-1))
    assert await sessions.caller_from_session(db, KEY, gone) is Refusal.INVALID
    kept, _ = await sessions.start_session(db, KEY, user.id, timedelta(hours=1))
    async with db.read() as session:
        stored = (await session.execute(select(UserSession.id_hash))).scalars().all()
    assert stored == [keyed_hash(KEY, kept)], "a new session sweeps the expired ones"


async def test_throttle_counts_each_attempt_per_key_in_a_window(db):
    account = throttle.account_limit(KEY, "a@acme.example")
    address = throttle.address_limit(KEY, "127.0.0.1")
    counts = [await throttle.count_attempt(db, account, address) for _ in range(6)]
    assert [c.account.count for c in counts] == [1, 2, 3, 4, 5, 6]
    assert [c.account.over for c in counts] == [False] * 5 + [True]
    assert not counts[-1].address.over, "20 allowed per address"
    assert 899 <= counts[-1].account.retry_after() <= 900
    later = counts[-1].account.window_started_at + throttle.WINDOW
    assert counts[-1].account.retry_after(now=later) == 1
    await throttle.succeeded(db, counts[-1])
    again = await throttle.count_attempt(db, account, address)
    assert again.account.count == 1, "a success clears the account"
    assert again.address.count == 6, "and gives the address its attempt back"


async def test_an_attempt_after_the_window_starts_a_new_one(db):
    account = throttle.account_limit(KEY, "a@acme.example")
    address = throttle.address_limit(KEY, "127.0.0.1")
    for _ in range(6):
        await throttle.count_attempt(db, account, address)
    async with db.write() as session:
        await session.execute(
            update(LoginFailures).values(window_started_at=utcnow() - throttle.WINDOW)
        )
    attempt = await throttle.count_attempt(db, account, address)
    assert (attempt.account.count, attempt.address.count) == (1, 1)
    assert utcnow() - attempt.account.window_started_at < timedelta(minutes=1)


async def test_an_outdated_hash_is_upgraded_at_sign_in(db, company):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
    async with db.write() as session:
        await changes.claim(session, company.id, Area.ACCOUNTS)
        old = User(
            company_id=company.id,
            email="old@acme.example",
            password_hash=weak.hash("long enough"),
            role=Role.VIEWER,
        )
        session.add(old)
        await session.flush()
        changes.record(session, Change(company.id, Entity.USER, old.id, Action.CREATE))
    assert await users.check_password(db, "old@acme.example", "long enough") is not None
    async with db.read() as session:
        stored = await session.scalar(
            select(User.password_hash).where(User.email == "old@acme.example")
        )
    assert stored is not None
    assert stored.startswith("$argon2id$v=19$m=65536,")
    assert await users.check_password(db, "old@acme.example", "long enough") is not None
