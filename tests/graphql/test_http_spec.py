"""GraphQL over HTTP: the media types, the status codes, and the answers to requests without
valid credentials, against a real server; graphql-http's own audit included."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import session_id
from tests.utils.databases import required
from tests.utils.server import ATRISK, Server

AUDIT = Path(__file__).with_name("audit_server.mjs")
GRAPHQL_RESPONSE = "application/graphql-response+json"


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if required("node"):
            pytest.fail("node is not installed, but the graphql-http audit is required")
        pytest.skip("node is not installed (Debian: apt-get install nodejs)")
    return found


def audit(server: Server, authorization: str | None = None) -> list[dict[str, Any]]:
    env = {"PATH": "/usr/bin:/bin"} | (
        {"AUDIT_AUTHORIZATION": authorization} if authorization else {}
    )
    done = subprocess.run(
        [node(), str(AUDIT), f"{server.base_url}/graphql"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    results: list[dict[str, Any]] = json.loads(done.stdout)
    return results


def token_of(server: Server) -> str:
    done = subprocess.run(
        [str(ATRISK), "create-token", "--company", "Acme Alarms", "--name", "audit"],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.parametrize("caller", ["anonymous", "token"])
def test_the_graphql_http_audit_passes_without_a_warning(server: Server, caller: str) -> None:
    authorization = f"Bearer {token_of(server)}" if caller == "token" else None
    results = audit(server, authorization)
    assert len(results) == 61
    not_ok = [
        f"{r['status']} {r['id']} {r['name']}: {r['reason']}"
        for r in results
        if r["status"] != "ok"
    ]
    assert not_ok == []


def post(server: Server, body: Any, accept: str | None, **headers: str) -> httpx.Response:
    headers = (
        {"content-type": "application/json"} | ({"accept": accept} if accept else {}) | headers
    )
    return httpx.post(f"{server.base_url}/graphql", content=json.dumps(body), headers=headers)


def signed_in(server: Server) -> dict[str, str]:
    return {"cookie": f"{SESSION_COOKIE}={session_id(server)}"}


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json"),
        ("application/json", "application/json"),
        ("*/*", "application/json"),
        (None, "application/json"),
    ],
)
def test_the_media_type_follows_accept(server: Server, accept: str | None, media_type: str) -> None:
    for headers in ({}, signed_in(server)):  # the read cache answers signed-in reads
        response = post(server, {"query": "{ atRiskEntries { id } }"}, accept, **headers)
        expected = 200 if headers else 401
        assert response.status_code == expected, response.text
        assert response.headers["content-type"] == media_type
        assert response.headers["vary"] == "Accept"


@pytest.mark.parametrize(
    "body",
    [
        {"query": "{ atRiskEntries { id "},
        {"query": "{ atRiskEntries { nope } }"},
        {
            "query": "query($c: AtRiskCategory) { atRiskEntries(category: $c) { id } }",
            "variables": {"c": "NOPE"},
        },
    ],
    ids=["parse", "validation", "variables"],
)
def test_request_errors_are_400_only_for_graphql_response_json(server: Server, body: Any) -> None:
    strict = post(server, body, GRAPHQL_RESPONSE, **signed_in(server))
    assert strict.status_code == 400
    assert "data" not in strict.json()
    assert strict.json()["errors"]
    legacy = post(server, body, "application/json", **signed_in(server))
    assert legacy.status_code == 200
    assert legacy.json()["data"] is None
    assert legacy.json()["errors"] == strict.json()["errors"]


def test_a_field_error_is_200_with_data(server: Server) -> None:
    body = {"query": '{ atRiskEntry(id: "x") { id } }'}
    response = post(server, body, GRAPHQL_RESPONSE, **signed_in(server))
    assert (response.status_code, response.json()) == (200, {"data": {"atRiskEntry": None}})


def test_each_representation_has_its_own_etag(server: Server) -> None:
    body = {"query": "{ atRiskEntries { id } }"}
    json_tag = post(server, body, "application/json", **signed_in(server)).headers["etag"]
    strict_tag = post(server, body, GRAPHQL_RESPONSE, **signed_in(server)).headers["etag"]
    assert json_tag != strict_tag
    again = post(
        server, body, GRAPHQL_RESPONSE, **signed_in(server), **{"if-none-match": strict_tag}
    )
    assert again.status_code == 304
    other = post(server, body, GRAPHQL_RESPONSE, **signed_in(server), **{"if-none-match": json_tag})
    assert other.status_code == 200
