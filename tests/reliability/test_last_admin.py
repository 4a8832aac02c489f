"""The last active admin, under concurrent demotions and deactivations through a real server.

Twenty admins each demote (then deactivate) the next one at the same moment, every request
on its own connection to a real `atrisk serve`. However the requests interleave, the company
keeps at least one active admin, every acknowledged change is stored, and every refusal
names a person who is still an active admin.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import ADMIN_EMAIL, PASSWORD
from tests.utils.graphql import post
from tests.utils.live import LiveServer
from tests.utils.settings_api import UPDATE_USER, SettingsApi

ADMINS = 20


EMAILS = [ADMIN_EMAIL] + [f"admin{i}@acme.example" for i in range(1, ADMINS)]


async def login(live: LiveServer, email: str) -> httpx.Response:
    async with httpx.AsyncClient(base_url=live.base_url, timeout=30) as anonymous:
        return await anonymous.post("/auth/login", json={"email": email, "password": PASSWORD})


async def sign_in(live: LiveServer, email: str) -> httpx.AsyncClient:
    response = await login(live, email)
    assert response.status_code == 200, response.text
    return httpx.AsyncClient(
        base_url=live.base_url,
        timeout=60,
        cookies={SESSION_COOKIE: response.cookies[SESSION_COOKIE]},
    )


@pytest.fixture(scope="module")
def admin_emails(live: LiveServer) -> list[str]:
    """ADMINS admins of the company: the first one and ADMINS - 1 more."""
    emails = EMAILS

    async def add() -> None:
        async with live.client() as client:
            api = SettingsApi(client)
            for email in emails[1:]:
                made = await api.create_user(email, "ADMIN", password=PASSWORD)
                assert made["__typename"] == "CreatedUser", made

    asyncio.run(add())
    return emails


@pytest.fixture
async def admins(live: LiveServer, admin_emails: list[str]) -> AsyncIterator[list[Any]]:
    """One signed-in client per admin, each with its own open connection, and their ids."""
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(await sign_in(live, email)) for email in admin_emails
        ]
        await asyncio.gather(*(client.get("/healthz") for client in clients))
        people = {row["email"]: row["id"] for row in await SettingsApi(clients[0]).users()}
        yield [(client, people[email]) for client, email in zip(clients, admin_emails, strict=True)]


async def race(admins: list[Any], change: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Each admin changes the next one at once; (target id, answer) for each."""
    targets = [admins[(i + 1) % len(admins)][1] for i in range(len(admins))]
    answers = await asyncio.gather(
        *(
            post(client, UPDATE_USER, {"input": {"id": target, **change}})
            for (client, _), target in zip(admins, targets, strict=True)
        )
    )
    return list(zip(targets, answers, strict=True))


async def active_admins(live: LiveServer) -> tuple[httpx.AsyncClient, set[str]]:
    """A fresh client of an active admin, and the ids of the company's active admins."""
    for email in EMAILS:
        response = await login(live, email)
        if response.status_code == 200 and response.json()["role"] == "ADMIN":
            client = httpx.AsyncClient(
                base_url=live.base_url,
                timeout=60,
                cookies={SESSION_COOKIE: response.cookies[SESSION_COOKIE]},
            )
            rows = await SettingsApi(client).users()
            return client, {row["id"] for row in rows if row["role"] == "ADMIN" and row["active"]}
    raise AssertionError("the company was left without an active admin")


def outcome(answer: dict[str, Any], field: str) -> str:
    """changed, refused (the last admin) or forbidden (the sender lost its rights first)."""
    if "errors" in answer:
        assert answer["errors"][0]["extensions"]["code"] in {"FORBIDDEN", "UNAUTHENTICATED"}
        return "forbidden"
    result = answer["data"]["updateUser"]
    if result["__typename"] == "User":
        return "changed"
    assert result["__typename"] == "ValidationError", result
    assert result["field"] == field
    assert "last active admin" in result["message"]
    return "refused"


def check(answers: list[tuple[str, dict[str, Any]]], remaining: set[str], field: str) -> None:
    kinds: dict[str, set[str]] = {"changed": set(), "refused": set(), "forbidden": set()}
    for target, answer in answers:
        kinds[outcome(answer, field)].add(target)
    assert remaining, "the company was left without an active admin"
    assert not kinds["changed"] & remaining, "an acknowledged change was lost"
    assert kinds["refused"] <= remaining, "a refusal named someone who is not the last admin"
    assert len(kinds["changed"]) + len(remaining) == ADMINS, (kinds, remaining)


async def test_twenty_concurrent_demotions_leave_an_admin(live: LiveServer, admins) -> None:
    answers = await race(admins, {"role": "VIEWER"})
    keeper, remaining = await active_admins(live)
    await keeper.aclose()
    check(answers, remaining, "role")


async def test_twenty_concurrent_deactivations_leave_an_admin(live: LiveServer, admins) -> None:
    keeper, _ = await active_admins(live)
    try:
        api = SettingsApi(keeper)
        for _, person in admins:  # everyone an active admin again
            restored = await api.update_user(person, role="ADMIN", active=True)
            assert (restored["role"], restored["active"]) == ("ADMIN", True), restored
    finally:
        await keeper.aclose()
    answers = await race(admins, {"active": False})
    keeper, remaining = await active_admins(live)
    await keeper.aclose()
    check(answers, remaining, "active")
    # A deactivated admin's session ends at once: the very next request is refused.
    for client, person in admins:
        if person not in remaining:
            refused = await post(client, "{ me { email } }")
            assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
