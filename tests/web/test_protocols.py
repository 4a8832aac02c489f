"""Both HTTP parsers refuse an oversized request head with 431, before it is complete."""

from __future__ import annotations

import select
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest

from atrisk.settings import DEFAULT_MAX_HEADER_BYTES
from tests.utils.databases import sqlite_url
from tests.utils.server import Server, running_server, server_env

CHUNK = b"a" * 65536
GIVE_UP_SECONDS = 5.0


def send_head(server: Server, head: bytes, total: int) -> tuple[bytes, float]:
    """Send `head`, then header bytes up to `total`, unless the server answers first."""
    started = time.monotonic()
    deadline = started + GIVE_UP_SECONDS
    answer = b""
    with socket.create_connection(("127.0.0.1", server.port), timeout=GIVE_UP_SECONDS) as sock:
        sock.sendall(head)
        sent = 0
        try:
            while sent < total and time.monotonic() < deadline:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered
                sock.sendall(CHUNK)
                sent += len(CHUNK)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        try:
            while b"\r\n\r\n" not in answer and (data := sock.recv(4096)):
                answer += data
        except (ConnectionResetError, TimeoutError):
            pass
    return answer, time.monotonic() - started


@pytest.mark.parametrize("parser", ["httptools", "h11"])
def test_a_64_megabyte_header_gets_431_at_once_from_either_parser(
    tmp_path: Path, parser: str
) -> None:
    env = server_env(sqlite_url(tmp_path))
    with running_server(env, tmp_path, "--http", parser) as server:
        health: list[float] = []

        def watch() -> None:
            for _ in range(10):
                started = time.monotonic()
                assert httpx.get(f"{server.base_url}/healthz", timeout=10).status_code == 200
                health.append(time.monotonic() - started)
                time.sleep(0.05)

        watcher = threading.Thread(target=watch)
        watcher.start()
        answer, took = send_head(
            server, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ", 64 * 2**20
        )
        watcher.join(60)
        # Just under the limit, a request is served as usual.
        padding = "a" * (DEFAULT_MAX_HEADER_BYTES - 1024)
        fits = httpx.get(f"{server.base_url}/healthz", headers={"X-Padding": padding})
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b"the limit is %d bytes" % DEFAULT_MAX_HEADER_BYTES in answer
    assert took < 1.0, took
    assert max(health) < 1.0, health
    assert fits.status_code == 200
