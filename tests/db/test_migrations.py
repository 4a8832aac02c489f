"""The accounts revision downgrades cleanly (test_app.py compares models and migrations)."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from atrisk.db.migrate import downgrade, upgrade_async
from tests.utils.fixtures import settings_for


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
