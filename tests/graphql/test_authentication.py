"""The three answers to a request without a valid credential: missing, invalid and revoked,
each UNAUTHENTICATED with its reason, HTTP 401 and a Bearer challenge (RFC 6750)."""

from __future__ import annotations

import pytest

from atrisk.services import tokens
from atrisk.web.caller import SESSION_COOKIE

ME = {"query": "{ me { role } }"}


async def answer(client, **headers):
    response = await client.post("/graphql", json=ME, headers=headers)
    body = response.json()
    (error,) = body["errors"]
    return response, error


@pytest.mark.parametrize("accept", ["application/json", "application/graphql-response+json"])
async def test_a_missing_credential(anonymous_client, accept):
    response, error = await answer(anonymous_client, accept=accept)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="atrisk"'
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "missing"}
    assert error["message"].startswith("Sign in first")
    assert response.json()["data"] is None


@pytest.mark.parametrize("header", ["Bearer atr_not-a-real-token", "Bearer ", "Basic eDp5"])
async def test_an_unknown_token(anonymous_client, header):
    response, error = await answer(anonymous_client, authorization=header)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        'Bearer realm="atrisk", error="invalid_token", error_description="Unknown token"'
    )
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "invalid"}


async def test_a_revoked_token(app, token_client, company):
    assert (await token_client.post("/graphql", json=ME)).status_code == 200
    assert await tokens.revoke_token(app.state.db, company.id, "mobile")
    response, error = await answer(token_client)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        'Bearer realm="atrisk", error="invalid_token", error_description="The token was revoked"'
    )
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "revoked"}
    assert "revoked" in error["message"]


async def test_an_ended_session(anonymous_client):
    anonymous_client.cookies.set(SESSION_COOKIE, "no-such-session")
    response, error = await answer(anonymous_client)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="atrisk"'
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "reason": "invalid"}


async def test_a_valid_token_is_200_without_a_challenge(token_client):
    response = await token_client.post("/graphql", json=ME)
    assert response.status_code == 200
    assert "www-authenticate" not in response.headers
    assert response.json() == {"data": {"me": {"role": "VIEWER"}}}
