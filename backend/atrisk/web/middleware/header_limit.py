"""The one header limit, outermost: a request whose line and headers together pass it gets
431 before anything reads a header (cookies included).

The servers enforce the same number before they finish reading such a request (see
atrisk.web.protocols); this middleware holds the line whatever serves the app.
"""

from __future__ import annotations

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send


def too_large_message(max_bytes: int) -> str:
    return f"Request header fields too large (the limit is {max_bytes} bytes)"


def head_size(scope: Scope) -> int:
    """The bytes of the request line and headers, as they came over the wire (roughly)."""
    size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 16
    return size + sum(len(name) + len(value) + 4 for name, value in scope["headers"])


class HeaderSizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in {"http", "websocket"} and head_size(scope) > self.max_bytes:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1009})
                return
            response = PlainTextResponse(
                too_large_message(self.max_bytes), status_code=431, headers={"Connection": "close"}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
