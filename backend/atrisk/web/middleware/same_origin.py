"""Same-origin JSON for cookie writes.

Cookie-authenticated writes (any method but GET, HEAD and OPTIONS that carries the
session cookie, and every sign-in or sign-out) must come from our own origin and
carry JSON: a form or `text/plain` post from another site is refused before it
reaches the app. Requests with an Authorization header are not cookie-authenticated
(the cookie is ignored for them), so cross-origin apps use tokens, allowed by CORS.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from atrisk.web.caller import SESSION_COOKIE

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALWAYS_CHECKED = ("/auth/",)
# Paths that take a file instead of JSON; still only from our own origin.
UPLOADS: dict[str, frozenset[str]] = {
    "/customers/import": frozenset({"multipart/form-data", "text/csv"}),
}
JSON_ONLY = frozenset({"application/json"})


def _cross_site_reason(headers: Headers) -> str | None:
    """Why this request is not from our own origin, or None if it is (or says nothing)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return None if fetch_site in {"same-origin", "none"} else f"Sec-Fetch-Site: {fetch_site}"
    origin = headers.get("origin")
    if origin is None:
        return None  # not a browser: no cross-site request forgery possible
    if origin == "null" or urlsplit(origin).netloc != headers.get("host"):
        return f"Origin: {origin}"
    return None


class SameOriginWrites:
    """Refuses cookie-authenticated writes that are cross-origin (403) or not JSON (415)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        uses_cookie = "authorization" not in headers and SESSION_COOKIE in headers.get("cookie", "")
        if uses_cookie or scope["path"].startswith(ALWAYS_CHECKED):
            response = None
            if reason := _cross_site_reason(headers):
                response = JSONResponse(
                    {
                        "error": "CROSS_ORIGIN",
                        "message": f"Cross-origin request refused ({reason}).",
                    },
                    status_code=403,
                )
            elif headers.get("content-type", "").split(";")[0].strip().lower() not in (
                accepted := UPLOADS.get(scope["path"], JSON_ONLY)
            ):
                response = JSONResponse(
                    {
                        "error": "UNSUPPORTED_MEDIA_TYPE",
                        "message": f"Send {' or '.join(sorted(accepted))}.",
                    },
                    status_code=415,
                )
            if response is not None:
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
