"""Shared fixtures: fresh databases, the app, an HTTP client bound to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from atrisk.app import create_app
from atrisk.db import Database
from atrisk.migrate import upgrade_async
from atrisk.models import Company
from atrisk.services.companies import create_company
from atrisk.settings import Settings
from tests.utils.databases import fresh_database
from tests.utils.graphql import Api

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def test_settings(database_url: str) -> Settings:
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
    settings = test_settings(database_url)
    await upgrade_async(settings)
    database = Database(settings)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
async def company(db: Database) -> Company:
    return await create_company(db, "Acme Alarms")


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    """The app with its lifespan run (migrations and the default company)."""
    application = create_app(test_settings(database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    return Api(client)
