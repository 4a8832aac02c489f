"""The `atrisk` command: serve, migrate, export-schema."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from atrisk.settings import Settings, SettingsError


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from atrisk.app import create_app

    settings = dataclasses.replace(
        settings,
        host=args.host or settings.host,
        port=args.port or settings.port,
    )
    app = create_app(settings)
    # Everything imported so far lives as long as the process: keep it out of the
    # garbage collector's full passes, which would otherwise stall requests now and then.
    gc.freeze()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level.lower(),
        access_log=not settings.is_production,
        # The fast event loop and HTTP parser in production; "auto" picks them when installed.
        loop="uvloop" if settings.is_production else "auto",
        http="httptools" if settings.is_production else "auto",
        proxy_headers=False,
    )
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.migrate import upgrade

    upgrade(settings)
    print("database is up to date")
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atrisk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, then serve the app")
    serve.add_argument("--host", help="address to bind (default: ATRISK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="port (default: ATRISK_PORT or 8000)")
    serve.set_defaults(handler=_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(handler=_migrate)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", "-o", help="write to this file instead of stdout")
    export.set_defaults(handler=_export_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("alembic").setLevel(logging.WARNING)
    result: int = args.handler(settings, args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
