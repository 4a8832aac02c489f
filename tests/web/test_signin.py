"""Signing in and out over HTTP: cookies, sessions, tokens, throttling and `me`."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from atrisk.app import create_app
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Role
from atrisk.models.accounts import ApiToken, LoginFailures, UserSession
from atrisk.services import throttle, tokens, users
from atrisk.services.credentials import CONCURRENT_PASSWORD_HASHES
from atrisk.settings import DEVELOPMENT_SECRET_KEY, Settings
from atrisk.web.caller import SECURE_SESSION_COOKIE, SESSION_COOKIE
from tests.utils.accounts import PASSWORD, add_user, http_client, provision
from tests.utils.fixtures import BACKENDS
from tests.utils.graphql import ADD, post
from tests.utils.live import LiveServer, live_server, run_async
from tests.utils.server import run_cli

ME = "{ me { email role userId company { id name currency timezone } } }"
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
        "userId": admin.id,
        "company": {"id": company.id, "name": "Acme Alarms", "currency": "USD", "timezone": "UTC"},
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


async def test_viewer_me(viewer_client, viewer, company):
    body = await post(viewer_client, ME)
    assert body["data"]["me"] == {
        "email": "viewer@acme.example",
        "role": "VIEWER",
        "userId": viewer.id,
        "company": {"id": company.id, "name": "Acme Alarms", "currency": "USD", "timezone": "UTC"},
    }


async def test_token_me_has_no_email_and_is_read_only(token_client, company):
    body = await post(token_client, ME)
    assert body["data"]["me"] == {
        "email": None,
        "role": "VIEWER",
        "userId": None,
        "company": {"id": company.id, "name": "Acme Alarms", "currency": "USD", "timezone": "UTC"},
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
    assert me["company"] == {
        "id": other_company.id,
        "name": "Beta Security",
        "currency": "USD",
        "timezone": "UTC",
    }


# -- against a real server: concurrency, memory, proxies, the cookie's name -------------------

ACME_ADMIN = "admin@acme.example"


async def burst(
    server: LiveServer, attempts: list[tuple[str, str]], **headers: str
) -> Counter[int]:
    """Send every (email, password) sign-in at once; count the answers by status."""
    limits = httpx.Limits(max_connections=len(attempts))
    async with httpx.AsyncClient(base_url=server.base_url, timeout=120, limits=limits) as client:
        answers = await asyncio.gather(
            *(
                client.post("/auth/login", json={"email": e, "password": p}, headers=headers)
                for e, p in attempts
            )
        )
    return Counter(answer.status_code for answer in answers)


@pytest.fixture(params=BACKENDS)
def fresh_live(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveServer]:
    """A real server of its own (its throttle counters are this test's alone)."""
    with live_server(request.param, tmp_path) as running:
        yield running


def test_a_burst_of_wrong_passwords_gets_at_most_five_checks(fresh_live):
    statuses = run_async(burst(fresh_live, [(ACME_ADMIN, f"wrong {n}") for n in range(60)]))
    assert set(statuses) <= {401, 429}, statuses
    assert statuses[401] <= throttle.ACCOUNT_LIMIT, statuses
    assert statuses[429] >= 60 - throttle.ACCOUNT_LIMIT, statuses
    # The account itself is now over its limit: even its password waits for the window.
    after = httpx.post(
        f"{fresh_live.base_url}/auth/login", json={"email": ACME_ADMIN, "password": PASSWORD}
    )
    assert after.status_code == 429


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) / 1024  # type: ignore[index]


def rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status)[1]) / 1024  # type: ignore[index]


def test_a_burst_of_300_sign_ins_keeps_memory_bounded(tmp_path):
    """Each argon2 check holds 64 MiB; at most CONCURRENT_PASSWORD_HASHES run at once."""
    with live_server("sqlite", tmp_path) as server:
        pid = server.server.process.pid
        baseline = rss_mib(pid)
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # restart the peak from here
        emails = [f"nobody{n}@acme.example" for n in range(60)]
        attempts = [(email, "wrong") for email in emails for _ in range(5)]
        statuses = run_async(burst(server, attempts))
        growth = peak_rss_mib(pid) - baseline
    assert set(statuses) <= {401, 429}, statuses
    print(f"RSS {baseline:.0f} MiB before the burst, peak {baseline + growth:.0f} MiB")
    # Two checks at 64 MiB each, and room for the rest; unbounded, the thread pool alone
    # runs six at once (about 400 MiB).
    assert CONCURRENT_PASSWORD_HASHES == 2
    assert growth < 3 * 64, f"the burst grew the server by {growth:.0f} MiB"


def test_the_right_password_of_another_account_signs_in_from_a_throttled_address(
    fresh_live, tmp_path
):
    run_cli(
        [
            "create-company",
            "Beta Security",
            "--admin-email",
            "admin@beta.example",
            "--password",
            PASSWORD,
        ],
        fresh_live.database_url,
        tmp_path,
    ).check_returncode()
    guesses = [(ACME_ADMIN, "wrong")] * 6 + [(f"n{n}@acme.example", "x") for n in range(20)]
    statuses = run_async(burst(fresh_live, guesses))
    assert statuses[401] <= throttle.ADDRESS_LIMIT, statuses
    assert statuses[429] >= 6, statuses
    login = f"{fresh_live.base_url}/auth/login"
    # Company B's admin, behind the same address, with the right password: signed in.
    beta = httpx.post(login, json={"email": "admin@beta.example", "password": PASSWORD})
    assert beta.status_code == 200, beta.text
    # A wrong guess from the address is backed off; the account over its own limit waits.
    wrong = httpx.post(login, json={"email": "admin@beta.example", "password": "wrong"})
    assert wrong.status_code == 429
    assert "from your network" in wrong.json()["message"]
    assert int(wrong.headers["retry-after"]) > 0
    acme = httpx.post(login, json={"email": ACME_ADMIN, "password": PASSWORD})
    assert acme.status_code == 429
    assert acme.json()["message"].startswith("Too many failed sign-in attempts.")


def fail_from(server: LiveServer, *forwarded_for: str) -> list[int]:
    """One failed sign-in per X-Forwarded-For value; their statuses."""
    return [
        httpx.post(
            f"{server.base_url}/auth/login",
            json={"email": f"guess{number}@acme.example", "password": "x"},
            headers={"X-Forwarded-For": value},
        ).status_code
        for number, value in enumerate(forwarded_for)
    ]


def address_counts(server: LiveServer, *addresses: str) -> dict[str, int]:
    """The address counters the server keeps (its key is the development key)."""
    hashes = {
        throttle.address_limit(DEVELOPMENT_SECRET_KEY.encode(), address).key_hash: address
        for address in addresses
    }
    path = server.database_url.split("///", 1)[1]
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT key_hash, failures FROM login_failures").fetchall()
    return {hashes[key]: failures for key, failures in rows if key in hashes}


def test_trusted_proxies_give_each_client_its_own_address(tmp_path):
    with live_server("sqlite", tmp_path, {"ATRISK_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        # The last hop the proxy did not add is the client; what the client wrote before
        # it counts for nothing.
        statuses = fail_from(server, "203.0.113.7", "203.0.113.7", "198.51.100.1, 203.0.113.8")
        counts = address_counts(server, "127.0.0.1", "203.0.113.7", "203.0.113.8", "198.51.100.1")
    assert statuses == [401, 401, 401]
    # Nothing counted for the proxy itself.
    assert counts.get("127.0.0.1", 0) == 0, counts
    assert {address: n for address, n in counts.items() if n} == {
        "203.0.113.7": 2,
        "203.0.113.8": 1,
    }


def test_without_trusted_proxies_x_forwarded_for_is_ignored(tmp_path):
    with live_server("sqlite", tmp_path) as server:
        statuses = fail_from(server, "203.0.113.7", "203.0.113.8", "203.0.113.9")
        counts = address_counts(server, "127.0.0.1", "203.0.113.7", "203.0.113.8")
    assert statuses == [401, 401, 401]
    # The three failures count for the peer.
    assert counts == {"127.0.0.1": 3}, "every spoofed address counted as the peer's"


def test_old_sign_in_counters_are_purged(tmp_path):
    with live_server("sqlite", tmp_path) as server:
        path = tmp_path / "atrisk.db"
        old = (utcnow() - throttle.WINDOW * 3).replace(tzinfo=None).isoformat(sep=" ")
        recent = utcnow().replace(tzinfo=None).isoformat(sep=" ")
        with closing(sqlite3.connect(path)) as db, db:
            db.executemany(
                "INSERT INTO login_failures VALUES (?, ?, ?)",
                [(f"old{n}", 3, old) for n in range(5)] + [("recent", 3, recent)],
            )
        httpx.post(
            f"{server.base_url}/auth/login", json={"email": "x@acme.example", "password": "x"}
        )
        with closing(sqlite3.connect(path)) as db:
            keys = {row[0] for row in db.execute("SELECT key_hash FROM login_failures")}
    assert not any(key.startswith("old") for key in keys), keys
    assert "recent" in keys


def test_over_https_the_session_cookie_has_the_host_prefix(tmp_path):
    with live_server("sqlite", tmp_path, {"ATRISK_TRUSTED_PROXIES": "127.0.0.1"}) as server:
        provision(server.server.env)
        https = {"X-Forwarded-Proto": "https"}
        origin = {"Origin": f"https://127.0.0.1:{server.port}"}
        with httpx.Client(base_url=server.base_url) as client:
            login = client.post("/auth/login", json=GOOD, headers=https | origin)
            assert login.status_code == 200, login.text
            cookie = login.headers["set-cookie"]
            value = login.cookies[SECURE_SESSION_COOKIE]
            plain = client.post("/auth/login", json=GOOD, headers={"Origin": server.base_url})

        def me(name: str, **headers: str) -> list[str]:
            with httpx.Client(base_url=server.base_url, cookies={name: value}) as client:
                body = client.post("/graphql", json={"query": ME}, headers=headers).json()
            return [error["extensions"]["code"] for error in body.get("errors", [])]

        assert me(SECURE_SESSION_COOKIE, **https) == []
        assert me(SESSION_COOKIE, **https) == ["UNAUTHENTICATED"], "the http name on https"
        assert me(SECURE_SESSION_COOKIE) == ["UNAUTHENTICATED"], "the https name on http"
        # Behind the proxy the page's origin is https: that is same-origin, http is not.
        with httpx.Client(base_url=server.base_url, cookies={SECURE_SESSION_COOKIE: value}) as c:
            add = {"query": ADD, "variables": {"input": {"category": "REASON", "name": "Ok"}}}
            same = c.post("/graphql", json=add, headers=https | origin)
            cross = c.post("/graphql", json=add, headers=https | {"Origin": server.base_url})
    assert cookie.startswith(f"{SECURE_SESSION_COOKIE}=")
    attributes = [part.strip().lower() for part in cookie.split(";")]
    assert {"secure", "path=/", "httponly"} <= set(attributes)
    assert not any(part.startswith("domain") for part in attributes)
    assert plain.headers["set-cookie"].startswith(f"{SESSION_COOKIE}=")
    assert same.status_code == 200, same.text
    assert same.json()["data"]["addAtRiskEntry"]["name"] == "Ok"
    assert cross.status_code == 403
