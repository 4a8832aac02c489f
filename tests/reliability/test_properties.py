"""Properties of names and a state machine of the whole API, against a model.

Everything goes through GraphQL over HTTP (the `api` fixture), on each backend.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    multiple,
    rule,
    run_state_machine_as_test,
)

from atrisk.domain.picklists import Category, name_key, normalise_name
from atrisk.domain.text import InvalidText
from tests.utils.graphql import Api
from tests.utils.properties import CATEGORIES, clashing_names, raw_names, spec_key, spec_name
from tests.utils.summary import PROPERTY, count

LABELS = {category.name: category.label for category in Category}

T = TypeVar("T")

NAME_EXAMPLES = 300
MACHINE_EXAMPLES = 40
MACHINE_STEPS = 30


@settings(max_examples=NAME_EXAMPLES)
@given(raw=raw_names, category=st.sampled_from(CATEGORIES))
async def test_a_name_round_trips_to_its_normal_form_or_is_refused(
    api: Api, raw: str, category: str
) -> None:
    count(PROPERTY)
    expected = spec_name(raw)
    result = await api.add(category, raw)
    if expected is None:
        assert result["__typename"] == "ValidationError", (raw, result)
        assert result["field"] == "name"
        assert result["message"]
        return
    assert result["__typename"] == "AtRiskEntry", (raw, result)
    assert result["name"] == expected
    stored = await api.get(result["id"])
    assert stored is not None
    assert stored["name"] == expected
    # The stored name is stable: adding it again collides with itself.
    again = await api.add(category, stored["name"])
    assert again["__typename"] == "ValidationError"
    assert again["field"] == "name"
    assert (await api.delete(result["id"]))["__typename"] == "DeletedAtRiskEntry"


@settings(max_examples=1000)
@given(raw=raw_names)
def test_the_domain_rules_match_the_spec(raw: str) -> None:
    count(PROPERTY)
    expected = spec_name(raw)
    if expected is None:
        with pytest.raises(InvalidText):
            normalise_name(raw)
        return
    assert normalise_name(raw) == expected
    key = name_key(expected)
    assert name_key(key) == key


@dataclass
class Entry:
    id: str
    category: str
    name: str
    active: bool
    position: int
    version: int


class EntriesMachine(RuleBasedStateMachine):
    """Drives add, update, move, delete and list through the API and checks each answer
    against a plain in-memory model of the rules."""

    api: Api
    loop: asyncio.AbstractEventLoop
    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.model: dict[str, Entry] = {}

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    @initialize()
    def start_empty(self) -> None:
        for row in self.call(self.api.list()):
            assert self.call(self.api.delete(row["id"]))["__typename"] == "DeletedAtRiskEntry"

    def clash(self, category: str, name: str, exclude: str | None = None) -> Entry | None:
        key = spec_key(name)
        for entry in self.model.values():
            if entry.category == category and entry.id != exclude and spec_key(entry.name) == key:
                return entry
        return None

    @rule(
        target=ids,
        category=st.sampled_from(CATEGORIES),
        raw=clashing_names,
        active=st.booleans(),
    )
    def add(self, category: str, raw: str, active: bool) -> Any:
        count(PROPERTY)
        result = self.call(self.api.add(category, raw, active))
        name = spec_name(raw)
        existing = None if name is None else self.clash(category, name)
        if name is None or existing is not None:
            assert result["__typename"] == "ValidationError", result
            assert result["field"] == "name"
            if existing is not None:
                assert f'"{existing.name}" already exists' in result["message"]
            return multiple()
        positions = [e.position for e in self.model.values() if e.category == category]
        entry = Entry(result["id"], category, name, active, max(positions, default=0) + 1, 1)
        assert result["__typename"] == "AtRiskEntry", result
        assert {k: result[k] for k in asdict(entry)} == asdict(entry)
        assert result["createdAt"] == result["updatedAt"]
        self.model[entry.id] = entry
        return entry.id

    @rule(
        entry_id=ids,
        raw=st.none() | clashing_names,
        active=st.none() | st.booleans(),
        version=st.sampled_from(["current", "stale", "none"]),
    )
    def update(self, entry_id: str, raw: str | None, active: bool | None, version: str) -> None:
        count(PROPERTY)
        entry = self.model.get(entry_id)
        changes: dict[str, Any] = {}
        if raw is not None:
            changes["name"] = raw
        if active is not None:
            changes["active"] = active
        if version != "none":
            current = entry.version if entry is not None else 1
            changes["expectedVersion"] = current if version == "current" else current - 1
        result = self.call(self.api.update(entry_id, **changes))
        name = None if raw is None else spec_name(raw)

        if raw is None and active is None:
            assert (result["__typename"], result.get("field")) == ("ValidationError", "input")
            return
        if entry is None:
            assert result["__typename"] == "NotFoundError", result
            assert result["id"] == entry_id
            return
        if raw is not None and name is None:
            assert (result["__typename"], result.get("field")) == ("ValidationError", "name")
            assert result["message"].startswith(LABELS[entry.category] + " "), result
            return
        if version == "stale":
            assert result["__typename"] == "VersionConflictError", result
            assert {k: result["current"][k] for k in asdict(entry)} == asdict(entry)
            return
        renamed = name if name is not None and name != entry.name else None
        if renamed and (existing := self.clash(entry.category, renamed, exclude=entry.id)):
            assert (result["__typename"], result.get("field")) == ("ValidationError", "name")
            assert f'"{existing.name}" already exists' in result["message"]
            return
        changed = renamed is not None or (active is not None and active != entry.active)
        if renamed is not None:
            entry.name = renamed
        if active is not None:
            entry.active = active
        if changed:
            entry.version += 1
        assert result["__typename"] == "AtRiskEntry", result
        assert {k: result[k] for k in asdict(entry)} == asdict(entry)
        assert (result["updatedAt"] > result["createdAt"]) == (entry.version > 1)

    def renumber(self, order: list[Entry]) -> None:
        for position, entry in enumerate(order, start=1):
            if entry.position != position:
                entry.position = position
                entry.version += 1

    def in_order(self, category: str) -> list[Entry]:
        return sorted(
            (e for e in self.model.values() if e.category == category), key=lambda e: e.position
        )

    @rule(entry_id=ids, before_id=st.none() | ids)
    def move(self, entry_id: str, before_id: str | None) -> None:
        count(PROPERTY)
        result = self.call(self.api.move(entry_id, before_id))
        entry = self.model.get(entry_id)
        before = None if before_id is None else self.model.get(before_id)
        if entry is None or (before_id is not None and before is None):
            missing = entry_id if entry is None else before_id
            assert (result["__typename"], result["id"]) == ("NotFoundError", missing), result
            return
        if before is not None and before.category != entry.category:
            assert (result["__typename"], result["field"]) == ("ValidationError", "beforeId")
            return
        order = self.in_order(entry.category)
        if before is not entry:
            order.remove(entry)
            order.insert(len(order) if before is None else order.index(before), entry)
        self.renumber(order)
        assert result["__typename"] == "AtRiskEntry", result
        assert {k: result[k] for k in asdict(entry)} == asdict(entry)

    @rule(entry_id=ids)
    def delete(self, entry_id: str) -> None:
        count(PROPERTY)
        result = self.call(self.api.delete(entry_id))
        if self.model.pop(entry_id, None) is None:
            assert result == {
                "__typename": "NotFoundError",
                "id": entry_id,
                "message": result["message"],
            }
        else:
            assert result == {"__typename": "DeletedAtRiskEntry", "id": entry_id}

    @rule(category=st.none() | st.sampled_from(CATEGORIES), active=st.none() | st.booleans())
    def list(self, category: str | None, active: bool | None) -> None:
        count(PROPERTY)
        rows = self.call(self.api.list(category, active))
        expected = sorted(
            (
                e
                for e in self.model.values()
                if category in (None, e.category) and active in (None, e.active)
            ),
            key=lambda e: (CATEGORIES.index(e.category), e.position),
        )
        assert [{k: row[k] for k in asdict(Entry("", "", "", True, 0, 0))} for row in rows] == [
            asdict(e) for e in expected
        ]


async def test_the_api_behaves_like_the_model(api: Api) -> None:
    EntriesMachine.api = api
    EntriesMachine.loop = asyncio.get_running_loop()
    await asyncio.to_thread(
        run_state_machine_as_test,
        EntriesMachine,
        settings=settings(max_examples=MACHINE_EXAMPLES, stateful_step_count=MACHINE_STEPS),
    )
