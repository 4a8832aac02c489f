"""Connection set-up (SQLite's pragmas, PostgreSQL's pool), read back through the app's
own engine."""

import sqlite3
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Table, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.attributes import instance_dict

from atrisk.db.database import Database, insert_rows
from atrisk.db.migrate import upgrade_async
from atrisk.db.types import new_id
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.money import MAX_CENTS
from atrisk.models.base import Loaded
from atrisk.models.companies import Company
from atrisk.models.customers import Customer
from atrisk.services import changes
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
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "cache_size")
            }
            assert values == {
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": 15000,
                "cache_size": -16384,
            }


async def test_the_postgresql_pool_holds_as_many_connections_as_configured(postgres_url):
    settings = Settings(
        database_url=postgres_url, seed_demo=False, db_pool_size=3, db_connect_timeout=1
    )
    database = Database(settings)
    try:
        async with AsyncExitStack() as stack:
            held = [await stack.enter_async_context(database.engine.connect()) for _ in range(3)]
            backends = {await c.scalar(text("SELECT pg_backend_pid()")) for c in held}
            assert len(backends) == 3
            with pytest.raises(PoolTimeout):  # no overflow: a fourth waits, then gives up
                async with database.engine.connect():
                    pass
    finally:
        await database.dispose()


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


_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_AWKWARD = ('Quote "Q" O\'Brien', "Back\\slash {not: json}", "Ünïcødé 顧客 😀", "NULL", "")


def _customer_rows(company_id: str, count: int) -> list[dict[str, Any]]:
    at = datetime(2026, 12, 4, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))
    return [
        {
            "id": new_id(),
            "company_id": company_id,
            "account_number": None if number % 3 == 0 else f"A-{number}",
            "account_key": None if number % 3 == 0 else f"a-{number}",
            "name": _AWKWARD[number % len(_AWKWARD)] or "x",
            "name_key": f"name {number:04d}",
            "email": None,
            "phone": "+1 555 0100" if number % 2 else None,
            "rmr_cents": MAX_CENTS if number == 1 else number,
            "status": CustomerStatus.CANCELLED if number % 2 else CustomerStatus.ACTIVE,
            "version": 1 + number,
            "created_at": at,
            "updated_at": at + timedelta(microseconds=number),
        }
        for number in range(count)
    ]


async def _claimed_insert(db: Database, rows: list[dict[str, Any]]) -> None:
    async with db.write() as session:
        await changes.claim(session, rows[0]["company_id"], Area.CASES)
        await insert_rows(session, _CUSTOMERS, rows)
        changes.record(
            session,
            changes.Change(
                rows[0]["company_id"],
                Entity.CUSTOMER,
                rows[0]["id"],
                Action.CREATE,
                1,
            ),
        )


async def test_insert_rows_writes_each_value_as_an_insert_would(db):
    company = await create_company(db, "Bulk Co")
    rows = _customer_rows(company.id, 40)
    await _claimed_insert(db, rows)
    async with db.read() as session:
        found = {
            customer.id: customer
            for customer in await session.scalars(
                select(Customer).where(Customer.company_id == company.id)
            )
        }
    assert len(found) == len(rows)
    for row in rows:
        customer = found[row["id"]]
        for key, value in row.items():
            assert getattr(customer, key) == value, key
    assert found[rows[0]["id"]].created_at.tzinfo == UTC  # stored as UTC, read back as UTC


async def test_insert_rows_refuses_a_bad_row_and_writes_none(db):
    company = await create_company(db, "Bulk Co")
    rows = _customer_rows(company.id, 5)
    rows[3]["rmr_cents"] = -1
    with pytest.raises(IntegrityError):
        await _claimed_insert(db, rows)
    naive = _customer_rows(company.id, 2)
    naive[1]["created_at"] = datetime(2026, 12, 4)  # the column's type refuses it
    with pytest.raises((ValueError, StatementError), match="naive"):  # (SQLite wraps it)
        await _claimed_insert(db, naive)
    async with db.read() as session:
        count = await session.scalar(
            select(Customer.id).where(Customer.company_id == company.id).limit(1)
        )
    assert count is None
