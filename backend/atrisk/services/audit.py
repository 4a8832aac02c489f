"""Reading history: one entity's events, the company's log a page at a time, and pruning.

Events are written by the change recorder (atrisk.services.changes) in the transaction of
each change; nothing here changes one. Pages are keyset pages, newest first, so the log of
a company with a million events pages as fast as one with a hundred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

import orjson
from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.changes import Action, Area, Entity
from atrisk.models.audit import AuditEvent
from atrisk.models.companies import Company
from atrisk.services import changes
from atrisk.services.changes import Change, FieldChange
from atrisk.services.pages import (
    Page,
    SortKey,
    datetime_key,
    decode_cursor,
    encode_cursor,
    order_by,
    page_size,
)
from atrisk.services.pages import after as after_keys
from atrisk.services.rows import canonical_id

HISTORY_MAX = 200
_ORDER = (datetime_key(AuditEvent.at, descending=True), SortKey(AuditEvent.id, descending=True))
# Events anyone of the company may read through an entity's history.
OPEN_TO_ALL = frozenset({Entity.AT_RISK_ENTRY, Entity.CUSTOMER, Entity.AT_RISK_CASE})


@dataclass(frozen=True, slots=True)
class EventFilter:
    entity: Entity | None = None
    entity_id: str | None = None
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def fields_of(event: AuditEvent) -> list[FieldChange]:
    return [
        FieldChange(item["field"], item["from"], item["to"]) for item in orjson.loads(event.changes)
    ]


def _conditions(company_id: str, where: EventFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AuditEvent.company_id == company_id]
    if where.entity is not None:
        conditions.append(AuditEvent.entity_type == where.entity.value)
    if where.entity_id is not None:
        conditions.append(AuditEvent.entity_id == (canonical_id(where.entity_id) or ""))
    if where.actor:
        conditions.append(AuditEvent.actor == where.actor.strip())
    if where.since is not None:
        conditions.append(AuditEvent.at >= where.since)
    if where.until is not None:
        conditions.append(AuditEvent.at < where.until)
    return conditions


async def list_events(
    db: Database,
    company_id: str,
    where: EventFilter,
    *,
    first: int = 50,
    after_cursor: str | None = None,
) -> Page[AuditEvent]:
    """The company's log, newest first (no total: counting a million rows is not free)."""
    size = page_size(first)
    query = select(AuditEvent).where(*_conditions(company_id, where))
    if after_cursor is not None:
        query = query.where(after_keys(_ORDER, decode_cursor(after_cursor, _ORDER)))
    query = query.order_by(*order_by(_ORDER)).limit(size + 1)
    async with db.read() as session:
        rows = list((await session.execute(query)).scalars())
    has_next = len(rows) > size
    rows = rows[:size]
    end = encode_cursor([rows[-1].at, rows[-1].id]) if rows else None
    return Page(rows, has_next, end, -1)


async def histories(
    session: AsyncSession,
    company_id: str,
    entity: Entity,
    entity_ids: Sequence[str],
    first: int,
) -> dict[str, list[AuditEvent]]:
    """The newest `first` events of each entity, in one statement."""
    ranked = (
        select(
            AuditEvent,
            func.row_number()
            .over(
                partition_by=AuditEvent.entity_id,
                order_by=(AuditEvent.at.desc(), AuditEvent.id.desc()),
            )
            .label("rank"),
        )
        .where(
            AuditEvent.company_id == company_id,
            AuditEvent.entity_type == entity.value,
            AuditEvent.entity_id.in_(list(entity_ids)),
        )
        .subquery()
    )
    events = (
        select(AuditEvent).join(ranked, ranked.c.id == AuditEvent.id).where(ranked.c.rank <= first)
    )
    found: dict[str, list[AuditEvent]] = {entity_id: [] for entity_id in entity_ids}
    for event in (
        await session.execute(events.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    ).scalars():
        found[event.entity_id].append(event)
    return found


async def history_after(
    db: Database, company_id: str, entity: Entity, entity_id: str, first: int, after_event: str
) -> list[AuditEvent]:
    """One entity's events older than the event `after_event` (the last one a page showed)."""
    async with db.read() as session:
        mark = await session.get(AuditEvent, canonical_id(after_event) or "")
        if mark is None or mark.company_id != company_id or mark.entity_id != entity_id:
            return []
        query = (
            select(AuditEvent)
            .where(
                AuditEvent.company_id == company_id,
                AuditEvent.entity_type == entity.value,
                AuditEvent.entity_id == entity_id,
                or_(
                    AuditEvent.at < mark.at,
                    and_(AuditEvent.at == mark.at, AuditEvent.id < mark.id),
                ),
            )
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(first)
        )
        return list((await session.execute(query)).scalars())


async def prune(db: Database, before: date, actor: str) -> dict[str, int]:
    """Delete every event older than `before` (UTC midnight), company by company; each
    company's log then says, in an event of its own, how many went and who did it."""
    cutoff = datetime.combine(before, time(), tzinfo=utcnow().tzinfo)
    removed: dict[str, int] = {}
    async with db.write() as session:
        counts = await session.execute(
            select(AuditEvent.company_id, func.count())
            .where(AuditEvent.at < cutoff)
            .group_by(AuditEvent.company_id)
        )
        for company_id, count in counts:
            removed[company_id] = int(count)
        if not removed:
            return removed
        await session.execute(delete(AuditEvent).where(AuditEvent.at < cutoff))
        names = dict(
            (
                await session.execute(
                    select(Company.id, Company.name).where(Company.id.in_(removed))
                )
            ).all()
        )
        for company_id, count in removed.items():
            await changes.claim(session, company_id, Area.ACCOUNTS)
            changes.record(
                session,
                Change(
                    company_id,
                    Entity.COMPANY,
                    company_id,
                    Action.UPDATE,
                    actor=actor,
                    label=names.get(company_id, ""),
                    fields=(
                        FieldChange("history", f"{count} events before {before.isoformat()}", None),
                    ),
                ),
            )
    return removed
