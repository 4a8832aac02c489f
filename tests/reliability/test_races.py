"""Races through a real server: many clients on their own connections at once.

The server runs in its own process, so requests really overlap inside it; an
in-process transport would serialise too much to prove anything.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

import pytest

from atrisk.domain.picklists import name_key
from tests.utils.cases_api import CasesApi
from tests.utils.graphql import ENTRY_FIELDS, Api
from tests.utils.live import LiveServer
from tests.utils.summary import CHECKED, RACE, count, lost

CLIENTS = 20
ROUNDS = 4
FIELDS = ENTRY_FIELDS.split()


@pytest.fixture
async def apis(live: LiveServer) -> AsyncIterator[list[Api]]:
    """CLIENTS separate clients, each with its own open connection."""
    async with AsyncExitStack() as stack:
        clients = [await stack.enter_async_context(live.client()) for _ in range(CLIENTS)]
        await asyncio.gather(*(client.get("/healthz") for client in clients))
        yield [Api(client) for client in clients]


def entry(result: dict[str, Any]) -> dict[str, Any]:
    return {field: result[field] for field in FIELDS}


async def test_concurrent_updates_with_the_same_version_have_one_winner(apis: list[Api]) -> None:
    for round_ in range(ROUNDS):
        added = await apis[0].add("REASON", f"Update race {round_}")
        results = await asyncio.gather(
            *(
                api.update(added["id"], name=f"Update race {round_} by {i}", expectedVersion=1)
                for i, api in enumerate(apis)
            )
        )
        kinds = sorted(result["__typename"] for result in results)
        assert kinds == ["AtRiskEntry"] + ["VersionConflictError"] * (CLIENTS - 1), kinds
        [winner] = [entry(r) for r in results if r["__typename"] == "AtRiskEntry"]
        assert winner["version"] == 2
        for result in results:
            if result["__typename"] == "VersionConflictError":
                assert result["current"] == winner
        stored = await apis[0].get(added["id"])
        if stored != winner:
            lost(f"update race {round_}: stored {stored}, acknowledged {winner}")
        assert stored == winner
        count(RACE)
        count(CHECKED)


async def test_concurrent_adds_of_one_name_in_many_spellings_make_one_row(
    apis: list[Api],
) -> None:
    for round_ in range(ROUNDS):
        spellings = [f"Foo {round_}", f"foo {round_}", f"ＦＯＯ {round_}", f"  FOO   {round_} "]
        results = await asyncio.gather(
            *(api.add("CAUSE", spellings[i % len(spellings)]) for i, api in enumerate(apis))
        )
        winners = [r for r in results if r["__typename"] == "AtRiskEntry"]
        refusals = [r for r in results if r["__typename"] == "ValidationError"]
        assert len(winners) == 1, results
        assert len(refusals) == CLIENTS - 1, results
        [winner] = winners
        for refusal in refusals:
            assert refusal["field"] == "name"
            assert f'"{winner["name"]}" already exists' in refusal["message"]
        rows = [
            row
            for row in await apis[0].list("CAUSE")
            if name_key(row["name"]) == name_key(f"foo {round_}")
        ]
        assert rows == [entry(winner)]
        count(RACE)
        count(CHECKED)


async def test_concurrent_add_update_and_delete_leave_no_half_state(apis: list[Api]) -> None:
    for round_ in range(ROUNDS):
        name = f"Churn {round_}"
        victim = await apis[0].add("RESOLUTION", name)
        third = CLIENTS // 3
        deleters, updaters, adders = apis[:third], apis[third : 2 * third], apis[2 * third :]
        results = await asyncio.gather(
            *(api.delete(victim["id"]) for api in deleters),
            *(api.update(victim["id"], active=False) for api in updaters),
            *(api.add("RESOLUTION", name.upper()) for api in adders),
        )
        deletes = results[: len(deleters)]
        updates = results[len(deleters) : len(deleters) + len(updaters)]
        adds = results[len(deleters) + len(updaters) :]

        assert sorted(r["__typename"] for r in deletes) == ["DeletedAtRiskEntry"] + [
            "NotFoundError"
        ] * (len(deleters) - 1)
        assert {r["__typename"] for r in updates} <= {"AtRiskEntry", "NotFoundError"}
        changed = [r for r in updates if r["__typename"] == "AtRiskEntry"]
        # The first update to get in changes the entry; later ones find nothing to change.
        assert all(r["version"] == 2 and r["active"] is False for r in changed), changed
        added = [r for r in adds if r["__typename"] == "AtRiskEntry"]
        assert len(added) <= 1
        assert all(
            r["__typename"] == "ValidationError" and r["field"] == "name"
            for r in adds
            if r["__typename"] != "AtRiskEntry"
        )

        assert await apis[0].get(victim["id"]) is None
        rows = await apis[0].list("RESOLUTION")
        same_name = [row for row in rows if name_key(row["name"]) == name_key(name)]
        assert same_name == [entry(r) for r in added]
        positions = [row["position"] for row in rows]
        assert len(positions) == len(set(positions)), positions
        count(RACE)
        count(CHECKED, len(added) + 1)


async def test_concurrent_moves_keep_positions_a_permutation(apis: list[Api]) -> None:
    shuffler = random.Random(12)
    for round_ in range(ROUNDS):
        category = "CREDIT_REASON"
        added = [await apis[0].add(category, f"Move race {round_} #{i}") for i in range(12)]
        ids = [entry["id"] for entry in added]
        moves = [(shuffler.choice(ids), shuffler.choice([*ids, None])) for _ in apis]
        results = await asyncio.gather(
            *(
                api.move(entry_id, before_id)
                for api, (entry_id, before_id) in zip(apis, moves, strict=True)
            )
        )
        assert {r["__typename"] for r in results} == {"AtRiskEntry"}, results
        rows = await apis[0].list(category)
        positions = [row["position"] for row in rows]
        if positions != list(range(1, len(rows) + 1)):
            lost(f"move race {round_}: positions {positions}")
        assert positions == list(range(1, len(rows) + 1))
        assert sorted(row["id"] for row in rows if row["id"] in ids) == sorted(ids)
        # No acknowledged move is newer than what is stored.
        for row in rows:
            versions = [r["version"] for r in results if r["id"] == row["id"]]
            assert all(version <= row["version"] for version in versions)
        count(RACE)
        count(CHECKED, len(moves))


@pytest.fixture
def case_apis(apis: list[Api]) -> list[CasesApi]:
    return [CasesApi(api.client) for api in apis]


async def test_concurrent_flags_of_one_customer_open_one_case(
    apis: list[Api], case_apis: list[CasesApi]
) -> None:
    reason = (await apis[0].add("REASON", "Flag race reason"))["id"]
    for round_ in range(ROUNDS):
        customer = await case_apis[0].create_customer(name=f"Flag race {round_}")
        results = await asyncio.gather(
            *(api.flag(customer["id"], reason, "HIGH") for api in case_apis)
        )
        kinds = sorted(result["__typename"] for result in results)
        assert kinds == ["AtRiskCase"] + ["OpenCaseExistsError"] * (CLIENTS - 1), kinds
        [winner] = [r for r in results if r["__typename"] == "AtRiskCase"]
        assert {r["openCase"]["id"] for r in results if r["__typename"] != "AtRiskCase"} == {
            winner["id"]
        }
        queue = await case_apis[0].queue(filter={"customer": customer["id"]})
        assert [node["id"] for node in queue["nodes"]] == [winner["id"]]
        count(RACE)
        count(CHECKED)


async def test_concurrent_closes_with_one_version_have_one_winner(
    apis: list[Api], case_apis: list[CasesApi]
) -> None:
    reason = (await apis[0].add("REASON", "Close race reason"))["id"]
    resolution = (await apis[0].add("RESOLUTION", "Close race resolution"))["id"]
    for round_ in range(ROUNDS):
        customer = await case_apis[0].create_customer(name=f"Close race {round_}", rmr="20.00")
        case = await case_apis[0].flag(customer["id"], reason)
        statuses = ["RESOLVED", "LOST", "CANCELLED"]
        results = await asyncio.gather(
            *(
                api.close(
                    case["id"],
                    statuses[i % 3],
                    expectedVersion=1,
                    **({} if statuses[i % 3] == "CANCELLED" else {"resolutionId": resolution}),
                )
                for i, api in enumerate(case_apis)
            )
        )
        kinds = sorted(result["__typename"] for result in results)
        assert kinds == ["AtRiskCase"] + ["CaseConflictError"] * (CLIENTS - 1), kinds
        [winner] = [r for r in results if r["__typename"] == "AtRiskCase"]
        stored = await case_apis[0].case(case["id"])
        assert stored is not None
        assert (stored["status"], stored["version"]) == (winner["status"], 2)
        expected_customer = "CANCELLED" if winner["status"] == "LOST" else "ACTIVE"
        assert stored["customer"]["status"] == expected_customer
        count(RACE)
        count(CHECKED)


async def test_delete_with_replace_racing_flags_leaves_no_case_on_a_deleted_entry(
    apis: list[Api], case_apis: list[CasesApi]
) -> None:
    keeper = (await apis[0].add("REASON", "Replace race keeper"))["id"]
    for round_ in range(ROUNDS):
        doomed = (await apis[0].add("REASON", f"Replace race doomed {round_}"))["id"]
        customers = [
            (await case_apis[0].create_customer(name=f"Replace race {round_}.{i}"))["id"]
            for i in range(CLIENTS - 2)
        ]
        first = await case_apis[0].flag(customers[0], doomed)  # so that it is in use
        results = await asyncio.gather(
            case_apis[0].delete_entry(doomed, replace_with=keeper),
            case_apis[1].delete_entry(doomed, replace_with=keeper),
            *(
                api.flag(customer, doomed)
                for api, customer in zip(case_apis[2:], customers[1:], strict=False)
            ),
        )
        deletes, flags = results[:2], results[2:]
        assert sorted(r["__typename"] for r in deletes) == ["DeletedAtRiskEntry", "NotFoundError"]
        assert {r["__typename"] for r in flags} <= {"AtRiskCase", "ValidationError"}
        queue = await case_apis[0].queue(filter={"open": True}, first=200)
        ours = [
            node
            for node in queue["nodes"]
            if node["customer"]["name"].startswith(f"Replace race {round_}.")
        ]
        # Every case made before the delete moved to the keeper; none made after it exists.
        assert {node["reason"]["id"] for node in ours} == {keeper}
        flagged = {r["id"] for r in flags if r["__typename"] == "AtRiskCase"} | {first["id"]}
        assert {node["id"] for node in ours} == flagged
        count(RACE)
        count(CHECKED, len(flagged))
