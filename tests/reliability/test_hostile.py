"""Hostile requests against a real server: each is refused with a clear 4xx or
GraphQL error, promptly, and changes nothing."""

from __future__ import annotations

import itertools
import select
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpx
import orjson
import pytest

from atrisk.graphql.view import MAX_JSON_DEPTH
from atrisk.settings import (
    DEFAULT_GRAPHQL_MAX_ALIASES,
    DEFAULT_GRAPHQL_MAX_TOKENS,
    DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_REQUEST_BYTES,
)
from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import ADMIN_EMAIL, COMPANY, PASSWORD
from tests.utils.graphql import ADD, LIST, RESULT_FIELDS
from tests.utils.live import LiveServer
from tests.utils.server import run_cli
from tests.utils.summary import HOSTILE, count

# Every request here must be answered well within this; a hang fails the test.
PROMPT_SECONDS = 10.0

SEED = [("REASON", "Moving out of area"), ("CAUSE", "Competitor offer"), ("RESOLUTION", "Kept")]


@pytest.fixture(scope="module")
def seeded(live: LiveServer) -> dict[str, str]:
    """A few entries the hostile requests aim at; returns name -> id."""
    ids = {}
    with live.sync_client() as http:
        for category, name in SEED:
            body = http.post(
                "/graphql",
                json={"query": ADD, "variables": {"input": {"category": category, "name": name}}},
            ).json()
            ids[name] = body["data"]["addAtRiskEntry"]["id"]
    return ids


@pytest.fixture
def http(live: LiveServer, seeded: dict[str, str]) -> Iterator[httpx.Client]:
    with live.sync_client(timeout=PROMPT_SECONDS) as client:
        before = snapshot(client)
        yield client
        assert snapshot(client) == before, "a hostile request changed the data"
    count(HOSTILE)


def snapshot(http: httpx.Client) -> list[dict[str, Any]]:
    body = http.post("/graphql", json={"query": LIST, "variables": {}}).json()
    rows: list[dict[str, Any]] = body["data"]["atRiskEntries"]
    assert len(rows) == len(SEED)
    return rows


def graphql_errors(response: httpx.Response) -> list[str]:
    """The request was refused as GraphQL: 200 or 400, no data, and error messages."""
    assert response.status_code in {200, 400}, response.text
    body = response.json()
    assert body.get("data") is None, body
    messages = [error["message"] for error in body["errors"]]
    assert messages
    assert not any("Did you mean" in message for message in messages), messages
    return messages


def post_json(http: httpx.Client, payload: object) -> httpx.Response:
    return http.post(
        "/graphql", content=orjson.dumps(payload), headers={"content-type": "application/json"}
    )


def add_payload(name: str = "Hostile") -> dict[str, Any]:
    return {"query": ADD, "variables": {"input": {"category": "REASON", "name": name}}}


def raw_exchange(server: LiveServer, head: bytes, body_chunks: Iterable[bytes] = ()) -> bytes:
    """Send a request by hand on a socket; return the start of what the server answers.

    The answer is read as soon as it arrives, while the body is still going out,
    because a server that refuses a body closes without reading the rest of it.
    """
    with socket.create_connection((server.host, server.port), timeout=PROMPT_SECONDS) as sock:
        sock.sendall(head)
        try:
            for chunk in body_chunks:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server has answered
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # it answered and closed without reading the rest: as intended
        answer = b""
        try:
            while b"\r\n\r\n" not in answer and (data := sock.recv(65536)):
                answer += data
        except ConnectionResetError:
            pass
        return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_deep_nesting_is_refused(http: httpx.Client) -> None:
    query = "{ " + "atRiskEntries { " * 500 + "id" + " }" * 501
    messages = graphql_errors(post_json(http, {"query": query}))
    assert any("nested too deeply" in m or "tokens" in m for m in messages)


def test_nested_unknown_selections_are_refused(http: httpx.Client) -> None:
    deep = "{ atRiskEntries { " + "name { " * 50 + "x" + " }" * 50 + " } }"
    graphql_errors(post_json(http, {"query": deep}))


def test_circular_fragments_are_refused(http: httpx.Client) -> None:
    query = """
      query { atRiskEntries { ...A } }
      fragment A on AtRiskEntry { id ...B }
      fragment B on AtRiskEntry { name ...A }
    """
    messages = graphql_errors(post_json(http, {"query": query}))
    assert any("Cannot spread fragment" in m for m in messages)


def test_a_thousand_aliases_are_refused(http: httpx.Client) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    messages = graphql_errors(post_json(http, {"query": query}))
    assert any("tokens" in m or "aliases" in m for m in messages)


def test_aliases_just_past_the_limit_are_refused(http: httpx.Client) -> None:
    count_ = DEFAULT_GRAPHQL_MAX_ALIASES + 1
    query = "{ " + " ".join(f"a{i}: atRiskEntries {{ id }}" for i in range(count_)) + " }"
    messages = graphql_errors(post_json(http, {"query": query}))
    assert messages == [f"{count_} aliases found. Allowed: {DEFAULT_GRAPHQL_MAX_ALIASES}"]


def test_aliased_mutations_past_the_limit_change_nothing(
    http: httpx.Client, seeded: dict[str, str]
) -> None:
    victim = next(iter(seeded.values()))
    fields = " ".join(
        f'd{i}: deleteAtRiskEntry(id: "{victim}") {{ __typename }}'
        for i in range(DEFAULT_GRAPHQL_MAX_ALIASES + 1)
    )
    graphql_errors(post_json(http, {"query": f"mutation {{ {fields} }}"}))


def test_too_many_tokens_are_refused(http: httpx.Client) -> None:
    query = "{ atRiskEntries { " + "id " * DEFAULT_GRAPHQL_MAX_TOKENS + "} }"
    messages = graphql_errors(post_json(http, {"query": query}))
    assert any(f"more than {DEFAULT_GRAPHQL_MAX_TOKENS} tokens" in m for m in messages)


def test_a_one_megabyte_query_gets_413(http: httpx.Client) -> None:
    payload = add_payload()
    payload["query"] = "# padding\n" * 100_000 + ADD
    response = post_json(http, payload)
    assert response.status_code == 413
    assert "too large" in response.text


def test_a_ten_megabyte_body_gets_413_before_it_is_sent(
    live: LiveServer, http: httpx.Client
) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: 10000000\r\n\r\n"
    )
    answer = raw_exchange(live, head)  # not one byte of the body goes out
    assert status_of(answer) == 413, answer


def test_a_streamed_body_is_cut_off_at_the_limit(live: LiveServer, http: httpx.Client) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b" " * 65536
    chunks = (b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(10_000_000 // len(chunk)))
    answer = raw_exchange(live, head, chunks)
    assert status_of(answer) == 413, answer


def test_a_body_just_under_the_limit_is_read(http: httpx.Client) -> None:
    payload = {"query": "{ __typename }", "variables": {}}
    padding = DEFAULT_MAX_REQUEST_BYTES - len(orjson.dumps(payload)) - len('"p":"",')
    payload["variables"] = {"p": "x" * padding}
    content = orjson.dumps(payload)
    assert len(content) <= DEFAULT_MAX_REQUEST_BYTES
    response = http.post("/graphql", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize(
    "content",
    [b"{", b'{"query": "{ __typename }"', b"\xff\xfe", b"", b"{'query': 1}", b'{"query": "x"}}'],
)
def test_invalid_json_gets_400(http: httpx.Client, content: bytes) -> None:
    response = http.post("/graphql", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("content", [b'"query"', b"42", b"null", b"true"])
def test_a_json_body_that_is_not_an_object_gets_400(http: httpx.Client, content: bytes) -> None:
    response = http.post("/graphql", content=content, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    assert "JSON object" in response.text


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/graphql",
        "application/xml",
        None,
    ],
)
def test_wrong_content_types_get_400(http: httpx.Client, content_type: str | None) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    response = http.post("/graphql", content=orjson.dumps(add_payload()), headers=headers)
    assert response.status_code in {400, 415}, response.text


def test_form_encoded_mutation_gets_400(http: httpx.Client) -> None:
    response = http.post("/graphql", data={"query": ADD, "variables": '{"input": {}}'})
    assert response.status_code in {400, 415}, response.text


def test_batched_arrays_are_refused(http: httpx.Client) -> None:
    response = post_json(http, [add_payload("Batch one"), add_payload("Batch two")])
    assert response.status_code == 400
    assert "Batching is not enabled" in response.text


def test_unknown_fields_are_refused_without_suggestions(http: httpx.Client) -> None:
    messages = graphql_errors(post_json(http, {"query": "{ atRiskEntries { nam } }"}))
    assert messages == ["Cannot query field 'nam' on type 'AtRiskEntry'."]


def test_unknown_input_fields_and_enum_values_get_no_suggestions(http: httpx.Client) -> None:
    query = 'mutation { addAtRiskEntry(input: {category: REASONS, nam: "x"}) { __typename } }'
    messages = graphql_errors(post_json(http, {"query": query}))
    assert len(messages) >= 2


def test_variables_of_the_wrong_type_are_refused(http: httpx.Client) -> None:
    for variables in (
        {"input": {"category": "REASONS", "name": "x"}},
        {"input": {"category": "REASON", "name": 42}},
        {"input": {"category": "REASON", "name": ["x"]}},
        {"input": {"category": "REASON", "name": "x", "active": "yes"}},
        {"input": "REASON"},
        {"input": None},
        {},
    ):
        messages = graphql_errors(post_json(http, {"query": ADD, "variables": variables}))
        assert all("Variable '$input'" in m for m in messages), messages


def test_update_with_a_string_version_is_refused(
    http: httpx.Client, seeded: dict[str, str]
) -> None:
    victim = next(iter(seeded.values()))
    query = f"""mutation($input: UpdateAtRiskEntryInput!) {{
      updateAtRiskEntry(input: $input) {{ {RESULT_FIELDS} }} }}"""
    variables = {"input": {"id": victim, "name": "Changed", "expectedVersion": "1"}}
    graphql_errors(post_json(http, {"query": query, "variables": variables}))


def test_a_hundred_thousand_character_name_is_a_validation_error(http: httpx.Client) -> None:
    response = post_json(http, add_payload("x" * 100_000))
    assert response.status_code == 200
    result = response.json()["data"]["addAtRiskEntry"]
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "name"
    assert "at most 100 characters" in result["message"]


def test_a_name_with_nul_is_a_validation_error(http: httpx.Client) -> None:
    result = post_json(http, add_payload("Fo\x00o")).json()["data"]["addAtRiskEntry"]
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "name"


def test_mutations_via_get_are_refused(http: httpx.Client, seeded: dict[str, str]) -> None:
    victim = next(iter(seeded.values()))
    query = f'mutation {{ deleteAtRiskEntry(id: "{victim}") {{ __typename }} }}'
    response = http.get("/graphql", params={"query": query})
    assert response.status_code in {400, 405}, response.text


def test_other_methods_are_refused(http: httpx.Client) -> None:
    for method in ("PUT", "DELETE", "PATCH"):
        response = http.request(
            method,
            "/graphql",
            content=orjson.dumps(add_payload()),
            headers={"content-type": "application/json"},
        )
        assert response.status_code in {400, 405}, response.text


def test_a_non_string_query_gets_400(http: httpx.Client) -> None:
    for payload in (
        {"query": 1},
        {"query": ["{ __typename }"]},
        {"query": "{ __typename }", "variables": []},
    ):
        assert post_json(http, payload).status_code == 400


def test_a_missing_query_gets_400(http: httpx.Client) -> None:
    assert post_json(http, {"variables": {}}).status_code == 400


def test_a_malformed_content_length_gets_400(live: LiveServer, http: httpx.Client) -> None:
    head = (
        b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: lots\r\n\r\n"
    )
    assert status_of(raw_exchange(live, head)) == 400


# -- headers, cookies, origins and hosts (the audit of issue 11) ------------------------------

# Answers to an oversized head must come at once, and the process must stay responsive.
PROMPT_HEAD_SECONDS = 1.0
MAX_HEALTHZ_SECONDS = 1.0


class HealthzWatch:
    """Times /healthz every 50 ms in a thread while a hostile request is under way."""

    def __init__(self, server: LiveServer) -> None:
        self.url = f"{server.base_url}/healthz"
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with httpx.Client(timeout=30) as client:
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    status = client.get(self.url).status_code
                except httpx.HTTPError as error:
                    self.failures.append(repr(error))
                else:
                    if status != 200:
                        self.failures.append(f"status {status}")
                self.latencies.append(time.monotonic() - started)
                self._stop.wait(0.05)

    def __enter__(self) -> HealthzWatch:
        self._thread.start()
        time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(60)
        assert not self.failures, self.failures
        assert self.latencies, "/healthz was never answered"
        assert max(self.latencies) < MAX_HEALTHZ_SECONDS, max(self.latencies)


def timed_exchange(
    server: LiveServer, head: bytes, chunks: Iterable[bytes] = ()
) -> tuple[bytes, float]:
    started = time.monotonic()
    answer = raw_exchange(server, head, chunks)
    return answer, time.monotonic() - started


def test_a_64_megabyte_header_gets_431_at_once(live: LiveServer, http: httpx.Client) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
    chunk = b"a" * 65536
    chunks = itertools.chain((chunk for _ in range(1024)), [b"\r\n\r\n"])
    with HealthzWatch(live):
        answer, took = timed_exchange(live, head, chunks)
    assert status_of(answer) == 431, answer[:200]
    assert took < PROMPT_HEAD_SECONDS, took


def test_a_cookie_of_backslashes_gets_431_at_once(live: LiveServer, http: httpx.Client) -> None:
    cookie = b'a="' + b"\\" * 130_000 + b'"'
    head = b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + cookie + b"\r\n\r\n"
    with HealthzWatch(live):
        answer, took = timed_exchange(live, head)
    assert status_of(answer) == 431, answer[:200]
    assert took < PROMPT_HEAD_SECONDS, took


def test_a_cookie_of_backslashes_under_the_limit_is_read_at_once(
    live: LiveServer, http: httpx.Client
) -> None:
    """Within the header limit, the cookie parser itself must not take quadratic time."""
    cookie = 'a="' + "\\" * (DEFAULT_MAX_HEADER_BYTES - 2048) + '"'
    with HealthzWatch(live):
        started = time.monotonic()
        response = http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Cookie": cookie}
        )
        took = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"__typename": "Query"}
    assert took < PROMPT_HEAD_SECONDS, took


@pytest.fixture(scope="module")
def token(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> str:
    result = run_cli(
        ["create-token", "--company", COMPANY, "--name", "hostile"],
        live.database_url,
        tmp_path_factory.mktemp("token"),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def nested(levels: int) -> str:
    """JSON text of a list nested `levels` deep (more than orjson itself would write)."""
    return "[" * levels + '"x"' + "]" * levels


DEEP = f"nested more than {MAX_JSON_DEPTH} levels deep"


def raw_body(query: str, variables: str) -> str:
    return '{"query": ' + orjson.dumps(query).decode() + ', "variables": ' + variables + "}"


@pytest.mark.parametrize("credential", ["cookie", "token"])
def test_over_deep_variables_get_400_on_every_path(
    live: LiveServer, http: httpx.Client, token: str, credential: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"} if credential == "token" else {}
    deep = nested(300)
    me_by_fragment = "query { ...F } fragment F on Query { me { role } }"
    bodies = [
        # Cached (the read cache keys on the variables), uncached, and a mutation.
        raw_body(LIST, '{"category": ' + deep + "}"),
        raw_body(me_by_fragment, '{"x": ' + deep + "}"),
        raw_body(ADD, '{"input": {"category": "REASON", "name": ' + deep + "}}"),
    ]
    answers = [http.post("/graphql", content=body, headers=headers | JSON_TYPE) for body in bodies]
    answers.append(
        http.get(
            "/graphql",
            params={"query": LIST, "variables": '{"category": ' + deep + "}"},
            headers=headers,
        )
    )
    for response in answers:
        assert response.status_code == 400, response.text
        assert DEEP in response.text
        assert response.headers["cache-control"] == "no-store"
    # Just inside the limit, the same query is answered as usual (a variable error).
    inside = raw_body(LIST, '{"category": ' + nested(MAX_JSON_DEPTH - 3) + "}")
    response = http.post("/graphql", content=inside, headers=headers | JSON_TYPE)
    assert response.status_code in {200, 400}, response.text
    assert DEEP not in response.text
    assert "Variable '$category'" in response.text


JSON_TYPE = {"content-type": "application/json"}


def forged_write(live: LiveServer, *header_lines: bytes) -> bytes:
    """A cookie-authenticated mutation sent by hand, with the given extra header lines."""
    body = orjson.dumps(add_payload("Forged"))
    head = b"".join(
        [
            b"POST /graphql HTTP/1.1\r\n",
            b"Host: 127.0.0.1:%d\r\n" % live.port,
            b"Content-Type: application/json\r\n",
            b"Content-Length: %d\r\n" % len(body),
            *(line + b"\r\n" for line in header_lines),
            b"Connection: close\r\n\r\n",
        ]
    )
    return raw_exchange(live, head + body)


def session_cookie_line(live: LiveServer) -> bytes:
    return f"Cookie: {SESSION_COOKIE}={live.cookies[SESSION_COOKIE]}".encode()


def test_a_cross_site_write_with_two_cookie_headers_gets_403(
    live: LiveServer, http: httpx.Client
) -> None:
    answer = forged_write(
        live, b"Origin: http://evil.example", b"Cookie: theme=dark", session_cookie_line(live)
    )
    assert status_of(answer) == 403, answer[:300]


def test_an_https_origin_is_not_the_origin_of_an_http_server(
    live: LiveServer, http: httpx.Client
) -> None:
    origin = f"Origin: https://127.0.0.1:{live.port}".encode()
    assert status_of(forged_write(live, origin, session_cookie_line(live))) == 403
    other_port = f"Origin: http://127.0.0.1:{live.port + 1}".encode()
    assert status_of(forged_write(live, other_port, session_cookie_line(live))) == 403


def test_the_own_origin_is_accepted(live: LiveServer) -> None:
    origin = f"Origin: http://127.0.0.1:{live.port}".encode()
    answer = forged_write(live, origin, session_cookie_line(live))
    assert status_of(answer) == 200, answer[:300]
    with live.sync_client() as client:
        ids = [e["id"] for e in snapshot_all(client) if e["name"] == "Forged"]
        assert len(ids) == 1
        query = "mutation($id: ID!) { deleteAtRiskEntry(id: $id) { __typename } }"
        client.post("/graphql", json={"query": query, "variables": {"id": ids[0]}})
    count(HOSTILE)


def snapshot_all(http: httpx.Client) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = http.post("/graphql", json={"query": LIST}).json()["data"][
        "atRiskEntries"
    ]
    return rows


@pytest.mark.parametrize("host", ["rebound.evil.example", "evil.example:8000", "127.0.0.2"])
def test_a_foreign_host_gets_400_and_cannot_sign_in(
    live: LiveServer, http: httpx.Client, host: str
) -> None:
    """A DNS-rebinding page reaches the loopback server with its own name in Host."""
    with httpx.Client(base_url=live.base_url, headers={"Host": host}, timeout=10) as rebinding:
        login = rebinding.post("/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD})
        page = rebinding.get("/")
        rebinding.cookies.set(SESSION_COOKIE, live.cookies[SESSION_COOKIE])
        data = rebinding.post("/graphql", json={"query": LIST})
        probe = rebinding.get("/healthz")
    for response in (login, page, data):
        assert response.status_code == 400, response.text
        assert "set-cookie" not in response.headers
    assert probe.status_code == 200, "the probes answer any name"


def test_answers_outside_the_read_cache_are_not_stored(
    http: httpx.Client, seeded: dict[str, str]
) -> None:
    cached = post_json(http, {"query": LIST})
    assert cached.headers["cache-control"] == "private, no-cache"
    assert cached.headers["etag"]
    fragment_me = post_json(http, {"query": "query { ...F } fragment F on Query { me { role } }"})
    missing = post_json(
        http,
        {
            "query": 'mutation { deleteAtRiskEntry(id: "nope") { __typename } }',
        },
    )
    error = post_json(http, {"query": "{ nope }"})
    refused = http.post("/auth/login", json={"email": "nobody@acme.example", "password": "x"})
    for response in (fragment_me, missing, error, refused):
        assert response.headers["cache-control"] == "no-store", response.text
        assert "etag" not in response.headers
    assert fragment_me.json()["data"]["me"]["role"] == "ADMIN"
    assert missing.json()["data"]["deleteAtRiskEntry"]["__typename"] == "NotFoundError"
