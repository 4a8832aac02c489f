"""`atrisk backup` and `atrisk restore` for the SQLite file, and the pg_dump recipe."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import stat
import subprocess
import threading
from contextlib import closing
from pathlib import Path

import pytest

from atrisk.app import prepare_database
from atrisk.db.database import Database
from atrisk.services.companies import find_company
from atrisk.services.demo import DEMO_COMPANY
from atrisk.services.picklists import list_entries
from atrisk.settings import Settings
from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import COMPANY, signed_in
from tests.utils.databases import _plain, postgres_database
from tests.utils.graphql import ADD
from tests.utils.server import run_cli, running_image, running_server, server_env


def _snapshot(path: Path) -> tuple[int, int, str]:
    """(entries, the company's data version, journal mode) of a database file."""
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        entries = db.execute("SELECT count(*) FROM at_risk_entries").fetchone()[0]
        version = db.execute("SELECT lists_version FROM companies").fetchone()[0]
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    return entries, version, mode


def test_backup_while_writing_then_restore(tmp_path: Path) -> None:
    live = tmp_path / "live" / "atrisk.db"
    url = f"sqlite:///{live}"
    backups = tmp_path / "backups"
    backups.mkdir()
    stop = threading.Event()
    written: list[str] = []

    with running_image(url, tmp_path) as server:

        def write() -> None:
            with signed_in(server, timeout=30) as client:
                for number in range(300):
                    if stop.is_set():
                        return
                    name = f"Reason {number}"
                    variables = {"input": {"category": "REASON", "name": name}}
                    body = client.post("/graphql", json={"query": ADD, "variables": variables})
                    assert body.json()["data"]["addAtRiskEntry"]["name"] == name
                    written.append(name)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            while len(written) < 20 and writer.is_alive():
                stop.wait(0.02)
            result = run_cli(["backup", str(backups / "one.db")], url, tmp_path)
        finally:
            stop.set()
            writer.join(60)
    assert result.returncode == 0, result.stderr
    assert f"to {backups / 'one.db'}" in result.stdout

    entries, version, mode = _snapshot(backups / "one.db")
    # One committed state: each add bumps the version in its own transaction.
    assert version == entries + 1
    assert 20 <= entries <= len(written)
    assert mode == "delete"  # self-contained: no -wal file belongs to it
    assert sorted(p.name for p in backups.iterdir()) == ["one.db"]

    restored = tmp_path / "restored" / "atrisk.db"
    restored_url = f"sqlite:///{restored}"
    result = run_cli(["restore", str(backups / "one.db")], restored_url, tmp_path)
    assert result.returncode == 0, result.stderr
    with running_image(restored_url, tmp_path) as server, signed_in(server) as client:
        names = client.post("/graphql", json={"query": "{ atRiskEntries { name } }"}).json()
    assert [e["name"] for e in names["data"]["atRiskEntries"]] == written[:entries]

    again = run_cli(["restore", str(backups / "one.db")], restored_url, tmp_path)
    assert again.returncode == 1
    assert "pass --force" in again.stderr
    forced = run_cli(["restore", "--force", str(backups / "one.db")], restored_url, tmp_path)
    assert forced.returncode == 0, forced.stderr


def test_backup_and_restore_refuse_what_they_cannot_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'atrisk.db'}"
    missing = run_cli(["backup", str(tmp_path / "copy.db")], url, tmp_path)
    assert missing.returncode == 1
    assert "there is no database at" in missing.stderr

    assert run_cli(["migrate"], url, tmp_path).returncode == 0
    (tmp_path / "taken.db").write_bytes(b"")
    taken = run_cli(["backup", str(tmp_path / "taken.db")], url, tmp_path)
    assert taken.returncode == 1
    assert "exists already" in taken.stderr

    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    junk = run_cli(["restore", "--force", str(tmp_path / "junk.db")], url, tmp_path)
    assert junk.returncode == 1
    assert "not a readable SQLite database" in junk.stderr

    with closing(sqlite3.connect(tmp_path / "other.db")) as other:
        other.execute("CREATE TABLE t (x)")
    foreign = run_cli(["restore", "--force", str(tmp_path / "other.db")], url, tmp_path)
    assert foreign.returncode == 1
    assert "not an atrisk database" in foreign.stderr

    postgres = run_cli(["backup", "x.db"], "postgresql://atrisk@127.0.0.1/atrisk", tmp_path)
    assert postgres.returncode == 1
    assert "pg_dump" in postgres.stderr


@pytest.mark.postgres
async def test_the_pg_dump_recipe_restores_into_a_new_database(
    postgres_url: str, tmp_path: Path
) -> None:
    for tool in ("pg_dump", "pg_restore"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed (Debian: postgresql-client)")
    settings = Settings(database_url=postgres_url, seed_demo=True)
    assert run_cli(["migrate"], postgres_url, tmp_path).returncode == 0
    db = Database(settings)
    try:
        await prepare_database(db)
        company = await find_company(db, DEMO_COMPANY)
        assert company is not None
        company_id = company.id
        before = [e.name for e in await list_entries(db, company_id)]
    finally:
        await db.dispose()
    assert before

    dump = tmp_path / "atrisk.dump"
    # The README's recipe: custom format, no owners or privileges.
    options = ["--no-owner", "--no-privileges"]
    dump_command = ["pg_dump", "--format=custom", *options, "--file", str(dump)]
    await asyncio.to_thread(
        subprocess.run, [*dump_command, _plain(postgres_url)], check=True, timeout=120
    )
    async with postgres_database() as target:
        restore_command = ["pg_restore", *options, "--exit-on-error", "--dbname", _plain(target)]
        await asyncio.to_thread(
            subprocess.run, [*restore_command, str(dump)], check=True, timeout=120
        )
        migrated = run_cli(["migrate"], target, tmp_path)
        assert migrated.returncode == 0, migrated.stderr
        assert "migrated the database" not in migrated.stderr
        restored_db = Database(Settings(database_url=target))
        try:
            after = [e.name for e in await list_entries(restored_db, company_id)]
        finally:
            await restored_db.dispose()
    assert after == before


def test_backups_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'atrisk.db'}"
    assert run_cli(["migrate"], url, tmp_path).returncode == 0
    result = run_cli(["backup", str(tmp_path / "copy.db")], url, tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600
    restored = tmp_path / "new" / "atrisk.db"
    result = run_cli(["restore", str(tmp_path / "copy.db")], f"sqlite:///{restored}", tmp_path)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600


def test_restore_warns_of_the_credentials_it_brings_back_and_can_revoke_them(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'live' / 'atrisk.db'}"
    backup_file = tmp_path / "before.db"
    env = server_env(url)
    with running_server(env, tmp_path) as server, signed_in(server) as client:
        session = client.cookies[SESSION_COOKIE]
        made = run_cli(["create-token", "--company", COMPANY, "--name", "app"], url, tmp_path)
        token = made.stdout.strip()
        assert run_cli(["backup", str(backup_file)], url, tmp_path).returncode == 0
        # After the backup: signed out, and the token revoked.
        assert client.post("/auth/logout", json={}).status_code == 204
        revoked = ["revoke-token", "--company", COMPANY, "--name", "app"]
        assert run_cli(revoked, url, tmp_path).returncode == 0

    def callers() -> list[str]:
        with running_server(env, tmp_path) as server:
            cookie = {"Cookie": f"{SESSION_COOKIE}={session}"}
            bearer = {"Authorization": f"Bearer {token}"}
            return [
                server.client(headers=headers)
                .post("/graphql", json={"query": "{ me { role } }"})
                .json()
                .get("errors", [{}])[0]
                .get("extensions", {})
                .get("code", "OK")
                for headers in (cookie, bearer)
            ]

    assert callers() == ["UNAUTHENTICATED", "UNAUTHENTICATED"]
    plain = run_cli(["restore", "--force", str(backup_file)], url, tmp_path)
    assert plain.returncode == 0, plain.stderr
    assert "brings back every session and API token" in plain.stderr
    assert "--revoke-credentials" in plain.stderr
    assert callers() == ["OK", "OK"], "the backup brought both back"

    revoking = run_cli(
        ["restore", "--force", "--revoke-credentials", str(backup_file)], url, tmp_path
    )
    assert revoking.returncode == 0, revoking.stderr
    assert "ended 1 session and revoked 1 API token" in revoking.stdout
    assert "warning" not in revoking.stderr
    assert callers() == ["UNAUTHENTICATED", "UNAUTHENTICATED"]
