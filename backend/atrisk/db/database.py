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
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import orjson
from sqlalchemy import Dialect, Executable, Row, Table, event, text
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

from atrisk.db.failures import describe
from atrisk.settings import Settings

SQLITE_PRAGMAS = {
    "journal_mode": "WAL",
    "foreign_keys": "ON",
    "busy_timeout": "15000",
    "synchronous": "NORMAL",
    # 16 MiB of pages a connection (the default is 2): writing 50,000 history events into
    # their four indexes took 1.77 s with the default, 0.68 s with this.
    "cache_size": "-16384",
}

_BEGIN_OPTION = "atrisk_sqlite_begin"

# A statement on PostgreSQL that takes longer than this fails instead of holding a request.
COMMAND_TIMEOUT_SECONDS = 15

logger = logging.getLogger("atrisk.db")

_writing: ContextVar[bool] = ContextVar("atrisk_writing", default=False)
_AFTER_COMMIT = "atrisk_after_commit"
_BEFORE_COMMIT = "atrisk_before_commit"


def before_commit(session: AsyncSession, step: Callable[[AsyncSession], Awaitable[None]]) -> None:
    """Run `step` at the end of the transaction of `session` (from `Database.write`), once,
    before it commits."""
    session.info.setdefault(_BEFORE_COMMIT, []).append(step)


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback` once the transaction of `session` (from `Database.write`) has committed;
    never if it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


async def insert_rows(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Many rows into `table` in the transaction of `session`, each value as an INSERT takes
    it (through its column type's conversion); every row names the same columns.

    The bulk path, for an import's customers and any transaction's history events. On
    PostgreSQL the rows go as one JSON document that the server turns into rows of the
    table's own type (json_populate_recordset): one statement, planned and checked once,
    where an INSERT a row took 1.8 times as long. On SQLite they are tuples for the
    driver's executemany, built column by column; with each repeated value converted once,
    50,000 customers took 0.43 s where SQLAlchemy's executemany took 0.68 s."""
    if not rows:
        return
    connection = await session.connection()
    dialect = connection.dialect
    columns = [table.c[key] for key in rows[0]]
    conversions = {
        key: _Conversion(process) for key, process in _processors(table, dialect, tuple(rows[0]))
    }
    names = ", ".join(dialect.identifier_preparer.quote(column.name) for column in columns)
    target = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql":
        if any(column.key != column.name for column in columns):
            raise ValueError(f"insert_rows names columns by their key; {table.name} has others")
        if conversions:
            rows = [
                {**row, **{key: convert(row[key]) for key, convert in conversions.items()}}
                for row in rows
            ]
        await connection.execute(
            text(  # names from the table, quoted by the dialect; the rows are bound
                f"INSERT INTO {target} ({names}) SELECT {names} "  # noqa: S608
                f"FROM json_populate_recordset(NULL::{target}, CAST(:rows AS json))"
            ),
            {"rows": orjson.dumps(rows).decode()},
        )
        return
    if dialect.paramstyle != "qmark":
        raise NotImplementedError(f"insert_rows on {dialect.name} ({dialect.paramstyle})")
    cells = []  # column by column: a list comprehension each, then one zip
    for column in columns:
        values = [row[column.key] for row in rows]
        if (convert := conversions.get(column.key)) is not None:
            values = [convert(value) for value in values]
        cells.append(values)
    records = list(zip(*cells, strict=True))
    await connection.exec_driver_sql(
        f"INSERT INTO {target} ({names}) "  # noqa: S608 (as above)
        f"VALUES ({', '.join('?' * len(columns))})",
        records,
    )


@functools.lru_cache(maxsize=64)
def _processors(
    table: Table, dialect: Dialect, keys: tuple[str, ...]
) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """The columns among `keys` whose type converts a bound value, with the conversion:
    worked out once per table and set of columns, not on every write."""
    found = []
    for key in keys:
        process = table.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            found.append((key, process))
    return tuple(found)


_UNSEEN = object()


class _Conversion:
    """A column type's conversion of bound values. A value that is the very object it was
    given last (an import's one time, its one status) is converted once, not per row; the
    values of our columns are immutable (text, numbers, times, enums), so the same object
    converts the same way."""

    __slots__ = ("last", "process", "result")

    def __init__(self, process: Callable[[Any], Any]) -> None:
        self.process = process
        self.last: Any = _UNSEEN
        self.result: Any = None

    def __call__(self, value: Any) -> Any:
        if value is not self.last:
            self.result = self.process(value)
            self.last = value
        return self.result


class DatabaseUnreachable(RuntimeError):
    """The database did not answer within the configured wait."""


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
    # A fixed pool, no overflow: opening and closing connections under load costs more than
    # waiting. As many as the requests a process serves at once (16 by default): with fewer,
    # requests queue for a connection and a few wait several turns. At 16 connections on a
    # pool of 5, p99 was 3.1 times p50 on the customer search; on a pool of 16, 1.4 times,
    # at the same throughput.
    return create_async_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=0,
        # No ping before every checkout (a round trip per request): a connection found dead
        # when used invalidates the whole pool at once, and `lookup` retries on a new one.
        pool_pre_ping=False,
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
        self._inline: Engine | None = None
        self._inline_fell_back = False

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
        """One transaction: committed when the block ends, rolled back on error.

        A use case opens exactly one: helpers take its session. A second `write()`
        inside the first (in the same task) is a bug and raises at once. What
        `before_commit` registered on the session runs last inside the transaction (its
        failure rolls everything back); what `after_commit` registered runs once the
        transaction has committed.
        """
        if _writing.get():
            raise RuntimeError("a write transaction is already open in this use case")
        marker = _writing.set(True)
        try:
            async with self._writer() as session:
                async with session.begin():
                    yield session
                    for step in session.info.pop(_BEFORE_COMMIT, ()):
                        await step(session)
                callbacks = session.info.pop(_AFTER_COMMIT, ())
        finally:
            _writing.reset(marker)
        for callback in callbacks:
            callback()

    def inline_engine(self) -> Engine | None:
        """SQLite only: a synchronous engine for `lookup`, in the event loop's own thread."""
        if self._inline is not None:
            return self._inline
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

        self._inline = engine
        return engine

    async def lookup(
        self, statement: Executable, parameters: Mapping[str, Any] | None = None
    ) -> Sequence[Row[*tuple[Any, ...]]]:
        """The rows of a small indexed SELECT (a primary or unique key), without a transaction.

        On a SQLite file it runs right in the calling thread: a keyed read takes microseconds
        there, far less than a round trip to the async driver's thread (`make bench` reports
        both). Readers of a WAL database do not wait for writers; this one connection waits
        for no lock (timeout 0) and serves one thread only. When it cannot answer (a lock,
        another thread or event loop) the lookup goes through the async driver, and the
        first such fallback of the process is logged. Elsewhere it always does; a pooled
        connection found dead there (the database restarted) is replaced and the lookup
        tried once more, so that no request pays for the pool's stale connections.
        """
        if (engine := self.inline_engine()) is not None:
            try:
                with engine.connect() as connection:
                    return connection.execute(statement, parameters).all()
            except DBAPIError as error:
                level = logging.DEBUG if self._inline_fell_back else logging.WARNING
                self._inline_fell_back = True
                logger.log(
                    level, "inline SQLite lookup fell back to the driver: %s", describe(error)
                )
        try:
            async with self.read_connection() as connection:
                return (await connection.execute(statement, parameters)).all()
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
        # The pooled connection had died (the database restarted): once more, on a new one.
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
        if self._inline is not None:
            self._inline.dispose()
            self._inline = None
        await self.engine.dispose()
