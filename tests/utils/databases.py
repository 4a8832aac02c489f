"""Fresh, empty databases for tests: a SQLite file, or a new PostgreSQL database."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from atrisk.models.base import Base

POSTGRES_ENV = "ATRISK_TEST_POSTGRES_URL"
REQUIRE_ENV = "ATRISK_TEST_REQUIRE"  # comma-separated legs that must not skip: postgres,browser


def required(leg: str) -> bool:
    return leg in {part.strip() for part in os.environ.get(REQUIRE_ENV, "").split(",")}


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if required("postgres"):
            pytest.fail(f"{POSTGRES_ENV} is not set, but the PostgreSQL leg is required")
        pytest.skip(f"set {POSTGRES_ENV} to run against PostgreSQL")
    return url


def _plain(url: str) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


async def create_postgres_database() -> str:
    """A new, empty PostgreSQL database; returns its asyncpg URL."""
    admin = postgres_admin_url()
    assert admin is not None
    name = f"atrisk_test_{secrets.token_hex(6)}"
    connection = await asyncpg.connect(_plain(admin))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    url = make_url(admin).set(drivername="postgresql+asyncpg", database=name)
    return url.render_as_string(hide_password=False)


async def drop_postgres_database(url: str) -> None:
    admin = postgres_admin_url()
    assert admin is not None
    name = make_url(url).database
    connection = await asyncpg.connect(_plain(admin))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A new, empty PostgreSQL database; dropped afterwards. Yields its asyncpg URL."""
    url = await create_postgres_database()
    try:
        yield url
    finally:
        await drop_postgres_database(url)


def sqlite_url(directory: Path) -> str:
    return f"sqlite+aiosqlite:///{directory / 'atrisk.db'}"


@asynccontextmanager
async def fresh_database(kind: str, directory: Path) -> AsyncIterator[str]:
    if kind == "postgres":
        async with postgres_database() as url:
            yield url
    else:
        yield sqlite_url(directory)


def schema_diff(connection: Connection) -> list[object]:
    """How a migrated database differs from the models: Alembic's comparison, and on
    PostgreSQL each column's collation, which Alembic leaves out."""
    diff: list[object] = list(
        compare_metadata(MigrationContext.configure(connection), Base.metadata)
    )
    if connection.dialect.name != "postgresql":
        return diff
    found = {
        (table, column): collation
        for table, column, collation in connection.execute(
            text(
                "SELECT table_name, column_name, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND collation_name IS NOT NULL"
            )
        )
    }
    wanted = {
        (table.name, column.name): collation
        for table in Base.metadata.tables.values()
        for column in table.columns
        if (collation := getattr(column.type.dialect_impl(connection.dialect), "collation", None))
    }
    diff += [
        ("collation", key, found.get(key), wanted.get(key))
        for key in sorted(found.keys() | wanted.keys())
        if found.get(key) != wanted.get(key)
    ]
    return diff
