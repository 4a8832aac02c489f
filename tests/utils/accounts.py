"""Companies, people and credentials for tests, and HTTP clients that use them.

In-process apps get accounts with `add_user` and credentials with `session_cookie`
or `bearer`; a real server process gets them from the real CLI (`create_accounts`)
and signs in over HTTP (`session_id`).
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


async def bearer(app: Starlette, company: Company, name: str = "mobile") -> dict[str, str]:
    _, token = await tokens.create_token(
        app.state.db, app.state.settings.signing_key, company.id, name
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


def create_accounts(env: dict[str, str]) -> None:
    """Acme Alarms with an admin and a viewer (password PASSWORD), made by the real CLI."""
    commands = [
        ["create-company", COMPANY, "--admin-email", ADMIN_EMAIL],
        ["create-user", "--company", COMPANY, "--email", VIEWER_EMAIL, "--role", "viewer"],
    ]
    for command in commands:
        subprocess.run(
            [str(ATRISK), *command, "--password", PASSWORD],
            env=env,
            check=True,
            capture_output=True,
            timeout=60,
        )


_sessions: dict[tuple[str, str], str] = {}


def session_id(server: Server, email: str = ADMIN_EMAIL) -> str:
    """A session of `email` on `server`, signed in once and then reused."""
    key = (str(server.log_path), email)
    if key not in _sessions:
        response = httpx.post(
            f"{server.base_url}/auth/login", json={"email": email, "password": PASSWORD}
        )
        response.raise_for_status()
        _sessions[key] = response.cookies[SESSION_COOKIE]
    return _sessions[key]


def ensure_accounts(server: Server) -> None:
    """`create_accounts` for the server's database, unless they are there already."""
    command = ["create-company", COMPANY, "--admin-email", ADMIN_EMAIL, "--password", PASSWORD]
    result = subprocess.run(
        [str(ATRISK), *command],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise AssertionError(f"create-company failed: {result.stderr}")


def admin_client(server: Server, **options: Any) -> httpx.Client:
    """A client of a real server process, signed in as the admin of COMPANY."""
    ensure_accounts(server)
    cookies = {SESSION_COOKIE: session_id(server)}
    return server.client(cookies=cookies, **options)


def async_admin_client(server: Server, **options: Any) -> httpx.AsyncClient:
    """`admin_client`, asynchronous."""
    ensure_accounts(server)
    cookies = {SESSION_COOKIE: session_id(server)}
    timeout = options.pop("timeout", 15.0)
    return httpx.AsyncClient(base_url=server.base_url, timeout=timeout, cookies=cookies, **options)
