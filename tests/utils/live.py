"""Real servers for the reliability tests: a fresh database each, signed-in clients.

Credentials come from tests.utils.accounts (`session_cookies`), as for every real server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from tests.utils.accounts import session_cookies, signed_in, signed_in_async
from tests.utils.databases import create_postgres_database, drop_postgres_database, sqlite_url
from tests.utils.fixtures import BACKENDS
from tests.utils.server import Server, running_server, server_env

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion on a private loop, away from any test's loop."""
    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@dataclass
class LiveServer:
    """A running `atrisk serve`; its clients carry the test admin's session."""

    server: Server
    database_url: str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def cookies(self) -> dict[str, str]:
        return session_cookies(self.server)

    def client(self, **options: Any) -> httpx.AsyncClient:
        options.setdefault("timeout", 30.0)
        return signed_in_async(self.server, headers=self.headers, **options)

    def sync_client(self, **options: Any) -> httpx.Client:
        options.setdefault("timeout", 30.0)
        return signed_in(self.server, headers=self.headers, **options)

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.server.output().splitlines()[-lines:])


@contextmanager
def live_server(
    kind: str, directory: Path, env: Mapping[str, str] | None = None
) -> Iterator[LiveServer]:
    """A signed-in server on a fresh database of `kind` ("sqlite" or "postgres")."""
    url = run_async(create_postgres_database()) if kind == "postgres" else sqlite_url(directory)
    try:
        environment = server_env(url, ATRISK_LOG_LEVEL="WARNING", **(env or {}))
        with running_server(environment, directory) as server:
            yield LiveServer(server, url)
    finally:
        if kind == "postgres":
            run_async(drop_postgres_database(url))


@pytest.fixture(scope="module", params=BACKENDS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A real server on a fresh database, shared by the tests of one module."""
    with live_server(request.param, tmp_path_factory.mktemp("live")) as running:
        yield running
