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
from typing import Any

from starlette.types import ASGIApp, Message

from atrisk.services import tokens
from atrisk.services.companies import DEMO_COMPANY, find_company
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


def main() -> None:
    database_url, output, admin_query = sys.argv[1], sys.argv[2], sys.argv[3]
    results = asyncio.run(profile(database_url, admin_query))
    with open(output, "w", encoding="utf-8") as file:
        json.dump(results, file, indent=2)


if __name__ == "__main__":
    main()
