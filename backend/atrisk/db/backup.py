"""Online, consistent copies of the SQLite database file, and restoring one.

Both go through SQLite's backup API, so a copy taken while the service runs is a snapshot
of one committed state (readers and writers carry on meanwhile). PostgreSQL has its own
tools: see the README's `pg_dump` recipe.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from atrisk.settings import Settings

BUSY_TIMEOUT_MS = 15000
# A backup holds password and credential hashes: only its owner may read it.
FILE_MODE = 0o600


class BackupError(RuntimeError):
    """A backup or restore could not be done; nothing was changed."""


def _database_file(settings: Settings) -> Path:
    if not settings.is_sqlite:
        raise BackupError(
            "backup and restore work on the SQLite file only; for PostgreSQL use pg_dump "
            "and pg_restore (see the README)"
        )
    path = settings.sqlite_path
    if path is None:
        raise BackupError("the database is in memory: there is no file to back up or restore")
    return path


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def check(path: Path) -> None:
    """Raise BackupError unless `path` is an intact atrisk database."""
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA integrity_check").fetchall()
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    if result != [("ok",)]:
        raise BackupError(f"{path} failed the integrity check: {result[:3]}")
    if "alembic_version" not in tables:
        raise BackupError(f"{path} is not an atrisk database (it has no alembic_version table)")


def _create_private(path: Path) -> None:
    """Create `path` empty, readable by its owner only (SQLite keeps the mode it finds)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def backup(settings: Settings, destination: Path) -> Path:
    """Copy the live database to `destination` (a self-contained file, no -wal needed)."""
    source = _database_file(settings)
    if not source.is_file():
        raise BackupError(f"there is no database at {source} yet")
    if destination.exists():
        raise BackupError(f"{destination} exists already; choose a new file name")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    _create_private(partial)
    try:
        with closing(_connect(source)) as src, closing(_connect(partial)) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        check(partial)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination


def restore(settings: Settings, source: Path, *, replace: bool = False) -> Path:
    """Replace the configured database with the copy in `source`.

    Stop the service first: a running process keeps what it has cached.
    """
    target = _database_file(settings)
    check(source)
    if target.exists() and not replace:
        raise BackupError(f"{target} exists; pass --force to replace it with {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        _create_private(target)
    with closing(_connect(source)) as src, closing(_connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")
    return target
