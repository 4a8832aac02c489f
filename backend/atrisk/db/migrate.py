"""Apply the Alembic history to the configured database.

On PostgreSQL the whole run holds an advisory lock, so that several instances starting at
once migrate one after the other: the first applies the history, the others find it done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from atrisk.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"

# pg_advisory_lock key shared by every atrisk process: "atrisk" in ASCII.
MIGRATION_LOCK_KEY = int.from_bytes(b"atrisk", "big")

logger = logging.getLogger("atrisk.migrate")


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config is an .ini parser: escape % in passwords.
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    return config


def head_revision(settings: Settings) -> str | None:
    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to `revision`; does nothing when it is already there."""
    _run(settings, lambda config: command.upgrade(config, revision))


def downgrade(settings: Settings, revision: str) -> None:
    _run(settings, lambda config: command.downgrade(config, revision))


async def upgrade_async(settings: Settings) -> None:
    """Run the (blocking) upgrade in a worker thread with its own event loop."""
    await asyncio.to_thread(upgrade, settings)


def _run(settings: Settings, action: Callable[[Config], None]) -> None:
    if path := settings.sqlite_path:
        path.parent.mkdir(parents=True, exist_ok=True)
    asyncio.run(_run_on_one_connection(settings, action))


async def _run_on_one_connection(settings: Settings, action: Callable[[Config], None]) -> None:
    """Run `action` on one connection; on PostgreSQL it holds the migration lock meanwhile."""
    connect_args = {} if settings.is_sqlite else {"timeout": settings.db_connect_timeout}
    engine = create_async_engine(
        settings.database_url, poolclass=NullPool, connect_args=connect_args
    )
    try:
        async with engine.connect() as connection:
            if settings.is_sqlite:
                await connection.run_sync(_with_connection, settings, action)
                await connection.commit()
                return
            key = {"key": MIGRATION_LOCK_KEY}
            got = await connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), key)
            if not got:
                logger.info("another instance is migrating the database; waiting for it")
                await connection.execute(text("SELECT pg_advisory_lock(:key)"), key)
            await connection.commit()
            try:
                await connection.run_sync(_with_connection, settings, action)
                await connection.commit()
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                await connection.commit()
    finally:
        await engine.dispose()


def _revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _with_connection(
    connection: Connection, settings: Settings, action: Callable[[Config], None]
) -> None:
    before = _revision(connection)
    config = alembic_config(settings)
    config.attributes["connection"] = connection
    action(config)
    after = _revision(connection)
    if after != before:
        logger.info(
            "migrated the database from revision %s to %s", before or "(empty)", after or "(empty)"
        )
