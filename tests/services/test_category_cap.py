"""A category holds at most CATEGORY_MAX_ENTRIES entries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.picklists import CATEGORY_MAX_ENTRIES, Category, name_key
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes, picklists
from atrisk.services.changes import Change
from atrisk.services.companies import create_company
from atrisk.services.errors import ValidationFailed
from tests.utils.graphql import ADD, gql


async def fill(db: Database, company_id: str, category: Category, count: int) -> None:
    """Insert `count` entries in one transaction (the service's way is one at a time)."""
    now = utcnow()
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        rows = [
            AtRiskEntry(
                company_id=company_id,
                category=category,
                name=f"Entry {number}",
                name_key=name_key(f"Entry {number}"),
                active=True,
                position=number + 1,
                version=1,
                created_at=now,
                updated_at=now,
            )
            for number in range(count)
        ]
        session.add_all(rows)
        await session.flush()
        for row in rows:
            changes.record(
                session, Change(company_id, Entity.AT_RISK_ENTRY, row.id, Action.CREATE, 1)
            )


async def count_in(db: Database, company_id: str, category: Category) -> int:
    async with db.read() as session:
        query = select(func.count()).where(
            AtRiskEntry.company_id == company_id, AtRiskEntry.category == category
        )
        return int(await session.scalar(query) or 0)


async def test_the_last_entry_fits_and_the_next_is_refused(db, company):
    await fill(db, company.id, Category.CAUSE, CATEGORY_MAX_ENTRIES - 1)
    last = await picklists.add_entry(db, company.id, Category.CAUSE, "The last one")
    assert last.position == CATEGORY_MAX_ENTRIES

    with pytest.raises(ValidationFailed) as refused:
        await picklists.add_entry(db, company.id, Category.CAUSE, "One too many")
    assert refused.value.field == "category"
    assert refused.value.message == (
        "Causes already holds 1,000 entries, the most a category can hold. "
        "Delete or reuse an entry instead."
    )
    assert await count_in(db, company.id, Category.CAUSE) == CATEGORY_MAX_ENTRIES

    # Other categories and other companies are not affected.
    await picklists.add_entry(db, company.id, Category.REASON, "One too many")
    other = await create_company(db, "Other Alarm Co.")
    await picklists.add_entry(db, other.id, Category.CAUSE, "One too many")


async def test_a_full_category_answers_a_validation_error_over_graphql(app, client, company):
    await fill(app.state.db, company.id, Category.REASON, CATEGORY_MAX_ENTRIES)
    result = await gql(client, ADD, {"input": {"category": "REASON", "name": "One too many"}})
    error = result["addAtRiskEntry"]
    assert error["__typename"] == "ValidationError"
    assert error["field"] == "category"
    assert "Reasons already holds 1,000 entries" in error["message"]
    assert await count_in(app.state.db, company.id, Category.REASON) == 1000
