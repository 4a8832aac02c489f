"""The one request-body limit: bodies over it get 413, before they are read whole.

The limit is `max_bytes`, or the limit of the first path prefix in `limits` that the
request's path starts with (sign-in takes a few bytes, a file import megabytes). A
declared Content-Length over the limit is answered at once, without reading a byte of
the body; a body without one (chunked) is counted as it streams in and cut off as soon
as it passes the limit.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int, limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limits = tuple((limits or {}).items())

    def limit_for(self, path: str) -> int:
        return next(
            (size for prefix, size in self.limits if path.startswith(prefix)), self.max_bytes
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await PlainTextResponse("Invalid Content-Length", 400)(scope, receive, send)
                return
            if int(declared) > max_bytes:
                await _refuse(max_bytes, scope, receive, send)
                return

        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if response_started:
                raise
            await _refuse(max_bytes, scope, receive, send)


async def _refuse(max_bytes: int, scope: Scope, receive: Receive, send: Send) -> None:
    response = PlainTextResponse(
        f"Request body too large (the limit is {max_bytes} bytes)",
        status_code=413,
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
