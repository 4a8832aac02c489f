"""The account commands of `atrisk`, and production start-up, run as real processes."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from atrisk.app import create_app
from atrisk.services.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from atrisk.settings import Settings
from tests.cli.test_cli import run
from tests.utils.accounts import http_client
from tests.utils.graphql import post
from tests.utils.server import running_server, server_env

ME = "{ me { email role company { name } } }"
SECRET = "k" * 40


@pytest.fixture
def env(sqlite_url):
    return server_env(sqlite_url)


async def as_user(database_url: str, email: str, password: str) -> dict[str, Any]:
    app = create_app(Settings(database_url=database_url, seed_demo=False))
    async with app.router.lifespan_context(app), http_client(app) as client:
        login = await client.post("/auth/login", json={"email": email, "password": password})
        assert login.status_code == 200, login.text
        return await post(client, ME)


async def as_token(database_url: str, token: str) -> dict[str, Any]:
    app = create_app(Settings(database_url=database_url, seed_demo=False))
    headers = {"Authorization": f"Bearer {token}"}
    async with app.router.lifespan_context(app), http_client(app, headers=headers) as client:
        return await post(client, ME)


async def test_create_company_with_a_generated_password(env, sqlite_url):
    result = run("create-company", "Acme Alarms", "--admin-email", "Boss@Acme.example", env=env)
    assert result.returncode == 0, result.stderr
    assert "created company 'Acme Alarms' with admin boss@acme.example" in result.stdout
    password = result.stdout.split("password (shown once): ")[1].strip()
    assert len(password) >= 16
    me = await as_user(sqlite_url, "boss@acme.example", password)
    assert me["data"]["me"] == {
        "email": "boss@acme.example",
        "role": "ADMIN",
        "company": {"name": "Acme Alarms"},
    }


async def test_create_user_and_tokens(env, sqlite_url):
    created = run(
        "create-company", "Acme Alarms", "--admin-email", "a@acme.example",
        "--password", "first password", env=env,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert "shown once" not in created.stdout

    viewer = run(
        "create-user", "--company", "Acme Alarms", "--email", "v@acme.example",
        "--role", "viewer", "--password", "viewer password", env=env,
    )  # fmt: skip
    assert viewer.returncode == 0, viewer.stderr
    me = await as_user(sqlite_url, "v@acme.example", "viewer password")
    assert me["data"]["me"]["role"] == "VIEWER"

    token = run("create-token", "--company", "Acme Alarms", "--name", "picker app", env=env)
    assert token.returncode == 0, token.stderr
    value = token.stdout.strip()
    assert value.startswith("atr_")
    assert "shown only now" in token.stderr
    me = await as_token(sqlite_url, value)
    assert me["data"]["me"] == {"email": None, "role": "VIEWER", "company": {"name": "Acme Alarms"}}

    again = run("create-token", "--company", "Acme Alarms", "--name", "picker app", env=env)
    assert again.returncode == 1
    assert 'already has a token named "picker app"' in again.stderr

    revoked = run("revoke-token", "--company", "Acme Alarms", "--name", "picker app", env=env)
    assert revoked.returncode == 0, revoked.stderr
    me = await as_token(sqlite_url, value)
    assert me["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    twice = run("revoke-token", "--company", "Acme Alarms", "--name", "picker app", env=env)
    assert twice.returncode == 1
    assert "has no active token named 'picker app'" in twice.stderr
    assert me["errors"][0]["extensions"]["reason"] == "revoked"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-user", "--company", "Nobody Inc", "--email", "x@y.z", "--role", "admin"],
         "no company is named 'Nobody Inc'"),
        (["create-token", "--company", "Nobody Inc", "--name", "t"], "no company is named"),
        (["create-company", "Acme Alarms", "--admin-email", "not-an-email"],
         "Email must look like name@example.com"),
        (["create-company", "Acme Alarms", "--admin-email", "a@b.c", "--password", "short"],
         "Password must be at least 8 characters"),
    ],
)  # fmt: skip
def test_account_commands_refuse_bad_input_clearly(env, args, message):
    result = run(*args, env=env)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_one_email_is_one_account(env):
    first = run("create-company", "Acme Alarms", "--admin-email", "a@b.example", env=env)
    second = run("create-company", "Beta Security", "--admin-email", "A@B.example", env=env)
    assert first.returncode == 0
    assert second.returncode == 1
    assert "An account with the email a@b.example already exists." in second.stderr
    user = run(
        "create-user", "--company", "Acme Alarms", "--email", "a@b.example", "--role", "viewer",
        env=env,
    )  # fmt: skip
    assert user.returncode == 1


def test_production_refuses_to_start_without_a_secret_key(env):
    result = run("serve", "--port", "1", env={**env, "ATRISK_ENV": "production"})
    assert result.returncode == 2
    assert "ATRISK_SECRET_KEY must be set in production" in result.stderr


def test_production_has_no_default_account(tmp_path, sqlite_url):
    env = server_env(
        sqlite_url,
        ATRISK_ENV="production",
        ATRISK_SECRET_KEY=SECRET,
        ATRISK_ALLOWED_HOSTS="127.0.0.1",
    )
    with running_server(env, tmp_path) as server:
        login = httpx.post(
            f"{server.base_url}/auth/login",
            json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD},
        )
        ide = httpx.get(f"{server.base_url}/graphql", headers={"accept": "text/html"})
        output = server.output()
    assert login.status_code == 401
    assert ide.status_code == 404
    assert "development sign-in" not in output
    assert DEMO_ADMIN_PASSWORD not in output


async def test_agents_agent_tokens_lists_and_any_spelling_of_the_company(env, sqlite_url):
    made = run("create-company", "Acme Alarms", "--admin-email", "a@acme.example",
               "--password", "first password", env=env)  # fmt: skip
    assert made.returncode == 0, made.stderr
    agent = run("create-user", "--company", "  ACME   alarms ", "--email", "agent@acme.example",
                "--role", "agent", "--password", "agent password", env=env)  # fmt: skip
    assert agent.returncode == 0, agent.stderr
    assert "created agent agent@acme.example" in agent.stdout
    token = run("create-token", "--company", "acme alarms", "--name", "billing", "--role",
                "agent", env=env)  # fmt: skip
    assert token.returncode == 0, token.stderr
    assert "created agent token 'billing'" in token.stderr
    me = await as_token(sqlite_url, token.stdout.strip())
    assert me["data"]["me"]["role"] == "AGENT"
    refused = run("create-token", "--company", "Acme Alarms", "--name", "x", "--role", "admin",
                  env=env)  # fmt: skip
    assert refused.returncode == 2  # argparse: not a choice

    people = run("list-users", "--company", "acme ALARMS", env=env)
    assert people.returncode == 0, people.stderr
    lines = people.stdout.splitlines()
    assert lines[0].split() == ["email", "name", "role", "status", "last", "sign-in"]
    assert [line.split()[0] for line in lines[1:]] == ["a@acme.example", "agent@acme.example"]
    assert "agent" in lines[2]
    assert "active" in lines[2]
    listed = run("list-tokens", "--company", "Acme Alarms", env=env)
    assert listed.returncode == 0, listed.stderr
    assert "billing" in listed.stdout
    assert "agent" in listed.stdout
    assert "atrisk CLI" in listed.stdout
    assert token.stdout.strip() not in listed.stdout
    unknown = run("list-users", "--company", "Nobody Inc", env=env)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "atrisk: no company is named 'Nobody Inc'",
    )


async def test_import_customers_from_the_command_line(env, tmp_path):
    run("create-company", "Acme Alarms", "--admin-email", "a@acme.example",
        "--password", "first password", env=env)  # fmt: skip
    good = tmp_path / "customers.csv"
    good.write_text("account_number,name,rmr\nA-1,Jane Doe,49.90\nA-2,John Smith,30\n")
    dry = run("import-customers", str(good), "--company", "acme alarms", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == "would import 2 rows: 2 new customers, 0 updated, 0 unchanged"
    done = run("import-customers", str(good), "--company", "Acme Alarms", env=env)
    assert done.stdout.strip() == "imported 2 rows: 2 new customers, 0 updated, 0 unchanged"
    again = run("import-customers", str(good), "--company", "Acme Alarms", env=env)
    assert again.stdout.strip() == "imported 2 rows: 0 new customers, 0 updated, 2 unchanged"
    bad = tmp_path / "bad.csv"
    bad.write_text("account_number,name,rmr\nA-3,Jane,1e3\n")
    refused = run("import-customers", str(bad), "--company", "Acme Alarms", env=env)
    assert refused.returncode == 1
    assert refused.stderr.startswith("atrisk: Line 2, column rmr: ")
    missing = run(
        "import-customers", str(tmp_path / "none.csv"), "--company", "Acme Alarms", env=env
    )
    assert (missing.returncode, "cannot read" in missing.stderr) == (1, True)


def test_list_users_and_tokens_of_every_company_without_secrets(env):
    for name, email in (("Acme Alarms", "a@acme.example"), ("Beta Security", "b@beta.example")):
        made = run("create-company", name, "--admin-email", email, env=env)
        assert made.returncode == 0, made.stderr
    first = run("create-token", "--company", "ACME alarms", "--name", "picker", env=env)
    second = run("create-token", "--company", "beta security", "--name", "billing",
                 "--role", "agent", env=env)  # fmt: skip
    newer = run("create-token", "--company", "Acme Alarms", "--name", "newer", env=env)
    secrets = [first.stdout.strip(), second.stdout.strip(), newer.stdout.strip()]
    assert all(secret.startswith("atr_") for secret in secrets)

    people = run("list-users", env=env)
    assert people.returncode == 0, people.stderr
    lines = people.stdout.splitlines()
    assert lines[0].split() == ["company", "email", "name", "role", "status", "last", "sign-in"]
    assert [re.split(r"\s{2,}", line) for line in lines[1:]] == [
        ["Acme Alarms", "a@acme.example", "admin", "active"],
        ["Beta Security", "b@beta.example", "admin", "active"],
    ]

    tokens = run("list-tokens", env=env)
    assert tokens.returncode == 0, tokens.stderr
    rows = tokens.stdout.splitlines()
    assert rows[0].split()[:4] == ["company", "name", "role", "created"]
    names = [re.split(r"\s{2,}", row)[1] for row in rows[1:]]
    assert sorted(names) == ["billing", "newer", "picker"]
    one = run("list-tokens", "--company", "  acme ALARMS ", env=env)
    assert one.returncode == 0, one.stderr
    assert [row.split()[0] for row in one.stdout.splitlines()[1:]] == ["newer", "picker"], (
        "one company's, newest first, without the company column"
    )
    run("revoke-token", "--company", "acme alarms", "--name", "picker", env=env)
    revoked = run("list-tokens", "--company", "Acme Alarms", env=env).stdout.splitlines()
    assert revoked[0].split()[-1] == "revoked"
    assert revoked[2].startswith("picker")
    assert revoked[2].endswith("UTC")
    for output in (people.stdout, tokens.stdout, one.stdout, *revoked):
        for secret in secrets:
            assert secret not in output
    unknown = run("list-tokens", "--company", "Nobody Inc", env=env)
    assert (unknown.returncode, unknown.stderr.strip()) == (
        1,
        "atrisk: no company is named 'Nobody Inc'",
    )
