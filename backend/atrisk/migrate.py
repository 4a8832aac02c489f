"""Apply the Alembic history to the configured database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from atrisk.settings import Settings

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(settings: Settings) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # Alembic's config is an .ini parser: escape % in passwords.
    config.set_main_option("sqlalchemy.url", settings.database_url.replace("%", "%%"))
    return config


def upgrade(settings: Settings, revision: str = "head") -> None:
    """Bring the schema to `revision`; does nothing when it is already there."""
    if path := settings.sqlite_path:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(settings), revision)


def downgrade(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings), revision)


async def upgrade_async(settings: Settings) -> None:
    """Run the (blocking) upgrade in a worker thread with its own event loop."""
    await asyncio.to_thread(upgrade, settings)
