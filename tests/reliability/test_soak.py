"""Soak: a real server on SQLite, 16 clients on loopback mixing reads and writes.

Each client owns the entries it creates, so every answer is predictable: zero
errors of any kind, every read shows the client's own writes, and at the end
every acknowledged write is in the database, which passes `integrity_check`.
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

from tests.utils.graphql import ADD, DELETE, GET, LIST, UPDATE
from tests.utils.live import LiveServer, live_server
from tests.utils.properties import CATEGORIES
from tests.utils.summary import CHECKED, SOAK, count, lost

CLIENTS = 16
SECONDS = float(os.environ.get("ATRISK_SOAK_SECONDS", "10"))
FIELDS = ("id", "category", "name", "active", "version")


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

    async def step(self) -> None:
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


async def soak(live: LiveServer, seconds: float) -> list[Client]:
    async with asyncio.TaskGroup() as group:
        clients = [
            Client(number, live.client(), random.Random(number)) for number in range(CLIENTS)
        ]
        deadline = time.monotonic() + seconds
        for client in clients:
            group.create_task(client.run(deadline))
    for client in clients:
        await client.http.aclose()
    return clients


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
            }

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

    assert errors == [], f"{len(errors)} errors in {requests} requests: {errors[:5]}"
    assert stored == expected
    assert requests > CLIENTS * 10, requests  # the clients really ran
    assert integrity(tmp_path / "atrisk.db") == ("ok", [])
