"""Log lines: one JSON object each, the request id on every line of a request, no secrets."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from atrisk.graphql.schema import without_values
from atrisk.logs import JsonFormatter, RequestIdFilter, TextFormatter, request_id, scrub
from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import PASSWORD, signed_in
from tests.utils.graphql import ADD
from tests.utils.server import running_image, running_server, server_env

SECRETS = {
    "authorization": "tok-AUTH-8c1f0e",
    "cookie": "COOKIE-5d2a77",
    "query_string": "QS-TOKEN-91b3",
    "password": "PASSWORD-hunter2-e4",
    "variable": "VARIABLE-SECRET-0a9",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("postgresql://atrisk:pw@db:5432/atrisk", "postgresql://atrisk:***@db:5432/atrisk"),
        ("at postgresql+asyncpg://u:p%40ss@h/d now", "at postgresql+asyncpg://u:***@h/d now"),
        ("sqlite+aiosqlite:///data/atrisk.db", "sqlite+aiosqlite:///data/atrisk.db"),
        ("postgresql://atrisk@db/atrisk", "postgresql://atrisk@db/atrisk"),
    ],
)
def test_scrub_masks_passwords_in_urls(text: str, expected: str) -> None:
    assert scrub(text) == expected


@pytest.mark.parametrize(
    ("message", "logged"),
    [
        (
            "Variable '$input' has invalid value at .category: Value 'X-1' does not exist.",
            "Variable '…' has invalid value …",
        ),
        (
            "Int cannot represent non-integer value: 12345",
            "Int cannot represent non-integer value …",
        ),
        ("Cannot query field 'nope' on type 'AtRiskEntry'.", "Cannot query field '…' on type '…'."),
        ('Syntax Error: Unexpected "}".\n\nGraphQL request:1:3', "Syntax Error: Unexpected '…'."),
    ],
)
def test_request_errors_are_logged_without_what_the_caller_sent(message: str, logged: str) -> None:
    assert without_values(message) == logged


def test_json_formatter_writes_one_line_with_the_request_id() -> None:
    record = logging.LogRecord("atrisk", logging.ERROR, __file__, 1, "failed %s", ("x",), None)
    try:
        raise RuntimeError("line one\nline two postgresql://a:secret@h/d")
    except RuntimeError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    token = request_id.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "failed x"
    assert parsed["request_id"] == "req-42"
    assert parsed["level"] == "ERROR"
    assert "line two postgresql://a:***@h/d" in parsed["exception"]
    assert "secret" not in line


def test_a_real_server_logs_json_lines_without_secrets(sqlite_url: str, tmp_path: Path) -> None:
    env = {"ATRISK_LOG_FORMAT": "json", "ATRISK_ACCESS_LOG": "true"}
    with running_image(sqlite_url, tmp_path, env=env) as server:
        stranger = {
            "Authorization": f"Bearer {SECRETS['authorization']}",
            "Cookie": f"{SESSION_COOKIE}={SECRETS['cookie']}",
        }
        with server.client(headers=stranger) as client:
            traced = client.get(
                f"/readyz?token={SECRETS['query_string']}", headers={"X-Request-ID": "trace-7"}
            )
            assert traced.headers["x-request-id"] == "trace-7"
            refused = client.post("/graphql", json={"query": "{ atRiskEntries { id } }"})
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
            client.post(
                "/auth/login",
                json={"email": "admin@example.com", "password": SECRETS["password"]},
            )
        # Signs in with PASSWORD over HTTP; the session cookie is a secret too.
        with signed_in(server) as client:
            session = client.cookies[SESSION_COOKIE]
            forged = client.get("/healthz", headers={"X-Request-ID": "bad id\twith tab"})
            generated = forged.headers["x-request-id"]
            assert generated != "bad id\twith tab"
            # Variables of the wrong type: the error quotes the value to the caller only.
            bad = client.post(
                f"/graphql?access_token={SECRETS['query_string']}",
                json={
                    "query": ADD,
                    "variables": {"input": {"category": SECRETS["variable"], "name": "x"}},
                },
            )
            # Not masked: the caller learns what was wrong with what they sent.
            assert "does not exist in 'AtRiskCategory' enum" in bad.json()["errors"][0]["message"]
            good = client.post(
                "/graphql",
                json={"query": ADD, "variables": {"input": {"category": "CAUSE", "name": "Ok"}}},
            )
            assert good.json()["data"]["addAtRiskEntry"]["name"] == "Ok"

    secrets = {**SECRETS, "session": session, "account password": PASSWORD}
    text = server.output()
    for name, secret in secrets.items():
        assert secret not in text, f"the {name} reached the log"
    lines = [json.loads(line) for line in server.log_lines()]  # every line is one JSON object
    access = [line for line in lines if line["logger"] == "atrisk.access"]
    assert {line["path"] for line in access} >= {"/readyz", "/healthz", "/graphql", "/auth/login"}
    assert all(line["request_id"] for line in access)
    assert any(line["request_id"] == "trace-7" and line["path"] == "/readyz" for line in access)
    assert any(line["request_id"] == generated for line in access)
    assert all("?" not in line["path"] for line in access)


def test_production_writes_no_access_lines_by_default(sqlite_url: str, tmp_path: Path) -> None:
    with running_image(sqlite_url, tmp_path) as server, server.client() as client:
        for _ in range(3):
            assert client.get("/healthz").status_code == 200
    lines = [json.loads(line) for line in server.log_lines()]
    assert lines, "the server wrote no log at all"
    assert [line for line in lines if line["logger"] == "atrisk.access"] == []


FORGED = "2026-01-01 00:00:00,000 ERROR atrisk [-] FORGED admin signed in"


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_a_request_cannot_forge_a_log_line(
    sqlite_url: str, tmp_path: Path, log_format: str
) -> None:
    """uvicorn decodes %0a in the path to a newline; the line must stay one line."""
    env = server_env(sqlite_url, ATRISK_LOG_FORMAT=log_format, ATRISK_ACCESS_LOG="true")
    with running_server(env, tmp_path) as server, server.client() as client:
        for separator in ("%0a", "%0d%0a", "%e2%80%a8", "%1b[2K%0d"):
            path = "/x" + separator + FORGED.replace(" ", "%20").replace(",", "%2C")
            assert client.get(path).status_code == 404
    lines = server.log_lines()
    assert not [line for line in lines if "FORGED" in line and not line.startswith(("20", "{"))]
    assert not any(line.startswith(FORGED[:23]) for line in lines), "a forged line got in"
    forged = [line for line in lines if "FORGED" in line]
    assert len(forged) == 4, forged
    if log_format == "json":
        assert all(json.loads(line)["path"].startswith("/x") for line in forged)
    else:
        assert all(" atrisk.access " in line and "\\" in line for line in forged), forged


def test_a_traceback_cannot_forge_a_line_either() -> None:
    record = logging.LogRecord("atrisk", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        raise ValueError("bad input\n" + FORGED)
    except ValueError as error:
        record.exc_info = (type(error), error, error.__traceback__)
    text = TextFormatter().format(record)
    first, *rest = text.splitlines()
    assert first.endswith("failed")
    assert rest, "the traceback follows"
    assert all(line.startswith("    ") for line in rest), rest
