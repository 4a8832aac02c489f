"""Only the host names in ATRISK_ALLOWED_HOSTS are answered (400 otherwise).

A page on another site that rebinds its own name to 127.0.0.1 (DNS rebinding) reaches a
local instance with its own name in `Host`, so it is refused here before it can sign in
or read anything. The probes answer any name: they tell nothing, and health checkers
call them by address.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

ANY_HOST_PATHS = frozenset({"/healthz", "/readyz"})


class AllowedHosts:
    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        self.checked = TrustedHostMiddleware(
            app, allowed_hosts=list(allowed_hosts), www_redirect=False
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in ANY_HOST_PATHS:
            await self.app(scope, receive, send)
            return
        await self.checked(scope, receive, send)
