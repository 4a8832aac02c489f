"""The settings API: people, API tokens, the company, one's own password and sessions.

Each test runs on SQLite and PostgreSQL against the real app; what a mutation promises is
checked in the database and on the very next request (a deactivated person, a revoked
token, an ended session are refused at once).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import func, select, text

from atrisk.db.types import new_id
from atrisk.domain.accounts import Role
from atrisk.models.accounts import ApiToken, UserSession
from atrisk.models.audit import AuditEvent
from atrisk.models.companies import Company
from atrisk.services import throttle
from tests.utils.accounts import PASSWORD, add_user, http_client, session_cookie
from tests.utils.graphql import post
from tests.utils.settings_api import (
    CREATE_USER,
    RESET_PASSWORD,
    REVOKE_TOKEN,
    UPDATE_USER,
    SettingsApi,
)

ME = "{ me { email role company { name currency timezone } } }"


@pytest.fixture
def settings_api(client) -> SettingsApi:
    return SettingsApi(client)


async def events(db, company_id: str, entity: str | None = None) -> list[dict[str, Any]]:
    """The company's history events, oldest first, as plain dicts."""
    query = select(AuditEvent).where(AuditEvent.company_id == company_id)
    if entity is not None:
        query = query.where(AuditEvent.entity_type == entity)
    async with db.read() as session:
        rows = (await session.execute(query.order_by(AuditEvent.at, AuditEvent.id))).scalars()
        return [
            {
                "actor": row.actor,
                "action": row.action,
                "entity": row.entity_type,
                "id": row.entity_id,
                "label": row.entity_label,
                "changes": json.loads(row.changes),
            }
            for row in rows
        ]


async def accounts_version(db, company_id: str) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(select(Company.accounts_version).where(Company.id == company_id))
            or 0
        )


async def session_count(db, user_id: str) -> int:
    async with db.read() as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(UserSession).where(UserSession.user_id == user_id)
            )
            or 0
        )


async def sign_in(app, email: str, password: str) -> int:
    async with http_client(app) as anonymous:
        response = await anonymous.post("/auth/login", json={"email": email, "password": password})
        return response.status_code


async def everything(db) -> str:
    """Every row of every table, as one text (to search for what must not be stored)."""
    dump = []
    async with db.read() as session:
        for table in ("companies", "users", "api_tokens", "audit_events", "sessions"):
            rows = (await session.execute(text(f"SELECT * FROM {table}"))).all()
            dump += [repr(tuple(row)) for row in rows]
    return "\n".join(dump)


async def one_new_event(db, company_id: str, before: list[dict[str, Any]]) -> dict[str, Any]:
    after = await events(db, company_id)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1, after[len(before) :]
    return after[-1]


# -- people ---------------------------------------------------------------------------------


async def test_create_user_with_a_generated_password_shown_once(
    app, settings_api, db, company, admin
):
    version = await accounts_version(db, company.id)
    before = await events(db, company.id)
    created = await settings_api.create_user(
        " New.Person@ACME.example ", "AGENT", name="  Jo   Doe "
    )
    assert created["__typename"] == "CreatedUser"
    user, password = created["user"], created["password"]
    assert user["email"] == "new.person@acme.example"
    assert user["name"] == "Jo Doe"
    assert (user["role"], user["active"], user["lastSignInAt"]) == ("AGENT", True, None)
    assert len(password or "") >= 16
    assert await accounts_version(db, company.id) > version
    event = await one_new_event(db, company.id, before)
    assert (event["action"], event["entity"], event["id"]) == ("CREATE", "USER", user["id"])
    assert event["actor"] == "admin@acme.example"
    assert {c["field"] for c in event["changes"]} == {"email", "name", "role", "active"}

    assert await sign_in(app, "new.person@acme.example", password) == 200
    listed = {row["email"]: row for row in await settings_api.users()}
    assert listed["new.person@acme.example"]["lastSignInAt"] is not None
    assert password not in await everything(db)


async def test_create_user_with_a_password_of_the_admins_choice(app, settings_api, db, company):
    created = await settings_api.create_user("chosen@acme.example", password="chosen password 1")
    assert created["__typename"] == "CreatedUser"
    assert created["password"] is None
    assert created["user"]["name"] is None
    assert await sign_in(app, "chosen@acme.example", "chosen password 1") == 200


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not an email"}, "email", "Email must look like name@example.com."),
        ({"email": "ADMIN@acme.example"}, "email", "already exists"),
        ({"email": "admin@beta.example"}, "email", "already exists"),
        ({"password": "short"}, "password", "at least 8 characters"),
        ({"name": "x" * 101}, "name", "Name must be at most 100 characters."),
        ({"name": "Jo\x07"}, "name", "control characters"),
    ],
)
async def test_create_user_refuses_bad_input_and_changes_nothing(
    settings_api, db, company, admin, other_client, fields, field, message
):
    before = await everything(db)
    result = await settings_api.create_user(
        **{"email": "fresh@acme.example", "role": "VIEWER", **fields}
    )
    assert result["__typename"] == "ValidationError"
    assert result["field"] == field
    assert message in result["message"]
    assert await everything(db) == before


async def test_update_user_changes_the_given_fields_only(settings_api, db, company, viewer):
    before = await events(db, company.id)
    updated = await settings_api.update_user(viewer.id, name="Vera Viewer", role="AGENT")
    assert updated["__typename"] == "User"
    assert (updated["name"], updated["role"], updated["active"]) == ("Vera Viewer", "AGENT", True)
    event = await one_new_event(db, company.id, before)
    assert event["action"] == "UPDATE"
    assert event["changes"] == [
        {"field": "name", "from": None, "to": "Vera Viewer"},
        {"field": "role", "from": "VIEWER", "to": "AGENT"},
    ]
    cleared = await settings_api.update_user(viewer.id, name=None)
    assert (cleared["name"], cleared["role"]) == (None, "AGENT")

    before = await events(db, company.id)
    same = await settings_api.update_user(viewer.id, role="AGENT")
    assert same["__typename"] == "User"
    assert await events(db, company.id) == before, "no change, no event"

    for field in ("role", "active"):
        refused = await settings_api.update_user(viewer.id, **{field: None})
        assert (refused["__typename"], refused["field"]) == ("ValidationError", field)


async def test_deactivation_ends_the_persons_sessions_at_once(
    app, settings_api, db, company, viewer, viewer_client
):
    assert "errors" not in await post(viewer_client, ME)
    before = await events(db, company.id)
    result = await settings_api.update_user(viewer.id, active=False)
    assert (result["__typename"], result["active"]) == ("User", False)
    refused = await post(viewer_client, ME)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await session_count(db, viewer.id) == 0
    event = await one_new_event(db, company.id, before)
    assert event["changes"] == [
        {"field": "active", "from": "true", "to": "false"},
        {"field": "sessions", "from": "1", "to": "0"},
    ]
    assert await sign_in(app, viewer.email, PASSWORD) == 401

    listed = {row["email"]: row["active"] for row in await settings_api.users()}
    assert listed[viewer.email] is False, "admins still see the deactivated"

    again = await settings_api.update_user(viewer.id, active=True)
    assert again["active"] is True
    still = await post(viewer_client, ME)
    assert still["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", "old sessions stay ended"
    assert await sign_in(app, viewer.email, PASSWORD) == 200


async def test_the_last_active_admin_is_neither_demoted_nor_deactivated(
    settings_api, db, company, admin
):
    before = await everything(db)
    for fields, field in (
        ({"role": "VIEWER"}, "role"),
        ({"role": "AGENT"}, "role"),
        ({"active": False}, "active"),
        ({"role": "VIEWER", "active": False}, "role"),
    ):
        refused = await settings_api.update_user(admin.id, **fields)
        assert refused["__typename"] == "ValidationError", fields
        assert refused["field"] == field
        assert "last active admin" in refused["message"]
    assert await everything(db) == before

    second = (await settings_api.create_user("second@acme.example", "ADMIN"))["user"]
    demoted = await settings_api.update_user(second["id"], role="VIEWER")
    assert demoted["role"] == "VIEWER"
    again = await settings_api.update_user(admin.id, active=False)
    assert again["__typename"] == "ValidationError"

    promoted = await settings_api.update_user(second["id"], role="ADMIN")
    assert promoted["role"] == "ADMIN"
    deactivated = await settings_api.update_user(second["id"], active=False)
    assert deactivated["active"] is False
    # A deactivated admin is no admin: the one left is the last again.
    refused = await settings_api.update_user(admin.id, role="AGENT")
    assert refused["__typename"] == "ValidationError"


async def test_an_admin_may_step_down_while_another_admin_remains(
    client, settings_api, company, admin
):
    await settings_api.create_user("second@acme.example", "ADMIN")
    stepped = await settings_api.update_user(admin.id, role="VIEWER")
    assert stepped["role"] == "VIEWER"
    refused = await post(client, CREATE_USER, {"input": {"email": "x@y.example", "role": "VIEWER"}})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", "the role counts at once"


async def test_reset_password_gives_a_new_one_once_and_ends_sessions(
    app, settings_api, db, company, admin, agent, agent_client
):
    assert "errors" not in await post(agent_client, ME)
    before = await events(db, company.id)
    result = await settings_api.reset_password(agent.id)
    assert result["__typename"] == "CreatedUser"
    assert result["user"]["id"] == agent.id
    password = result["password"]
    assert len(password or "") >= 16
    refused = await post(agent_client, ME)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await sign_in(app, agent.email, PASSWORD) == 401
    assert await sign_in(app, agent.email, password) == 200
    event = await one_new_event(db, company.id, before)
    assert event["changes"] == [
        {"field": "password", "from": None, "to": "reset"},
        {"field": "sessions", "from": "1", "to": "0"},
    ]
    assert password not in await everything(db)

    own = await settings_api.reset_password(admin.id)
    assert (own["__typename"], own["field"]) == ("ValidationError", "id")
    assert "Change password" in own["message"]


async def test_people_of_another_company_are_not_found_like_random_ids(
    db, company, admin, viewer, other_client
):
    before = await everything(db)
    for document, field, variables in (
        (UPDATE_USER, "updateUser", lambda i: {"input": {"id": i, "role": "ADMIN"}}),
        (UPDATE_USER, "updateUser", lambda i: {"input": {"id": i, "active": False}}),
        (RESET_PASSWORD, "resetUserPassword", lambda i: {"id": i}),
    ):
        for theirs in (viewer.id, admin.id):
            random = new_id()
            answer = (await post(other_client, document, variables(theirs)))["data"][field]
            control = (await post(other_client, document, variables(random)))["data"][field]
            assert answer["__typename"] == control["__typename"] == "NotFoundError"
            assert answer["message"].replace(theirs, "<id>") == control["message"].replace(
                random, "<id>"
            )
            assert answer["id"] == theirs
    assert await everything(db) == before


# -- API tokens -----------------------------------------------------------------------------


async def test_create_token_shows_its_secret_once(app, settings_api, db, company, admin):
    version = await accounts_version(db, company.id)
    before = await events(db, company.id)
    created = await settings_api.create_token("  Picker   app ", role="AGENT")
    assert created["__typename"] == "CreatedApiToken"
    token, row = created["token"], created["apiToken"]
    assert token.startswith("atr_")
    assert (row["name"], row["role"], row["createdBy"]) == ("Picker app", "AGENT", admin.email)
    assert (row["lastUsedAt"], row["revokedAt"]) == (None, None)
    assert await accounts_version(db, company.id) > version
    event = await one_new_event(db, company.id, before)
    assert (event["entity"], event["action"], event["label"]) == (
        "API_TOKEN",
        "CREATE",
        "Picker app",
    )
    assert token not in await everything(db)

    async with http_client(app, headers={"Authorization": f"Bearer {token}"}) as bearer:
        me = await post(bearer, ME)
    assert me["data"]["me"]["role"] == "AGENT"
    [listed] = await settings_api.tokens()
    assert listed["lastUsedAt"] is not None

    default = await settings_api.create_token("Reader")
    assert default["apiToken"]["role"] == "VIEWER"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "   "}, "name", "The name is required."),
        ({"name": "x" * 101}, "name", "at most 100 characters"),
        ({"name": "bad\x00name"}, "name", "control characters"),
        ({"name": "Taken"}, "name", 'already has a token named "Taken"'),
        ({"name": "New", "role": "ADMIN"}, "role", "never ADMIN"),
        ({"name": "New", "role": None}, "role", "VIEWER or AGENT"),
    ],
)
async def test_create_token_refuses_bad_input_and_changes_nothing(
    settings_api, db, company, fields, field, message
):
    await settings_api.create_token("Taken")
    before = await everything(db)
    result = await settings_api.create_token(**fields)
    assert result["__typename"] == "ValidationError"
    assert (result["field"], message in result["message"]) == (field, True), result
    assert await everything(db) == before


async def test_revoke_token_stops_it_at_once_and_keeps_it_listed(app, settings_api, db, company):
    created = await settings_api.create_token("Picker")
    token_id = created["apiToken"]["id"]
    async with http_client(app, headers={"Authorization": f"Bearer {created['token']}"}) as bearer:
        assert "errors" not in await post(bearer, ME)
        before = await events(db, company.id)
        revoked = await settings_api.revoke_token(token_id)
        assert revoked["__typename"] == "ApiToken"
        assert revoked["revokedAt"] is not None
        refused = await post(bearer, ME)
        assert refused["errors"][0]["extensions"]["reason"] == "revoked"
    event = await one_new_event(db, company.id, before)
    assert event["changes"] == [{"field": "revokedAt", "from": None, "to": revoked["revokedAt"]}]

    twice = await settings_api.revoke_token(token_id)
    assert twice == revoked, "revoking again is a no-op"
    assert len(await events(db, company.id)) == len(before) + 1, "and writes no second event"

    renewed = await settings_api.create_token("Picker")
    assert renewed["__typename"] == "CreatedApiToken", "a revoked token's name is free"
    listed = await settings_api.tokens()
    assert [row["id"] for row in listed] == [renewed["apiToken"]["id"], token_id], "newest first"
    assert {"__typename": "ApiToken", **listed[1]} == revoked


async def test_tokens_of_another_company_are_not_found_like_random_ids(
    settings_api, db, company, other_client
):
    theirs = (await settings_api.create_token("Theirs"))["apiToken"]["id"]
    before = await everything(db)
    random = new_id()
    answer = (await post(other_client, REVOKE_TOKEN, {"id": theirs}))["data"]["revokeApiToken"]
    control = (await post(other_client, REVOKE_TOKEN, {"id": random}))["data"]["revokeApiToken"]
    assert answer["__typename"] == control["__typename"] == "NotFoundError"
    assert answer["message"].replace(theirs, "<id>") == control["message"].replace(random, "<id>")
    assert await everything(db) == before
    assert await SettingsApi(other_client).tokens() == []
    malformed = (await post(other_client, REVOKE_TOKEN, {"id": "'; DROP TABLE x"}))["data"]
    assert malformed["revokeApiToken"]["__typename"] == "NotFoundError"


# -- the company ----------------------------------------------------------------------------


async def test_update_company_name_currency_and_time_zone(client, settings_api, db, company):
    before = await events(db, company.id)
    result = await settings_api.update_company(
        name=" Acme  Alarms East ", currency=" eur ", timezone="europe/paris"
    )
    assert result == {
        "__typename": "Company",
        "id": company.id,
        "name": "Acme Alarms East",
        "currency": "EUR",
        "timezone": "Europe/Paris",
    }
    me = (await post(client, ME))["data"]["me"]["company"]
    assert me == {"name": "Acme Alarms East", "currency": "EUR", "timezone": "Europe/Paris"}
    event = await one_new_event(db, company.id, before)
    assert (event["entity"], event["action"]) == ("COMPANY", "UPDATE")
    assert event["changes"] == [
        {"field": "name", "from": "Acme Alarms", "to": "Acme Alarms East"},
        {"field": "currency", "from": "USD", "to": "EUR"},
        {"field": "timezone", "from": "UTC", "to": "Europe/Paris"},
    ]
    before = await events(db, company.id)
    same = await settings_api.update_company(currency="EUR")
    assert same["currency"] == "EUR"
    assert await events(db, company.id) == before, "no change, no event"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"currency": "XYZ"}, "currency", "not an ISO 4217 currency code"),
        ({"currency": "EURO"}, "currency", "not an ISO 4217"),
        ({"currency": None}, "currency", "The currency is required."),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "not an IANA time zone"),
        ({"timezone": "CEST+2"}, "timezone", "not an IANA time zone"),
        ({"timezone": None}, "timezone", "The time zone is required."),
        ({"name": "  "}, "name", "The name is required."),
        ({"name": "beta   SECURITY"}, "name", 'A company named "beta SECURITY" already exists.'),
        ({"name": "x" * 201}, "name", "at most 200 characters"),
    ],
)
async def test_update_company_refuses_bad_input_and_changes_nothing(
    settings_api, db, company, other_client, fields, field, message
):
    before = await everything(db)
    result = await settings_api.update_company(**fields)
    assert result["__typename"] == "ValidationError"
    assert result["field"] == field
    assert message in result["message"]
    assert await everything(db) == before


# -- yourself -------------------------------------------------------------------------------


async def test_change_password_ends_the_other_sessions_and_keeps_this_one(
    app, client, settings_api, db, company, admin
):
    other = await session_cookie(app, admin)
    before = await events(db, company.id)
    result = await settings_api.change_password(PASSWORD, "a brand new password")
    assert result == {"__typename": "SignedOut", "sessions": 1}
    assert "errors" not in await post(client, ME), "this session stays"
    async with http_client(app, cookies=other) as elsewhere:
        refused = await post(elsewhere, ME)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await sign_in(app, admin.email, PASSWORD) == 401
    assert await sign_in(app, admin.email, "a brand new password") == 200
    event = await one_new_event(db, company.id, before)
    assert event["changes"] == [
        {"field": "password", "from": None, "to": "changed"},
        {"field": "sessions", "from": "1", "to": "0"},
    ]
    assert event["actor"] == admin.email


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        ("wrong password", "a brand new password", "currentPassword", "not correct"),
        (PASSWORD, "short", "newPassword", "at least 8 characters"),
        (PASSWORD, PASSWORD, "newPassword", "different from the current one"),
    ],
)
async def test_change_password_refuses_bad_input_and_changes_nothing(
    client, settings_api, db, company, current, new, field, message
):
    before = await everything(db)
    result = await settings_api.change_password(current, new)
    assert result["__typename"] == "ValidationError"
    assert (result["field"], message in result["message"]) == (field, True), result
    assert await everything(db) == before
    assert "errors" not in await post(client, ME)


async def test_wrong_current_passwords_are_throttled_like_sign_ins(
    app, settings_api, db, company, admin
):
    for _ in range(throttle.ACCOUNT_LIMIT):
        wrong = await settings_api.change_password("wrong password", "a brand new password")
        assert "not correct" in wrong["message"]
    before = await everything(db)
    blocked = await settings_api.change_password(PASSWORD, "a brand new password")
    assert blocked["__typename"] == "ValidationError"
    assert blocked["field"] == "currentPassword"
    assert "Too many wrong passwords" in blocked["message"]
    assert "Try again in 15 minutes." in blocked["message"]
    assert await everything(db) == before, "refused without being checked"
    assert await sign_in(app, admin.email, PASSWORD) == 429, "the same count as sign-in"


async def test_sign_out_everywhere_ends_every_session_this_one_included(
    app, client, settings_api, db, company, admin
):
    other = await session_cookie(app, admin)
    before = await events(db, company.id)
    response = await client.post(
        "/graphql", json={"query": "mutation { signOutEverywhere { sessions } }"}
    )
    assert response.json() == {"data": {"signOutEverywhere": {"sessions": 2}}}
    assert "atrisk_session=" in response.headers["set-cookie"]
    assert "Max-Age=0" in response.headers["set-cookie"]
    assert await session_count(db, admin.id) == 0
    async with http_client(app, cookies=other) as elsewhere:
        refused = await post(elsewhere, ME)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    event = await one_new_event(db, company.id, before)
    assert event["changes"] == [{"field": "sessions", "from": "2", "to": "0"}]


# -- secrets, history and versions ----------------------------------------------------------

QUERIES = {
    "me": ME,
    "users": "{ users { id email name role active lastSignInAt } }",
    "apiTokens": "{ apiTokens { id name role createdAt createdBy lastUsedAt revokedAt } }",
    "auditEvents": "{ auditEvents(first: 200) { nodes { id at actor action entityType "
    "entityId entityLabel changes { field from to } } } }",
}


async def test_secrets_are_never_returned_again_logged_or_kept(
    app, client, settings_api, db, company, viewer, caplog
):
    caplog.set_level(logging.DEBUG)
    chosen = "a chosen secret password"
    made = await settings_api.create_user("new@acme.example", "VIEWER")
    own = await settings_api.create_user("own@acme.example", "VIEWER", password=chosen)
    reset = await settings_api.reset_password(viewer.id)
    token = await settings_api.create_token("Secret app")
    changed = "my new secret password"
    await settings_api.change_password(PASSWORD, changed)
    secrets = [made["password"], reset["password"], token["token"], chosen, changed]
    assert own["password"] is None
    await settings_api.update_user(made["user"]["id"], active=False)
    await settings_api.revoke_token(token["apiToken"]["id"])
    await settings_api.update_company(timezone="America/New_York")

    for name, query in QUERIES.items():
        body = json.dumps(await post(client, query))
        assert "errors" not in body, (name, body)
        for secret in secrets:
            assert secret not in body, name
    stored = await everything(db)
    logged = caplog.text
    for secret in secrets:
        assert secret not in stored
        assert secret not in logged
    history = json.dumps(await events(db, company.id))
    for secret in (*secrets, PASSWORD):
        assert secret not in history
    assert "argon2" not in history


async def test_every_change_writes_one_event_and_bumps_the_accounts_version(
    app, client, settings_api, db, company, viewer
):
    second = await add_user(db, company, "boss2@acme.example", Role.ADMIN)
    token_id = (await settings_api.create_token("A"))["apiToken"]["id"]
    steps = [
        ("USER", lambda: settings_api.create_user("n@acme.example", "VIEWER")),
        ("USER", lambda: settings_api.update_user(viewer.id, role="AGENT")),
        ("USER", lambda: settings_api.update_user(second.id, active=False)),
        ("USER", lambda: settings_api.reset_password(viewer.id)),
        ("API_TOKEN", lambda: settings_api.create_token("B")),
        ("API_TOKEN", lambda: settings_api.revoke_token(token_id)),
        ("COMPANY", lambda: settings_api.update_company(currency="GBP")),
        ("USER", lambda: settings_api.change_password(PASSWORD, "yet another password")),
        ("USER", lambda: settings_api.sign_out_everywhere()),
    ]
    for entity, step in steps:
        version = await accounts_version(db, company.id)
        before = await events(db, company.id)
        result = await step()
        assert not str(result.get("__typename", "")).endswith("Error"), result
        event = await one_new_event(db, company.id, before)
        assert event["entity"] == entity
        assert await accounts_version(db, company.id) > version, entity


async def test_unknown_ids_answer_not_found(settings_api, db, company):
    for raw in (new_id(), "nonsense", ""):
        assert (await settings_api.update_user(raw, name="X"))["__typename"] == "NotFoundError"
        assert (await settings_api.reset_password(raw))["__typename"] == "NotFoundError"
        assert (await settings_api.revoke_token(raw))["__typename"] == "NotFoundError"
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(ApiToken)) == 0
