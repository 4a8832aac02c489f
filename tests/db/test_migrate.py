"""Migrations: idempotent, reversible with data in the tables, one at a time on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncpg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from atrisk.db.database import Database
from atrisk.db.migrate import MIGRATION_LOCK_KEY, alembic_config, downgrade, head_revision, upgrade
from atrisk.domain.picklists import Category
from atrisk.services import picklists
from atrisk.services.companies import create_company, find_company
from atrisk.settings import Settings
from tests.utils.databases import _plain, schema_diff
from tests.utils.fixtures import settings_for
from tests.utils.server import run_cli, start_cli


async def _inspect(settings: Settings) -> tuple[set[str], list[object], list[str]]:
    """Table names, differences from the models, and the stamped revisions."""
    db = Database(settings)
    try:
        async with db.engine.connect() as connection:
            tables = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
            diff = await connection.run_sync(schema_diff)
            revisions: list[str] = []
            if "alembic_version" in tables:
                rows = await connection.execute(text("SELECT version_num FROM alembic_version"))
                revisions = [row[0] for row in rows]
        return tables, diff, revisions
    finally:
        await db.dispose()


async def _fill(settings: Settings) -> list[str]:
    """Make sure the demo data is there (again); returns the names listed back."""
    db = Database(settings)
    try:
        company = await find_company(db, "Acme Alarms") or await create_company(db, "Acme Alarms")
        existing = {entry.name for entry in await picklists.list_entries(db, company.id)}
        for category in Category:
            name = f"{category.label} one"
            if name not in existing:
                await picklists.add_entry(db, company.id, category, name)
        return [entry.name for entry in await picklists.list_entries(db, company.id)]
    finally:
        await db.dispose()


async def _entry_names(settings: Settings) -> list[str]:
    db = Database(settings)
    try:
        async with db.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT name FROM at_risk_entries ORDER BY category, position")
            )
            return [row[0] for row in rows]
    finally:
        await db.dispose()


def _revisions_head_first(settings: Settings) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(settings))
    return [revision.revision for revision in script.walk_revisions()]


async def test_upgrade_downgrade_upgrade_with_data(database_url: str) -> None:
    settings = settings_for(database_url)
    revisions = _revisions_head_first(settings)
    expected = [f"{category.label} one" for category in Category]

    # Every step down the history, taken with data in the tables, then back up to head.
    for steps in range(1, len(revisions) + 1):
        await asyncio.to_thread(upgrade, settings)
        assert await _fill(settings) == expected
        target = revisions[steps] if steps < len(revisions) else "base"
        await asyncio.to_thread(downgrade, settings, target)
        tables, _, stamped = await _inspect(settings)
        assert stamped == ([] if target == "base" else [target])
        if target == "base":
            assert tables <= {"alembic_version"}, tables
        elif "at_risk_entries" in tables:
            assert await _entry_names(settings) == expected  # the data stayed
        await asyncio.to_thread(upgrade, settings)
        tables, diff, stamped = await _inspect(settings)
        assert stamped == [revisions[0]]
        assert diff == [], diff
        assert await _fill(settings) == expected


def test_migrate_command_is_idempotent(database_url: str, tmp_path: Path) -> None:
    first = run_cli(["migrate"], database_url, tmp_path)
    assert first.returncode == 0, first.stderr
    assert "migrated the database" in first.stderr
    second = run_cli(["migrate"], database_url, tmp_path)
    assert second.returncode == 0, second.stderr
    assert "migrated the database" not in second.stderr
    head = head_revision(settings_for(database_url))
    assert f"database is up to date (revision {head})" in second.stdout


async def _table_exists(admin: asyncpg.Connection, name: str) -> bool:
    return bool(await admin.fetchval("SELECT to_regclass($1) IS NOT NULL", name))


@pytest.mark.postgres
async def test_migrate_waits_for_the_advisory_lock(postgres_url: str, tmp_path: Path) -> None:
    admin = await asyncpg.connect(_plain(postgres_url))
    try:
        await admin.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK_KEY)
        process = start_cli(["migrate"], postgres_url, tmp_path)
        try:
            deadline = time.monotonic() + 60
            waiting = 0
            while not waiting and time.monotonic() < deadline and process.poll() is None:
                waiting = await admin.fetchval(
                    "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    "WHERE l.locktype = 'advisory' AND NOT l.granted "
                    "AND d.datname = current_database()"
                )
                await asyncio.sleep(0.05)
            assert waiting == 1, process.communicate(timeout=5)
            assert process.poll() is None
            assert not await _table_exists(admin, "at_risk_entries")
            await admin.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK_KEY)
            _, err = await asyncio.to_thread(process.communicate, timeout=60)
            assert process.returncode == 0, err
            assert "another instance is migrating the database" in err
            assert await _table_exists(admin, "at_risk_entries")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    finally:
        await admin.close()


@pytest.mark.postgres
async def test_instances_starting_together_migrate_once(postgres_url: str, tmp_path: Path) -> None:
    processes = [start_cli(["migrate"], postgres_url, tmp_path) for _ in range(3)]
    results = [await asyncio.to_thread(p.communicate, timeout=120) for p in processes]
    for process, (_, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    assert sum("migrated the database" in err for _, err in results) == 1
    admin = await asyncpg.connect(_plain(postgres_url))
    try:
        stamped = await admin.fetch("SELECT version_num FROM alembic_version")
    finally:
        await admin.close()
    assert [row[0] for row in stamped] == [head_revision(settings_for(postgres_url))]
