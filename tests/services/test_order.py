"""The order of a category: move and sort A to Z renumber it 1..n (closing the gaps deletes
leave); every entry whose position changes is a new version, recorded as a change."""

from __future__ import annotations

import pytest

from atrisk.db.database import Database
from atrisk.domain.changes import Action, Entity
from atrisk.domain.picklists import Category
from atrisk.models.companies import Company
from atrisk.services import picklists
from atrisk.services.companies import create_company
from atrisk.services.errors import NotFound, ValidationFailed, VersionConflict

REASON, CAUSE = Category.REASON, Category.CAUSE


async def add_all(db: Database, company: Company, *names: str) -> dict[str, str]:
    """Add REASON entries in this order; returns their ids by name."""
    return {name: (await picklists.add_entry(db, company.id, REASON, name)).id for name in names}


async def listed(db: Database, company: Company, category: Category = REASON):
    return [
        (row.name, row.position, row.version)
        for row in await picklists.list_entries(db, company.id, category)
    ]


async def test_move_before_another_shifts_only_what_is_between(db, company, published):
    ids = await add_all(db, company, "A", "B", "C", "D", "E")
    published.clear()
    moved = await picklists.move_entry(db, company.id, ids["D"], before_id=ids["B"])
    assert (moved.position, moved.version) == (2, 2)
    assert await listed(db, company) == [
        ("A", 1, 1),
        ("D", 2, 2),
        ("B", 3, 2),
        ("C", 4, 2),
        ("E", 5, 1),
    ]
    assert sorted((c.entity_id, c.action, c.version) for c in published) == sorted(
        (ids[name], Action.UPDATE, 2) for name in ("D", "B", "C")
    )
    assert {c.entity for c in published} == {Entity.AT_RISK_ENTRY}


async def test_move_to_the_front_and_to_the_end(db, company):
    ids = await add_all(db, company, "A", "B", "C")
    await picklists.move_entry(db, company.id, ids["C"], before_id=ids["A"])
    assert [name for name, *_ in await listed(db, company)] == ["C", "A", "B"]
    await picklists.move_entry(db, company.id, ids["C"])
    assert await listed(db, company) == [("A", 1, 3), ("B", 2, 3), ("C", 3, 3)]


async def test_moves_that_change_nothing_keep_every_version(db, company, published):
    ids = await add_all(db, company, "A", "B", "C")
    published.clear()
    await picklists.move_entry(db, company.id, ids["B"], before_id=ids["B"])
    await picklists.move_entry(db, company.id, ids["B"], before_id=ids["C"])
    await picklists.move_entry(db, company.id, ids["C"])
    assert await listed(db, company) == [("A", 1, 1), ("B", 2, 1), ("C", 3, 1)]
    assert published == []


async def test_a_stale_move_is_refused_with_the_current_entry(db, company):
    ids = await add_all(db, company, "A", "B")
    await picklists.update_entry(db, company.id, ids["B"], name="Bee")
    with pytest.raises(VersionConflict) as conflict:
        await picklists.move_entry(db, company.id, ids["B"], before_id=ids["A"], expected_version=1)
    assert (conflict.value.current.name, conflict.value.current.version) == ("Bee", 2)
    assert await listed(db, company) == [("A", 1, 1), ("Bee", 2, 2)]
    await picklists.move_entry(db, company.id, ids["B"], before_id=ids["A"], expected_version=2)
    assert [name for name, *_ in await listed(db, company)] == ["Bee", "A"]


async def test_an_entry_moves_only_inside_its_category(db, company):
    ids = await add_all(db, company, "A", "B")
    cause = await picklists.add_entry(db, company.id, CAUSE, "Competitor")
    with pytest.raises(ValidationFailed) as refused:
        await picklists.move_entry(db, company.id, ids["B"], before_id=cause.id)
    assert refused.value.field == "beforeId"
    assert await listed(db, company) == [("A", 1, 1), ("B", 2, 1)]


@pytest.mark.parametrize("which", ["id", "beforeId"])
async def test_another_companys_entry_is_not_found(db, company, which):
    ids = await add_all(db, company, "A", "B")
    other = await create_company(db, "Beta Security")
    theirs = (await picklists.add_entry(db, other.id, REASON, "Theirs")).id
    entry_id, before_id = (theirs, ids["A"]) if which == "id" else (ids["B"], theirs)
    with pytest.raises(NotFound) as missing:
        await picklists.move_entry(db, company.id, entry_id, before_id=before_id)
    assert missing.value.entry_id == theirs
    assert await listed(db, company) == [("A", 1, 1), ("B", 2, 1)]
    assert await listed(db, other) == [("Theirs", 1, 1)]


async def test_sort_orders_a_to_z_as_people_read_it(db, company, published):
    await add_all(db, company, "zebra", "Émile", "apple", "Banana")
    await picklists.add_entry(db, company.id, CAUSE, "Untouched")
    published.clear()
    sorted_entries = await picklists.sort_entries(db, company.id, REASON)
    assert [(e.name, e.position) for e in sorted_entries] == [
        ("apple", 1),
        ("Banana", 2),
        ("Émile", 3),
        ("zebra", 4),
    ]
    assert await listed(db, company) == [
        ("apple", 1, 2),
        ("Banana", 2, 2),
        ("Émile", 3, 2),
        ("zebra", 4, 2),
    ]
    assert len(published) == 4
    assert await listed(db, company, CAUSE) == [("Untouched", 1, 1)]
    published.clear()
    await picklists.sort_entries(db, company.id, REASON)
    assert published == []


async def test_a_delete_changes_no_other_entry_and_a_move_closes_its_gap(db, company, published):
    ids = await add_all(db, company, "A", "B", "C", "D")
    published.clear()
    await picklists.delete_entry(db, company.id, ids["B"])
    assert await listed(db, company) == [("A", 1, 1), ("C", 3, 1), ("D", 4, 1)]
    assert [(c.entity_id, c.action) for c in published] == [(ids["B"], Action.DELETE)]
    added = await picklists.add_entry(db, company.id, REASON, "E")
    assert added.position == 5
    await picklists.move_entry(db, company.id, ids["A"], before_id=ids["D"])
    assert await listed(db, company) == [
        ("C", 1, 2),
        ("A", 2, 2),
        ("D", 3, 2),
        ("E", 4, 2),
    ]


async def test_a_stale_delete_is_refused_and_deletes_nothing(db, company):
    ids = await add_all(db, company, "A")
    await picklists.update_entry(db, company.id, ids["A"], name="Renamed")
    with pytest.raises(VersionConflict) as conflict:
        await picklists.delete_entry(db, company.id, ids["A"], expected_version=1)
    assert conflict.value.current.name == "Renamed"
    assert await listed(db, company) == [("Renamed", 1, 2)]
    assert await picklists.delete_entry(db, company.id, ids["A"], expected_version=2) == ids["A"]
    assert await listed(db, company) == []


async def test_description_is_optional_trimmed_and_cleared_by_none(db, company):
    entry = await picklists.add_entry(
        db, company.id, REASON, "Moved", description="  Moved out of the area.  "
    )
    assert entry.description == "Moved out of the area."
    kept = await picklists.update_entry(db, company.id, entry.id, name="Moved away")
    assert (kept.description, kept.version) == ("Moved out of the area.", 2)
    same = await picklists.update_entry(
        db, company.id, entry.id, description=" Moved out of the area. "
    )
    assert same.version == 2
    cleared = await picklists.update_entry(db, company.id, entry.id, description=None)
    assert (cleared.description, cleared.version) == (None, 3)
    blank = await picklists.add_entry(db, company.id, REASON, "Blank", description="   ")
    assert blank.description is None
    with pytest.raises(ValidationFailed) as refused:
        await picklists.update_entry(db, company.id, entry.id, description="x" * 501)
    assert (refused.value.field, refused.value.message) == (
        "description",
        "Description must be at most 500 characters.",
    )
