"""Sign-in over HTTP: POST /auth/login and /auth/logout, and who a request acts for.

A request is authenticated by `Authorization: Bearer <token>` (read-only API
tokens) or, when it has no such header, by the session cookie. With neither it
is anonymous.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atrisk.credentials import SESSION_COOKIE
from atrisk.db import Database
from atrisk.services import accounts, throttle
from atrisk.services.accounts import Caller
from atrisk.settings import Settings

WRONG_CREDENTIALS = "Email or password is incorrect."
LOGIN_BODY_LIMIT = 4096


def _error(status: int, code: str, message: str, **headers: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


def _bearer(request: Request) -> str | None:
    """The token of an Authorization header ("" if the header is there but unusable)."""
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def caller_for(request: Request, db: Database, settings: Settings) -> Caller | None:
    token = _bearer(request)
    if token is not None:
        return await accounts.caller_from_token(db, settings.signing_key, token) if token else None
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        return await accounts.caller_from_session(db, settings.signing_key, session_id)
    return None


def caller_json(caller: Caller) -> dict[str, Any]:
    return {
        "email": caller.email,
        "role": caller.role.value,
        "company": {"id": caller.company_id, "name": caller.company_name},
    }


async def _small_body(request: Request) -> bytes | None:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > LOGIN_BODY_LIMIT:
            return None
    return body


async def _credentials(request: Request) -> tuple[str, str] | None:
    raw = await _small_body(request)
    try:
        body = orjson.loads(raw) if raw is not None else None
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
    account = throttle.account_limit(settings.signing_key, email)
    limits = [account, throttle.address_limit(settings.signing_key, address)]
    if wait := await throttle.seconds_blocked(db, limits):
        minutes = max(1, round(wait / 60))
        return _error(
            429,
            "TOO_MANY_ATTEMPTS",
            f"Too many failed sign-in attempts. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.",
            **{"Retry-After": str(wait)},
        )
    user = await accounts.check_password(db, email, password)
    if user is None:
        await throttle.record_failure(db, limits)
        return _error(401, "INVALID_CREDENTIALS", WRONG_CREDENTIALS)
    await throttle.forget(db, account)
    lifetime = timedelta(minutes=settings.session_ttl_minutes)
    session_id, _ = await accounts.start_session(db, settings.signing_key, user.id, lifetime)
    caller = await accounts.caller_from_session(db, settings.signing_key, session_id)
    assert caller is not None
    response = JSONResponse(caller_json(caller))
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(lifetime.total_seconds()),
        path="/",
        secure=settings.cookie_secure or request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response


async def logout(request: Request) -> Response:
    db: Database = request.app.state.db
    settings: Settings = request.app.state.settings
    if session_id := request.cookies.get(SESSION_COOKIE):
        await accounts.end_session(db, settings.signing_key, session_id)
    response = Response(status_code=204)
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=settings.cookie_secure or request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]
