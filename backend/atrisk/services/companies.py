"""Companies: found by name, created."""

from __future__ import annotations

from sqlalchemy import select

from atrisk.db.database import Database
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.text import fold
from atrisk.models.companies import Company
from atrisk.services import changes
from atrisk.services.changes import Change


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
        changes.record(
            session,
            Change(
                company.id,
                Entity.COMPANY,
                company.id,
                Action.CREATE,
                actor=changes.CLI,
                label=company.name,
                fields=changes.diff({}, {"name": company.name}),
            ),
        )
    return company
