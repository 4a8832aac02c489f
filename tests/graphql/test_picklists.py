"""The GraphQL API over HTTP, for every operation and error path."""

import pytest

from tests.utils.graphql import ADD, LIST, UPDATE, post

pytestmark = pytest.mark.usefixtures("app")


async def test_add_returns_the_entry(api):
    entry = await api.add("REASON", "  Moving   out of area ")
    assert entry["__typename"] == "AtRiskEntry"
    assert entry["category"] == "REASON"
    assert entry["name"] == "Moving out of area"
    assert entry["active"] is True
    assert (entry["position"], entry["version"]) == (1, 1)
    assert entry["createdAt"] == entry["updatedAt"]
    assert entry["createdAt"].endswith("+00:00")


async def test_add_inactive(api):
    entry = await api.add("CAUSE", "Competitor offer", active=False)
    assert entry["active"] is False


async def test_list_in_display_order_with_filters(api):
    await api.add("CREDIT_REASON", "Monitoring waived 1 month")
    await api.add("RESOLUTION", "Retained – rate adjusted")
    await api.add("CAUSE", "Competitor offer", active=False)
    await api.add("REASON", "Price increase")
    await api.add("REASON", "Moving out of area")

    everything = await api.list()
    assert [(e["category"], e["name"]) for e in everything] == [
        ("REASON", "Price increase"),
        ("REASON", "Moving out of area"),
        ("CAUSE", "Competitor offer"),
        ("RESOLUTION", "Retained – rate adjusted"),
        ("CREDIT_REASON", "Monitoring waived 1 month"),
    ]
    assert [e["name"] for e in await api.list("REASON")] == ["Price increase", "Moving out of area"]
    assert [e["name"] for e in await api.list(active=False)] == ["Competitor offer"]
    assert await api.list("CAUSE", active=True) == []
    assert len(await api.list(active=True)) == 4


async def test_get_by_id(api):
    entry = await api.add("REASON", "Price increase")
    assert await api.get(entry["id"]) == {k: v for k, v in entry.items() if k != "__typename"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Reason is required."),
        ("   \t ", "Reason is required."),
        ("x" * 101, "Reason must be at most 100 characters."),
        ("Null\x00byte", "Reason must not contain control characters."),
        ("Escape\x1b[31m", "Reason must not contain control characters."),
    ],
)
async def test_add_refuses_bad_names_and_changes_nothing(api, name, message):
    result = await api.add("REASON", name)
    assert result == {"__typename": "ValidationError", "message": message, "field": "name"}
    assert await api.list() == []


async def test_add_accepts_100_characters(api):
    name = "y" * 100
    entry = await api.add("REASON", name)
    assert entry["name"] == name


@pytest.mark.parametrize(
    "duplicate", ["price increase", "PRICE  INCREASE ", "Ｐｒｉｃｅ ｉｎｃｒｅａｓｅ"]
)
async def test_duplicates_differing_in_case_or_width_are_refused(api, duplicate):
    await api.add("REASON", "Price increase")
    result = await api.add("REASON", duplicate)
    assert result == {
        "__typename": "ValidationError",
        "message": 'A Reason named "Price increase" already exists.',
        "field": "name",
    }
    assert len(await api.list()) == 1


async def test_same_name_in_another_category_is_allowed(api):
    await api.add("REASON", "Price increase")
    other = await api.add("CAUSE", "Price increase")
    assert other["__typename"] == "AtRiskEntry"
    assert len(await api.list()) == 2


async def test_update_name_only(api):
    entry = await api.add("REASON", "Old")
    updated = await api.update(entry["id"], name=" New  name ", expectedVersion=1)
    assert updated["__typename"] == "AtRiskEntry"
    assert (updated["name"], updated["active"], updated["version"]) == ("New name", True, 2)
    assert updated["createdAt"] == entry["createdAt"]
    assert updated["updatedAt"] > entry["updatedAt"]


async def test_update_active_only(api):
    entry = await api.add("REASON", "Switch me")
    off = await api.update(entry["id"], active=False)
    assert (off["name"], off["active"], off["version"]) == ("Switch me", False, 2)
    on = await api.update(entry["id"], active=True, expectedVersion=2)
    assert (on["active"], on["version"]) == (True, 3)


async def test_update_with_nothing_to_change_is_a_validation_error(api):
    entry = await api.add("REASON", "Entry")
    result = await api.update(entry["id"])
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "input"


@pytest.mark.parametrize("name", ["", "x" * 101, "bad\x00"])
async def test_update_refuses_bad_names_and_keeps_the_entry(api, name):
    entry = await api.add("REASON", "Keep me")
    result = await api.update(entry["id"], name=name)
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "name"
    current = await api.get(entry["id"])
    assert current is not None
    assert (current["name"], current["version"]) == ("Keep me", 1)


async def test_update_to_a_duplicate_is_refused(api):
    await api.add("CAUSE", "False alarms")
    entry = await api.add("CAUSE", "Other")
    result = await api.update(entry["id"], name="FALSE ALARMS")
    assert result["message"] == 'A Cause named "False alarms" already exists.'


async def test_stale_expected_version_returns_the_current_entry(api):
    entry = await api.add("RESOLUTION", "Retained")
    await api.update(entry["id"], name="Retained – rate adjusted", expectedVersion=1)
    result = await api.update(entry["id"], active=False, expectedVersion=1)
    assert result["__typename"] == "VersionConflictError"
    assert "changed by someone else" in result["message"]
    assert result["current"]["name"] == "Retained – rate adjusted"
    assert result["current"]["version"] == 2
    assert result["current"]["active"] is True
    current = await api.get(entry["id"])
    assert current is not None
    assert (current["active"], current["version"]) == (True, 2)


@pytest.mark.parametrize("bad_id", ["0" * 32, "not-an-id", "", "1 OR 1=1"])
async def test_unknown_and_malformed_ids(api, bad_id):
    assert await api.get(bad_id) is None
    updated = await api.update(bad_id, name="Anything")
    assert updated["__typename"] == "NotFoundError"
    assert updated["id"] == bad_id
    deleted = await api.delete(bad_id)
    assert deleted["__typename"] == "NotFoundError"
    assert deleted["id"] == bad_id


async def test_delete_then_get(api):
    entry = await api.add("CREDIT_REASON", "Monitoring waived 1 month")
    assert await api.delete(entry["id"]) == {"__typename": "DeletedAtRiskEntry", "id": entry["id"]}
    assert await api.get(entry["id"]) is None
    assert await api.list() == []
    again = await api.delete(entry["id"])
    assert again["__typename"] == "NotFoundError"


async def test_unknown_category_is_a_request_error(client):
    body = await post(client, LIST, {"category": "COMPLAINT"})
    assert body["data"] is None
    assert "COMPLAINT" in body["errors"][0]["message"]


async def test_missing_required_input_is_a_request_error(client):
    body = await post(client, ADD, {"input": {"category": "REASON"}})
    assert "name" in body["errors"][0]["message"]
    body = await post(client, UPDATE, {"input": {"name": "x"}})
    assert "id" in body["errors"][0]["message"]


async def test_mutations_are_refused_over_get(api, client):
    entry = await api.add("REASON", "Stays")
    entry_id = entry["id"]
    query = f'mutation {{ deleteAtRiskEntry(id: "{entry_id}") {{ __typename }} }}'
    response = await client.get("/graphql", params={"query": query})
    assert response.status_code == 400
    assert "mutations are not allowed" in response.text.lower()
    assert await api.get(entry["id"]) is not None


async def test_queries_work_over_get(client):
    response = await client.get("/graphql", params={"query": "{ atRiskEntries { id } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"atRiskEntries": []}}


async def test_graphiql_is_served_in_development(client):
    response = await client.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
