"""Who may do what: every role against every operation, and two companies on one server."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from strawberry.permission import PermissionExtension
from strawberry.types.base import get_object_definition

from atrisk.db.types import new_id
from atrisk.graphql.schema import Mutation, Query
from tests.utils.graphql import ADD, DELETE, GET, LIST, MOVE, SORT, UPDATE, post

ME = "{ me { email role company { id name } } }"


def operations(entry_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    return {
        "atRiskEntries": (LIST, {}),
        "atRiskEntry": (GET, {"id": entry_id}),
        "me": (ME, {}),
        "addAtRiskEntry": (ADD, {"input": {"category": "CAUSE", "name": "Added"}}),
        "updateAtRiskEntry": (UPDATE, {"input": {"id": entry_id, "name": "Renamed"}}),
        "moveAtRiskEntry": (MOVE, {"input": {"id": entry_id, "beforeId": None}}),
        "sortAtRiskEntries": (SORT, {"category": "REASON"}),
        "deleteAtRiskEntry": (DELETE, {"id": entry_id}),
    }


QUERIES = {"atRiskEntries", "atRiskEntry", "me"}
EXPECTED: dict[str, dict[str, str | None]] = {
    "anonymous": dict.fromkeys(operations("x"), "UNAUTHENTICATED"),
    "viewer": {name: None if name in QUERIES else "FORBIDDEN" for name in operations("x")},
    "token": {name: None if name in QUERIES else "FORBIDDEN" for name in operations("x")},
    "admin": dict.fromkeys(operations("x")),
}


@pytest.fixture
def callers(anonymous_client, viewer_client, token_client, client):
    return {
        "anonymous": anonymous_client,
        "viewer": viewer_client,
        "token": token_client,
        "admin": client,
    }


async def snapshot(db, company_id: str) -> list[tuple[Any, ...]]:
    """A company's row and all its entries, exactly as stored."""
    async with db.read() as session:
        company = await session.execute(
            text("SELECT * FROM companies WHERE id = :id"), {"id": company_id}
        )
        rows = await session.execute(
            text("SELECT * FROM at_risk_entries WHERE company_id = :id ORDER BY id"),
            {"id": company_id},
        )
        return [tuple(row) for row in company] + [tuple(row) for row in rows]


@pytest.mark.parametrize("role", list(EXPECTED))
async def test_every_role_gets_exactly_its_rights(callers, role, api, db, company):
    entry = await api.add("REASON", "Moving out of area")
    caller = callers[role]
    for name, (query, variables) in operations(entry["id"]).items():
        before = await snapshot(db, company.id)
        body = await post(caller, query, variables)
        expected = EXPECTED[role][name]
        if expected is None:
            assert "errors" not in body, (role, name, body)
            assert body["data"][name] is not None or name == "atRiskEntry", (role, name)
            continue
        assert body["data"] in (None, {name: None}), (role, name, body)
        assert [e["extensions"]["code"] for e in body["errors"]] == [expected], (role, name)
        assert [e["path"] for e in body["errors"]] == [[name]]
        assert await snapshot(db, company.id) == before, f"{role} changed data via {name}"


async def test_admin_operations_take_effect(client, api):
    """The matrix's admin leg really wrote: add, rename and delete are visible after."""
    entry = await api.add("REASON", "Moving out of area")
    for name, (query, variables) in operations(entry["id"]).items():
        body = await post(client, query, variables)
        assert "errors" not in body, (name, body)
    names = [row["name"] for row in await api.list()]
    assert names == ["Added"]


async def test_anonymous_gets_one_error_per_root_field(anonymous_client):
    body = await post(anonymous_client, "{ me { role } atRiskEntries { id } }")
    assert body["data"] is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UNAUTHENTICATED"}
    assert "Sign in" in body["errors"][0]["message"]


async def test_every_root_field_is_guarded():
    """A new root field without a permission would be open to anyone: refuse that."""
    for root in (Query, Mutation):
        for field in get_object_definition(root, strict=True).fields:
            guards = [e for e in field.extensions if isinstance(e, PermissionExtension)]
            assert guards, f"{root.__name__}.{field.name} has no permission"


@pytest.fixture
async def a_entries(api):
    """Company A (the `api` admin's) with one entry in each of two categories."""
    first = await api.add("REASON", "Moving out of area")
    second = await api.add("CAUSE", "Competitor offer", active=False)
    return [first, second]


def _masked(body: Any, entry_id: str) -> Any:
    """The answer with the asked-for id replaced, so two answers can be compared."""
    return json.loads(json.dumps(body).replace(entry_id, "<id>"))


async def test_another_companys_ids_behave_like_missing_ids(
    a_entries, other_api, other_client, db, company
):
    own = await other_api.add("REASON", "Beta's own")
    before = await snapshot(db, company.id)
    for entry in a_entries:
        for entry_id in (entry["id"], entry["id"].upper()):
            missing = new_id()
            for query, theirs_vars, missing_vars in (
                (GET, {"id": entry_id}, {"id": missing}),
                (
                    UPDATE,
                    {"input": {"id": entry_id, "name": "Mine"}},
                    {"input": {"id": missing, "name": "Mine"}},
                ),
                (
                    UPDATE,
                    {"input": {"id": entry_id, "active": True, "expectedVersion": 1}},
                    {"input": {"id": missing, "active": True, "expectedVersion": 1}},
                ),
                (DELETE, {"id": entry_id}, {"id": missing}),
                (
                    DELETE,
                    {"id": entry_id, "expectedVersion": 1},
                    {"id": missing, "expectedVersion": 1},
                ),
                (MOVE, {"input": {"id": entry_id}}, {"input": {"id": missing}}),
                (
                    MOVE,
                    {"input": {"id": own["id"], "beforeId": entry_id}},
                    {"input": {"id": own["id"], "beforeId": missing}},
                ),
            ):
                theirs = await post(other_client, query, theirs_vars)
                random = await post(other_client, query, missing_vars)
                assert _masked(theirs, entry_id) == _masked(random, missing), query
    listed = await other_api.list()
    assert [(row["name"], row["version"]) for row in listed] == [("Beta's own", 1)]
    assert await snapshot(db, company.id) == before


async def test_a_company_id_in_arguments_or_headers_is_ignored(
    a_entries, other_api, other_client, company
):
    await other_api.add("REASON", "Beta's own")
    smuggling = {
        "X-Company-Id": company.id,
        "X-Atrisk-Company": company.id,
        "Company": company.id,
        "Forwarded": f"company={company.id}",
    }
    body = await post(other_client, LIST, {"companyId": company.id}, headers=smuggling)
    assert [row["name"] for row in body["data"]["atRiskEntries"]] == ["Beta's own"]

    body = await post(other_client, f'{{ atRiskEntries(companyId: "{company.id}") {{ id }} }}')
    assert body["data"] is None
    assert "companyId" in body["errors"][0]["message"]

    response = await other_client.post(
        "/graphql",
        json={"query": LIST, "extensions": {"companyId": company.id}},
        params={"companyId": company.id},
    )
    assert [row["name"] for row in response.json()["data"]["atRiskEntries"]] == ["Beta's own"]

    me = await post(other_client, ME, headers=smuggling)
    assert me["data"]["me"]["company"]["name"] == "Beta Security"


async def test_a_token_reads_only_its_own_company(a_entries, token_api, other_api):
    await other_api.add("REASON", "Beta's own")
    assert [row["name"] for row in await token_api.list()] == [
        "Moving out of area",
        "Competitor offer",
    ]
    assert await token_api.get(a_entries[0]["id"]) is not None
