"""Shared fixtures: fresh databases, the app, and HTTP clients bound to it.

`client` and `api` act as an ADMIN of the `company` fixture ("Acme Alarms").
`viewer_client`, `agent_client`, `token_client`, `agent_token_client` and
`anonymous_client` call the same app as a VIEWER and an AGENT of that company, with a
VIEWER and an AGENT API token of it, and with no credentials; `other_client` is the
ADMIN of a second company, "Beta Security".
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from atrisk.app import create_app
from atrisk.db.database import Database
from atrisk.db.migrate import upgrade_async
from atrisk.domain.accounts import Role
from atrisk.models.accounts import User
from atrisk.models.companies import Company
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.companies import create_company
from atrisk.settings import Settings
from tests.utils.accounts import add_user, bearer, http_client, session_cookie
from tests.utils.changes_guard import guard
from tests.utils.databases import fresh_database
from tests.utils.graphql import Api

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def settings_for(database_url: str) -> Settings:
    """The settings of an in-process app over `database_url`: no demo data, the IDE on."""
    return Settings(database_url=database_url, seed_demo=False, graphql_ide=True)


@pytest.fixture(params=BACKENDS)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each backend (PostgreSQL only when configured)."""
    async with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> AsyncIterator[str]:
    async with fresh_database("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database, for what only PostgreSQL has."""
    async with fresh_database("postgres", Path()) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    """The service layer's database, migrated."""
    settings = settings_for(database_url)
    await upgrade_async(settings)
    database = Database(settings)
    guard(database.engine.sync_engine)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def company(db: Database) -> Company:
    return await create_company(db, "Acme Alarms")


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    """The app with its lifespan run (migrations; no demo company)."""
    application = create_app(settings_for(database_url))
    guard(application.state.db.engine.sync_engine)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def admin(db: Database, company: Company) -> User:
    return await add_user(db, company, "admin@acme.example", Role.ADMIN)


@pytest.fixture
async def viewer(db: Database, company: Company) -> User:
    return await add_user(db, company, "viewer@acme.example", Role.VIEWER)


@pytest.fixture
async def agent(db: Database, company: Company) -> User:
    return await add_user(db, company, "agent@acme.example", Role.AGENT)


@pytest.fixture
async def other_company(db: Database) -> Company:
    return await create_company(db, "Beta Security")


@pytest.fixture
async def client(app: Starlette, admin: User) -> AsyncIterator[httpx.AsyncClient]:
    """Signed in (session cookie) as the ADMIN of `company`."""
    async with http_client(app, cookies=await session_cookie(app, admin)) as http:
        yield http


@pytest.fixture
async def viewer_client(app: Starlette, viewer: User) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app, cookies=await session_cookie(app, viewer)) as http:
        yield http


@pytest.fixture
async def token_client(app: Starlette, company: Company) -> AsyncIterator[httpx.AsyncClient]:
    """Sends a read-only API token of `company`."""
    async with http_client(app, headers=await bearer(app, company)) as http:
        yield http


@pytest.fixture
async def agent_client(app: Starlette, agent: User) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app, cookies=await session_cookie(app, agent)) as http:
        yield http


@pytest.fixture
async def agent_token_client(app: Starlette, company: Company) -> AsyncIterator[httpx.AsyncClient]:
    """Sends an AGENT API token of `company` (a billing system, a technician's app)."""
    headers = await bearer(app, company, "billing", Role.AGENT)
    async with http_client(app, headers=headers) as http:
        yield http


@pytest.fixture
async def anonymous_client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app) as http:
        yield http


@pytest.fixture
async def other_client(
    app: Starlette, db: Database, other_company: Company
) -> AsyncIterator[httpx.AsyncClient]:
    """Signed in as the ADMIN of `other_company`."""
    other_admin = await add_user(db, other_company, "admin@beta.example", Role.ADMIN)
    async with http_client(app, cookies=await session_cookie(app, other_admin)) as http:
        yield http


@pytest.fixture
def published() -> Iterator[list[Change]]:
    """The changes this process publishes while the test runs (see atrisk.services.changes)."""
    seen: list[Change] = []
    unsubscribe = changes.subscribe(seen.append)
    yield seen
    unsubscribe()


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)


@pytest.fixture
def viewer_api(viewer_client: httpx.AsyncClient) -> Api:
    return Api(viewer_client)


@pytest.fixture
def token_api(token_client: httpx.AsyncClient) -> Api:
    return Api(token_client)


@pytest.fixture
def other_api(other_client: httpx.AsyncClient) -> Api:
    return Api(other_client)
