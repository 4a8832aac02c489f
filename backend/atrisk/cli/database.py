"""Commands that work on the database: migrate, backup, restore, prune-history; and the
runner the other commands use to reach it."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from atrisk.db.database import Database, DatabaseUnreachable
from atrisk.db.migrate import upgrade_async
from atrisk.services.errors import ValidationFailed
from atrisk.settings import Settings

logger = logging.getLogger("atrisk")


class CommandFailed(Exception):
    """An expected failure of a command: its message goes to stderr, the exit code is 1."""


def with_database(settings: Settings, work: Callable[[Database], Awaitable[int]]) -> int:
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


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.db.migrate import head_revision, upgrade

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


def backup(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.db.backup import BackupError, backup

    try:
        written = backup(settings, Path(args.destination))
    except BackupError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 1
    print(f"backed up {settings.sqlite_path} to {written}")
    return 0


RESTORE_WARNING = (
    "atrisk: warning: the backup brings back every session and API token it holds, also "
    "those ended or revoked since it was taken; run restore with --revoke-credentials to end "
    "every session and revoke every API token instead"
)


def restore(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.db.backup import BackupError, restore
    from atrisk.db.types import utcnow
    from atrisk.services import sessions, tokens

    started = utcnow()
    try:
        target = restore(settings, Path(args.source), replace=args.force)
    except BackupError as error:
        print(f"atrisk: {error}", file=sys.stderr)
        return 1
    print(f"restored {target} from {args.source}")
    if not args.revoke_credentials:
        print(RESTORE_WARNING, file=sys.stderr)
        return 0

    async def revoke(db: Database) -> int:
        ended = await sessions.end_sessions_started_before(db, started)
        revoked = await tokens.revoke_tokens_created_before(db, started)
        print(
            f"ended {ended} session{'s' if ended != 1 else ''} and revoked {revoked} API "
            f"token{'s' if revoked != 1 else ''}: sign in again and create new tokens"
        )
        return 0

    return with_database(settings, revoke)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date like 2026-01-31") from None


def prune_history(settings: Settings, args: argparse.Namespace) -> int:
    from atrisk.services import audit
    from atrisk.services.changes import CLI

    async def work(db: Database) -> int:
        removed = await audit.prune(db, args.before, CLI)
        total = sum(removed.values())
        companies = len(removed)
        print(
            f"deleted {total} history events from before {args.before.isoformat()} "
            f"({companies} compan{'y' if companies == 1 else 'ies'}); each company's log notes it"
        )
        return 0

    return with_database(settings, work)


def add_commands(commands: Any) -> None:
    migrate_parser = commands.add_parser(
        "migrate", help="wait for the database, then apply migrations (safe to repeat)"
    )
    migrate_parser.set_defaults(handler=migrate)

    backup_parser = commands.add_parser(
        "backup", help="copy the SQLite database to a new file, online and consistent"
    )
    backup_parser.add_argument("destination", help="the backup file to write (must not exist)")
    backup_parser.set_defaults(handler=backup)

    restore_parser = commands.add_parser(
        "restore", help="replace the SQLite database with a backup (stop the service first)"
    )
    restore_parser.add_argument("source", help="a file written by `atrisk backup`")
    restore_parser.add_argument("--force", action="store_true", help="replace an existing database")
    restore_parser.add_argument(
        "--revoke-credentials",
        action="store_true",
        help="then end every session and revoke every API token the backup brought back",
    )
    restore_parser.set_defaults(handler=restore)

    prune = commands.add_parser(
        "prune-history",
        help="delete history events older than a date (each company's log notes it)",
    )
    prune.add_argument("--before", required=True, type=_date, help="a date, e.g. 2025-01-01 (UTC)")
    prune.set_defaults(handler=prune_history)
