"""Companies, people and credentials for tests, and HTTP clients that use them.

In-process apps get accounts with `add_user` and credentials with `session_cookie`
or `bearer`; a real server process gets them from the real CLI (`provision`), and its
signed-in clients from `signed_in` / `signed_in_async` (which sign in over HTTP).
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import httpx
from argon2 import PasswordHasher
from starlette.applications import Starlette

from atrisk.db.database import Database
from atrisk.domain.accounts import Role
from atrisk.domain.changes import Action, Area, Entity
from atrisk.models.accounts import User
from atrisk.models.companies import Company
from atrisk.services import changes, sessions, tokens
from atrisk.services.changes import Change
from atrisk.web.caller import SESSION_COOKIE
from tests.utils.server import ATRISK, Server

PASSWORD = "correct horse battery staple"
BASE_URL = "http://localhost"


@functools.cache
def _password_hash() -> str:
    # One real argon2 hash of PASSWORD for every fixture account: signing in works,
    # and the suite does not pay for a fresh hash per test.
    return PasswordHasher().hash(PASSWORD)


async def add_user(db: Database, company: Company, email: str, role: Role) -> User:
    """An account whose password is PASSWORD, recorded as `users.create_user` records one."""
    async with db.write() as session:
        await changes.claim(session, company.id, Area.ACCOUNTS)
        user = User(company_id=company.id, email=email, password_hash=_password_hash(), role=role)
        session.add(user)
        await session.flush()
        changes.record(session, Change(company.id, Entity.USER, user.id, Action.CREATE))
    return user


async def session_cookie(app: Starlette, user: User) -> dict[str, str]:
    db: Database = app.state.db
    key = app.state.settings.signing_key
    session_id, _ = await sessions.start_session(db, key, user.id, timedelta(hours=1))
    return {SESSION_COOKIE: session_id}


async def bearer(
    app: Starlette, company: Company, name: str = "mobile", role: Role = Role.VIEWER
) -> dict[str, str]:
    _, token = await tokens.create_token(
        app.state.db, app.state.settings.signing_key, company.id, name, role
    )
    return {"Authorization": f"Bearer {token}"}


@asynccontextmanager
async def http_client(
    app: Starlette,
    *,
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE_URL, cookies=cookies, headers=headers
    ) as client:
        yield client


# For a real `atrisk serve` process.

COMPANY = "Acme Alarms"
ADMIN_EMAIL = "admin@acme.example"
VIEWER_EMAIL = "viewer@acme.example"


_provisioned: set[str] = set()


def provision(env: dict[str, str]) -> None:
    """COMPANY with an admin and a viewer (password PASSWORD) in the database of `env`,
    made by the real CLI; accounts that exist already are left as they are."""
    if env["DATABASE_URL"] in _provisioned:
        return
    commands = [
        ["create-company", COMPANY, "--admin-email", ADMIN_EMAIL],
        ["create-user", "--company", COMPANY, "--email", VIEWER_EMAIL, "--role", "viewer"],
    ]
    for command in commands:
        result = subprocess.run(
            [str(ATRISK), *command, "--password", PASSWORD],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0 and "already exists" not in result.stderr:
            raise AssertionError(f"{command[0]} failed: {result.stderr}")
    _provisioned.add(env["DATABASE_URL"])


_sessions: dict[tuple[str, str], str] = {}


def session_id(server: Server, email: str = ADMIN_EMAIL, password: str = PASSWORD) -> str:
    """A session of `email` on `server`, signed in over HTTP once and then reused."""
    key = (str(server.log_path), email)
    if key not in _sessions:
        response = httpx.post(
            f"{server.base_url}/auth/login", json={"email": email, "password": password}
        )
        response.raise_for_status()
        _sessions[key] = response.cookies[SESSION_COOKIE]
    return _sessions[key]


def session_cookies(server: Server, email: str = ADMIN_EMAIL) -> dict[str, str]:
    """The cookies of a session of `email` (an account `provision` made) on `server`."""
    provision(server.env)
    return {SESSION_COOKIE: session_id(server, email)}


def signed_in(server: Server, email: str = ADMIN_EMAIL, **options: Any) -> httpx.Client:
    """The one way to a client of a real server process, signed in as `email` of COMPANY."""
    return server.client(cookies=session_cookies(server, email), **options)


def signed_in_async(server: Server, email: str = ADMIN_EMAIL, **options: Any) -> httpx.AsyncClient:
    """`signed_in`, asynchronous."""
    timeout = options.pop("timeout", 15.0)
    return httpx.AsyncClient(
        base_url=server.base_url, timeout=timeout, cookies=session_cookies(server, email), **options
    )
