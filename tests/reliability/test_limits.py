"""Each request limit accepts a request exactly at its bound and refuses one just past it.

A real server runs with small limits from the environment, so that the bounds
are reachable with real queries of our schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from graphql import get_introspection_query, parse

from atrisk.settings import Settings, SettingsError
from tests.utils.live import LiveServer, live_server

MAX_DEPTH = 1
MAX_ALIASES = 3
MAX_TOKENS = 100
MAX_BYTES = 2048

DEPTH_2 = """mutation {
  updateAtRiskEntry(input: {id: "0"}) { ... on VersionConflictError { current { id } } }
}"""


@pytest.fixture(scope="module")
def tight(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    env = {
        "ATRISK_GRAPHQL_MAX_DEPTH": str(MAX_DEPTH),
        "ATRISK_GRAPHQL_MAX_ALIASES": str(MAX_ALIASES),
        "ATRISK_GRAPHQL_MAX_TOKENS": str(MAX_TOKENS),
        "ATRISK_MAX_REQUEST_BYTES": str(MAX_BYTES),
    }
    with live_server("sqlite", tmp_path_factory.mktemp("tight"), env) as running:
        yield running


@pytest.fixture
def http(tight: LiveServer) -> Iterator[httpx.Client]:
    with tight.sync_client() as client:
        yield client


def run(http: httpx.Client, query: str) -> dict[str, Any]:
    response = http.post("/graphql", json={"query": query})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def accepted(body: dict[str, Any]) -> bool:
    return "errors" not in body and body.get("data") is not None


def test_depth_at_the_limit_is_accepted(http: httpx.Client) -> None:
    assert accepted(run(http, "{ atRiskEntries { id } }"))


def test_depth_past_the_limit_is_refused(http: httpx.Client) -> None:
    body = run(http, DEPTH_2)
    assert body["data"] is None
    assert [e["message"] for e in body["errors"]] == [
        f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"
    ]


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: atRiskEntries {{ id }}" for i in range(count)) + " }"


def test_aliases_at_the_limit_are_accepted(http: httpx.Client) -> None:
    assert accepted(run(http, aliases(MAX_ALIASES)))


def test_aliases_past_the_limit_are_refused(http: httpx.Client) -> None:
    body = run(http, aliases(MAX_ALIASES + 1))
    assert body["errors"] == [
        {"message": f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"}
    ]


def test_aliases_inside_repeated_fragments_count_each_time(http: httpx.Client) -> None:
    query = """
      { a: atRiskEntries { ...Two } b: atRiskEntries { ...Two } }
      fragment Two on AtRiskEntry { x: id y: id }
    """
    body = run(http, query)
    assert body["errors"] == [{"message": f"6 aliases found. Allowed: {MAX_ALIASES}"}]


def tokens(count: int) -> str:
    # "{", "atRiskEntries", "{", ids, "}", "}"
    return "{ atRiskEntries { " + "id " * (count - 5) + "} }"


def test_tokens_at_the_limit_are_accepted(http: httpx.Client) -> None:
    assert accepted(run(http, tokens(MAX_TOKENS)))


def test_tokens_past_the_limit_are_refused(http: httpx.Client) -> None:
    body = run(http, tokens(MAX_TOKENS + 1))
    assert body["data"] is None
    [message] = [e["message"] for e in body["errors"]]
    assert f"more than {MAX_TOKENS} tokens" in message


def body_of_size(size: int) -> bytes:
    payload = {"query": "{ __typename }", "variables": {"p": ""}}
    padding = size - len(orjson.dumps(payload))
    payload["variables"] = {"p": "x" * padding}
    content = orjson.dumps(payload)
    assert len(content) == size
    return content


def test_a_body_at_the_limit_is_accepted(http: httpx.Client) -> None:
    response = http.post(
        "/graphql", content=body_of_size(MAX_BYTES), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"data": {"__typename": "Query"}}


def test_a_body_past_the_limit_gets_413(http: httpx.Client) -> None:
    response = http.post(
        "/graphql",
        content=body_of_size(MAX_BYTES + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.text == f"Request body too large (the limit is {MAX_BYTES} bytes)"


def chunks(content: bytes, size: int = 100) -> Iterator[bytes]:
    for start in range(0, len(content), size):
        yield content[start : start + size]


def test_a_streamed_body_at_the_limit_is_accepted(http: httpx.Client) -> None:
    response = http.post(
        "/graphql",
        content=chunks(body_of_size(MAX_BYTES)),
        headers={"content-type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 200, response.text


def test_a_streamed_body_past_the_limit_gets_413(http: httpx.Client) -> None:
    response = http.post(
        "/graphql",
        content=chunks(body_of_size(MAX_BYTES + 1)),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413


def test_other_routes_are_capped_too(http: httpx.Client) -> None:
    assert http.post("/healthz", content=b"x" * (MAX_BYTES + 1)).status_code == 413


def test_limits_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "ATRISK_GRAPHQL_MAX_DEPTH": "3",
            "ATRISK_GRAPHQL_MAX_ALIASES": "4",
            "ATRISK_GRAPHQL_MAX_TOKENS": "500",
            "ATRISK_MAX_REQUEST_BYTES": "4096",
        }
    )
    assert (
        settings.graphql_max_depth,
        settings.graphql_max_aliases,
        settings.graphql_max_tokens,
        settings.max_request_bytes,
    ) == (3, 4, 500, 4096)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ATRISK_GRAPHQL_MAX_DEPTH", "0"),
        ("ATRISK_GRAPHQL_MAX_ALIASES", "-1"),
        ("ATRISK_GRAPHQL_MAX_TOKENS", "many"),
        ("ATRISK_MAX_REQUEST_BYTES", "10"),
    ],
)
def test_limits_out_of_range_are_refused(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


def test_the_default_token_limit_admits_the_ide_introspection_query() -> None:
    query = get_introspection_query(descriptions=True)
    parse(query, max_tokens=Settings().graphql_max_tokens)
