"""The Alembic history builds exactly the tables the models describe, on both backends."""

from __future__ import annotations

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import create_async_engine

from atrisk.migrate import downgrade, upgrade_async
from atrisk.models import Base
from tests.utils.fixtures import test_settings as settings_for


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "render_as_batch": connection.dialect.name == "sqlite"},
    )
    return list(compare_metadata(context, Base.metadata))


async def test_models_match_migrations(database_url):
    await upgrade_async(settings_for(database_url))
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(_diff)
    finally:
        await engine.dispose()
    assert diff == []


async def test_accounts_revision_downgrades_cleanly(database_url):
    settings = settings_for(database_url)
    await upgrade_async(settings)
    await asyncio.to_thread(downgrade, settings, "0001")
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert {"users", "sessions", "api_tokens", "login_failures"}.isdisjoint(tables)
    assert {"companies", "at_risk_entries"} <= tables
