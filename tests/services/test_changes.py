"""The change recorder: versions bumped in the writing transaction, changes handed to
in-process subscribers only after commit, and no write of company data without it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from atrisk.db.database import Database
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.picklists import Category
from atrisk.models.audit import AuditEvent
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes, picklists
from atrisk.services.changes import Change
from tests.utils.changes_guard import UnrecordedWrite


async def test_subscribers_get_each_change_after_commit(db, company, published):
    entry = await picklists.add_entry(db, company.id, Category.REASON, "Moved away")
    await picklists.update_entry(db, company.id, entry.id, name="Moved abroad")
    await picklists.delete_entry(db, company.id, entry.id)
    assert [(c.entity, c.entity_id, c.action, c.version) for c in published] == [
        (Entity.AT_RISK_ENTRY, entry.id, Action.CREATE, 1),
        (Entity.AT_RISK_ENTRY, entry.id, Action.UPDATE, 2),
        (Entity.AT_RISK_ENTRY, entry.id, Action.DELETE, None),
    ]
    assert {c.company_id for c in published} == {company.id}
    assert {c.area for c in published} == {Area.LISTS}


async def record_deletion(db: Database, company_id: str, area: Area, then_fail: bool) -> None:
    async with db.write() as session:
        await changes.claim(session, company_id, area)
        changes.record(session, Change(company_id, Entity.AT_RISK_ENTRY, "x", Action.DELETE))
        if then_fail:
            raise RuntimeError("boom")


async def test_nothing_is_published_when_the_transaction_rolls_back(db, company, published):
    with pytest.raises(RuntimeError, match="boom"):
        await record_deletion(db, company.id, Area.LISTS, then_fail=True)
    assert published == []
    await record_deletion(db, company.id, Area.LISTS, then_fail=False)
    assert len(published) == 1


async def test_a_change_of_an_unclaimed_area_is_refused(db, company):
    with pytest.raises(RuntimeError, match="without claiming"):
        await record_deletion(db, company.id, Area.ACCOUNTS, then_fail=False)


async def test_a_use_case_opens_one_write_transaction(db: Database, company):
    async with db.write():
        with pytest.raises(RuntimeError, match="already open"):
            async with db.write():
                pass


async def test_a_write_without_the_recorder_fails_to_commit(db, company):
    entry = await picklists.add_entry(db, company.id, Category.REASON, "Moved away")
    with pytest.raises(UnrecordedWrite, match="UPDATE at_risk_entries"):
        async with db.write() as session:
            await session.execute(
                update(AtRiskEntry).where(AtRiskEntry.id == entry.id).values(active=False)
            )
    unchanged = await picklists.get_entry(db, company.id, entry.id)
    assert unchanged is not None
    assert unchanged.active is True


async def count_events(session: Any, company_id: str) -> int:
    """The company's events about entries."""
    counted = select(func.count()).select_from(AuditEvent)
    return int(
        await session.scalar(
            counted.where(
                AuditEvent.company_id == company_id,
                AuditEvent.entity_type == Entity.AT_RISK_ENTRY.value,
            )
        )
    )


async def record_many(db: Database, company_id: str, count: int, *, then_fail: bool) -> list[int]:
    """`count` changes, flushed every 10; the events seen in the transaction at each flush."""
    seen = []
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        before = await count_events(session, company_id)
        for n in range(count):
            fields = (changes.FieldChange("name", None, f"Entry {n}"),)
            change = Change(
                company_id, Entity.AT_RISK_ENTRY, f"e{n}", Action.CREATE, 1, "me", "x", fields
            )
            changes.record(session, change)
            if n % 10 == 9:
                await changes.flush(session)
                seen.append(await count_events(session, company_id) - before)
        if then_fail:
            raise RuntimeError("boom")
    return seen


async def test_flushed_events_are_written_in_the_transaction_and_rolled_back_with_it(
    db, company, published
):
    with pytest.raises(RuntimeError, match="boom"):
        await record_many(db, company.id, 30, then_fail=True)
    async with db.read() as session:
        assert await count_events(session, company.id) == 0
    assert published == []

    assert await record_many(db, company.id, 25, then_fail=False) == [10, 20]
    async with db.read() as session:
        assert await count_events(session, company.id) == 25
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.entity_type == Entity.AT_RISK_ENTRY.value)
            )
        ).all()
    assert sorted(e.entity_id for e in events) == sorted(f"e{n}" for n in range(25))
    assert {e.actor for e in events} == {"me"}
    assert len({e.at for e in events}) == 1  # one transaction, one time
    assert "Entry 3" in next(e.changes for e in events if e.entity_id == "e3")
    # Every change still reaches the subscribers after the commit.
    assert [c.entity_id for c in published] == [f"e{n}" for n in range(25)]


def test_diff_names_each_changed_field_as_text():
    before = {"name": "Old", "rmr": "10.00", "status": CustomerStatus.ACTIVE, "email": None}
    after = {"name": "New", "rmr": "10.00", "status": CustomerStatus.CANCELLED, "email": "a@b.c"}
    assert changes.diff(before, after) == (
        changes.FieldChange("name", "Old", "New"),
        changes.FieldChange("status", "ACTIVE", "CANCELLED"),
        changes.FieldChange("email", None, "a@b.c"),
    )


def test_diff_from_nothing_names_each_field_that_holds_a_value():
    after = {"name": "New", "phone": None, "active": False, "status": CustomerStatus.ACTIVE}
    assert changes.diff({}, after) == (
        changes.FieldChange("name", None, "New"),
        changes.FieldChange("active", None, "false"),
        changes.FieldChange("status", None, "ACTIVE"),
    )
