"""The picklists: list, get, add, update and delete at-risk entries of one company."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, func, select, union_all, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.failures import violates
from atrisk.db.types import utcnow
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.picklists import (
    CATEGORY_MAX_ENTRIES,
    Category,
    InvalidName,
    name_key,
    normalise_name,
)
from atrisk.models.cases import AtRiskCase, Credit
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.errors import EntryInUse, NotFound, ValidationFailed, VersionConflict

_ID_PATTERN = re.compile(r"[0-9a-f]{32}")

# What a listing shows, as plain rows: no ORM objects to build per row.
EntryRow = Row[str, Category, str, bool, int, int, datetime, datetime]
_LISTING_COLUMNS = (
    AtRiskEntry.id,
    AtRiskEntry.category,
    AtRiskEntry.name,
    AtRiskEntry.active,
    AtRiskEntry.position,
    AtRiskEntry.version,
    AtRiskEntry.created_at,
    AtRiskEntry.updated_at,
)


def _canonical_id(entry_id: str) -> str | None:
    candidate = entry_id.strip().lower()
    return candidate if _ID_PATTERN.fullmatch(candidate) else None


def _checked_name(raw: str) -> tuple[str, str]:
    try:
        name = normalise_name(raw)
    except InvalidName as error:
        raise ValidationFailed("name", str(error)) from None
    return name, name_key(name)


def _duplicate(category: Category, existing_name: str) -> ValidationFailed:
    return ValidationFailed("name", f'A {category.label} named "{existing_name}" already exists.')


def snapshot(entry: AtRiskEntry) -> dict[str, object]:
    """The fields history shows."""
    return {"name": entry.name, "active": entry.active, "position": entry.position}


def _record(
    session: AsyncSession,
    entry: AtRiskEntry,
    action: Action,
    actor: str,
    before: dict[str, object] | None = None,
) -> None:
    version = None if action is Action.DELETE else entry.version
    after = {} if action is Action.DELETE else snapshot(entry)
    changes.record(
        session,
        Change(
            entry.company_id,
            Entity.AT_RISK_ENTRY,
            entry.id,
            action,
            version,
            actor=actor,
            label=entry.name,
            # A deletion shows what the entry was; a creation what it is.
            fields=changes.diff(snapshot(entry), dict.fromkeys(after or snapshot(entry)))
            if action is Action.DELETE
            else changes.diff(before or {}, after),
        ),
    )


async def _find(session: AsyncSession, company_id: str, entry_id: str) -> AtRiskEntry | None:
    canonical = _canonical_id(entry_id)
    if canonical is None:
        return None
    result = await session.execute(
        select(AtRiskEntry).where(AtRiskEntry.id == canonical, AtRiskEntry.company_id == company_id)
    )
    return result.scalar_one_or_none()


async def _clash(
    session: AsyncSession, company_id: str, category: Category, key: str, exclude_id: str | None
) -> str | None:
    query = select(AtRiskEntry.name).where(
        AtRiskEntry.company_id == company_id,
        AtRiskEntry.category == category,
        AtRiskEntry.name_key == key,
    )
    if exclude_id is not None:
        query = query.where(AtRiskEntry.id != exclude_id)
    return (await session.execute(query)).scalar_one_or_none()


async def list_entries(
    db: Database,
    company_id: str,
    category: Category | None = None,
    active: bool | None = None,
) -> Sequence[EntryRow]:
    """Entries in display order: category, then position, then name.

    One SELECT of the listed columns, walking the listing index in its own order.
    """
    query = select(*_LISTING_COLUMNS).where(AtRiskEntry.company_id == company_id)
    if category is not None:
        query = query.where(AtRiskEntry.category == category)
    if active is not None:
        query = query.where(AtRiskEntry.active == active)
    query = query.order_by(AtRiskEntry.category, AtRiskEntry.position, AtRiskEntry.name_key)
    async with db.read() as session:
        return (await session.execute(query)).all()


async def get_entry(db: Database, company_id: str, entry_id: str) -> AtRiskEntry | None:
    async with db.read() as session:
        return await _find(session, company_id, entry_id)


async def add_entry(
    db: Database,
    company_id: str,
    category: Category,
    name: str,
    active: bool = True,
    *,
    actor: str = "",
) -> AtRiskEntry:
    clean, key = _checked_name(name)
    try:
        async with db.write() as session:
            await changes.claim(session, company_id, Area.LISTS)
            count, last = (
                await session.execute(
                    select(func.count(), func.max(AtRiskEntry.position)).where(
                        AtRiskEntry.company_id == company_id, AtRiskEntry.category == category
                    )
                )
            ).one()
            if count >= CATEGORY_MAX_ENTRIES:
                raise ValidationFailed(
                    "category",
                    f"{category.title} already holds {CATEGORY_MAX_ENTRIES:,} entries, the most "
                    "a category can hold. Delete or reuse an entry instead.",
                )
            if existing := await _clash(session, company_id, category, key, None):
                raise _duplicate(category, existing)
            now = utcnow()
            entry = AtRiskEntry(
                company_id=company_id,
                category=category,
                name=clean,
                name_key=key,
                active=active,
                position=(last or 0) + 1,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(entry)
            await session.flush()
            _record(session, entry, Action.CREATE, actor)
    except IntegrityError as error:
        # Writers of a company queue on its claim, so only a writer that skipped it gets here.
        if violates(error, "uq_at_risk_entries_company_id_category_name_key", "at_risk_entries"):
            raise _duplicate(category, clean) from None
        raise
    return entry


async def update_entry(
    db: Database,
    company_id: str,
    entry_id: str,
    *,
    name: str | None = None,
    active: bool | None = None,
    expected_version: int | None = None,
    actor: str = "",
) -> AtRiskEntry:
    """Change the name and/or active flag; the version goes up by one if anything changed."""
    if name is None and active is None:
        raise ValidationFailed("input", "Give a new name, a new active value, or both.")
    checked = _checked_name(name) if name is not None else None
    category: Category | None = None
    try:
        async with db.write() as session:
            await changes.claim(session, company_id, Area.LISTS)
            entry = await _find(session, company_id, entry_id)
            if entry is None:
                raise NotFound(entry_id)
            category = entry.category
            if expected_version is not None and expected_version != entry.version:
                session.expunge(entry)  # keep its values through the rollback
                raise VersionConflict(entry, expected_version)
            before = snapshot(entry)
            changed = False
            if checked is not None and checked[0] != entry.name:
                clean, key = checked
                if existing := await _clash(session, company_id, entry.category, key, entry.id):
                    raise _duplicate(entry.category, existing)
                entry.name, entry.name_key = clean, key
                changed = True
            if active is not None and active != entry.active:
                entry.active = active
                changed = True
            if changed:
                entry.version += 1
                entry.updated_at = utcnow()
                await session.flush()
                _record(session, entry, Action.UPDATE, actor, before)
    except IntegrityError as error:
        if (
            checked is None
            or category is None
            or not violates(
                error, "uq_at_risk_entries_company_id_category_name_key", "at_risk_entries"
            )
        ):
            raise
        raise _duplicate(category, checked[0]) from None
    return entry


async def usage_counts(
    session: AsyncSession, company_id: str, entry_ids: Sequence[str]
) -> dict[str, int]:
    """How many cases and credits use each entry (as reason, cause, resolution or credit
    reason); entries nothing uses are left out."""
    if not entry_ids:
        return {}
    ids = list(entry_ids)
    uses = union_all(
        *(
            select(column.label("entry_id")).where(
                AtRiskCase.company_id == company_id, column.in_(ids)
            )
            for column in (AtRiskCase.reason_id, AtRiskCase.cause_id, AtRiskCase.resolution_id)
        ),
        select(Credit.credit_reason_id.label("entry_id")).where(
            Credit.company_id == company_id, Credit.credit_reason_id.in_(ids)
        ),
    ).subquery()
    rows = await session.execute(select(uses.c.entry_id, func.count()).group_by(uses.c.entry_id))
    return {entry_id: int(count) for entry_id, count in rows}


_USES = {
    Category.REASON: (AtRiskCase, AtRiskCase.reason_id),
    Category.CAUSE: (AtRiskCase, AtRiskCase.cause_id),
    Category.RESOLUTION: (AtRiskCase, AtRiskCase.resolution_id),
    Category.CREDIT_REASON: (Credit, Credit.credit_reason_id),
}


async def _move_uses(
    session: AsyncSession, entry: AtRiskEntry, replacement: AtRiskEntry, actor: str
) -> None:
    """Every case and credit that uses `entry` uses `replacement` instead; each case that
    changed gets a new version and its change is recorded."""
    await changes.claim(session, entry.company_id, Area.CASES)
    model, column = _USES[entry.category]
    if model is Credit:
        case_ids = select(Credit.case_id).where(Credit.credit_reason_id == entry.id)
    else:
        case_ids = select(AtRiskCase.id).where(column == entry.id)
    affected = list((await session.execute(case_ids.distinct())).scalars())
    await session.execute(
        update(model).where(column == entry.id).values({column.key: replacement.id})
    )
    if not affected:
        return
    now = utcnow()
    await session.execute(
        update(AtRiskCase)
        .where(AtRiskCase.id.in_(affected))
        .values(version=AtRiskCase.version + 1, updated_at=now)
    )
    versions = await session.execute(
        select(AtRiskCase.id, AtRiskCase.version, Customer.name)
        .join(Customer, Customer.id == AtRiskCase.customer_id)
        .where(AtRiskCase.id.in_(affected))
    )
    field = "creditReason" if model is Credit else column.key.removesuffix("_id")
    for case_id, version, label in versions:
        changes.record(
            session,
            Change(
                entry.company_id,
                Entity.AT_RISK_CASE,
                case_id,
                Action.UPDATE,
                version,
                actor=actor,
                label=label,
                fields=(changes.FieldChange(field, entry.name, replacement.name),),
            ),
        )


async def delete_entry(
    db: Database,
    company_id: str,
    entry_id: str,
    *,
    replace_with: str | None = None,
    actor: str = "",
) -> str:
    """Remove the entry for good; returns its id. An entry in use is refused unless
    `replace_with` names another entry of its category: then every use moves there first."""
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        entry = await _find(session, company_id, entry_id)
        if entry is None:
            raise NotFound(entry_id)
        uses = (await usage_counts(session, company_id, [entry.id])).get(entry.id, 0)
        if uses:
            if replace_with is None:
                raise EntryInUse(entry.category.label, uses)
            replacement = await _find(session, company_id, replace_with)
            if (
                replacement is None
                or replacement.category is not entry.category
                or replacement.id == entry.id
            ):
                raise NotFound(replace_with, f"other {entry.category.label}")
            await _move_uses(session, entry, replacement, actor)
        await session.delete(entry)
        _record(session, entry, Action.DELETE, actor)
        return entry.id
