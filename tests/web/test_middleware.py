"""Security headers on every response; cookie writes only same-origin and JSON; CORS."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from atrisk.app import create_app
from atrisk.services.users import create_company_with_admin
from atrisk.settings import Settings
from atrisk.web.caller import SESSION_COOKIE
from atrisk.web.middleware.security_headers import APP_CSP
from tests.utils.accounts import PASSWORD, http_client
from tests.utils.graphql import ADD, post

ADD_BODY = {"query": ADD, "variables": {"input": {"category": "REASON", "name": "Forged"}}}


def assert_security_headers(response, csp=APP_CSP):
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/readyz", 200),
        ("GET", "/no/such/page", 404),
        ("POST", "/graphql", 200),
        ("POST", "/auth/login", 400),
        ("GET", "/auth/login", 404),
        ("GET", "/", 200),
    ],
)
async def test_every_response_has_the_security_headers(client, method, path, status):
    response = await client.request(method, path, json={"query": "{ me { role } }"})
    assert response.status_code == status
    assert_security_headers(response)


async def test_app_csp_has_no_inline_script_or_style():
    policy = dict(part.strip().split(" ", 1) for part in APP_CSP.split(";"))
    assert policy["default-src"] == "'self'"
    assert "script-src" not in policy
    assert "style-src" not in policy
    assert "unsafe" not in APP_CSP


async def test_the_ide_page_has_its_own_policy_allowing_exactly_its_inline_script(client):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    csp = response.headers["content-security-policy"]
    assert csp != APP_CSP
    assert "frame-ancestors 'none'" in csp
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert f"'sha256-{digest}'" in script_src
    assert "unsafe-inline" not in script_src
    assert_security_headers(response, csp)


async def test_login_and_logout_responses_are_not_cached(client):
    response = await client.post("/auth/logout", json={})
    assert response.headers["cache-control"] == "no-store"


# Cross-site request forgery: a signed-in browser tricked into writing.

CROSS_SITE = [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://localhost.evil.example"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
async def test_cross_origin_cookie_writes_change_nothing(client, api, headers):
    response = await client.post("/graphql", json=ADD_BODY, headers=headers)
    assert response.status_code == 403
    assert response.json()["error"] == "CROSS_ORIGIN"
    assert await api.list() == []


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (
            '{"query": "mutation { addAtRiskEntry(input: {category: REASON, name: \\"F\\"}) '
            '{ __typename } }"}',
            "text/plain",
        ),
        (
            "query=mutation+%7B+addAtRiskEntry%28input%3A+%7Bcategory%3A+REASON%2C+name%3A+"
            "%22F%22%7D%29+%7B+__typename+%7D+%7D",
            "application/x-www-form-urlencoded",
        ),
        (
            '--b\r\nContent-Disposition: form-data; name="query"\r\n\r\nmutation { x }\r\n--b--',
            "multipart/form-data; boundary=b",
        ),
    ],
    ids=["text-plain", "form-urlencoded", "multipart"],
)
async def test_non_json_cookie_writes_change_nothing(client, api, content, content_type):
    response = await client.post(
        "/graphql", content=content, headers={"content-type": content_type}
    )
    assert response.status_code == 415
    assert await api.list() == []


async def test_get_mutation_with_a_cookie_changes_nothing(client, api):
    query = 'mutation { addAtRiskEntry(input: {category: REASON, name: "F"}) { __typename } }'
    response = await client.get(
        "/graphql", params={"query": query}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code in {400, 405}
    assert await api.list() == []


@pytest.mark.parametrize(
    "headers",
    [{}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}],
    ids=["no-browser-headers", "same-origin", "fetch-same-origin"],
)
async def test_same_origin_json_cookie_writes_work(client, api, headers):
    response = await client.post("/graphql", json=ADD_BODY, headers=headers)
    assert response.status_code == 200
    assert response.json()["data"]["addAtRiskEntry"]["__typename"] == "AtRiskEntry"
    assert [row["name"] for row in await api.list()] == ["Forged"]


async def test_cross_origin_login_is_refused_and_sets_no_cookie(anonymous_client, admin):
    response = await anonymous_client.post(
        "/auth/login",
        json={"email": "admin@acme.example", "password": PASSWORD},
        headers={"Origin": "http://evil.example"},
    )
    assert response.status_code == 403
    assert "set-cookie" not in response.headers


async def test_form_login_is_refused(anonymous_client, admin):
    response = await anonymous_client.post(
        "/auth/login", data={"email": "admin@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 415
    assert "set-cookie" not in response.headers


async def test_cross_origin_logout_keeps_the_session(client):
    response = await client.post("/auth/logout", json={}, headers={"Origin": "http://evil.example"})
    assert response.status_code == 403
    assert (await post(client, "{ me { role } }"))["data"]["me"]["role"] == "ADMIN"


async def test_token_requests_are_not_subject_to_the_cookie_checks(token_client):
    response = await token_client.post(
        "/graphql",
        json={"query": "{ me { role } }"},
        headers={"Origin": "https://app.example"},
    )
    assert response.status_code == 200
    assert response.json()["data"]["me"]["role"] == "VIEWER"


# CORS: an allow-list for frontends that use tokens; never cookies across origins.

ALLOWED = "https://app.example"


@pytest.fixture
async def cors_app(database_url) -> AsyncIterator[Starlette]:
    settings = Settings(database_url=database_url, seed_demo=False, cors_origins=(ALLOWED,))
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await create_company_with_admin(
            application.state.db, "Acme Alarms", "admin@acme.example", PASSWORD
        )
        yield application


async def test_cors_preflight_allows_listed_origins_without_credentials(cors_app):
    async with http_client(cors_app) as client:
        allowed = await client.options(
            "/graphql",
            headers={
                "Origin": ALLOWED,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        other = await client.options(
            "/graphql",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers
    assert other.status_code == 400
    assert "access-control-allow-origin" not in other.headers


async def test_cors_allowed_origin_still_cannot_use_the_cookie(cors_app):
    async with http_client(cors_app) as client:
        login = await client.post(
            "/auth/login", json={"email": "admin@acme.example", "password": PASSWORD}
        )
        assert SESSION_COOKIE in login.cookies
        response = await client.post("/graphql", json=ADD_BODY, headers={"Origin": ALLOWED})
    assert response.status_code == 403


async def test_no_cors_headers_without_configuration(client):
    response = await client.post(
        "/graphql", json={"query": "{ me { role } }"}, headers={"Origin": ALLOWED}
    )
    assert "access-control-allow-origin" not in response.headers
