"""Live updates over a real WebSocket on a real server, on both databases: what reaches a
subscriber, who may subscribe, and the limits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from atrisk.graphql.live import (
    CONNECTIONS_PER_CALLER,
    RECHECK_SECONDS,
    SUBSCRIPTIONS_PER_CONNECTION,
)
from tests.utils.accounts import ADMIN_EMAIL, COMPANY, PASSWORD, VIEWER_EMAIL, session_cookies
from tests.utils.fixtures import BACKENDS
from tests.utils.live import LiveServer, live_server
from tests.utils.server import run_cli
from tests.utils.subscriptions import CHANGES, SHAPED, WITH_VARIABLE, opened, subscribed

ELSEWHERE = "https://elsewhere.example"
OTHER_COMPANY = "Beta Security"
OTHER_EMAIL = "admin@beta.example"


ADD = """mutation($name: String!) {
  addAtRiskEntry(input: {category: REASON, name: $name}) { ... on AtRiskEntry { id version } }
}"""


@pytest.fixture(scope="module", params=BACKENDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("live-updates")
    with live_server(request.param, directory, {"ATRISK_CORS_ORIGINS": ELSEWHERE}) as running:
        session_cookies(running.server)  # the test company, its admin and viewer
        beta = run_cli(
            ["create-company", OTHER_COMPANY, "--admin-email", OTHER_EMAIL, "--password", PASSWORD],
            running.database_url,
            directory,
        )
        assert beta.returncode == 0, beta.stderr
        yield running


def token(server: LiveServer, name: str, *extra: str, company: str = COMPANY) -> str:
    result = run_cli(
        ["create-token", "--company", company, "--name", name, *extra],
        server.database_url,
        server.server.log_path.parent,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def add_entry(server: LiveServer, name: str, email: str = ADMIN_EMAIL) -> dict[str, Any]:
    with server.server.client(cookies=session_cookies(server.server, email)) as client:
        response = client.post("/graphql", json={"query": ADD, "variables": {"name": name}})
    response.raise_for_status()
    entry: dict[str, Any] = response.json()["data"]["addAtRiskEntry"]
    assert entry.get("id"), response.text
    return entry


def cookies(server: LiveServer, email: str = ADMIN_EMAIL) -> dict[str, str]:
    return session_cookies(server.server, email)


def test_a_write_reaches_an_open_page_with_its_entity_and_version(server: LiveServer) -> None:
    with subscribed(server.server, cookies=cookies(server)) as socket:
        entry = add_entry(server, "Moving away")
        change = socket.change()
    assert change == {
        "entityType": "AT_RISK_ENTRY",
        "entityId": entry["id"],
        "action": "CREATE",
        "version": entry["version"],
        "resync": False,
    }


def test_each_subscription_gets_the_change_in_the_shape_it_asked_for(server: LiveServer) -> None:
    # The first goes out from the message shared by every socket with that document; the
    # second, with a variable, is executed for its own socket.
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.init()["type"] == "connection_ack"
        shaped = socket.subscribe(SHAPED)
        chosen = socket.subscribe(WITH_VARIABLE, {"all": False})
        entry = add_entry(server, "Shapes")
        heard: dict[str, dict[str, Any]] = {}
        while len(heard) < 2:
            message = socket.receive()
            assert message["type"] == "next", message
            data = message["payload"]["data"]["companyChanges"]
            if data.get("entityId") == entry["id"]:
                heard[message["id"]] = data
    assert heard[shaped] == {
        "__typename": "Change",
        "kind": "AT_RISK_ENTRY",
        "entityId": entry["id"],
        "v": entry["version"],
    }
    assert heard[chosen] == {"entityId": entry["id"]}


def test_a_token_in_connection_params_subscribes(server: LiveServer) -> None:
    value = token(server, "live reader")
    for params in ({"authorization": f"Bearer {value}"}, {"token": value}):
        with subscribed(server.server, origin=None, params=params) as socket:
            entry = add_entry(server, f"Price {params.keys()}")
            assert socket.changes_until({"entityId": entry["id"]})[-1]["action"] == "CREATE"


def test_another_company_never_hears_of_the_change(server: LiveServer) -> None:
    beta = cookies(server, OTHER_EMAIL)
    with (
        subscribed(server.server, cookies=beta) as theirs,
        subscribed(server.server, cookies=cookies(server)) as ours,
    ):
        entry = add_entry(server, "Not theirs")
        ours.changes_until({"entityId": entry["id"]})
        assert theirs.silent(1.0)


def test_token_changes_reach_admins_only(server: LiveServer) -> None:
    with (
        subscribed(server.server, cookies=cookies(server, VIEWER_EMAIL)) as viewer,
        subscribed(server.server, cookies=cookies(server)) as admin,
    ):
        token(server, "seen by admins")
        change = admin.changes_until({"entityType": "API_TOKEN"})[-1]
        assert change["action"] == "CREATE"
        entry = add_entry(server, "After the token")
        seen = viewer.changes_until({"entityId": entry["id"]})
    assert all(change["entityType"] != "API_TOKEN" for change in seen)


@pytest.mark.parametrize(
    "params", [{}, {"token": "atr_nothing"}, {"authorization": "Basic x"}, {"token": 7}]
)
def test_no_credential_or_a_bad_one_closes_with_4401(
    server: LiveServer, params: dict[str, Any]
) -> None:
    with opened(server.server, origin=None) as socket:
        socket.send({"type": "connection_init", "payload": params})
        assert socket.closed()[0] == 4401


def test_a_revoked_token_closes_with_4403(server: LiveServer) -> None:
    value = token(server, "soon revoked")
    revoked = run_cli(
        ["revoke-token", "--company", COMPANY, "--name", "soon revoked"],
        server.database_url,
        server.server.log_path.parent,
    )
    assert revoked.returncode == 0, revoked.stderr
    with opened(server.server, origin=None) as socket:
        socket.send({"type": "connection_init", "payload": {"token": value}})
        assert socket.closed()[0] == 4403


def test_revoking_a_token_closes_its_open_socket(server: LiveServer) -> None:
    value = token(server, "revoked while open")
    with subscribed(server.server, origin=None, params={"token": value}) as socket:
        revoked = run_cli(
            ["revoke-token", "--company", COMPANY, "--name", "revoked while open"],
            server.database_url,
            server.server.log_path.parent,
        )
        assert revoked.returncode == 0, revoked.stderr
        assert socket.closed(within=5)[0] == 4403


def test_signing_out_closes_the_socket(server: LiveServer) -> None:
    login = httpx.post(
        f"{server.base_url}/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD}
    )
    login.raise_for_status()
    with (
        subscribed(server.server, cookies=dict(login.cookies)) as socket,
        server.server.client(cookies=dict(login.cookies)) as client,
    ):
        logout = client.post("/auth/logout", json={}, headers={"Origin": server.base_url})
        assert logout.is_success
        assert socket.closed(within=RECHECK_SECONDS + 10)[0] == 4401


def test_changes_arriving_do_not_postpone_the_recheck(server: LiveServer) -> None:
    """The periodic recheck keeps its own clock: a company busy with changes more often
    than every RECHECK_SECONDS still has its ended sessions' sockets closed."""
    login = httpx.post(
        f"{server.base_url}/auth/login", json={"email": ADMIN_EMAIL, "password": PASSWORD}
    )
    login.raise_for_status()
    with (
        subscribed(server.server, cookies=dict(login.cookies)) as socket,
        server.server.client(cookies=dict(login.cookies)) as client,
    ):
        logout = client.post("/auth/logout", json={}, headers={"Origin": server.base_url})
        assert logout.is_success
        for n in range(int(RECHECK_SECONDS) + 5):
            add_entry(server, f"Busy company {n}")
            try:
                code = socket.closed(within=1)[0]
            except (AssertionError, TimeoutError):  # still open: another change comes
                continue
            assert code == 4401
            return
        raise AssertionError("the socket stayed open while changes kept arriving")


def test_a_cross_origin_page_cannot_use_the_cookie(server: LiveServer) -> None:
    with (
        pytest.raises(InvalidStatus) as refused,
        opened(server.server, cookies=cookies(server), origin="https://evil.example"),
    ):
        pass
    assert refused.value.response.status_code == 403
    # An origin the CORS list allows may connect, but the cookie does not count there.
    with opened(server.server, cookies=cookies(server), origin=ELSEWHERE) as socket:
        socket.send({"type": "connection_init", "payload": {}})
        assert socket.closed()[0] == 4401


def test_messages_go_uncompressed(server: LiveServer) -> None:
    # The client offers permessage-deflate; the server declines it.
    with opened(server.server, cookies=cookies(server)) as socket:
        response = socket.connection.response
        assert response is not None
        assert "Sec-WebSocket-Extensions" not in response.headers
        assert socket.init()["type"] == "connection_ack"


def test_an_allowed_origin_subscribes_with_a_token(server: LiveServer) -> None:
    value = token(server, "elsewhere app")
    with subscribed(server.server, origin=ELSEWHERE, params={"token": value}) as socket:
        entry = add_entry(server, "Seen elsewhere")
        socket.changes_until({"entityId": entry["id"]})


def test_subscribing_before_connection_init_closes_with_4401(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server)) as socket:
        socket.subscribe()
        assert socket.closed()[0] == 4401


@pytest.mark.parametrize(
    "query", ["{ me { email } }", 'mutation { deleteAtRiskEntry(id: "x") { __typename } }']
)
def test_queries_and_mutations_go_over_http(server: LiveServer, query: str) -> None:
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.init()["type"] == "connection_ack"
        operation = socket.subscribe(query)
        message = socket.receive()
    assert message["type"] == "error"
    assert message["id"] == operation
    assert "over HTTP" in message["payload"][0]["message"]


def test_subscriptions_per_connection_are_limited(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.init()["type"] == "connection_ack"
        for _ in range(SUBSCRIPTIONS_PER_CONNECTION):
            socket.subscribe()
            assert socket.change()["resync"] is True
        socket.subscribe()
        message = socket.receive()
    assert message["type"] == "error"
    assert "limit" in message["payload"][0]["message"]


def test_connections_per_caller_are_limited(server: LiveServer) -> None:
    value = token(server, "many sockets")
    sockets = []
    try:
        for _ in range(CONNECTIONS_PER_CALLER):
            context = opened(server.server, origin=None)
            socket = context.__enter__()
            sockets.append(context)
            assert socket.init({"token": value})["type"] == "connection_ack"
        with opened(server.server, origin=None) as extra:
            extra.send({"type": "connection_init", "payload": {"token": value}})
            assert extra.closed()[0] == 4429
    finally:
        for context in reversed(sockets):
            context.__exit__(None, None, None)
    # Closed sockets are given back: the caller may connect again.
    with subscribed(server.server, origin=None, params={"token": value}):
        pass


def test_the_http_limits_apply_to_subscriptions(server: LiveServer) -> None:
    aliases = " ".join(f"a{i}: companyChanges {{ resync }}" for i in range(30))
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.init()["type"] == "connection_ack"
        socket.subscribe(f"subscription {{ {aliases} }}")
        message = socket.receive()
    assert message["type"] == "error"
    assert "aliases" in json.dumps(message["payload"]).lower()


def test_a_message_over_the_body_limit_closes_with_1009(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server), max_size=None) as socket:
        assert socket.init()["type"] == "connection_ack"
        socket.send({"type": "subscribe", "id": "big", "payload": {"query": "x" * 300_000}})
        assert socket.closed()[0] == 1009


def test_a_socket_that_never_initialises_is_closed_with_4408(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.closed(within=20)[0] == 4408


def test_the_older_graphql_ws_protocol_is_refused(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server), protocol="graphql-ws") as socket:
        assert socket.closed()[0] == 4406


def test_a_large_import_is_one_resync(server: LiveServer, tmp_path: Path) -> None:
    rows = "".join(f"L{n},Customer {n},,,{n}.00,ACTIVE\n" for n in range(150))
    csv = tmp_path / "customers.csv"
    csv.write_text("account_number,name,email,phone,rmr,status\n" + rows)
    with subscribed(server.server, cookies=cookies(server)) as socket:
        with server.server.client(cookies=cookies(server)) as client:
            response = client.post(
                "/customers/import",
                content=csv.read_bytes(),
                headers={"Content-Type": "text/csv", "Origin": server.base_url},
            )
        assert response.is_success, response.text
        change = socket.change()
        assert change["resync"] is True
        assert socket.silent(1.0)


def test_the_subscription_document_is_the_contract(server: LiveServer) -> None:
    with opened(server.server, cookies=cookies(server)) as socket:
        assert socket.init()["type"] == "connection_ack"
        socket.subscribe(CHANGES)
        first = socket.change()
    assert first["resync"] is True
    assert first["entityType"] == "COMPANY"


DEACTIVATE = """mutation($id: ID!, $active: Boolean!) {
  updateUser(input: {id: $id, active: $active}) { __typename }
}"""
PEOPLE = "{ users { id email } }"


def test_deactivating_a_person_closes_their_open_socket(server: LiveServer) -> None:
    with server.server.client(cookies=cookies(server)) as admin:
        people = admin.post("/graphql", json={"query": PEOPLE}).json()["data"]["users"]
        viewer = next(person["id"] for person in people if person["email"] == VIEWER_EMAIL)
        login = httpx.post(
            f"{server.base_url}/auth/login", json={"email": VIEWER_EMAIL, "password": PASSWORD}
        )
        login.raise_for_status()
        try:
            with subscribed(server.server, cookies=dict(login.cookies)) as socket:
                answer = admin.post(
                    "/graphql",
                    json={"query": DEACTIVATE, "variables": {"id": viewer, "active": False}},
                )
                assert answer.json()["data"]["updateUser"]["__typename"] == "User"
                # At the change itself, not at the next periodic check.
                assert socket.closed(within=RECHECK_SECONDS / 2)[0] == 4401
        finally:
            admin.post(
                "/graphql", json={"query": DEACTIVATE, "variables": {"id": viewer, "active": True}}
            )
