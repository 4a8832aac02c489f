"""Python function calls per request, counted with cProfile in the event loop's thread.

    python -m bench.profile DATABASE_URL OUTPUT.json

Drives the ASGI apps directly (no sockets, no client) so that only the server's own work
is counted; the database driver's thread (aiosqlite) is not.
"""

from __future__ import annotations

import asyncio
import cProfile
import io
import json
import pstats
import secrets
import sys
import time
from typing import Any

from sqlalchemy import bindparam, select
from starlette.types import ASGIApp, Message

from atrisk.db.database import Database
from atrisk.models.accounts import ApiToken
from atrisk.models.companies import Company
from atrisk.services import tokens
from atrisk.services.companies import find_company
from atrisk.services.demo import DEMO_COMPANY
from atrisk.settings import Settings
from bench.server import build_app

REQUESTS = 200


HEADERS: list[tuple[bytes, bytes]] = []  # the bench client's credentials


async def call(app: ASGIApp, method: str, path: str, body: bytes, query: bytes = b"") -> bytes:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"), *HEADERS],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    messages: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[bytes] = []

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.body":
            sent.append(message.get("body", b""))

    await app(scope, receive, send)
    return b"".join(sent)


async def count(app: ASGIApp, method: str, path: str, body: bytes, query: bytes = b"") -> Any:
    for _ in range(20):  # warm every cache first
        await call(app, method, path, body, query)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(REQUESTS):
        await call(app, method, path, body, query)
    profiler.disable()
    return profiler


def top(profiler: cProfile.Profile, limit: int = 15) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(limit)
    return out.getvalue()


async def profile(database_url: str, admin_query: str) -> dict[str, Any]:
    graphql = json.dumps({"query": admin_query}).encode()
    results: dict[str, Any] = {}
    for cache_mb in (16, 0):
        environment = {
            "ATRISK_ENV": "production",
            "DATABASE_URL": database_url,
            "ATRISK_SECRET_KEY": secrets.token_urlsafe(32),
            "ATRISK_ALLOWED_HOSTS": "127.0.0.1",
        }
        settings = Settings.from_env(environment).model_copy(update={"read_cache_mb": cache_mb})
        app = build_app(settings, {"admin": b"{}"})
        async with app.router.lifespan_context(app):
            company = await find_company(app.state.db, DEMO_COMPANY)
            assert company is not None
            _, token = await tokens.create_token(
                app.state.db, settings.signing_key, company.id, f"profile-{secrets.token_hex(4)}"
            )
            HEADERS[:] = [(b"authorization", f"Bearer {token}".encode())]
            if cache_mb:
                runs = {
                    "graphql (read cache)": ("POST", "/graphql", graphql, b""),
                    "trivial": ("POST", "/bench/trivial/admin", graphql, b""),
                    "bare REST": ("GET", "/bench/rest/entries", b"", b"shape=full"),
                    "Ariadne": ("POST", "/bench/ariadne", graphql, b""),
                }
            else:
                runs = {"graphql (no read cache)": ("POST", "/graphql", graphql, b"")}
            for name, (method, path, body, query) in runs.items():
                profiler = await count(app, method, path, body, query)
                stats = pstats.Stats(profiler)
                results[name] = {
                    "calls": round(stats.total_calls / REQUESTS),  # type: ignore[attr-defined]
                    "top": top(profiler) if name.startswith("graphql") else "",
                }
    return results


LOOKUPS = 2000


async def lookups(database_url: str) -> dict[str, float]:
    """Microseconds per credential lookup (an API token, joined with its company's versions):
    `Database.lookup` (in the event loop's thread on SQLite) against the async driver."""
    settings = Settings.from_env({"DATABASE_URL": database_url, "ATRISK_SEED_DEMO": "false"})
    db = Database(settings)
    statement = (
        select(ApiToken.id, Company.name, Company.lists_version, Company.accounts_version)
        .join(Company, Company.id == ApiToken.company_id)
        .where(ApiToken.token_hash == bindparam("token_hash"))
    )
    parameters = {"token_hash": "0" * 64}

    async def through_driver() -> None:
        async with db.read_connection() as connection:
            (await connection.execute(statement, parameters)).all()

    async def through_lookup() -> None:
        await db.lookup(statement, parameters)

    timings: dict[str, float] = {}
    try:
        for name, way in (("lookup", through_lookup), ("driver", through_driver)):
            for _ in range(100):
                await way()
            started = time.perf_counter()
            for _ in range(LOOKUPS):
                await way()
            timings[name] = (time.perf_counter() - started) / LOOKUPS * 1e6
    finally:
        await db.dispose()
    return timings


def main() -> None:
    database_url, output, admin_query = sys.argv[1], sys.argv[2], sys.argv[3]
    results = asyncio.run(profile(database_url, admin_query))
    results["lookups"] = asyncio.run(lookups(database_url))
    with open(output, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=2)


if __name__ == "__main__":
    main()
