"""Probes, the schema file, the migrations matching the models and the collector's settings."""

import subprocess
import sys
from pathlib import Path

import httpx

from atrisk.app import create_app
from atrisk.collector import YOUNG_THRESHOLD
from atrisk.graphql.schema import schema
from atrisk.settings import Settings
from tests.utils.databases import schema_diff
from tests.utils.server import ATRISK, free_port, server_env, start_command, stop, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent


async def test_probes_answer_when_fine(client):
    health = await client.get("/healthz")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    ready = await client.get("/readyz")
    assert (ready.status_code, ready.json()["status"]) == (200, "ready")


async def test_readyz_fails_when_the_database_is_unreachable():
    # Nothing listens on port 1: the process is alive, the database is not.
    app = create_app(Settings(database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.status_code == 200
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "reason": "connection failed",
    }


def test_schema_file_matches_the_code():
    on_disk = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert on_disk == schema.as_str() + "\n", "schema.graphql is stale: run `make schema`"


async def test_migrations_match_the_models(db):
    async with db.engine.connect() as connection:
        assert await connection.run_sync(schema_diff) == []


def test_uvicorn_runs_the_app_factory_from_the_environment(sqlite_url, tmp_path):
    port = free_port()
    uvicorn = ATRISK.with_name("uvicorn")
    command = [str(uvicorn), "--factory", "atrisk.app:create_app", "--port", str(port)]
    server = start_command(command, server_env(sqlite_url), tmp_path, port)
    try:
        wait_until_ready(server)
        answer = httpx.post(f"{server.base_url}/graphql", json={"query": "{ __typename }"})
        assert answer.json() == {"data": {"__typename": "Query"}}
        assert "x-request-id" in answer.headers
    finally:
        stop(server)


def test_a_started_app_freezes_what_startup_built_and_collects_young_objects_less_often(
    tmp_path: Path,
) -> None:
    # A fresh interpreter: the test process's own collector stays as it is.
    script = f"""
import asyncio, gc
from atrisk.app import create_app
from atrisk.settings import Settings
before = gc.get_freeze_count(), gc.get_threshold()[0]
app = create_app(Settings(database_url="sqlite+aiosqlite:///{tmp_path}/gc.db", seed_demo=False))
async def main():
    async with app.router.lifespan_context(app):
        print(*before, gc.get_freeze_count(), gc.get_threshold()[0])
asyncio.run(main())
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    frozen_before, young_before, frozen, young = map(int, result.stdout.split())
    assert (frozen_before, young_before) == (0, 700)
    assert frozen > 10_000  # the schema, the mappers, the settings
    assert young == YOUNG_THRESHOLD
