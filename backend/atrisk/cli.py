"""The `atrisk` command: serve, migrate, backup, restore, export-schema, and companies,
users and tokens."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import gc
import logging
import logging.config
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from atrisk.credentials import generate_password
from atrisk.db import Database
from atrisk.domain import Role
from atrisk.logs import logging_config
from atrisk.migrate import upgrade_async
from atrisk.services import accounts
from atrisk.services.companies import find_company
from atrisk.services.errors import ValidationFailed
from atrisk.settings import Settings, SettingsError

logger = logging.getLogger("atrisk")


async def _prepare(settings: Settings) -> None:
    from atrisk.app import prepare_database

    db = Database(settings)
    try:
        await prepare_database(db)
    finally:
        await db.dispose()


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from atrisk.app import create_app
    from atrisk.db import DatabaseUnreachable

    settings = dataclasses.replace(
        settings,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers or settings.workers,
    )
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
        "proxy_headers": False,
        # The fast event loop and HTTP parser in production; "auto" picks them when installed.
        "loop": "uvloop" if settings.is_production else "auto",
        "http": "httptools" if settings.is_production else "auto",
        "server_header": False,
        "timeout_graceful_shutdown": settings.shutdown_timeout,
    }
    if settings.workers > 1:
        # Each worker process builds its own app from the environment.
        uvicorn.run("atrisk.app:create_app", factory=True, workers=settings.workers, **options)
    else:
        app = create_app(settings)
        # Everything made so far lives as long as the process: keep it out of the
        # garbage collector's full passes, which would otherwise stall requests now and then.
        gc.freeze()
        uvicorn.run(app, **options)
    return 0


def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.db import DatabaseUnreachable
    from atrisk.migrate import head_revision, upgrade

    async def wait() -> None:
        db = Database(settings)
        try:
            await db.wait_until_reachable()
        finally:
            await db.dispose()

    try:
        asyncio.run(wait())
    except DatabaseUnreachable as error:
        logger.error("cannot migrate: %s", error)
        return 1
    upgrade(settings)
    print(f"database is up to date (revision {head_revision(settings)})")
    return 0


def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.backup import BackupError, backup

    try:
        written = backup(settings, Path(args.destination))
    except BackupError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 1
    print(f"backed up {settings.sqlite_path} to {written}")
    return 0


def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.backup import BackupError, restore

    try:
        target = restore(settings, Path(args.source), replace=args.force)
    except BackupError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 1
    print(f"restored {target} from {args.source}")
    return 0


def _export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.graphql.schema import schema

    sdl = schema.as_str() + "\n"
    if args.output:
        Path(args.output).write_text(sdl, encoding="utf-8")
    else:
        sys.stdout.write(sdl)
    return 0


class CommandFailed(Exception):
    """An expected failure of a command: its message goes to stderr, the exit code is 1."""


def _with_database(settings: Settings, work: Callable[[Database], Awaitable[int]]) -> int:
    """Migrate, run `work` against the database, and turn expected failures into messages."""

    async def run() -> int:
        await upgrade_async(settings)
        db = Database(settings)
        try:
            return await work(db)
        except ValidationFailed as error:
            print(f"atrisk: {error.message}", file=sys.stderr)
            return 1
        except CommandFailed as error:
            print(f"atrisk: {error}", file=sys.stderr)
            return 1
        finally:
            await db.dispose()

    return asyncio.run(run())


async def _company_id(db: Database, name: str) -> str:
    company = await find_company(db, name)
    if company is None:
        raise CommandFailed(f"no company is named {name!r}")
    return company.id


def _password(args: argparse.Namespace) -> tuple[str, bool]:
    """The given password, or a generated one (and True: it must be shown)."""
    return (args.password, False) if args.password else (generate_password(), True)


def _create_company(settings: Settings, args: argparse.Namespace) -> int:
    password, generated = _password(args)

    async def work(db: Database) -> int:
        company, user = await accounts.create_company_with_admin(
            db, args.name, args.admin_email, password
        )
        print(f"created company {company.name!r} with admin {user.email}")
        if generated:
            print(f"password (shown once): {password}")
        return 0

    return _with_database(settings, work)


def _create_user(settings: Settings, args: argparse.Namespace) -> int:
    password, generated = _password(args)

    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        user = await accounts.create_user(
            db, company_id, args.email, Role(args.role.upper()), password
        )
        print(f"created {user.role.value.lower()} {user.email} in {args.company!r}")
        if generated:
            print(f"password (shown once): {password}")
        return 0

    return _with_database(settings, work)


def _create_token(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        row, token = await accounts.create_token(db, settings.signing_key, company_id, args.name)
        print(f"created read-only token {row.name!r}; it is shown only now:", file=sys.stderr)
        print(token)
        return 0

    return _with_database(settings, work)


def _revoke_token(settings: Settings, args: argparse.Namespace) -> int:
    async def work(db: Database) -> int:
        company_id = await _company_id(db, args.company)
        if not await accounts.revoke_token(db, company_id, args.name):
            raise CommandFailed(f"{args.company!r} has no token named {args.name!r}")
        print(f"revoked token {args.name!r}")
        return 0

    return _with_database(settings, work)


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atrisk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="migrate, then serve the app")
    serve.add_argument("--host", help="address to bind (default: ATRISK_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="port (default: ATRISK_PORT or 8000)")
    serve.add_argument(
        "--workers", type=_workers, help="worker processes (default: ATRISK_WORKERS or 1)"
    )
    serve.set_defaults(handler=_serve)

    migrate = commands.add_parser(
        "migrate", help="wait for the database, then apply migrations (safe to repeat)"
    )
    migrate.set_defaults(handler=_migrate)

    backup = commands.add_parser(
        "backup", help="copy the SQLite database to a new file, online and consistent"
    )
    backup.add_argument("destination", help="the backup file to write (must not exist)")
    backup.set_defaults(handler=_backup)

    restore = commands.add_parser(
        "restore", help="replace the SQLite database with a backup (stop the service first)"
    )
    restore.add_argument("source", help="a file written by `atrisk backup`")
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(handler=_restore)

    export = commands.add_parser("export-schema", help="print the GraphQL schema (SDL)")
    export.add_argument("--output", "-o", help="write to this file instead of stdout")
    export.set_defaults(handler=_export_schema)

    company = commands.add_parser("create-company", help="create a company and its first admin")
    company.add_argument("name", help="the company's name")
    company.add_argument("--admin-email", required=True, help="the admin's email (sign-in name)")
    company.add_argument("--password", help="the admin's password (default: generate one)")
    company.set_defaults(handler=_create_company)

    user = commands.add_parser("create-user", help="add an admin or viewer to a company")
    user.add_argument("--company", required=True, help="the company's name")
    user.add_argument("--email", required=True, help="the email they sign in with")
    user.add_argument("--role", required=True, choices=["admin", "viewer"])
    user.add_argument("--password", help="their password (default: generate one)")
    user.set_defaults(handler=_create_user)

    token = commands.add_parser("create-token", help="create a read-only API token; prints it")
    token.add_argument("--company", required=True, help="the company's name")
    token.add_argument("--name", required=True, help="a label, unique in the company")
    token.set_defaults(handler=_create_token)

    revoke = commands.add_parser("revoke-token", help="revoke an API token at once")
    revoke.add_argument("--company", required=True, help="the company's name")
    revoke.add_argument("--name", required=True, help="the token's label")
    revoke.set_defaults(handler=_revoke_token)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 2
    logging.config.dictConfig(logging_config(settings))
    result: int = args.handler(settings, args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
