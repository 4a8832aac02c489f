"""moveAtRiskEntry, sortAtRiskEntries, deleteAtRiskEntry's expectedVersion and the entry's
description, over HTTP."""

from __future__ import annotations

import pytest

from tests.utils.graphql import UPDATE, gql

pytestmark = pytest.mark.usefixtures("app")


async def names(api, category="REASON"):
    return [(e["name"], e["position"]) for e in await api.list(category)]


async def test_move_before_another_and_to_the_end(api):
    a, b, c = [await api.add("REASON", name) for name in ("A", "B", "C")]
    moved = await api.move(c["id"], a["id"], expectedVersion=1)
    assert moved["__typename"] == "AtRiskEntry"
    assert (moved["name"], moved["position"], moved["version"]) == ("C", 1, 2)
    assert moved["updatedAt"] > c["updatedAt"]
    assert await names(api) == [("C", 1), ("A", 2), ("B", 3)]
    last = await api.move(c["id"], None)
    assert (last["position"], last["version"]) == (3, 3)
    assert await names(api) == [("A", 1), ("B", 2), ("C", 3)]
    assert [e["version"] for e in await api.list("REASON")] == [3, 3, 3]
    untouched = await api.move(b["id"], b["id"])
    assert (untouched["position"], untouched["version"]) == (2, 3)


async def test_a_stale_move_returns_the_current_entry_and_moves_nothing(api):
    a, b = await api.add("REASON", "A"), await api.add("REASON", "B")
    await api.update(b["id"], name="Bee")
    result = await api.move(b["id"], a["id"], expectedVersion=1)
    assert result["__typename"] == "VersionConflictError"
    assert (result["current"]["name"], result["current"]["version"]) == ("Bee", 2)
    assert "version" not in result["message"].lower()
    assert await names(api) == [("A", 1), ("Bee", 2)]


async def test_a_move_into_another_category_is_refused(api):
    a = await api.add("REASON", "A")
    cause = await api.add("CAUSE", "Competitor")
    result = await api.move(a["id"], cause["id"])
    assert result["__typename"] == "ValidationError"
    assert result["field"] == "beforeId"
    assert result["message"] == "An entry moves only inside its own category: Reasons."


@pytest.mark.parametrize("bad_id", ["0" * 32, "not-an-id"])
async def test_unknown_ids_in_a_move_are_not_found(api, bad_id):
    a = await api.add("REASON", "A")
    assert await api.move(bad_id, a["id"]) == {
        "__typename": "NotFoundError",
        "message": f"No at-risk entry has the id {bad_id!r}.",
        "id": bad_id,
    }
    before = await api.move(a["id"], bad_id)
    assert (before["__typename"], before["id"]) == ("NotFoundError", bad_id)


async def test_sort_orders_a_whole_category_a_to_z(api):
    for name in ("zebra", "Émile", "apple", "Banana"):
        await api.add("CAUSE", name)
    await api.add("REASON", "Stays first")
    result = await api.sort("CAUSE")
    assert [(e["name"], e["position"]) for e in result] == [
        ("apple", 1),
        ("Banana", 2),
        ("Émile", 3),
        ("zebra", 4),
    ]
    assert await names(api, "CAUSE") == [(e["name"], e["position"]) for e in result]
    assert await names(api) == [("Stays first", 1)]


async def test_a_stale_delete_returns_the_current_entry_and_deletes_nothing(api):
    entry = await api.add("RESOLUTION", "Retained")
    await api.update(entry["id"], name="Retained – rate adjusted")
    refused = await api.delete(entry["id"], expected_version=1)
    assert refused["__typename"] == "VersionConflictError"
    assert "changed by someone else" in refused["message"]
    assert (refused["current"]["name"], refused["current"]["version"]) == (
        "Retained – rate adjusted",
        2,
    )
    assert await api.get(entry["id"]) is not None
    deleted = await api.delete(entry["id"], expected_version=2)
    assert deleted == {"__typename": "DeletedAtRiskEntry", "id": entry["id"]}
    assert await api.get(entry["id"]) is None


async def test_a_move_after_a_delete_leaves_no_gap(api):
    a, b, c = [await api.add("REASON", name) for name in ("A", "B", "C")]
    assert (await api.delete(a["id"]))["__typename"] == "DeletedAtRiskEntry"
    assert await names(api) == [("B", 2), ("C", 3)]
    await api.move(c["id"], b["id"])
    assert await names(api) == [("C", 1), ("B", 2)]


async def test_description_omitted_keeps_null_clears(api, client):
    entry = await api.add("REASON", "Moved", description="  Moved out of the area. ")
    assert entry["description"] == "Moved out of the area."
    renamed = await api.update(entry["id"], name="Moved away")
    assert (renamed["description"], renamed["version"]) == ("Moved out of the area.", 2)
    # An explicit null in a variable and a null literal both clear it.
    cleared = await api.update(entry["id"], description=None)
    assert (cleared["description"], cleared["version"]) == (None, 3)
    await api.update(entry["id"], description="Back again")
    literal = await gql(
        client,
        f'mutation {{ updateAtRiskEntry(input: {{id: "{entry["id"]}", description: null}})'
        " { ... on AtRiskEntry { description version } } }",
    )
    assert literal["updateAtRiskEntry"] == {"description": None, "version": 5}
    assert (await api.add("REASON", "Plain"))["description"] is None


async def test_a_too_long_description_is_refused(api, client):
    entry = await api.add("REASON", "Moved")
    data = await gql(client, UPDATE, {"input": {"id": entry["id"], "description": "x" * 501}})
    assert data["updateAtRiskEntry"] == {
        "__typename": "ValidationError",
        "message": "Description must be at most 500 characters.",
        "field": "description",
    }
    refused = await api.add("REASON", "Other", description="x" * 501)
    assert refused["field"] == "description"
    assert len(await api.list()) == 1


async def test_an_inactive_duplicate_says_so(api):
    await api.add("REASON", "Moved away", active=False)
    result = await api.add("REASON", "moved  AWAY")
    assert result == {
        "__typename": "ValidationError",
        "message": 'A Reason named "Moved away" already exists but is inactive.',
        "field": "name",
    }


async def test_every_name_error_starts_with_the_field_label(api):
    other = await api.add("CREDIT_REASON", "Keep")
    empty = await api.update(other["id"], name=" ")
    assert empty["message"] == "Credit Reason is required."
    long = await api.add("RESOLUTION", "x" * 101)
    assert long["message"] == "Resolution must be at most 100 characters."
