"""Faults, with real processes: the database unreachable at start, lost or hung while the
service runs, and a SQLite file that is read-only or on a full disk."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest

from atrisk.db.database import COMMAND_TIMEOUT_SECONDS
from atrisk.web.probes import READY_TIMEOUT_SECONDS
from tests.utils.accounts import ADMIN_EMAIL, COMPANY, PASSWORD, signed_in
from tests.utils.graphql import ADD, LIST
from tests.utils.pgcluster import throwaway_cluster
from tests.utils.server import ATRISK, free_port, run_cli, running_image

CONNECT_TIMEOUT = 2
FAULT_ENV = {"ATRISK_DB_WAIT_SECONDS": "3", "ATRISK_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT)}
# Bounds, not measurements: a request must not hang past its configured timeouts.
READY_BOUND = READY_TIMEOUT_SECONDS + 3
REQUEST_BOUND = 2 * CONNECT_TIMEOUT + 5
# A hung connection already in the pool is given up after the statement timeout.
HUNG_REQUEST_BOUND = COMMAND_TIMEOUT_SECONDS + CONNECT_TIMEOUT + 5


def _query(client: httpx.Client, query: str, variables: dict[str, Any] | None = None) -> Any:
    response = client.post("/graphql", json={"query": query, "variables": variables or {}})
    body = response.json()
    # 503 when the database fails before GraphQL runs (finding who is calling).
    assert response.status_code == 200 or (
        response.status_code == 503 and _error_code(body).startswith("DATABASE_")
    ), response.text
    return body


def _add(client: httpx.Client, name: str, category: str = "REASON") -> Any:
    return _query(client, ADD, {"input": {"category": category, "name": name}})


def _error_code(body: Any) -> str:
    errors = body.get("errors") or [{}]
    return str(errors[0].get("extensions", {}).get("code", ""))


def _wait_until(check: Any, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


# -- unreachable at start ----------------------------------------------------------------


@pytest.mark.parametrize("command", [["serve"], ["migrate"]])
def test_unreachable_postgres_at_start_waits_then_exits(command: list[str], tmp_path: Path) -> None:
    url = f"postgresql://atrisk:s3cret-pw@127.0.0.1:{free_port()}/atrisk"  # nobody listens
    result = run_cli(command, url, tmp_path, timeout=60, **FAULT_ENV)
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert "cannot reach the database postgresql+asyncpg://atrisk:***@127.0.0.1" in output
    assert "after waiting 3 s" in output
    assert "is not reachable yet" in output  # it retried before giving up
    assert "s3cret-pw" not in output


def test_unopenable_sqlite_file_at_start_exits(tmp_path: Path) -> None:
    (tmp_path / "not-a-directory").write_text("")
    url = f"sqlite:///{tmp_path / 'not-a-directory' / 'atrisk.db'}"
    result = run_cli(["serve"], url, tmp_path, timeout=60, **FAULT_ENV)
    assert result.returncode == 1, result.stderr
    assert "cannot reach the database sqlite+aiosqlite:///" in result.stderr
    assert "unable to open database file" in result.stderr


# -- PostgreSQL lost or hung while running -------------------------------------------------


@pytest.mark.postgres
def test_database_lost_while_running_then_back(tmp_path: Path) -> None:
    with throwaway_cluster() as pg, running_image(pg.url, tmp_path, env=FAULT_ENV) as server:
        client = signed_in(server, timeout=REQUEST_BOUND)
        assert _add(client, "Moved away")["data"]["addAtRiskEntry"]["__typename"] == "AtRiskEntry"

        pg.stop()
        for body in (_query(client, LIST), _add(client, "Price increase")):
            assert body["data"] is None
            assert _error_code(body) == "DATABASE_UNAVAILABLE"
            message = body["errors"][0]["message"]
            assert "not reachable" in message
            assert "asyncpg" not in message
            assert "127.0.0.1" not in message
        ready = client.get("/readyz", timeout=READY_BOUND)
        assert ready.status_code == 503
        assert ready.json()["database"] == "unreachable"
        assert client.get("/healthz").status_code == 200
        assert server.process.poll() is None

        pg.start()
        assert _wait_until(lambda: client.get("/readyz").status_code == 200)
        names = [e["name"] for e in _query(client, LIST)["data"]["atRiskEntries"]]
        assert names == ["Moved away"]
        added = _add(client, "Price increase")["data"]["addAtRiskEntry"]
        assert added["__typename"] == "AtRiskEntry"
        client.close()
    assert "DATABASE_UNAVAILABLE" not in server.output()  # the log has the real cause
    assert "ConnectionRefusedError" in server.output() or "connection" in server.output()


@pytest.mark.postgres
def test_a_restart_costs_the_next_credential_lookup_nothing(tmp_path: Path) -> None:
    """The pool's connections all die with the restart; the first read after it (its
    credential lookup, then a cached answer) still succeeds on its first try."""
    with throwaway_cluster() as pg, running_image(pg.url, tmp_path, env=FAULT_ENV) as server:
        client = signed_in(server, timeout=REQUEST_BOUND)
        _add(client, "Moved away")
        first = _query(client, LIST)
        assert first["data"]["atRiskEntries"][0]["name"] == "Moved away"
        pg.stop()
        pg.start()
        assert _query(client, LIST) == first
        client.close()


@pytest.mark.postgres
def test_hung_database_gets_prompt_answers(tmp_path: Path) -> None:
    with throwaway_cluster() as pg, running_image(pg.url, tmp_path, env=FAULT_ENV) as server:
        client = signed_in(server, timeout=HUNG_REQUEST_BOUND)
        assert _query(client, LIST)["data"] == {"atRiskEntries": []}

        pg.freeze()
        try:
            ready = client.get("/readyz", timeout=READY_BOUND)
            assert ready.status_code == 503
            assert ready.json()["reason"] == f"no answer within {READY_TIMEOUT_SECONDS:g} s"
            body = _query(client, LIST)
            assert _error_code(body) == "DATABASE_UNAVAILABLE"
            assert server.process.poll() is None
        finally:
            pg.thaw()
        assert _wait_until(lambda: client.get("/readyz").status_code == 200)
        assert _query(client, LIST)["data"] == {"atRiskEntries": []}
        client.close()


# -- SQLite: read-only file, full disk -----------------------------------------------------


def _integrity(path: Path) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchall()


def _counts(path: Path) -> tuple[int, int]:
    """(entries, the company's data version) as stored."""
    with closing(sqlite3.connect(path)) as db:
        entries = db.execute("SELECT count(*) FROM at_risk_entries").fetchone()[0]
        version = db.execute("SELECT max(lists_version) FROM companies").fetchone()[0]
    return entries, version


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make the file read-only even for root (the immutable attribute), then undo it."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield
        return
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot make a file read-only for root here: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=False)


def test_read_only_sqlite_file_refuses_writes_clearly(tmp_path: Path) -> None:
    path = tmp_path / "atrisk.db"
    url = f"sqlite:///{path}"
    with running_image(url, tmp_path, env=FAULT_ENV) as server:
        client = signed_in(server)
        assert _add(client, "Moved away")["data"]["addAtRiskEntry"]["name"] == "Moved away"
        cookies = dict(client.cookies)  # a session made while the file was writable
        client.close()
        made = subprocess.run(
            [str(ATRISK), "create-token", "--company", COMPANY, "--name", "mobile"],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        token = made.stdout.strip().splitlines()[-1]
    before = _counts(path)

    with _read_only(path), running_image(url, tmp_path, env=FAULT_ENV) as server:
        # Signing in writes a session: refused clearly too.
        login = httpx.post(
            f"{server.base_url}/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD}
        )
        assert (login.status_code, login.json()["error"]) == (503, "DATABASE_WRITE_FAILED")
        client = server.client(cookies=cookies)
        names = [e["name"] for e in _query(client, LIST)["data"]["atRiskEntries"]]
        assert names == ["Moved away"]
        # A token's first use would note its last-used time: reads still work without it.
        with server.client(headers={"Authorization": f"Bearer {token}"}) as mobile:
            listed = _query(mobile, LIST)["data"]["atRiskEntries"]
        assert [e["name"] for e in listed] == ["Moved away"]
        variables = {"input": {"category": "REASON", "name": "Price increase"}}
        response = client.post("/graphql", json={"query": ADD, "variables": variables})
        body = response.json()
        assert body["data"] is None
        assert _error_code(body) == "DATABASE_WRITE_FAILED"
        assert "read-only or out of space" in body["errors"][0]["message"]
        assert client.get("/healthz").status_code == 200
        client.close()
    # The full cause is in the server's log, on a line with the request's id.
    logged = [json.loads(line) for line in server.log_lines()]
    failures = [line for line in logged if line["level"] == "ERROR"]
    assert any(
        line["request_id"] == response.headers["x-request-id"]
        and "attempt to write a readonly database" in line["message"]
        for line in failures
    ), failures
    assert _counts(path) == before
    assert _integrity(path) == [("ok",)]


@contextlib.contextmanager
def _tiny_filesystem(size: str) -> Iterator[Path]:
    mountpoint = Path(tempfile.mkdtemp(prefix="atrisk-full-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mountpoint)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        mountpoint.rmdir()
        pytest.skip(f"cannot mount a tiny tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "--lazy", str(mountpoint)], check=False)
        mountpoint.rmdir()


def _fill(directory: Path) -> Path:
    """Take every free byte of the filesystem."""
    filler = directory / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk_size in (64 * 1024, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk_size)
        os.fsync(fd)
    finally:
        os.close(fd)
    return filler


def _write_until_full(client: httpx.Client, limit: int = 400) -> tuple[int, Any]:
    """Add entries until one fails; returns how many succeeded and the failing answer."""
    for number in range(limit):
        body = _add(client, f"Reason number {number} " + "x" * 60)
        if body.get("errors"):
            return number, body
    raise AssertionError(f"{limit} writes succeeded on a full disk")


def test_full_disk_refuses_writes_and_keeps_the_file_intact(tmp_path: Path) -> None:
    with _tiny_filesystem("2m") as mountpoint:
        path = mountpoint / "atrisk.db"
        with running_image(f"sqlite:///{path}", tmp_path, env=FAULT_ENV) as server:
            client = signed_in(server)
            _, version_at_start = _counts(path)
            filler = _fill(mountpoint)

            succeeded, body = _write_until_full(client)
            assert body["data"] is None
            assert _error_code(body) == "DATABASE_WRITE_FAILED", body
            # Nothing partial: no entry and no version bump from the failed write.
            assert _counts(path) == (succeeded, version_at_start + succeeded)
            assert _integrity(path) == [("ok",)]
            assert client.get("/healthz").status_code == 200

            filler.unlink()
            after = _add(client, "Written once there is room")
            assert after["data"]["addAtRiskEntry"]["__typename"] == "AtRiskEntry"
            client.close()
        assert "database or disk is full" in server.output()
        assert _counts(path) == (succeeded + 1, version_at_start + succeeded + 1)
        assert _integrity(path) == [("ok",)]


# -- killed in the middle of a write ------------------------------------------------------


def test_a_process_killed_mid_transaction_leaves_neither_change_nor_event(tmp_path: Path) -> None:
    """SIGKILL while a large import is writing (its pages are in the WAL, not committed):
    after a restart there are neither customers nor their history events."""
    database = tmp_path / "atrisk.db"
    url = f"sqlite:///{database}"
    rows = "".join(f"K-{n},Killed {n},,,1.00,\n" for n in range(100_000))
    body = ("account_number,name,email,phone,rmr,status\n" + rows).encode()
    with running_image(url, tmp_path, env=FAULT_ENV) as server:
        client = signed_in(server, timeout=120)
        headers = {"Content-Type": "text/csv", "Origin": server.base_url}
        wal = Path(f"{database}-wal")
        size_before = wal.stat().st_size if wal.exists() else 0
        with ThreadPoolExecutor(max_workers=1) as pool:
            upload = pool.submit(client.post, "/customers/import", content=body, headers=headers)
            assert _wait_until(
                lambda: wal.exists() and wal.stat().st_size > size_before + 512 * 1024, timeout=60
            ), "the import never started writing"
            server.process.kill()
            server.process.wait(10)
            with contextlib.suppress(httpx.HTTPError):
                upload.result(timeout=30)
        client.close()
    with running_image(url, tmp_path, env=FAULT_ENV) as again:
        client = signed_in(again, timeout=30)
        total = _query(client, "{ customers(first: 1) { totalCount } }")
        assert total["data"]["customers"]["totalCount"] == 0
        client.close()
    with closing(sqlite3.connect(database)) as connection:
        events = connection.execute(
            "SELECT count(*) FROM audit_events WHERE entity_type = 'CUSTOMER'"
        ).fetchone()[0]
        assert events == 0
    assert _integrity(database) == [("ok",)]
