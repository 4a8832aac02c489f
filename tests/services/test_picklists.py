"""The service layer on its own, on SQLite and (when configured) PostgreSQL."""

import asyncio

import pytest
from sqlalchemy import select

from atrisk.db.database import Database
from atrisk.domain.picklists import Category
from atrisk.models.companies import Company
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import picklists
from atrisk.services.companies import create_company
from atrisk.services.errors import NotFound, ValidationFailed, VersionConflict

REASON, CAUSE = Category.REASON, Category.CAUSE


async def lists_version(db: Database, company: Company) -> int:
    async with db.read() as session:
        result = await session.execute(
            select(Company.lists_version).where(Company.id == company.id)
        )
        version: int = result.scalar_one()
        return version


async def test_add_normalises_and_sets_defaults(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "  Moving   out of area ")
    assert entry.name == "Moving out of area"
    assert entry.active is True
    assert entry.version == 1
    assert entry.position == 1
    assert entry.created_at == entry.updated_at
    assert entry.created_at.tzinfo is not None
    assert len(entry.id) == 32


async def test_ids_are_opaque_and_not_sequential(db, company):
    first = await picklists.add_entry(db, company.id, REASON, "One")
    second = await picklists.add_entry(db, company.id, REASON, "Two")
    assert first.id != second.id
    assert int(second.id, 16) - int(first.id, 16) not in (1, -1)


async def test_new_entries_go_last_in_their_category(db, company):
    for name in ("Zebra", "Apple", "Mango"):
        await picklists.add_entry(db, company.id, REASON, name)
    await picklists.add_entry(db, company.id, CAUSE, "Competitor offer")
    rows = await picklists.list_entries(db, company.id, REASON)
    assert [(r.name, r.position) for r in rows] == [("Zebra", 1), ("Apple", 2), ("Mango", 3)]
    cause = await picklists.list_entries(db, company.id, CAUSE)
    assert [(r.name, r.position) for r in cause] == [("Competitor offer", 1)]


async def test_list_orders_by_category_then_position_and_filters(db, company):
    await picklists.add_entry(db, company.id, Category.CREDIT_REASON, "Waived")
    await picklists.add_entry(db, company.id, CAUSE, "Cause one", active=False)
    await picklists.add_entry(db, company.id, REASON, "Reason one")
    await picklists.add_entry(db, company.id, Category.RESOLUTION, "Retained")
    rows = await picklists.list_entries(db, company.id)
    assert [r.category for r in rows] == list(Category)
    active = await picklists.list_entries(db, company.id, active=True)
    assert "Cause one" not in [r.name for r in active]
    inactive = await picklists.list_entries(db, company.id, active=False)
    assert [r.name for r in inactive] == ["Cause one"]
    assert await picklists.list_entries(db, company.id, CAUSE, True) == []


@pytest.mark.parametrize(
    ("existing", "attempt"),
    [("Foo", "foo"), ("Foo", "ＦＯＯ"), (" Moved  away", "moved away"), ("Straße", "STRASSE")],
)
async def test_duplicates_are_refused_case_and_width_insensitively(db, company, existing, attempt):
    await picklists.add_entry(db, company.id, REASON, existing)
    with pytest.raises(ValidationFailed) as caught:
        await picklists.add_entry(db, company.id, REASON, attempt)
    assert caught.value.field == "name"
    assert "already exists" in caught.value.message
    assert " ".join(existing.split()) in caught.value.message
    assert len(await picklists.list_entries(db, company.id)) == 1


async def test_same_name_allowed_in_other_category_and_company(db, company):
    other = await create_company(db, "Other Co.")
    await picklists.add_entry(db, company.id, REASON, "Price increase")
    await picklists.add_entry(db, company.id, CAUSE, "Price increase")
    await picklists.add_entry(db, other.id, REASON, "price increase")
    assert len(await picklists.list_entries(db, company.id)) == 2
    assert len(await picklists.list_entries(db, other.id)) == 1


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "tab\x00null", "bell\x07"])
async def test_invalid_names_change_nothing(db, company, name):
    before = await lists_version(db, company)
    with pytest.raises(ValidationFailed) as caught:
        await picklists.add_entry(db, company.id, REASON, name)
    assert caught.value.field == "name"
    assert await picklists.list_entries(db, company.id) == []
    assert await lists_version(db, company) == before


async def test_update_name_only_and_active_only_bump_version(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Old name")
    renamed = await picklists.update_entry(db, company.id, entry.id, name=" New   name ")
    assert (renamed.name, renamed.active, renamed.version) == ("New name", True, 2)
    assert renamed.updated_at > entry.updated_at
    switched = await picklists.update_entry(db, company.id, entry.id, active=False)
    assert (switched.name, switched.active, switched.version) == ("New name", False, 3)
    both = await picklists.update_entry(db, company.id, entry.id, name="Third", active=True)
    assert (both.name, both.active, both.version) == ("Third", True, 4)


async def test_update_without_change_keeps_version(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Same")
    same = await picklists.update_entry(db, company.id, entry.id, name="Same", active=True)
    assert same.version == 1


async def test_update_can_change_only_the_case_of_its_own_name(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "price increase")
    updated = await picklists.update_entry(db, company.id, entry.id, name="Price Increase")
    assert (updated.name, updated.version) == ("Price Increase", 2)


async def test_update_to_a_taken_name_is_refused(db, company):
    await picklists.add_entry(db, company.id, REASON, "Taken")
    entry = await picklists.add_entry(db, company.id, REASON, "Mine")
    with pytest.raises(ValidationFailed, match='"Taken" already exists'):
        await picklists.update_entry(db, company.id, entry.id, name="TAKEN")
    current = await picklists.get_entry(db, company.id, entry.id)
    assert current is not None
    assert (current.name, current.version) == ("Mine", 1)


async def test_update_needs_something_to_change(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Entry")
    with pytest.raises(ValidationFailed) as caught:
        await picklists.update_entry(db, company.id, entry.id)
    assert caught.value.field == "input"


async def test_stale_expected_version_is_a_conflict_with_the_current_entry(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Entry")
    await picklists.update_entry(db, company.id, entry.id, active=False, expected_version=1)
    with pytest.raises(VersionConflict) as caught:
        await picklists.update_entry(db, company.id, entry.id, name="Lost", expected_version=1)
    assert caught.value.current.version == 2
    assert caught.value.current.active is False
    current = await picklists.get_entry(db, company.id, entry.id)
    assert current is not None
    assert (current.name, current.version) == ("Entry", 2)


async def test_delete_is_permanent(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Gone soon")
    assert await picklists.delete_entry(db, company.id, entry.id) == entry.id
    assert await picklists.get_entry(db, company.id, entry.id) is None
    with pytest.raises(NotFound):
        await picklists.delete_entry(db, company.id, entry.id)
    # The name is free again.
    await picklists.add_entry(db, company.id, REASON, "Gone soon")


@pytest.mark.parametrize("bad_id", ["", "nope", "0" * 32, "'; DROP TABLE x; --", "Ａ" * 32])
async def test_unknown_and_malformed_ids_are_not_found(db, company, bad_id):
    assert await picklists.get_entry(db, company.id, bad_id) is None
    with pytest.raises(NotFound):
        await picklists.update_entry(db, company.id, bad_id, active=False)
    with pytest.raises(NotFound):
        await picklists.delete_entry(db, company.id, bad_id)


async def test_another_companys_entry_behaves_like_a_missing_one(db, company):
    other = await create_company(db, "Other Co.")
    theirs = await picklists.add_entry(db, other.id, REASON, "Theirs")
    assert await picklists.get_entry(db, company.id, theirs.id) is None
    with pytest.raises(NotFound):
        await picklists.update_entry(db, company.id, theirs.id, name="Mine now")
    with pytest.raises(NotFound):
        await picklists.delete_entry(db, company.id, theirs.id)
    assert await picklists.list_entries(db, company.id) == []
    still = await picklists.get_entry(db, other.id, theirs.id)
    assert still is not None
    assert (still.name, still.version) == ("Theirs", 1)


async def test_every_write_bumps_the_companys_lists_version(db, company):
    start = await lists_version(db, company)
    entry = await picklists.add_entry(db, company.id, REASON, "A")
    await picklists.update_entry(db, company.id, entry.id, active=False)
    await picklists.delete_entry(db, company.id, entry.id)
    assert await lists_version(db, company) == start + 3


async def test_racing_adds_of_one_name_give_one_entry_and_one_error(db, company):
    results = await asyncio.gather(
        *(picklists.add_entry(db, company.id, REASON, name) for name in ("Foo", "foo", "ＦＯＯ")),
        return_exceptions=True,
    )
    added = [r for r in results if isinstance(r, AtRiskEntry)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(added) == 1
    assert len(refused) == 2
    assert all(r.field == "name" for r in refused)
    assert len(await picklists.list_entries(db, company.id)) == 1


async def test_racing_updates_with_one_expected_version_give_one_winner(db, company):
    entry = await picklists.add_entry(db, company.id, REASON, "Contested")
    results = await asyncio.gather(
        *(
            picklists.update_entry(db, company.id, entry.id, name=f"Writer {i}", expected_version=1)
            for i in range(5)
        ),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, AtRiskEntry)]
    assert len(winners) == 1
    assert all(isinstance(r, VersionConflict) for r in results if r is not winners[0])
    current = await picklists.get_entry(db, company.id, entry.id)
    assert current is not None
    assert (current.name, current.version) == (winners[0].name, 2)
