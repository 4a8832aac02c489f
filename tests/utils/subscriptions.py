"""A graphql-transport-ws client over a real WebSocket, for tests of live updates."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tests.utils.server import Server

PROTOCOL = "graphql-transport-ws"
CHANGES = "subscription { companyChanges { entityType entityId action version resync } }"
# The change in another shape (aliases, a fragment, __typename), and with a variable.
SHAPED = """subscription Watching {
  companyChanges { __typename kind: entityType ...Which }
}
fragment Which on Change { entityId v: version }"""
WITH_VARIABLE = """subscription($all: Boolean!) {
  companyChanges { entityId version @include(if: $all) }
}"""


class Socket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self._next_id = 0

    def send(self, message: Mapping[str, Any]) -> None:
        self.connection.send(json.dumps(message))

    def receive(self, within: float = 10.0) -> dict[str, Any]:
        """The next protocol message (pings are answered and skipped)."""
        deadline = time.monotonic() + within
        while True:
            frame = self.connection.recv(timeout=max(deadline - time.monotonic(), 0))
            assert isinstance(frame, str), "protocol messages go in text frames"
            message = json.loads(frame)
            if message.get("type") == "ping":
                self.send({"type": "pong"})
                continue
            return message  # type: ignore[no-any-return]

    def init(self, payload: Mapping[str, Any] | None = None) -> dict[str, Any]:
        self.send({"type": "connection_init", "payload": dict(payload or {})})
        return self.receive()

    def subscribe(self, query: str = CHANGES, variables: Mapping[str, Any] | None = None) -> str:
        self._next_id += 1
        operation_id = str(self._next_id)
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = dict(variables)
        self.send({"id": operation_id, "type": "subscribe", "payload": payload})
        return operation_id

    def change(self, within: float = 10.0) -> dict[str, Any]:
        """The next change the subscription sends."""
        message = self.receive(within)
        assert message["type"] == "next", message
        change: dict[str, Any] = message["payload"]["data"]["companyChanges"]
        return change

    def changes_until(
        self, wanted: Mapping[str, Any], within: float = 10.0
    ) -> list[dict[str, Any]]:
        """Changes received until one with the `wanted` values arrives (it included)."""
        deadline = time.monotonic() + within
        seen: list[dict[str, Any]] = []
        while True:
            change = self.change(max(deadline - time.monotonic(), 0.01))
            seen.append(change)
            if all(change.get(key) == value for key, value in wanted.items()):
                return seen

    def silent(self, seconds: float) -> bool:
        """True if nothing arrives for `seconds`."""
        try:
            message = self.receive(seconds)
        except TimeoutError:
            return True
        raise AssertionError(f"unexpected message: {message}")

    def closed(self, within: float = 10.0) -> tuple[int | None, str]:
        """Wait for the server to close the socket; its close code and reason."""
        deadline = time.monotonic() + within
        try:
            while time.monotonic() < deadline:
                self.connection.recv(timeout=max(deadline - time.monotonic(), 0.01))
        except ConnectionClosed as closed:
            received = closed.rcvd
            return (received.code, received.reason) if received else (None, "")
        raise AssertionError(f"the socket is still open after {within} s")


def ws_url(server: Server) -> str:
    return server.base_url.replace("http://", "ws://", 1) + "/graphql"


@contextmanager
def opened(
    server: Server,
    *,
    cookies: Mapping[str, str] | None = None,
    origin: str | None = "own",
    headers: Mapping[str, str] | None = None,
    protocol: str = PROTOCOL,
    **options: Any,
) -> Iterator[Socket]:
    """A WebSocket to /graphql; `origin` "own" sends the server's own origin, None none."""
    extra = dict(headers or {})
    if cookies:
        extra["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    with connect(
        ws_url(server),
        origin=server.base_url if origin == "own" else origin,  # type: ignore[arg-type]
        subprotocols=[protocol],  # type: ignore[list-item]
        additional_headers=extra,
        proxy=None,
        open_timeout=15,
        **options,
    ) as connection:
        yield Socket(connection)


@contextmanager
def subscribed(server: Server, **credentials: Any) -> Iterator[Socket]:
    """A socket with an acknowledged connection and a companyChanges subscription whose
    first message (the initial resync) has been read. `params` go in connection_init."""
    params = credentials.pop("params", None)
    with opened(server, **credentials) as socket:
        assert socket.init(params)["type"] == "connection_ack"
        socket.subscribe()
        first = socket.change()
        assert first["resync"] is True, first
        yield socket
