"""Companies, and the demo data a first start creates."""

from __future__ import annotations

from sqlalchemy import select

from atrisk.db.database import Database
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.picklists import Category
from atrisk.domain.text import fold
from atrisk.models.companies import Company
from atrisk.services import changes, picklists, users
from atrisk.services.changes import Change
from atrisk.services.errors import ValidationFailed

DEMO_COMPANY = "Demo Alarm Co."
# Development only: settings refuse ATRISK_SEED_DEMO in production.
DEMO_ADMIN_EMAIL = "admin@demo.example"
DEMO_ADMIN_PASSWORD = "atrisk-demo"  # noqa: S105 (published, development only)

DEMO_ENTRIES: dict[Category, tuple[tuple[str, bool], ...]] = {
    Category.REASON: (
        ("Moving out of area", True),
        ("Price increase", True),
        ("Unhappy with service", True),
        ("Selling the property", False),
    ),
    Category.CAUSE: (
        ("Competitor offer", True),
        ("Missed service appointment", True),
        ("False alarms", True),
    ),
    Category.RESOLUTION: (
        ("Retained – rate adjusted", True),
        ("Retained – equipment upgraded", True),
        ("Cancelled", True),
    ),
    Category.CREDIT_REASON: (
        ("Monitoring waived 1 month", True),
        ("Service call fee refunded", True),
    ),
}


async def find_company(db: Database, name: str) -> Company | None:
    """The company of this name, compared case-folded with whitespace collapsed."""
    async with db.read() as session:
        result = await session.execute(select(Company).where(Company.name_key == fold(name)))
        return result.scalar_one_or_none()


async def create_company(db: Database, name: str) -> Company:
    async with db.write() as session:
        company = Company(name=name, name_key=fold(name))
        session.add(company)
        await session.flush()
        await changes.claim(session, company.id, Area.ACCOUNTS)
        changes.record(session, Change(company.id, Entity.COMPANY, company.id, Action.CREATE))
    return company


async def ensure_demo_company(db: Database, *, with_entries: bool) -> tuple[Company, bool]:
    """The demo company and its admin, made on the first start (with example entries if asked)."""
    if company := await find_company(db, DEMO_COMPANY):
        return company, False
    try:
        company, _ = await users.create_company_with_admin(
            db, DEMO_COMPANY, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
        )
    except ValidationFailed:  # another process created it a moment ago
        found = await find_company(db, DEMO_COMPANY)
        assert found is not None
        return found, False
    if with_entries:
        for category, rows in DEMO_ENTRIES.items():
            for name, active in rows:
                await picklists.add_entry(db, company.id, category, name, active)
    return company, True
