"""Live updates across processes: two servers over one PostgreSQL, the listening connection
killed, PostgreSQL restarted, and the worker processes of one `atrisk serve` on SQLite."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from atrisk.services.feed import LISTENER_NAME
from tests.utils.accounts import session_cookies
from tests.utils.databases import (
    create_postgres_database,
    drop_postgres_database,
    postgres_admin_url,
    sqlite_url,
)
from tests.utils.live import run_async
from tests.utils.pgcluster import throwaway_cluster
from tests.utils.server import Server, running_server, server_env
from tests.utils.subscriptions import Socket, subscribed

ADD = """mutation($name: String!) {
  addAtRiskEntry(input: {category: CAUSE, name: $name}) { ... on AtRiskEntry { id } }
}"""


def add_entry(server: Server, name: str) -> str:
    with server.client(cookies=session_cookies(server), timeout=30) as client:
        response = client.post("/graphql", json={"query": ADD, "variables": {"name": name}})
    response.raise_for_status()
    entry_id: str = response.json()["data"]["addAtRiskEntry"]["id"]
    return entry_id


def hears(socket: Socket, entry_id: str) -> None:
    socket.changes_until({"entityId": entry_id, "action": "CREATE"}, within=10)


@contextmanager
def servers(database_url: str, directory: Path, count: int, *args: str) -> Iterator[list[Server]]:
    env = server_env(database_url, ATRISK_LOG_LEVEL="WARNING")
    # Worker processes start by importing everything afresh: slow on a busy machine.
    wait = 180.0 if "--workers" in args else 60.0
    with ExitStack() as stack:
        yield [
            stack.enter_context(running_server(env, directory, *args, start_timeout=wait))
            for _ in range(count)
        ]


@contextmanager
def postgres_database() -> Iterator[str]:
    url = run_async(create_postgres_database())
    try:
        yield url
    finally:
        run_async(drop_postgres_database(url))


def _listeners(admin_url: str, database: str, terminate: bool) -> int:
    async def run() -> int:
        connection = await asyncpg.connect(admin_url.replace("+asyncpg", ""))
        try:
            action = "pg_terminate_backend(pid)" if terminate else "pid"
            rows = await connection.fetch(
                f"SELECT {action} FROM pg_stat_activity "
                "WHERE application_name = $1 AND datname = $2",
                LISTENER_NAME,
                database,
            )
            return len(rows)
        finally:
            await connection.close()

    return run_async(run())


def _wait_for(condition: Any, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


@pytest.mark.postgres
def test_a_write_through_one_server_reaches_the_subscribers_of_the_other(tmp_path: Path) -> None:
    with (
        postgres_database() as url,
        servers(url, tmp_path, 2) as (first, second),
        subscribed(second, cookies=session_cookies(second)) as theirs,
        subscribed(first, cookies=session_cookies(first)) as ours,
    ):
        entry_id = add_entry(first, "Written on the first")
        hears(theirs, entry_id)
        hears(ours, entry_id)
        entry_id = add_entry(second, "Written on the second")
        hears(ours, entry_id)


@pytest.mark.postgres
def test_a_killed_listening_connection_resyncs_and_reconnects(tmp_path: Path) -> None:
    admin = postgres_admin_url()
    assert admin is not None
    with postgres_database() as url, servers(url, tmp_path, 2) as (first, second):
        database = httpx.URL(url.replace("postgresql+asyncpg", "postgresql")).path.lstrip("/")
        _wait_for(lambda: _listeners(admin, database, terminate=False) == 2)
        with subscribed(second, cookies=session_cookies(second)) as socket:
            assert _listeners(admin, database, terminate=True) == 2
            assert socket.change(within=15)["resync"] is True
            hears(socket, add_entry(first, "After the listener came back"))
        _wait_for(lambda: _listeners(admin, database, terminate=False) == 2)


@pytest.mark.postgres
def test_a_postgresql_restart_resyncs_and_later_writes_arrive(tmp_path: Path) -> None:
    with throwaway_cluster() as pg:
        env = server_env(pg.url, ATRISK_LOG_LEVEL="WARNING", ATRISK_DB_WAIT_SECONDS="3")
        with (
            running_server(env, tmp_path) as server,
            subscribed(server, cookies=session_cookies(server)) as socket,
        ):
            hears(socket, add_entry(server, "Before the restart"))
            pg.stop()
            pg.start()
            changes = socket.changes_until({"resync": True}, within=30)
            assert changes[-1]["resync"] is True
            _wait_for(lambda: server.client().get("/readyz").status_code == 200)
            hears(socket, add_entry(server, "After the restart"))


def test_the_workers_of_one_sqlite_server_hear_each_other(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    with servers(url, tmp_path, 1, "--workers", "2") as (server,):
        cookies = session_cookies(server)
        # Each socket lands on one of the two workers, each write on one: with four sockets
        # and several writes, every socket must hear every write whichever worker took it.
        with ExitStack() as stack:
            sockets = [stack.enter_context(subscribed(server, cookies=cookies)) for _ in range(4)]
            for n in range(4):
                entry_id = add_entry(server, f"Worker write {n}")
                for socket in sockets:
                    hears(socket, entry_id)
        assert len(_children(server.process.pid)) >= 2  # the workers (and a resource tracker)


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children
