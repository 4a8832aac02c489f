"""SQLite connection set-up, read back through the app's own engine."""

import sqlite3

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm.attributes import instance_dict

from atrisk.db.database import Database
from atrisk.db.migrate import upgrade_async
from atrisk.models.base import Loaded
from atrisk.models.companies import Company
from atrisk.services.companies import create_company
from atrisk.settings import Settings


@pytest.fixture
async def sqlite_db(sqlite_url):
    settings = Settings(database_url=sqlite_url, seed_demo=False)
    await upgrade_async(settings)
    database = Database(settings)
    yield database
    await database.dispose()


async def test_pragmas_are_set_on_every_connection(sqlite_db):
    # Hold two connections at once so both pool slots are opened and checked.
    async with sqlite_db.engine.connect() as first, sqlite_db.engine.connect() as second:
        for connection in (first, second):
            values = {
                name: (await connection.execute(text(f"PRAGMA {name}"))).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout")
            }
            assert values == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15000}


async def test_write_transactions_take_the_write_lock_at_begin(sqlite_db, sqlite_url):
    path = sqlite_url.removeprefix("sqlite+aiosqlite:///")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        async with sqlite_db.write() as session:
            # Nothing written yet: only BEGIN IMMEDIATE holds the lock at this point.
            await session.execute(text("SELECT 1"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()


async def test_reads_do_not_take_the_write_lock(sqlite_db, sqlite_url):
    path = sqlite_url.removeprefix("sqlite+aiosqlite:///")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        async with sqlite_db.read() as session:
            await session.execute(text("SELECT count(*) FROM at_risk_entries"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


async def test_foreign_keys_are_enforced(sqlite_db):
    with pytest.raises(Exception, match="FOREIGN KEY"):
        async with sqlite_db.write() as session:
            await session.execute(
                text(
                    "INSERT INTO at_risk_entries (id, company_id, category, name, name_key, "
                    "active, position, version, created_at, updated_at) VALUES ('a', 'missing', "
                    "1, 'n', 'n', 1, 1, 1, '2026-01-01', '2026-01-01')"
                )
            )


async def test_loaded_reads_the_values_the_attributes_give_loaded_or_not(sqlite_db):
    company = await create_company(sqlite_db, "Loaded Alarm Co.")
    async with sqlite_db.read() as session:
        row = (await session.execute(select(Company).where(Company.id == company.id))).scalar_one()
        values = Loaded(row)
        names = ("id", "name", "currency", "timezone", "lists_version")
        assert [values[name] for name in names] == [getattr(row, name) for name in names]
        # An expired attribute is not in the instance dict: reading it loads it.
        session.expire(row, ["name"])
        assert "name" not in instance_dict(row)
        assert await session.run_sync(lambda _: Loaded(row)["name"]) == "Loaded Alarm Co."
