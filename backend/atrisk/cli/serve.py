"""`atrisk serve` and `atrisk export-schema`."""

from __future__ import annotations

import argparse
import asyncio
import errno
import logging
import socket
import sys
from pathlib import Path
from typing import Any

from atrisk.db.database import Database, DatabaseUnreachable
from atrisk.logs import logging_config
from atrisk.settings import Settings
from atrisk.web.protocols import protocol_path

logger = logging.getLogger("atrisk")


async def _prepare(settings: Settings) -> None:
    from atrisk.app import prepare_database

    db = Database(settings)
    try:
        await prepare_database(db)
    finally:
        await db.dispose()


def port_taken(host: str, port: int) -> bool:
    """Whether something already listens on (host, port): binding it, as uvicorn will, fails."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0][0]
    try:
        socket.create_server((host, port), family=family).close()
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            return True
        raise
    return False


def serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from atrisk.app import create_app

    settings = settings.model_copy(
        update={
            "host": args.host or settings.host,
            "port": args.port or settings.port,
            "workers": args.workers or settings.workers,
        }
    )
    if problem := settings.exposure_problem():
        print(f"atrisk: {problem}", file=sys.stderr)
        return 2
    # Said before anything else, and before any address is printed.
    if port_taken(settings.host, settings.port):
        other = settings.port + 1 if settings.port < 65535 else settings.port - 1
        logger.error(
            "not starting: port %d on %s is already in use (another atrisk, or another "
            "program). Stop that, or pick another port: ATRISK_PORT=%d make run, or "
            "atrisk serve --port %d.",
            settings.port,
            settings.host,
            other,
            other,
        )
        return 1
    # Wait for the database and migrate once, before any worker starts.
    try:
        asyncio.run(_prepare(settings))
    except DatabaseUnreachable as error:
        logger.error("not starting: %s", error)
        return 1
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_config": logging_config(settings),
        "access_log": False,  # atrisk.access logs each request, without its query string
        # X-Forwarded-For and -Proto count only from these addresses (none by default).
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": list(settings.trusted_proxies),
        # The fast event loop and HTTP parser in production; "auto" picks them when installed.
        # Either parser refuses a request head over ATRISK_MAX_HEADER_BYTES with 431.
        "loop": "uvloop" if settings.is_production else "auto",
        "http": protocol_path(args.http or ("httptools" if settings.is_production else "auto")),
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "server_header": False,
        # WebSocket messages up to the request body limit (a larger one closes with 1009);
        # pings find dead peers, so their subscriptions end.
        "ws_max_size": settings.max_request_bytes,
        "ws_ping_interval": 20.0,
        "ws_ping_timeout": 20.0,
        # A change is a couple of hundred bytes: compressing each, for every socket, costs
        # CPU and a compression context per connection for nothing (and compressing beside
        # secrets is how CRIME-like attacks read them).
        "ws_per_message_deflate": False,
        "timeout_graceful_shutdown": settings.shutdown_timeout,
    }
    if settings.workers > 1:
        # Each worker process builds its own app from the environment.
        # A busy machine may keep a starting worker from answering the supervisor's check
        # for a while: give it longer than uvicorn's 5 s before it is replaced.
        uvicorn.run(
            "atrisk.app:create_app",
            factory=True,
            workers=settings.workers,
            timeout_worker_healthcheck=30,
            **options,
        )
    else:
        # The app settles the garbage collector once it has started (atrisk.collector).
        uvicorn.run(create_app(settings), **options)
    return 0


def export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.graphql.schema import schema

    sdl = schema.as_str() + "\n"
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
    else:
        sys.stdout.write(sdl)
    return 0


def _port(value: str) -> int:
    port = int(value)
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError("port must be between 1 and 65535")
    return port


def _workers(value: str) -> int:
    workers = int(value)
    if not 1 <= workers <= 64:
        raise argparse.ArgumentTypeError("workers must be between 1 and 64")
    return workers


def add_commands(commands: Any) -> None:
    serve_parser = commands.add_parser("serve", help="migrate, then serve the app")
    serve_parser.add_argument("--host", help="address to bind (default: ATRISK_HOST or 127.0.0.1)")
    serve_parser.add_argument("--port", type=_port, help="port (default: ATRISK_PORT or 8000)")
    serve_parser.add_argument(
        "--workers", type=_workers, help="worker processes (default: ATRISK_WORKERS or 1)"
    )
    serve_parser.add_argument(
        "--http",
        choices=["auto", "httptools", "h11"],
        help="HTTP parser (default: httptools in production, else auto)",
    )
    serve_parser.set_defaults(handler=serve)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", "-o", help="write to this file instead of stdout")
    export.set_defaults(handler=export_schema)
