"""The change recorder: the one way a write is recorded.

    async with db.write() as session:
        await changes.claim(session, company_id, Area.LISTS)   # first: queues other writers
        ...                                                    # the write itself
        changes.record(session, Change(company_id, Entity.AT_RISK_ENTRY, entry.id, ...))

`claim` bumps the company's version of the area in the use case's own transaction (the
row lock it takes queues concurrent writers of that company on PostgreSQL, as SQLite's
BEGIN IMMEDIATE does), so every process's read cache sees the write at once. `record`
remembers what changed: at the end of the transaction, before it commits, each change
becomes one history event (`audit_events`) in that same transaction; after it commits,
the changes go to the callbacks registered in this process with `subscribe` (never when
it rolls back). A test fails for any transaction that writes a company's data without
bumping its version and writing its events.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Table, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import after_commit, before_commit
from atrisk.db.types import new_id, utcnow
from atrisk.domain.changes import AREA_OF, Action, Area, Entity
from atrisk.models.audit import LABEL_MAX_LENGTH, AuditEvent
from atrisk.models.companies import Company

logger = logging.getLogger(__name__)

VERSION_COLUMNS = {
    Area.LISTS: Company.lists_version,
    Area.CASES: Company.cases_version,
    Area.ACCOUNTS: Company.accounts_version,
}
_CLAIMED = "atrisk_claimed_areas"
_PENDING = "atrisk_pending_changes"
# Who history names when no person or token did it, and for the operator's commands.
SYSTEM = "atrisk"
CLI = "atrisk CLI"
_EVENT_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of a change, its old and new value as text (None: empty)."""

    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True, slots=True)
class Change:
    """One committed write: what (entity and id), how, the entity's new version; who did it,
    the entity's label at that time and each changed field."""

    company_id: str
    entity: Entity
    entity_id: str
    action: Action
    version: int | None = None
    actor: str = ""
    label: str = ""
    fields: tuple[FieldChange, ...] = ()

    @property
    def area(self) -> Area:
        return AREA_OF[self.entity]


def as_text(value: object) -> str | None:
    """A field's value as history shows it."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> tuple[FieldChange, ...]:
    """The fields whose value differs, in the order of `after`."""
    return tuple(
        FieldChange(field, as_text(before.get(field)), as_text(value))
        for field, value in after.items()
        if as_text(before.get(field)) != as_text(value)
    )


Subscriber = Callable[[Change], None]
_subscribers: list[Subscriber] = []


def subscribe(callback: Subscriber) -> Callable[[], None]:
    """Call `callback` with every change committed in this process; returns the unsubscribe."""
    _subscribers.append(callback)
    return lambda: _subscribers.remove(callback)


def _publish(recorded: list[Change]) -> None:
    for change in recorded:
        for callback in tuple(_subscribers):
            try:
                callback(change)
            except Exception:
                logger.exception("a change subscriber failed")


async def claim(session: AsyncSession, company_id: str, area: Area) -> None:
    """Bump the company's version of `area`, once per transaction; call it before writing."""
    claimed: set[tuple[str, Area]] = session.info.setdefault(_CLAIMED, set())
    if (company_id, area) in claimed:
        return
    column = VERSION_COLUMNS[area]
    await session.execute(
        update(Company).where(Company.id == company_id).values({column.key: column + 1})
    )
    claimed.add((company_id, area))


def record(session: AsyncSession, change: Change) -> None:
    """Remember `change`: its history event is written before the commit, the subscribers
    hear of it after. Its area must have been claimed in this transaction."""
    if (change.company_id, change.area) not in session.info.get(_CLAIMED, ()):
        raise RuntimeError(f"{change.entity.value} written without claiming {change.area.value}")
    pending: list[Change] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        before_commit(session, _write_events)
        after_commit(session, lambda: _publish(pending))
    pending.append(change)


def event_row(change: Change, at: datetime) -> dict[str, object]:
    """The history event of `change`, as a row of audit_events."""
    return {
        "id": new_id(),
        "company_id": change.company_id,
        "at": at,
        "actor": change.actor or SYSTEM,
        "action": change.action.value,
        "entity_type": change.entity.value,
        "entity_id": change.entity_id,
        "entity_label": change.label[:LABEL_MAX_LENGTH],
        "changes": orjson.dumps(
            [{"field": f.field, "from": f.before, "to": f.after} for f in change.fields]
        ).decode(),
    }


async def _write_events(session: AsyncSession) -> None:
    """Every recorded change's event, in the transaction of the change, many rows a statement."""
    at = utcnow()
    rows = [event_row(change, at) for change in session.info.get(_PENDING, ())]
    table: Table = AuditEvent.__table__  # type: ignore[assignment]
    for start in range(0, len(rows), _EVENT_CHUNK):
        await session.execute(insert(table), rows[start : start + _EVENT_CHUNK])
