"""History over GraphQL: one event per changed thing for every mutation, none for a refusal
or a no-op; no secret in any event; another company's events never show; faults leave
neither the change nor its event."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from tests.utils.cases_api import CasesApi
from tests.utils.graphql import Api, gql, post

EVENTS = """
query($filter: AuditFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    nodes { id at actor action entityType entityId entityLabel changes { field from to } }
    pageInfo { hasNextPage endCursor }
  }
}"""


async def events(client, **filter_: Any) -> list[dict[str, Any]]:
    data = await gql(client, EVENTS, {"filter": filter_ or None, "first": 200})
    nodes: list[dict[str, Any]] = data["auditEvents"]["nodes"]
    return nodes


def fields(event: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    return {change["field"]: (change["from"], change["to"]) for change in event["changes"]}


async def test_each_change_is_one_event_with_its_fields(client, api: Api):
    entry = await api.add("REASON", "Moved away")
    await api.update(entry["id"], name="Moved abroad", active=False)
    await api.update(entry["id"], name="Moved abroad")  # no change: no event
    refused = await api.update(entry["id"], name="")  # refused: no event
    assert refused["__typename"] == "ValidationError"
    await api.delete(entry["id"])
    logged = await events(client, entityId=entry["id"])
    assert [(e["action"], e["actor"], e["entityLabel"]) for e in logged] == [
        ("DELETE", "admin@acme.example", "Moved abroad"),
        ("UPDATE", "admin@acme.example", "Moved abroad"),
        ("CREATE", "admin@acme.example", "Moved away"),
    ]
    delete, update, create = logged
    assert fields(create) == {
        "name": (None, "Moved away"),
        "active": (None, "true"),
        "position": (None, "1"),
    }
    assert fields(update) == {"name": ("Moved away", "Moved abroad"), "active": ("true", "false")}
    assert fields(delete) == {
        "name": ("Moved abroad", None),
        "active": ("false", None),
        "position": ("1", None),
    }


async def test_a_case_keeps_its_story(client, api: Api):
    cases_api = CasesApi(client)
    reason = (await api.add("REASON", "Price increase"))["id"]
    resolution = (await api.add("RESOLUTION", "Rate adjusted"))["id"]
    credit = (await api.add("CREDIT_REASON", "Month waived"))["id"]
    customer = await cases_api.create_customer(name="Jane Doe", rmr="49.90")
    case = await cases_api.flag(customer["id"], reason, "HIGH")
    await cases_api.attempt(case["id"], "PHONE", "Offered a rate")
    await cases_api.credit(case["id"], credit, "15.00")
    await cases_api.update_case(case["id"], riskLevel="HIGH")  # the same: no event
    await cases_api.close(case["id"], "LOST", resolutionId=resolution)
    story_query = """query($id: ID!, $c: ID!) {
      atRiskCase(id: $id) { history { action actor entityLabel changes { field from to } } }
      customer(id: $c) { history { action changes { field from to } } }
    }"""
    data = await gql(client, story_query, {"id": case["id"], "c": customer["id"]})
    story = data["atRiskCase"]["history"]
    assert [e["action"] for e in story] == ["UPDATE", "UPDATE", "UPDATE", "CREATE"]
    assert {e["entityLabel"] for e in story} == {"Jane Doe"}
    closed, credited, attempted, flagged = story
    assert fields(attempted) == {"attempt": (None, "PHONE: Offered a rate")}
    assert fields(credited) == {"credit": (None, "15.00 (Month waived)")}
    assert fields(closed)["status"] == ("OPEN", "LOST")
    assert fields(closed)["rmrRetained"] == (None, "0.00")
    assert fields(flagged)["rmrAtRisk"] == (None, "49.90")
    customer_story = data["customer"]["history"]
    assert [e["action"] for e in customer_story] == ["UPDATE", "CREATE"]
    assert fields(customer_story[0]) == {"status": ("ACTIVE", "CANCELLED")}


async def test_replace_on_delete_records_every_case_it_moved(client, api: Api):
    cases_api = CasesApi(client)
    doomed = (await api.add("REASON", "Doomed"))["id"]
    keeper = (await api.add("REASON", "Keeper"))["id"]
    moved = []
    for name in ("One", "Two"):
        customer = await cases_api.create_customer(name=name)
        moved.append((await cases_api.flag(customer["id"], doomed))["id"])
    await cases_api.delete_entry(doomed, replace_with=keeper)
    updates = [
        e for e in await events(client, entityType="AT_RISK_CASE") if e["action"] == "UPDATE"
    ]
    assert sorted(e["entityId"] for e in updates) == sorted(moved)
    assert all(fields(e) == {"reason": ("Doomed", "Keeper")} for e in updates)
    assert [e["action"] for e in await events(client, entityId=doomed)] == ["DELETE", "CREATE"]


async def test_history_pages_further_and_filters(client, api: Api):
    entry = await api.add("CAUSE", "Name 0")
    for number in range(1, 6):
        await api.update(entry["id"], name=f"Name {number}")
    first = await gql(
        client,
        "query($id: ID!) { atRiskEntry(id: $id) { history(first: 2) { id entityLabel } } }",
        {"id": entry["id"]},
    )
    page = first["atRiskEntry"]["history"]
    assert [e["entityLabel"] for e in page] == ["Name 5", "Name 4"]
    more_query = """query($id: ID!, $after: ID) {
      atRiskEntry(id: $id) { history(first: 10, after: $after) { entityLabel } }
    }"""
    more = await gql(client, more_query, {"id": entry["id"], "after": page[-1]["id"]})
    assert [e["entityLabel"] for e in more["atRiskEntry"]["history"]] == [
        "Name 3",
        "Name 2",
        "Name 1",
        "Name 0",
    ]
    seen, cursor = [], None
    while True:
        data = await gql(
            client, EVENTS, {"filter": {"entityId": entry["id"]}, "first": 4, "after": cursor}
        )
        seen += [e["entityLabel"] for e in data["auditEvents"]["nodes"]]
        if not data["auditEvents"]["pageInfo"]["hasNextPage"]:
            break
        cursor = data["auditEvents"]["pageInfo"]["endCursor"]
    assert seen == [f"Name {n}" for n in range(5, -1, -1)]
    assert await events(client, actor="nobody@acme.example") == []
    assert len(await events(client, actor="admin@acme.example", entityType="AT_RISK_ENTRY")) == 6
    future = await events(client, **{"from": "2999-01-01T00:00:00Z"})
    assert future == []


SECRET = "Secret-Passw0rd-Planted!"
RENAME = (
    "mutation($input: UpdateAtRiskEntryInput!) { updateAtRiskEntry(input: $input) { __typename } }"
)


async def test_no_secret_reaches_an_event(client, api: Api, app, db, company):
    """A password, a token and hashes in every input that could carry one: none in history."""
    from atrisk.domain.accounts import Role
    from atrisk.services import tokens, users

    await users.create_user(db, company.id, "new@acme.example", Role.VIEWER, SECRET)
    _, token = await tokens.create_token(db, app.state.settings.signing_key, company.id, "app")
    await post(
        client, 'mutation { addAtRiskEntry(input: {category: REASON, name: "x"}) { __typename } }'
    )
    async with db.read() as session:
        rows = (
            await session.execute(text("SELECT actor, entity_label, changes FROM audit_events"))
        ).all()
        hashes = (await session.execute(text("SELECT password_hash FROM users"))).scalars().all()
        token_hashes = (
            (await session.execute(text("SELECT token_hash FROM api_tokens"))).scalars().all()
        )
    everything = " ".join(" ".join(str(cell) for cell in row) for row in rows)
    for secret in (SECRET, token, *hashes, *token_hashes, "argon2"):
        assert secret not in everything
    assert len(rows) >= 3  # the person, the token and the entry were recorded


async def test_another_companys_events_never_show(client, api: Api, other_client, other_api: Api):
    mine = await api.add("REASON", "Only ours")
    await other_api.add("REASON", "Theirs")
    for filter_ in (
        {},
        {"entityId": mine["id"]},
        {"entityType": "AT_RISK_ENTRY"},
        {"actor": "admin@acme.example"},
    ):
        theirs = await events(other_client, **filter_)
        assert all(e["entityLabel"] != "Only ours" for e in theirs), filter_
        assert all(e["actor"] != "admin@acme.example" for e in theirs), filter_
    data = await gql(
        other_client,
        "query($id: ID!) { atRiskEntry(id: $id) { history { id } } }",
        {"id": mine["id"]},
    )
    assert data["atRiskEntry"] is None


async def test_events_are_append_only(db, client, api: Api):
    await api.add("REASON", "Moved away")
    before = await events(client)
    with pytest.raises(Exception, match="append-only"):
        async with db.engine.begin() as connection:
            await connection.execute(text("UPDATE audit_events SET actor = 'someone else'"))
    assert await events(client) == before


async def test_a_refused_event_takes_its_change_with_it(db, client, api: Api):
    """The database refusing the event's insert leaves neither the change nor the event."""
    entry = await api.add("REASON", "Moved away")
    refuse = {
        "sqlite": [
            "CREATE TRIGGER refuse_events BEFORE INSERT ON audit_events "
            "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
        ],
        "postgresql": [
            "CREATE FUNCTION refuse_events() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the disk said no'; END $$",
            "CREATE TRIGGER refuse_events BEFORE INSERT ON audit_events "
            "FOR EACH ROW EXECUTE FUNCTION refuse_events()",
        ],
    }[db.dialect]
    async with db.engine.begin() as connection:
        for statement in refuse:
            await connection.execute(text(statement))
    body = await post(client, RENAME, {"input": {"id": entry["id"], "name": "Renamed"}})
    assert body["errors"][0]["message"] == "Unexpected error.", body
    unchanged = await api.get(entry["id"])
    assert unchanged is not None
    assert unchanged["name"] == "Moved away"
    assert len(await events(client, entityId=entry["id"])) == 1  # only its creation


async def test_every_role_reads_the_history_of_what_it_sees_but_not_the_log(
    client, api: Api, viewer_client, agent_client, token_client, agent_token_client
):
    cases_api = CasesApi(client)
    entry = await api.add("REASON", "Moved away")
    customer = await cases_api.create_customer(name="Jane")
    case = await cases_api.flag(customer["id"], entry["id"])
    for reader in (viewer_client, agent_client, token_client, agent_token_client):
        data = await gql(
            reader,
            """query($e: ID!, $c: ID!, $k: ID!) {
              atRiskEntry(id: $e) { history { action } }
              customer(id: $c) { history { action } }
              atRiskCase(id: $k) { history { action } }
            }""",
            {"e": entry["id"], "c": customer["id"], "k": case["id"]},
        )
        assert data == {
            "atRiskEntry": {"history": [{"action": "CREATE"}]},
            "customer": {"history": [{"action": "CREATE"}]},
            "atRiskCase": {"history": [{"action": "CREATE"}]},
        }
        log = await post(reader, EVENTS, {})
        assert log["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_the_log_downloads_as_csv_for_admins_only(client, viewer_client, api: Api):
    entry = await api.add("REASON", "=cmd|' /C calc'!A0")
    await api.update(entry["id"], active=False)
    download = await client.get("/settings/history.csv", params={"entity_type": "AT_RISK_ENTRY"})
    assert download.status_code == 200
    lines = download.text.lstrip("\ufeff").splitlines()
    assert lines[0] == "at,actor,action,entity_type,entity_id,entity_label,field,from,to"
    assert any(",UPDATE,AT_RISK_ENTRY," in line and ",active,true,false" in line for line in lines)
    assert all("'=cmd" in line for line in lines[1:] if "cmd" in line)
    assert (await viewer_client.get("/settings/history.csv")).status_code == 403
    bad = await client.get("/settings/history.csv", params={"from": "last week"})
    assert bad.status_code == 400
