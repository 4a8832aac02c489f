"""Live updates: every committed change of a company, handed to this process's subscribers.

One feed per process. On PostgreSQL it listens on one dedicated connection, outside the
pool, to the `NOTIFY` every writing transaction sends (atrisk.services.changes): so a write
in any process, on any machine, reaches the subscribers of every process. The connection is
checked every few seconds and reopened with backoff when lost. On SQLite (one machine) it
reads the history events committed since its last look, a few times a second: one indexed
query, which also carries the writes of the other worker processes of `atrisk serve`.

Whenever the feed cannot say what it missed — the listening connection was lost, the
database restarted, too many changes at once, a subscriber too slow to keep up — the
subscribers concerned receive a `Resync`: reload everything. No client silently misses a
write.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import asyncpg
from sqlalchemy import column, func, select, table
from sqlalchemy.engine import make_url

from atrisk.db.database import Database
from atrisk.domain.changes import Action, Entity
from atrisk.services.changes import CHANGES_PER_COMPANY_MAX, CHANNEL, Change, Resync, parse_notice

logger = logging.getLogger(__name__)

Item = Change | Resync

# How many items wait for one subscriber before it is told to reload instead.
INBOX_MAX = 256
# PostgreSQL: the listening connection's name (pg_stat_activity), its health check, and the
# wait between attempts to reopen it.
LISTENER_NAME = "atrisk live updates"
HEALTH_SECONDS = 5.0
HEALTH_TIMEOUT_SECONDS = 5.0
RECONNECT_FIRST_SECONDS = 0.25
RECONNECT_MAX_SECONDS = 5.0
# SQLite: how often the history is read, and past how many new events at once everyone
# reloads instead.
POLL_SECONDS = 0.05
POLL_MAX_EVENTS = 1000

_events = table(
    "audit_events",
    column("rowid"),
    column("company_id"),
    column("entity_type"),
    column("entity_id"),
    column("action"),
    column("entity_version"),
)


class Inbox:
    """What waits for one subscriber; bounded: when it overflows it holds a single Resync."""

    def __init__(self, company_id: str) -> None:
        self.company_id = company_id
        self._queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=INBOX_MAX)

    def put(self, item: Item) -> None:
        try:
            self._queue.put_nowait(item)
        except asyncio.QueueFull:
            while not self._queue.empty():
                self._queue.get_nowait()
            self._queue.put_nowait(Resync(self.company_id))

    async def get(self) -> Item:
        return await self._queue.get()


class Feed:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._inboxes: dict[str, set[Inbox]] = {}
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        # Whether the feed is connected (PostgreSQL) or reading (SQLite) right now.
        self.live = False

    @property
    def subscribers(self) -> int:
        return sum(len(inboxes) for inboxes in self._inboxes.values())

    @contextlib.contextmanager
    def subscribe(self, company_id: str) -> Iterator[Inbox]:
        inbox = Inbox(company_id)
        self._inboxes.setdefault(company_id, set()).add(inbox)
        try:
            yield inbox
        finally:
            inboxes = self._inboxes.get(company_id)
            if inboxes is not None:
                inboxes.discard(inbox)
                if not inboxes:
                    del self._inboxes[company_id]

    def deliver(self, item: Item) -> None:
        """Hand `item` to the subscribers of its company (a Resync of no company: to all)."""
        if isinstance(item, Resync) and item.company_id is None:
            self.resync_everyone()
            return
        for inbox in tuple(self._inboxes.get(item.company_id or "", ())):
            inbox.put(item)

    def resync_everyone(self) -> None:
        for company_id, inboxes in tuple(self._inboxes.items()):
            for inbox in tuple(inboxes):
                inbox.put(Resync(company_id))

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            source = self._poll_sqlite if self.db.settings.is_sqlite else self._listen_postgres
            self._task = asyncio.create_task(source(), name="atrisk live updates")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True
            # A cancellation can be swallowed by a driver closing its connection: ask again
            # until the task has ended (the stop flag ends its loop in any case).
            while not task.done():
                task.cancel()
                await asyncio.wait({task}, timeout=1.0)
            with contextlib.suppress(asyncio.CancelledError, Exception):
                task.result()
        self.live = False

    # PostgreSQL ------------------------------------------------------------------------

    def _dsn(self) -> str:
        url = make_url(self.db.settings.database_url).set(drivername="postgresql")
        return url.render_as_string(hide_password=False)

    def _on_notice(self, _connection: Any, _pid: int, _channel: str, payload: str) -> None:
        for item in parse_notice(payload):
            self.deliver(item)

    async def _listen_postgres(self) -> None:
        delay = RECONNECT_FIRST_SECONDS
        while not self._stopping:
            try:
                await self._listen_once()
                delay = RECONNECT_FIRST_SECONDS
            except asyncio.CancelledError:
                raise
            except Exception as error:
                logger.warning(
                    "live updates: listening failed (%s); retrying", type(error).__name__
                )
            self.live = False
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)

    async def _listen_once(self) -> None:
        settings = self.db.settings
        connection = await asyncpg.connect(
            self._dsn(),
            timeout=settings.db_connect_timeout,
            server_settings={"application_name": LISTENER_NAME},
        )
        lost = asyncio.Event()
        connection.add_termination_listener(lambda _connection: lost.set())
        try:
            await connection.add_listener(CHANNEL, self._on_notice)
            self.live = True
            # Whatever was written while nobody listened is unknown: everyone reloads.
            self.resync_everyone()
            logger.info("live updates: listening")
            while not lost.is_set() and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(lost.wait(), HEALTH_SECONDS)
                    break
                await asyncio.wait_for(connection.fetchval("SELECT 1"), HEALTH_TIMEOUT_SECONDS)
            logger.warning("live updates: the listening connection was lost")
        finally:
            self.live = False
            connection.terminate()

    # SQLite ----------------------------------------------------------------------------

    async def _last_event(self) -> int:
        async with self.db.read_connection() as connection:
            last = await connection.scalar(select(func.max(_events.c.rowid)))
        return int(last or 0)

    async def _poll_sqlite(self) -> None:
        last: int | None = None
        while not self._stopping:
            try:
                if last is None:
                    last = await self._last_event()
                    self.live = True
                    self.resync_everyone()  # (again) reading: whatever happened is unknown
                last = await self._poll_once(last)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                if self.live:
                    logger.warning(
                        "live updates: reading history failed (%s)", type(error).__name__
                    )
                self.live = False
                last = None
            await asyncio.sleep(POLL_SECONDS)

    async def _poll_once(self, last: int) -> int:
        async with self.db.read_connection() as connection:
            rows = (
                await connection.execute(
                    select(
                        _events.c.rowid,
                        _events.c.company_id,
                        _events.c.entity_type,
                        _events.c.entity_id,
                        _events.c.action,
                        _events.c.entity_version,
                    )
                    .where(_events.c.rowid > last)
                    .order_by(_events.c.rowid)
                    .limit(POLL_MAX_EVENTS + 1)
                )
            ).all()
            if not rows:
                newest = await connection.scalar(select(func.max(_events.c.rowid)))
                if int(newest or 0) < last:  # the history was replaced (a restore)
                    self.resync_everyone()
                    return int(newest or 0)
                return last
        if len(rows) > POLL_MAX_EVENTS:
            self.resync_everyone()
            return await self._last_event()
        per_company: dict[str, list[Change]] = {}
        for row in rows:
            change = Change(
                row.company_id,
                Entity(row.entity_type),
                row.entity_id,
                Action(row.action),
                row.entity_version,
            )
            per_company.setdefault(change.company_id, []).append(change)
        for company_id, company_changes in per_company.items():
            if len(company_changes) > CHANGES_PER_COMPANY_MAX:
                self.deliver(Resync(company_id))
            else:
                for change in company_changes:
                    self.deliver(change)
        return int(rows[-1].rowid)
