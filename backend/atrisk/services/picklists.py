"""The picklists: list, get, add, update, move, sort and delete at-risk entries of one company.

Positions order a category without duplicates: a new entry goes last, and a move or a sort
renumbers the whole category 1..n (closing the gaps deletes leave) inside its one
transaction, after the change recorder's claim has queued the company's other writers. An
entry whose position changes gets a new version, like any other change; a delete changes
no other entry.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
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
    DESCRIPTION_LABEL,
    Category,
    name_key,
    normalise_description,
    normalise_name,
    sort_key,
)
from atrisk.domain.text import InvalidText
from atrisk.models.cases import AtRiskCase, Credit
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.errors import EntryInUse, NotFound, ValidationFailed, VersionConflict

_ID_PATTERN = re.compile(r"[0-9a-f]{32}")

# What a listing shows, as plain rows: no ORM objects to build per row.
EntryRow = Row[str, Category, str, str | None, bool, int, int, datetime, datetime]
_LISTING_COLUMNS = (
    AtRiskEntry.id,
    AtRiskEntry.category,
    AtRiskEntry.name,
    AtRiskEntry.description,
    AtRiskEntry.active,
    AtRiskEntry.position,
    AtRiskEntry.version,
    AtRiskEntry.created_at,
    AtRiskEntry.updated_at,
)


class Keep(enum.Enum):
    """For an update's optional field: leave the stored value as it is."""

    KEEP = "keep"


KEEP = Keep.KEEP


def _canonical_id(entry_id: str) -> str | None:
    candidate = entry_id.strip().lower()
    return candidate if _ID_PATTERN.fullmatch(candidate) else None


def _checked_name(raw: str, category: Category) -> tuple[str, str]:
    try:
        name = normalise_name(raw)
    except InvalidText as error:
        raise ValidationFailed("name", error.message(category.label)) from None
    return name, name_key(name)


def _checked_description(raw: str | None) -> str | None:
    try:
        return normalise_description(raw)
    except InvalidText as error:
        raise ValidationFailed("description", error.message(DESCRIPTION_LABEL)) from None


def _duplicate(category: Category, existing_name: str, existing_active: bool) -> ValidationFailed:
    message = f'A {category.label} named "{existing_name}" already exists'
    return ValidationFailed("name", message + ("." if existing_active else " but is inactive."))


def snapshot(entry: AtRiskEntry) -> dict[str, object]:
    """The fields history shows."""
    return {
        "name": entry.name,
        "description": entry.description,
        "active": entry.active,
        "position": entry.position,
    }


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


def _check_version(session: AsyncSession, entry: AtRiskEntry, expected: int | None) -> None:
    if expected is not None and expected != entry.version:
        session.expunge(entry)  # keep its values through the rollback
        raise VersionConflict(entry)


async def _find(session: AsyncSession, company_id: str, entry_id: str) -> AtRiskEntry | None:
    canonical = _canonical_id(entry_id)
    if canonical is None:
        return None
    result = await session.execute(
        select(AtRiskEntry).where(AtRiskEntry.id == canonical, AtRiskEntry.company_id == company_id)
    )
    return result.scalar_one_or_none()


async def _found(session: AsyncSession, company_id: str, entry_id: str) -> AtRiskEntry:
    entry = await _find(session, company_id, entry_id)
    if entry is None:
        raise NotFound(entry_id)
    return entry


async def _clash(
    session: AsyncSession, company_id: str, category: Category, key: str, exclude_id: str | None
) -> ValidationFailed | None:
    query = select(AtRiskEntry.name, AtRiskEntry.active).where(
        AtRiskEntry.company_id == company_id,
        AtRiskEntry.category == category,
        AtRiskEntry.name_key == key,
    )
    if exclude_id is not None:
        query = query.where(AtRiskEntry.id != exclude_id)
    existing = (await session.execute(query)).one_or_none()
    return None if existing is None else _duplicate(category, *existing)


async def _in_order(
    session: AsyncSession, company_id: str, category: Category
) -> list[AtRiskEntry]:
    query = (
        select(AtRiskEntry)
        .where(AtRiskEntry.company_id == company_id, AtRiskEntry.category == category)
        .order_by(AtRiskEntry.position, AtRiskEntry.name_key)
    )
    return list((await session.execute(query)).scalars())


async def _renumber(session: AsyncSession, order: Iterable[AtRiskEntry], actor: str) -> None:
    """Positions 1..n in this order; each entry whose position changes is a new version."""
    now = utcnow()
    moved = []
    for position, entry in enumerate(order, start=1):
        if entry.position != position:
            moved.append((entry, snapshot(entry)))
            entry.position = position
            entry.version += 1
            entry.updated_at = now
    await session.flush()
    for entry, before in moved:
        _record(session, entry, Action.UPDATE, actor, before)


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
    description: str | None = None,
    *,
    actor: str = "",
) -> AtRiskEntry:
    """A new entry, last in its category."""
    clean, key = _checked_name(name, category)
    clean_description = _checked_description(description)
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
            if duplicate := await _clash(session, company_id, category, key, None):
                raise duplicate
            now = utcnow()
            entry = AtRiskEntry(
                company_id=company_id,
                category=category,
                name=clean,
                name_key=key,
                description=clean_description,
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
            raise _duplicate(category, clean, True) from None
        raise
    return entry


async def update_entry(
    db: Database,
    company_id: str,
    entry_id: str,
    *,
    name: str | None = None,
    active: bool | None = None,
    description: str | Keep | None = KEEP,
    expected_version: int | None = None,
    actor: str = "",
) -> AtRiskEntry:
    """Change the name, active flag and/or description (None clears it); the version goes
    up by one if anything changed."""
    if name is None and active is None and description is KEEP:
        raise ValidationFailed("input", "Give a new name, active value or description.")
    new_description = description if description is KEEP else _checked_description(description)
    checked: tuple[str, str] | None = None
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        entry = await _found(session, company_id, entry_id)
        if name is not None:
            checked = _checked_name(name, entry.category)
        _check_version(session, entry, expected_version)
        before = snapshot(entry)
        changed = False
        if checked is not None and checked[0] != entry.name:
            clean, key = checked
            if duplicate := await _clash(session, company_id, entry.category, key, entry.id):
                raise duplicate
            entry.name, entry.name_key = clean, key
            changed = True
        if active is not None and active != entry.active:
            entry.active = active
            changed = True
        if new_description is not KEEP and new_description != entry.description:
            entry.description = new_description
            changed = True
        if changed:
            entry.version += 1
            entry.updated_at = utcnow()
            await session.flush()
            _record(session, entry, Action.UPDATE, actor, before)
    return entry


async def move_entry(
    db: Database,
    company_id: str,
    entry_id: str,
    *,
    before_id: str | None = None,
    expected_version: int | None = None,
    actor: str = "",
) -> AtRiskEntry:
    """Put the entry right before another of its category, or last when `before_id` is None.

    The entries between its old and new place shift by one; each that moves gets a new version.
    """
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        entry = await _found(session, company_id, entry_id)
        before = None if before_id is None else await _found(session, company_id, before_id)
        _check_version(session, entry, expected_version)
        if before is not None and before.category is not entry.category:
            raise ValidationFailed(
                "beforeId",
                f"An entry moves only inside its own category: {entry.category.title}.",
            )
        siblings = await _in_order(session, company_id, entry.category)
        if before is not None and before.id == entry.id:
            order = siblings
        else:
            order = [sibling for sibling in siblings if sibling.id != entry.id]
            order.insert(len(order) if before is None else order.index(before), entry)
        await _renumber(session, order, actor)
    return entry


async def sort_entries(
    db: Database, company_id: str, category: Category, *, actor: str = ""
) -> list[AtRiskEntry]:
    """Order the whole category A to Z, in one transaction; returns it in its new order."""
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        order = sorted(
            await _in_order(session, company_id, category), key=lambda e: sort_key(e.name)
        )
        await _renumber(session, order, actor)
    return order


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
    expected_version: int | None = None,
    replace_with: str | None = None,
    actor: str = "",
) -> str:
    """Remove the entry for good; returns its id. An entry in use is refused unless
    `replace_with` names another entry of its category: then every use moves there first."""
    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)
        entry = await _found(session, company_id, entry_id)
        _check_version(session, entry, expected_version)
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
