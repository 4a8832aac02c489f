"""Who a request acts for, read from its credentials: `Authorization: Bearer <token>`
(API tokens) or, when it has no such header, the session cookie. With neither it is
anonymous (Refusal.MISSING); a credential that matches nothing is INVALID, a revoked token
REVOKED. The company always comes from the credential, never from the request.

The session cookie is `__Host-atrisk_session` on https (Secure, Path=/, no Domain: no
other host or plain-http page can set or shadow it) and `atrisk_session` on plain http;
a request is read with the name of its own scheme only.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import Scope

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller, Refusal
from atrisk.services import sessions, tokens
from atrisk.settings import Settings
from atrisk.web.cookies import request_cookies

SESSION_COOKIE = "atrisk_session"
SECURE_SESSION_COOKIE = "__Host-atrisk_session"


def session_cookie_name(scope: Scope) -> str:
    """The session cookie's name for the request's scheme (https behind a trusted proxy too)."""
    return SECURE_SESSION_COOKIE if scope.get("scheme") in {"https", "wss"} else SESSION_COOKIE


def session_id(scope: Scope) -> str | None:
    """The session cookie's value, if the request carries one."""
    return request_cookies(scope).get(session_cookie_name(scope)) or None


def clear_session_cookie(response: Response, scope: Scope, settings: Settings) -> None:
    """Tell the browser to forget its session cookie (the session itself is ended apart)."""
    response.delete_cookie(
        session_cookie_name(scope),
        path="/",
        secure=settings.cookie_secure or scope.get("scheme") == "https",
        httponly=True,
        samesite="lax",
    )


def bearer_token(connection: HTTPConnection) -> str | None:
    """The token of an Authorization header ("" if the header is there but unusable)."""
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def caller_for(
    connection: HTTPConnection, db: Database, settings: Settings
) -> Caller | Refusal:
    token = bearer_token(connection)
    if token is not None:
        if not token:
            return Refusal.INVALID
        return await tokens.caller_from_token(db, settings.signing_key, token)
    if cookie := session_id(connection.scope):
        return await sessions.caller_from_session(db, settings.signing_key, cookie)
    return Refusal.MISSING
