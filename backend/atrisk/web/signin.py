"""Signing in and out over HTTP: POST /auth/login and /auth/logout.

A successful sign-in answers with who is now signed in, the same data as the `me` field.
Attempts are throttled per account and per client address (atrisk.services.throttle);
the client address is the TCP peer, or what trusted proxies say it is
(`ATRISK_TRUSTED_PROXIES`, applied by uvicorn before the app sees the request).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from enum import Enum
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller
from atrisk.graphql.types.accounts import Viewer
from atrisk.services import sessions, throttle, users
from atrisk.settings import Settings
from atrisk.web.caller import clear_session_cookie, session_cookie_name, session_id

WRONG_CREDENTIALS = "Email or password is incorrect."
# The largest body /auth/* accepts (the one request-body limit, BodySizeLimit, applies it).
LOGIN_BODY_LIMIT = 4096


def _error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _too_many(count: throttle.Count, message: str) -> JSONResponse:
    wait = count.retry_after()
    minutes = max(1, round(wait / 60))
    return _error(
        429,
        "TOO_MANY_ATTEMPTS",
        f"{message} Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        **{"Retry-After": str(wait)},
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _plain(value: Any) -> Any:
    """A dataclass's dict as GraphQL answers it: camelCase keys, enum members as their
    values, ready for JSON."""
    if isinstance(value, dict):
        return {_camel(key): _plain(item) for key, item in value.items()}
    return value.value if isinstance(value, Enum) else value


async def _credentials(request: Request) -> tuple[str, str] | None:
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return None
    if not isinstance(body, dict):
        return None
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return None
    return email, password


async def login(request: Request) -> Response:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    credentials = await _credentials(request)
    if credentials is None:
        return _error(400, "BAD_REQUEST", 'Send JSON like {"email": "...", "password": "..."}.')
    email, password = credentials
    address = request.client.host if request.client else "unknown"
    attempt = await throttle.count_attempt(
        db,
        throttle.account_limit(settings.signing_key, email),
        throttle.address_limit(settings.signing_key, address),
    )
    if attempt.account.over:
        return _too_many(attempt.account, "Too many failed sign-in attempts.")
    backing_off = attempt.address.over
    user = await users.check_password(db, email, password, check_unknown=not backing_off)
    if user is None:
        if backing_off:
            return _too_many(
                attempt.address,
                f"{WRONG_CREDENTIALS} There were too many failed sign-in attempts from your "
                "network.",
            )
        return _error(401, "INVALID_CREDENTIALS", WRONG_CREDENTIALS)
    await throttle.succeeded(db, attempt)
    await users.note_sign_in(db, user)
    lifetime = timedelta(minutes=settings.session_ttl_minutes)
    new_session, _ = await sessions.start_session(db, settings.signing_key, user.id, lifetime)
    caller = await sessions.caller_from_session(db, settings.signing_key, new_session)
    assert isinstance(caller, Caller)
    response = JSONResponse(_plain(asdict(Viewer.from_caller(caller))))
    response.set_cookie(
        session_cookie_name(request.scope),
        new_session,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=settings.cookie_secure or request.scope["scheme"] == "https",
        httponly=True,
        samesite="lax",
    )
    return response


async def logout(request: Request) -> Response:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    if ended := session_id(request.scope):
        await sessions.end_session(db, settings.signing_key, ended)
    response = Response(status_code=204)
    clear_session_cookie(response, request.scope, settings)
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
