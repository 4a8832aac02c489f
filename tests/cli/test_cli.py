"""The `atrisk` command, run as a real process."""

import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from atrisk.graphql.schema import schema
from atrisk.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_ENTRIES
from tests.utils.server import ATRISK, running_server, server_env

LIST = {"query": "{ atRiskEntries { id category name active } }"}


def run(*args, env=None):
    return subprocess.run(
        [str(ATRISK), *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_migrate_is_idempotent(sqlite_url):
    env = server_env(sqlite_url)
    first = run("migrate", env=env)
    second = run("migrate", env=env)
    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "up to date" in second.stdout


def test_export_schema_prints_the_sdl(tmp_path):
    result = run("export-schema")
    assert result.returncode == 0
    assert result.stdout == schema.as_str() + "\n"
    target = tmp_path / "schema.graphql"
    assert run("export-schema", "--output", str(target)).returncode == 0
    assert target.read_text() == result.stdout


def test_bad_configuration_is_refused_clearly(sqlite_url):
    result = run("migrate", env=server_env(sqlite_url, ATRISK_ENV="staging"))
    assert result.returncode == 2
    assert "ATRISK_ENV must be development or production" in result.stderr
    result = run("migrate", env=server_env("mysql://x"))
    assert result.returncode == 2
    assert "DATABASE_URL must start with sqlite:// or postgresql://" in result.stderr


def test_serve_refuses_a_bad_port():
    result = run("serve", "--port", "70000")
    assert result.returncode == 2
    assert "port must be between 1 and 65535" in result.stderr


def test_serve_on_a_busy_port_says_which_and_how_to_pick_another(sqlite_url):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = run(
            "serve", "--host", "127.0.0.1", "--port", str(port), env=server_env(sqlite_url)
        )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert f"port {port} on 127.0.0.1 is already in use" in output
    assert f"ATRISK_PORT={port + 1} make run" in output
    assert f"atrisk serve --port {port + 1}" in output
    assert "http://" not in output, "no address is printed for a server that is not running"
    assert "migrat" not in output.lower()


@contextmanager
def demo_admin(base_url: str) -> Iterator[httpx.Client]:
    """A client signed in with the development credentials the server prints."""
    with httpx.Client(base_url=base_url) as http:
        login = http.post(
            "/auth/login", json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
        )
        assert login.status_code == 200, login.text
        yield http


def test_first_start_seeds_the_demo_and_data_survives_restarts(tmp_path):
    env = server_env(f"sqlite:///{tmp_path / 'data' / 'atrisk.db'}", ATRISK_SEED_DEMO="true")
    with running_server(env, tmp_path) as server, demo_admin(server.base_url) as http:
        rows = http.post("/graphql", json=LIST).json()["data"]["atRiskEntries"]
        added = http.post(
            "/graphql",
            json={
                "query": 'mutation { addAtRiskEntry(input: {category: CAUSE, name: "Kept"}) '
                "{ __typename } }"
            },
        ).json()
        output = server.output()
    assert added == {"data": {"addAtRiskEntry": {"__typename": "AtRiskEntry"}}}
    assert f"web page: {server.base_url}/" in output
    assert f"GraphQL IDE: {server.base_url}/graphql" in output
    sign_in = f"development sign-in: {DEMO_ADMIN_EMAIL} with the password {DEMO_ADMIN_PASSWORD}"
    assert sign_in in output
    expected = {
        (c.name, name, active) for c, items in DEMO_ENTRIES.items() for name, active in items
    }
    assert {(r["category"], r["name"], r["active"]) for r in rows} == expected
    names = {r["name"] for r in rows}
    for required in (
        "Moving out of area",
        "Price increase",
        "Competitor offer",
        "Retained – rate adjusted",
        "Monitoring waived 1 month",
    ):
        assert required in names

    with running_server(env, tmp_path) as server, demo_admin(server.base_url) as http:
        again = http.post("/graphql", json=LIST).json()["data"]["atRiskEntries"]
        output = server.output()
    assert len(again) == len(rows) + 1
    assert "Kept" in {r["name"] for r in again}
    assert sign_in in output, "the sign-in line is printed on every start"
    assert "created the demo company" not in output


def test_serve_offers_graphiql_on_the_given_port(tmp_path, sqlite_url):
    with running_server(server_env(sqlite_url), tmp_path) as server:
        response = httpx.get(f"{server.base_url}/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_development_refuses_to_serve_beyond_loopback(sqlite_url):
    """The development key and the demo account's password are published."""
    no_key = run("serve", "--host", "0.0.0.0", env=server_env(sqlite_url, ATRISK_SEED_DEMO="true"))
    assert no_key.returncode == 2
    assert "refusing to serve on 0.0.0.0 with the published development key" in no_key.stderr
    keyed = server_env(sqlite_url, ATRISK_SEED_DEMO="true", ATRISK_SECRET_KEY="k" * 32)
    demo = run("serve", "--host", "0.0.0.0", env=keyed)
    assert demo.returncode == 2
    assert "with the demo account" in demo.stderr
    by_variable = run("serve", env=server_env(sqlite_url, ATRISK_HOST="192.0.2.10"))
    assert by_variable.returncode == 2
    assert "refusing to serve on 192.0.2.10" in by_variable.stderr
    assert "Uvicorn running" not in no_key.stderr + demo.stderr + by_variable.stderr
