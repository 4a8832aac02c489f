"""Soak: a real server on SQLite, 16 clients on loopback mixing reads and writes.

Each client owns the entries, customers and cases it creates, so every answer is
predictable: zero errors of any kind, every read shows the client's own writes, and at
the end every acknowledged write is in the database, which passes `integrity_check`.
`make test` soaks for about 10 seconds; `make soak` for 5 minutes
(ATRISK_SOAK_SECONDS).
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.utils.cases_api import ADD_ATTEMPT, CASE, CLOSE, CREATE_CUSTOMER, FLAG, QUEUE, REOPEN
from tests.utils.graphql import ADD, DELETE, GET, LIST, UPDATE
from tests.utils.live import LiveServer, live_server
from tests.utils.properties import CATEGORIES
from tests.utils.summary import CHECKED, SOAK, count, lost

CLIENTS = 16
SECONDS = float(os.environ.get("ATRISK_SOAK_SECONDS", "10"))
FIELDS = ("id", "category", "name", "active", "version")
CASE_FIELDS = ("id", "status", "version")
# Entries no client deletes: the reason every case is flagged with, the close's resolution.
SHARED = {"reason": "Soak shared reason", "resolution": "Soak shared resolution"}


@dataclass
class Client:
    number: int
    http: httpx.AsyncClient
    random: random.Random
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    writes: int = 0
    errors: list[str] = field(default_factory=list)
    serial: int = 0
    shared: dict[str, str] = field(default_factory=dict)
    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, str] = field(default_factory=dict)  # id -> status

    async def call(self, query: str, variables: dict[str, Any]) -> Any:
        self.requests += 1
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        if response.status_code != 200:
            raise AssertionError(f"HTTP {response.status_code}: {response.text[:300]}")
        body = response.json()
        if body.get("errors"):
            raise AssertionError(f"GraphQL errors: {body['errors']}")
        return next(iter(body["data"].values()))

    def new_name(self) -> str:
        self.serial += 1
        return f"Soak {self.number}-{self.serial}"

    def expect(self, result: dict[str, Any], typename: str) -> dict[str, Any]:
        if result.get("__typename", typename) != typename:
            raise AssertionError(f"expected {typename}, got {result}")
        return result

    def check_own(self, rows: list[dict[str, Any]], category: str | None) -> None:
        seen = {row["id"]: row for row in rows}
        for entry_id, entry in self.entries.items():
            if category in (None, entry["category"]):
                row = seen.get(entry_id)
                if row is None or {k: row[k] for k in FIELDS} != entry:
                    raise AssertionError(f"read missed a write: {entry} vs {row}")

    def remember(self, case: dict[str, Any]) -> None:
        self.cases[case["id"]] = {k: case[k] for k in CASE_FIELDS}
        self.customers[case["customer"]["id"]] = case["customer"]["status"]

    async def case_step(self) -> None:
        roll = self.random.random()
        open_cases = [c for c in self.cases.values() if c["status"] in ("OPEN", "MITIGATED")]
        closed = [c for c in self.cases.values() if c["status"] == "CANCELLED"]
        if roll < 0.3 or not self.cases:
            customer = self.expect(
                await self.call(
                    CREATE_CUSTOMER, {"input": {"name": self.new_name(), "rmr": "25.00"}}
                ),
                "Customer",
            )
            self.customers[customer["id"]] = customer["status"]
            variables = {
                "input": {
                    "customerId": customer["id"],
                    "reasonId": self.shared["reason"],
                    "riskLevel": "HIGH",
                }
            }
            self.remember(self.expect(await self.call(FLAG, variables), "AtRiskCase"))
        elif roll < 0.5 and open_cases:
            case = self.random.choice(open_cases)
            variables = {
                "input": {"caseId": case["id"], "channel": "PHONE", "note": self.new_name()}
            }
            self.remember(self.expect(await self.call(ADD_ATTEMPT, variables), "AtRiskCase"))
        elif roll < 0.7 and open_cases:
            case = self.random.choice(open_cases)
            status = self.random.choice(["RESOLVED", "LOST", "CANCELLED"])
            payload: dict[str, Any] = {
                "id": case["id"],
                "status": status,
                "expectedVersion": case["version"],
            }
            if status != "CANCELLED":
                payload["resolutionId"] = self.shared["resolution"]
            self.remember(self.expect(await self.call(CLOSE, {"input": payload}), "AtRiskCase"))
        elif roll < 0.8 and closed:
            case = self.random.choice(closed)
            variables = {"input": {"id": case["id"], "expectedVersion": case["version"]}}
            self.remember(self.expect(await self.call(REOPEN, variables), "AtRiskCase"))
        else:
            case = self.cases[self.random.choice(list(self.cases))]
            row = await self.call(CASE, {"id": case["id"]})
            if row is None or {k: row[k] for k in CASE_FIELDS} != case:
                raise AssertionError(f"read missed a write: {case} vs {row}")
            return
        self.writes += 1

    async def step(self) -> None:
        if self.random.random() < 0.4:
            await self.case_step()
            return
        roll = self.random.random()
        own = list(self.entries)
        if roll < 0.25 or not own:
            category = self.random.choice(CATEGORIES)
            variables = {"input": {"category": category, "name": self.new_name()}}
            added = self.expect(await self.call(ADD, variables), "AtRiskEntry")
            self.entries[added["id"]] = {k: added[k] for k in FIELDS}
            self.writes += 1
        elif roll < 0.45:
            entry = self.entries[self.random.choice(own)]
            changes: dict[str, Any] = {"id": entry["id"], "expectedVersion": entry["version"]}
            if self.random.random() < 0.5:
                changes["name"] = self.new_name()
            else:
                changes["active"] = not entry["active"]
            updated = self.expect(await self.call(UPDATE, {"input": changes}), "AtRiskEntry")
            if updated["version"] != entry["version"] + 1:
                raise AssertionError(f"version did not go up by one: {entry} -> {updated}")
            self.entries[entry["id"]] = {k: updated[k] for k in FIELDS}
            self.writes += 1
        elif roll < 0.55:
            entry_id = self.random.choice(own)
            self.expect(await self.call(DELETE, {"id": entry_id}), "DeletedAtRiskEntry")
            del self.entries[entry_id]
            self.writes += 1
        elif roll < 0.7:
            entry = self.entries[self.random.choice(own)]
            row = await self.call(GET, {"id": entry["id"]})
            if row is None or {k: row[k] for k in FIELDS} != entry:
                raise AssertionError(f"read missed a write: {entry} vs {row}")
        else:
            wanted = self.random.choice([None, *CATEGORIES])
            rows = await self.call(LIST, {"category": wanted, "active": None})
            self.check_own(rows, wanted)

    async def run(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            try:
                await self.step()
            except Exception as error:  # counted and reported, never hidden
                self.errors.append(f"client {self.number}: {type(error).__name__}: {error}")


async def shared_entries(live: LiveServer) -> dict[str, str]:
    ids = {}
    async with live.client() as http:
        for key, category in (("reason", "REASON"), ("resolution", "RESOLUTION")):
            variables = {"input": {"category": category, "name": SHARED[key]}}
            response = await http.post("/graphql", json={"query": ADD, "variables": variables})
            ids[key] = response.json()["data"]["addAtRiskEntry"]["id"]
    return ids


async def soak(live: LiveServer, seconds: float) -> list[Client]:
    shared = await shared_entries(live)
    async with asyncio.TaskGroup() as group:
        clients = [
            Client(number, live.client(), random.Random(number), shared=shared)
            for number in range(CLIENTS)
        ]
        deadline = time.monotonic() + seconds
        for client in clients:
            group.create_task(client.run(deadline))
    for client in clients:
        await client.http.aclose()
    return clients


async def all_cases(http: httpx.AsyncClient) -> tuple[dict[str, Any], dict[str, str]]:
    """Every case (as the clients track them) and its customer's status, page by page."""
    cases: dict[str, Any] = {}
    customers: dict[str, str] = {}
    cursor = None
    while True:
        variables = {"first": 200, "after": cursor}
        response = await http.post("/graphql", json={"query": QUEUE, "variables": variables})
        page = response.json()["data"]["atRiskCases"]
        for node in page["nodes"]:
            cases[node["id"]] = {k: node[k] for k in CASE_FIELDS}
            customers[node["customer"]["id"]] = node["customer"]["status"]
        if not page["pageInfo"]["hasNextPage"]:
            return cases, customers
        cursor = page["pageInfo"]["endCursor"]


def integrity(database: Path) -> tuple[str, list[Any]]:
    with sqlite3.connect(database) as connection:
        [(verdict,)] = connection.execute("PRAGMA integrity_check").fetchall()
        foreign = connection.execute("PRAGMA foreign_key_check").fetchall()
    return verdict, foreign


async def test_soak_loses_nothing(tmp_path: Path) -> None:
    with live_server("sqlite", tmp_path) as live:
        clients = await soak(live, SECONDS)
        async with live.client() as http:
            response = await http.post("/graphql", json={"query": LIST, "variables": {}})
            stored = {
                row["id"]: {k: row[k] for k in FIELDS}
                for row in response.json()["data"]["atRiskEntries"]
                if row["name"] not in SHARED.values()
            }
            stored_cases, stored_customers = await all_cases(http)

    errors = [error for client in clients for error in client.errors]
    requests = sum(client.requests for client in clients)
    count(SOAK, requests)
    expected = {entry_id: entry for client in clients for entry_id, entry in client.entries.items()}
    for entry_id, entry in expected.items():
        if stored.get(entry_id) != entry:
            lost(f"{entry} is stored as {stored.get(entry_id)}")
    for entry_id in stored.keys() - expected.keys():
        lost(f"the deleted entry {entry_id} is still stored")
    count(CHECKED, sum(client.writes for client in clients))

    expected_cases = {case_id: case for client in clients for case_id, case in client.cases.items()}
    expected_customers = {
        customer_id: status
        for client in clients
        for customer_id, status in client.customers.items()
    }
    for case_id, case in expected_cases.items():
        if stored_cases.get(case_id) != case:
            lost(f"case {case} is stored as {stored_cases.get(case_id)}")
    assert errors == [], f"{len(errors)} errors in {requests} requests: {errors[:5]}"
    assert stored == expected
    assert stored_cases == expected_cases
    assert {
        k: v for k, v in stored_customers.items() if k in expected_customers
    } == expected_customers
    assert requests > CLIENTS * 10, requests  # the clients really ran
    assert integrity(tmp_path / "atrisk.db") == ("ok", [])
