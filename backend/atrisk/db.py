"""The engine and the one session factory.

SQLite gets its pragmas on every new connection and starts write transactions
with BEGIN IMMEDIATE, so that two writers queue on the lock instead of failing
half-way; PostgreSQL needs neither. Read sessions open no transaction at all
(no BEGIN on SQLite, autocommit on PostgreSQL): each SELECT reads the latest commit
on its own, which saves round trips on every read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Executable, Row, event, text
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from atrisk.settings import Settings

SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    "foreign_keys": "ON",
    "busy_timeout": "15000",
    "synchronous": "NORMAL",
}

_BEGIN_OPTION = "atrisk_sqlite_begin"

# A statement on PostgreSQL that takes longer than this fails instead of holding a request.
COMMAND_TIMEOUT_SECONDS = 15

logger = logging.getLogger("atrisk.db")


class DatabaseUnreachable(RuntimeError):
    """The database did not answer within the configured wait."""


def describe(error: BaseException) -> str:
    """A one-line reason for a database failure, without SQL or parameters."""
    cause = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    first_line = (str(cause).strip().splitlines() or [""])[0]
    name = type(cause).__name__
    return f"{name}: {first_line}" if first_line else name


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take over transaction control from the sqlite3 module.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for name, value in SQLITE_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}={value}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        if mode is not None:
            connection.exec_driver_sql(f"BEGIN {mode}")


def create_engine(settings: Settings) -> AsyncEngine:
    if settings.is_sqlite:
        path = settings.sqlite_path
        if path is not None:
            # A directory we cannot create shows up as a clear error on the first connect.
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            settings.database_url, pool_size=2, max_overflow=0, hide_parameters=True
        )
        _install_sqlite_hooks(engine)
        return engine
    # A small fixed pool: one event loop gains nothing from more connections, and
    # opening and closing overflow connections under load costs more than waiting.
    return create_async_engine(
        settings.database_url,
        pool_size=5,
        max_overflow=0,
        pool_pre_ping=True,
        pool_timeout=settings.db_connect_timeout,
        hide_parameters=True,
        connect_args={
            "timeout": settings.db_connect_timeout,
            "command_timeout": COMMAND_TIMEOUT_SECONDS,
        },
    )


class Database:
    """Owns the engine; hands out read sessions and write transactions."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine = create_engine(settings)
        # Reads need no transaction: on SQLite no BEGIN, on PostgreSQL no BEGIN/ROLLBACK
        # round trips; each SELECT sees the latest commit.
        reader_engine = self.engine.execution_options(
            **({_BEGIN_OPTION: None} if settings.is_sqlite else {"isolation_level": "AUTOCOMMIT"})
        )
        self._reader_engine = reader_engine
        self._reader = async_sessionmaker(reader_engine, expire_on_commit=False)
        writer_engine = (
            self.engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
            if settings.is_sqlite
            else self.engine
        )
        self._writer = async_sessionmaker(writer_engine, expire_on_commit=False)
        self._read_now: Engine | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._reader() as session:
            yield session

    @asynccontextmanager
    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """A Core connection for reads that need no ORM: less work per statement."""
        async with self._reader_engine.connect() as connection:
            yield connection

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction: committed when the block ends, rolled back on error."""
        async with self._writer() as session, session.begin():
            yield session

    def read_now_engine(self) -> Engine | None:
        """SQLite only: a synchronous engine for small indexed reads right in this thread.

        A lookup by key takes microseconds there, much less than the round trips to the
        async driver's thread. Readers of a WAL database do not wait for writers, and
        this engine's one connection waits for no lock at all (timeout 0) and refuses
        other threads: either way it raises, and `read_rows` asks the async driver.
        """
        if self._read_now is not None:
            return self._read_now
        path = self.settings.sqlite_path
        if path is None:
            return None
        engine = create_sync_engine(
            f"sqlite:///{path}",
            poolclass=StaticPool,
            connect_args={"timeout": 0, "check_same_thread": True, "isolation_level": None},
        )

        @event.listens_for(engine, "connect")
        def read_only(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
            dbapi_connection.execute("PRAGMA query_only=ON")

        self._read_now = engine
        return engine

    async def read_rows(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        """The rows of a small indexed SELECT, without a transaction.

        On SQLite it runs right in the calling thread (see `read_now_engine`), falling back
        to the async driver if it cannot; elsewhere it goes through the async driver.
        """
        if (engine := self.read_now_engine()) is not None:
            try:
                with engine.connect() as connection:
                    return connection.execute(statement, parameters).all()
            except DBAPIError:
                pass  # busy, closed or another thread: ask the usual way
        async with self.read_connection() as connection:
            return (await connection.execute(statement, parameters)).all()

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def wait_until_reachable(self) -> None:
        """Ping until the database answers; give up after `db_wait_seconds`.

        PostgreSQL may still be starting, so it is retried with backoff; a SQLite file
        either opens or does not, so it gets one attempt.
        """
        patience = 0.0 if self.settings.is_sqlite else float(self.settings.db_wait_seconds)
        deadline = time.monotonic() + patience
        delay, attempts = 0.25, 0
        while True:
            attempts += 1
            try:
                await asyncio.wait_for(self.ping(), self.settings.db_connect_timeout + 1)
            except Exception as error:
                reason = describe(error)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    waited = f" after waiting {patience:.0f} s" if patience else ""
                    raise DatabaseUnreachable(
                        f"cannot reach the database {self.settings.database_label}{waited} "
                        f"({attempts} attempt{'s' if attempts > 1 else ''}): {reason}"
                    ) from error
                if attempts == 1:
                    logger.warning(
                        "the database %s is not reachable yet (%s); retrying for up to %.0f s",
                        self.settings.database_label,
                        reason,
                        remaining,
                    )
                await asyncio.sleep(min(delay, remaining))
                delay = min(delay * 2, 2.0)
            else:
                return

    async def dispose(self) -> None:
        if self._read_now is not None:
            self._read_now.dispose()
            self._read_now = None
        await self.engine.dispose()
