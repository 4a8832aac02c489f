"""uvicorn's HTTP protocols with a limit on the request head (line and headers together).

httptools has no limit of its own: a client could send a 64 MB header and the server
would buffer and parse all of it. h11 has one (`h11_max_incomplete_event_size`) but
answers 400. Both here refuse a head over the limit with 431 and close the connection as
soon as the bytes received pass it, before the head is complete. The limit is uvicorn's
`h11_max_incomplete_event_size`, which `atrisk serve` sets to `ATRISK_MAX_HEADER_BYTES`.
"""

from __future__ import annotations

import asyncio
from typing import Any

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from atrisk.web.middleware.header_limit import too_large_message

STATUS = 431
REASON = b"Request Header Fields Too Large"


def _limit(config: Config) -> int:
    return config.h11_max_incomplete_event_size or DEFAULT_MAX_INCOMPLETE_EVENT_SIZE


def _refusal(limit: int, default_headers: list[tuple[bytes, bytes]]) -> bytes:
    body = too_large_message(limit).encode("ascii")
    lines = [b"HTTP/1.1 %d %s\r\n" % (STATUS, REASON)]
    lines += [name + b": " + value + b"\r\n" for name, value in default_headers]
    lines += [
        b"content-type: text/plain; charset=utf-8\r\n",
        b"content-length: %d\r\n" % len(body),
        b"connection: close\r\n\r\n",
        body,
    ]
    return b"".join(lines)


class LimitedH11Protocol(H11Protocol):
    """h11, answering 431 (not 400) when its buffer of an unfinished head passes the limit."""

    def send_400_response(self, msg: str) -> None:
        buffered, _ = self.conn.trailing_data
        limit = _limit(self.config)
        if self.conn.their_state is not h11.ERROR or len(buffered) <= limit:
            super().send_400_response(msg)
            return
        self.transport.write(_refusal(limit, self.server_state.default_headers))
        self.transport.close()


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover (uvicorn[standard] brings httptools)
    LimitedHttpToolsProtocol: type[asyncio.Protocol] | None = None
else:

    class _LimitedHttpToolsProtocol(HttpToolsProtocol):
        """httptools, counting the bytes of each head as they arrive."""

        def __init__(
            self,
            config: Config,
            server_state: ServerState,
            app_state: dict[str, Any],
            _loop: asyncio.AbstractEventLoop | None = None,
        ) -> None:
            super().__init__(config, server_state, app_state, _loop)
            self._head_limit = _limit(config)
            self._head_bytes = 0
            self._in_head = True

        def data_received(self, data: bytes) -> None:
            if self._in_head:
                self._head_bytes += len(data)
            super().data_received(data)
            # Still no end of the head, and already more bytes than a head may have.
            over = self._in_head and self._head_bytes > self._head_limit
            if over and not self.transport.is_closing():
                self.transport.write(_refusal(self._head_limit, self.server_state.default_headers))
                self.transport.close()

        def on_headers_complete(self) -> None:
            self._in_head = False
            self._head_bytes = 0
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_head = True

    LimitedHttpToolsProtocol = _LimitedHttpToolsProtocol


def protocol_path(name: str) -> str:
    """The import path uvicorn's `http` option takes for "httptools", "h11" or "auto"."""
    if name == "h11" or (name == "auto" and LimitedHttpToolsProtocol is None):
        return f"{__name__}:LimitedH11Protocol"
    return f"{__name__}:LimitedHttpToolsProtocol"
