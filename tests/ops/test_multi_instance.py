"""Stateless app processes: two real servers, started with the image's command, over one
PostgreSQL database."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import httpx
import pytest

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import ADMIN_EMAIL, PASSWORD, provision, signed_in_async
from tests.utils.graphql import Api
from tests.utils.server import (
    Server,
    dockerfile_instructions,
    free_port,
    resolve,
    running_image,
    server_env,
    start_image,
    wait_until_ready,
)

pytestmark = pytest.mark.postgres


def _healthcheck_command() -> list[str]:
    spec = dockerfile_instructions("HEALTHCHECK")[-1]
    _, _, exec_form = spec.partition("CMD ")
    command: list[str] = json.loads(exec_form)
    return command


def _run_healthcheck(port: int) -> int:
    env = server_env("unused", ATRISK_PORT=str(port))
    result = subprocess.run(
        resolve(_healthcheck_command()), env=env, capture_output=True, timeout=30, check=False
    )
    return result.returncode


@pytest.fixture
def two_servers(postgres_url: str, tmp_path: Path):
    # Started together: both migrate at once (the advisory lock orders them).
    first = start_image(postgres_url, tmp_path, env={"ATRISK_WORKERS": "2"})
    second = start_image(postgres_url, tmp_path)
    try:
        wait_until_ready(first, timeout=60)
        wait_until_ready(second, timeout=60)
        yield first, second
    finally:
        for server in (first, second):
            try:
                server.terminate()
                assert server.stopped_cleanly(), server.output()
            except subprocess.TimeoutExpired:
                server.kill()


async def test_a_change_through_one_is_read_through_the_other(
    two_servers: tuple[Server, Server],
) -> None:
    first, second = two_servers
    async with (
        signed_in_async(first) as one,
        signed_in_async(second) as two,
    ):
        api_one, api_two = Api(one), Api(two)
        added = await api_one.add("REASON", "Moved away")
        assert added["__typename"] == "AtRiskEntry"
        assert [e["name"] for e in await api_two.list("REASON")] == ["Moved away"]

        renamed = await api_two.update(added["id"], name="Moved out of area", expectedVersion=1)
        assert renamed["version"] == 2
        read_back = await api_one.get(added["id"])
        assert read_back is not None
        assert read_back["name"] == "Moved out of area"

        assert (await api_one.delete(added["id"]))["__typename"] == "DeletedAtRiskEntry"
        assert await api_two.get(added["id"]) is None


async def test_conflicting_updates_through_both_give_one_conflict(
    two_servers: tuple[Server, Server],
) -> None:
    first, second = two_servers
    async with (
        signed_in_async(first) as one,
        signed_in_async(second) as two,
    ):
        api_one, api_two = Api(one), Api(two)
        for round_ in range(5):
            entry = await api_one.add("CAUSE", f"Competitor offer {round_}")
            results = await asyncio.gather(
                api_one.update(entry["id"], name=f"From one {round_}", expectedVersion=1),
                api_two.update(entry["id"], name=f"From two {round_}", expectedVersion=1),
            )
            kinds = sorted(result["__typename"] for result in results)
            assert kinds == ["AtRiskEntry", "VersionConflictError"], results
            winner = next(r for r in results if r["__typename"] == "AtRiskEntry")
            loser = next(r for r in results if r["__typename"] == "VersionConflictError")
            assert loser["current"]["name"] == winner["name"]
            assert loser["current"]["version"] == 2
            for api in (api_one, api_two):
                current = await api.get(entry["id"])
                assert current is not None
                assert (current["name"], current["version"]) == (winner["name"], 2)


def test_the_image_healthcheck_follows_readiness(postgres_url: str, tmp_path: Path) -> None:
    with running_image(postgres_url, tmp_path) as server:
        assert _run_healthcheck(server.port) == 0
    assert _run_healthcheck(free_port()) != 0


async def test_a_session_made_on_one_works_on_the_other(two_servers: tuple[Server, Server]) -> None:
    first, second = two_servers
    provision(first.env)
    async with httpx.AsyncClient(base_url=first.base_url, timeout=15) as one:
        login = await one.post("/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD})
        assert login.status_code == 200, login.text
        session = login.cookies[SESSION_COOKIE]
    me = "{ me { email role company { name } } }"
    async with httpx.AsyncClient(
        base_url=second.base_url, timeout=15, cookies={SESSION_COOKIE: session}
    ) as two:
        body = (await two.post("/graphql", json={"query": me})).json()
        assert body["data"]["me"] == {
            "email": ADMIN_EMAIL,
            "role": "ADMIN",
            "company": {"name": "Acme Alarms"},
        }
        # Signing out on the second ends the session on the first too.
        assert (await two.post("/auth/logout", json={})).status_code in (200, 204)
    async with httpx.AsyncClient(
        base_url=first.base_url, timeout=15, cookies={SESSION_COOKIE: session}
    ) as one:
        body = (await one.post("/graphql", json={"query": me})).json()
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
