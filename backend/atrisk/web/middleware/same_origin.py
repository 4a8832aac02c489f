"""Same-origin JSON for cookie writes.

Cookie-authenticated writes (any method but GET, HEAD and OPTIONS that carries the
session cookie, and every sign-in or sign-out) must come from our own origin and
carry JSON: a form or `text/plain` post from another site is refused before it
reaches the app. Requests with an Authorization header are not cookie-authenticated
(the cookie is ignored for them), so cross-origin apps use tokens, allowed by CORS.

Our origin is the request's own scheme (https behind a trusted proxy that says so),
its `Host` and port; an `Origin` must match all three. Whether a request carries the
session cookie is read exactly as the caller reads it (atrisk.web.caller).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from atrisk.web.caller import session_id

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALWAYS_CHECKED = ("/auth/",)
# Paths that take a file instead of JSON; still only from our own origin.
UPLOADS: dict[str, frozenset[str]] = {
    "/customers/import": frozenset({"multipart/form-data", "text/csv"}),
}
JSON_ONLY = frozenset({"application/json"})
DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int]


def _origin(url: str) -> Origin | None:
    """(scheme, host, port) of `scheme://host[:port]`, or None if it is anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path or parts.query or parts.fragment or parts.username or parts.password:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def own_origin(scope: Scope, headers: Headers) -> Origin | None:
    scheme = "https" if scope.get("scheme") in {"https", "wss"} else "http"
    return _origin(f"{scheme}://{headers.get('host', '')}")


def cross_site_reason(scope: Scope, headers: Headers) -> str | None:
    """Why this request is not from our own origin, or None if it is (or says nothing)."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return None if fetch_site in {"same-origin", "none"} else f"Sec-Fetch-Site: {fetch_site}"
    origin = headers.get("origin")
    if origin is None:
        return None  # not a browser: no cross-site request forgery possible
    theirs = _origin(origin)
    if theirs is None or theirs != own_origin(scope, headers):
        return f"Origin: {origin[:200]}"
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
        uses_cookie = "authorization" not in headers and session_id(scope) is not None
        if uses_cookie or scope["path"].startswith(ALWAYS_CHECKED):
            response = None
            if reason := cross_site_reason(scope, headers):
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
