"""Graceful shutdown: on SIGTERM a real server stops accepting, finishes what is in flight,
then exits."""

from __future__ import annotations

import asyncio
import signal
import socket
import time
from pathlib import Path

import asyncpg
import pytest

from tests.utils.accounts import signed_in_async
from tests.utils.databases import _plain
from tests.utils.graphql import ADD
from tests.utils.server import Server, running_image

pytestmark = pytest.mark.postgres


def _refuses_connections(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) != 0


async def _wait_for_log(server: Server, text: str) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if text in server.output():
            return True
        await asyncio.sleep(0.05)
    return False


async def _wait_for_refusal(port: int) -> bool:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _refuses_connections(port):
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.parametrize("workers", ["1", "2"])
async def test_in_flight_request_finishes_on_sigterm(
    workers: str, postgres_url: str, tmp_path: Path
) -> None:
    with running_image(postgres_url, tmp_path, env={"ATRISK_WORKERS": workers}) as server:
        admin = await asyncpg.connect(_plain(postgres_url))
        try:
            async with signed_in_async(server, timeout=60) as client:
                # Hold the company row so the next write waits inside the server.
                blocker = admin.transaction()
                await blocker.start()
                await admin.execute("SELECT id FROM companies FOR UPDATE")
                variables = {"input": {"category": "REASON", "name": "Moved away"}}
                request = asyncio.create_task(
                    client.post("/graphql", json={"query": ADD, "variables": variables})
                )
                deadline = time.monotonic() + 30
                waiting = 0
                while not waiting and time.monotonic() < deadline:
                    waiting = await admin.fetchval(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    await asyncio.sleep(0.05)
                assert waiting == 1, "the write never reached the database"

                server.process.send_signal(signal.SIGTERM)
                assert await _wait_for_log(server, "Waiting for connections to close")
                if workers == "1":
                    # (With several workers the parent holds the socket until it exits.)
                    assert await _wait_for_refusal(server.port), "still accepting after SIGTERM"
                assert server.process.poll() is None, "exited with a request in flight"
                assert not request.done()

                await blocker.rollback()
                response = await request
            assert response.status_code == 200
            added = response.json()["data"]["addAtRiskEntry"]
            assert added["__typename"] == "AtRiskEntry"
            await asyncio.to_thread(server.process.wait, 30)
            assert server.stopped_cleanly(), server.output()
            stored = await admin.fetchval(
                "SELECT name FROM at_risk_entries WHERE id = $1", added["id"]
            )
            assert stored == "Moved away"
        finally:
            await admin.close()
