"""Who a request acts for, read from its credentials: `Authorization: Bearer <token>`
(API tokens) or, when it has no such header, the session cookie. With neither it is
anonymous (Refusal.MISSING); a credential that matches nothing is INVALID, a revoked token
REVOKED. The company always comes from the credential, never from the request.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller, Refusal
from atrisk.services import sessions, tokens
from atrisk.settings import Settings

SESSION_COOKIE = "atrisk_session"


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
    session_id = connection.cookies.get(SESSION_COOKIE)
    if session_id:
        return await sessions.caller_from_session(db, settings.signing_key, session_id)
    return Refusal.MISSING
