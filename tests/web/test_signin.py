"""Signing in and out over HTTP: cookies, sessions, tokens, throttling and `me`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from atrisk.app import create_app
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Role
from atrisk.models.accounts import ApiToken, LoginFailures, UserSession
from atrisk.services import tokens, users
from atrisk.settings import Settings
from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import PASSWORD, add_user, http_client
from tests.utils.graphql import post

ME = "{ me { email role company { id name } } }"
GOOD = {"email": "admin@acme.example", "password": PASSWORD}


def codes(body):
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def login(client, email, password):
    return await client.post("/auth/login", json={"email": email, "password": password})


async def test_login_sets_a_session_cookie_that_signs_in(anonymous_client, admin, company):
    response = await login(anonymous_client, " Admin@ACME.example ", PASSWORD)
    assert response.status_code == 200
    assert response.json() == {
        "email": "admin@acme.example",
        "role": "ADMIN",
        "company": {"id": company.id, "name": "Acme Alarms"},
    }
    body = await post(anonymous_client, ME)
    assert body == {"data": {"me": response.json()}}


async def test_cookie_flags(anonymous_client, admin):
    response = await login(anonymous_client, GOOD["email"], GOOD["password"])
    cookie = response.headers["set-cookie"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert {"httponly", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in attributes, "plain http on loopback gets no Secure flag"
    assert "Max-Age=43200" in cookie


async def test_cookie_is_secure_under_https(app, admin):
    async with http_client(app) as client:
        client.base_url = "https://localhost"
        response = await login(client, GOOD["email"], GOOD["password"])
    assert response.status_code == 200
    assert "secure" in response.headers["set-cookie"].lower().split("; ")


async def test_the_session_id_is_stored_only_as_a_hash(app, anonymous_client, admin):
    response = await login(anonymous_client, GOOD["email"], GOOD["password"])
    session_id = response.cookies[SESSION_COOKIE]
    async with app.state.db.read() as session:
        stored = (await session.execute(select(UserSession.id_hash))).scalars().all()
    assert len(stored) == 1
    assert session_id not in stored[0]
    assert len(stored[0]) == 64


@pytest.mark.parametrize(
    ("email", "password"),
    [("admin@acme.example", "wrong password"), ("nobody@acme.example", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
async def test_unknown_email_and_wrong_password_get_the_same_answer(
    anonymous_client, admin, email, password
):
    response = await login(anonymous_client, email, password)
    assert response.status_code == 401
    assert response.json() == {
        "error": "INVALID_CREDENTIALS",
        "message": "Email or password is incorrect.",
    }
    assert "set-cookie" not in response.headers
    assert codes(await post(anonymous_client, ME)) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"email": "a@b.c"}', b'{"email": 1, "password": 2}'],
)
async def test_malformed_login_is_a_clear_400(anonymous_client, body):
    response = await anonymous_client.post(
        "/auth/login", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert "email" in response.json()["message"]


async def test_oversized_login_body_is_refused(anonymous_client):
    body = {"email": "a@b.c", "password": "x" * 5000}
    response = await anonymous_client.post("/auth/login", json=body)
    # The one request-body limit answers, with the limit of /auth/*.
    assert response.status_code == 413
    assert "4096 bytes" in response.text


async def test_login_throttled_per_account_at_its_bound(anonymous_client, admin):
    for _ in range(4):
        assert (await login(anonymous_client, GOOD["email"], "wrong")).status_code == 401
    # Four failures: the right password still gets in, and clears the count.
    assert (await login(anonymous_client, GOOD["email"], PASSWORD)).status_code == 200
    for _ in range(5):
        assert (await login(anonymous_client, GOOD["email"], "wrong")).status_code == 401
    refused = await login(anonymous_client, " ADMIN@acme.example", PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["error"] == "TOO_MANY_ATTEMPTS"
    assert "Try again in 15 minutes" in refused.json()["message"]
    assert 890 <= int(refused.headers["retry-after"]) <= 900
    assert "set-cookie" not in refused.headers


async def test_unknown_accounts_are_throttled_like_real_ones(anonymous_client):
    for _ in range(5):
        assert (await login(anonymous_client, "ghost@acme.example", "x")).status_code == 401
    assert (await login(anonymous_client, "ghost@acme.example", "x")).status_code == 429


async def test_the_address_limit_backs_off_wrong_guesses_only(anonymous_client, admin):
    for number in range(19):
        response = await login(anonymous_client, f"guess{number}@acme.example", "wrong")
        assert response.status_code == 401
    # The 20th failure is still answered as one; after it, wrong guesses get 429 ...
    assert (await login(anonymous_client, "guess19@acme.example", "x")).status_code == 401
    refused = await login(anonymous_client, GOOD["email"], "wrong")
    assert refused.status_code == 429
    assert "from your network" in refused.json()["message"]
    assert (await login(anonymous_client, "guess20@acme.example", "x")).status_code == 429
    # ... but the right password of an account under its own limit still signs in.
    assert (await login(anonymous_client, GOOD["email"], PASSWORD)).status_code == 200


async def test_throttle_window_closes(app, anonymous_client, admin):
    for _ in range(5):
        await login(anonymous_client, GOOD["email"], "wrong")
    assert (await login(anonymous_client, GOOD["email"], PASSWORD)).status_code == 429
    async with app.state.db.write() as session:
        await session.execute(
            update(LoginFailures).values(window_started_at=utcnow() - timedelta(minutes=15))
        )
    assert (await login(anonymous_client, GOOD["email"], PASSWORD)).status_code == 200


async def test_expired_session_is_refused_at_once(app, client):
    assert codes(await post(client, ME)) == []
    async with app.state.db.write() as session:
        await session.execute(update(UserSession).values(expires_at=utcnow()))
    assert codes(await post(client, ME)) == ["UNAUTHENTICATED"]


async def test_logout_ends_the_session_server_side(client):
    session_id = client.cookies[SESSION_COOKIE]
    response = await client.post("/auth/logout", json={})
    assert response.status_code == 204
    assert f'{SESSION_COOKIE}="";' in response.headers["set-cookie"]
    assert "max-age=0" in response.headers["set-cookie"].lower()
    # Replaying the old cookie value does not work either.
    client.cookies.set(SESSION_COOKIE, session_id)
    assert codes(await post(client, ME)) == ["UNAUTHENTICATED"]


async def test_logout_without_a_session_is_harmless(anonymous_client):
    assert (await anonymous_client.post("/auth/logout", json={})).status_code == 204


async def test_session_lifetime_comes_from_settings(database_url, tmp_path):
    app = create_app(Settings(database_url=database_url, seed_demo=False, session_ttl_minutes=5))
    async with app.router.lifespan_context(app):
        _company, _ = await users.create_company_with_admin(
            app.state.db, "Acme Alarms", GOOD["email"], PASSWORD
        )
        async with http_client(app) as client:
            before = utcnow()
            response = await login(client, GOOD["email"], PASSWORD)
        async with app.state.db.read() as session:
            expires_at = (await session.execute(select(UserSession.expires_at))).scalar_one()
    assert "Max-Age=300" in response.headers["set-cookie"]
    assert before + timedelta(minutes=5) <= expires_at <= utcnow() + timedelta(minutes=5)


async def test_viewer_me(viewer_client, company):
    body = await post(viewer_client, ME)
    assert body["data"]["me"] == {
        "email": "viewer@acme.example",
        "role": "VIEWER",
        "company": {"id": company.id, "name": "Acme Alarms"},
    }


async def test_token_me_has_no_email_and_is_read_only(token_client, company):
    body = await post(token_client, ME)
    assert body["data"]["me"] == {
        "email": None,
        "role": "VIEWER",
        "company": {"id": company.id, "name": "Acme Alarms"},
    }


async def test_token_records_its_last_use(app, token_client):
    async with app.state.db.read() as session:
        assert (await session.execute(select(ApiToken.last_used_at))).scalar_one() is None
    before = utcnow()
    await post(token_client, ME)
    async with app.state.db.read() as session:
        used = (await session.execute(select(ApiToken.last_used_at))).scalar_one()
    assert used is not None
    assert used >= before


async def test_revoked_token_is_refused_at_once(app, token_client, company):
    assert codes(await post(token_client, ME)) == []
    assert await tokens.revoke_token(app.state.db, company.id, "mobile")
    assert codes(await post(token_client, ME)) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize(
    "header", ["Bearer atr_not-a-real-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "atr_x"]
)
async def test_bad_authorization_is_unauthenticated(anonymous_client, header):
    body = await post(anonymous_client, ME, headers={"Authorization": header})
    assert codes(body) == ["UNAUTHENTICATED"]


async def test_authorization_header_wins_over_the_cookie(client, token_client):
    """A request with a token is judged by the token alone; the cookie is ignored."""
    token = token_client.headers["authorization"]
    body = await post(client, ME, headers={"Authorization": token})
    assert body["data"]["me"]["role"] == "VIEWER"
    body = await post(client, ME, headers={"Authorization": "Bearer atr_revoked"})
    assert codes(body) == ["UNAUTHENTICATED"]


async def test_users_of_two_companies_sign_in_to_their_own(app, db, other_company, admin):
    await add_user(db, other_company, "viewer@beta.example", Role.VIEWER)
    async with http_client(app) as client:
        response = await login(client, "viewer@beta.example", PASSWORD)
        me = (await post(client, ME))["data"]["me"]
    assert response.status_code == 200
    assert me["company"] == {"id": other_company.id, "name": "Beta Security"}
