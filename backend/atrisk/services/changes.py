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
it rolls back). A use case that records thousands of changes (an import) calls `flush`
now and then: the events so far are written at once, in the same transaction, and their
fields no longer held. A test fails for any transaction that writes a company's data without
bumping its version and writing its events.

On PostgreSQL the same transaction also sends the changes to every process with
`NOTIFY atrisk_changes` (delivered only when it commits): `notices` encodes them and
`parse_notice` reads them back in each process's live-updates feed (atrisk.services.feed).
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import orjson
from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import after_commit, before_commit, insert_rows
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
_PENDING = "atrisk_pending_changes"  # recorded, their events not written yet
_RECORDED = "atrisk_recorded_changes"  # every change, for the notices and the subscribers
_AT = "atrisk_changes_at"  # the time of the transaction's events
# Who history names when no person or token did it, and for the operator's commands.
SYSTEM = "atrisk"
CLI = "atrisk CLI"
_EVENT_CHUNK = 1000
# Live updates on PostgreSQL: the channel, the largest payload sent (the server's limit is
# 8000 bytes), and past how many changes of one company a transaction sends one "reload
# everything" notice instead (an import of 50,000 customers is one notice, not 50,000).
CHANNEL = "atrisk_changes"
NOTICE_MAX_BYTES = 7900
CHANGES_PER_COMPANY_MAX = 100


class FieldChange(NamedTuple):
    """One field of a change, its old and new value as text (None: empty). A named tuple:
    an import makes a quarter of a million, and one is made in 60% of a frozen
    dataclass's time."""

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
    if type(value) is str:  # most values, and the cheapest test
        return value
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
    """The fields whose value differs, in the order of `after`; from nothing (a new
    entity), each field that holds a value."""
    if not before:
        return tuple(
            [
                FieldChange(field, None, as_text(new))
                for field, new in after.items()
                if new is not None
            ]
        )
    changed: list[FieldChange] = []
    for field, value in after.items():
        old, new = as_text(before.get(field)), as_text(value)
        if old != new:
            changed.append(FieldChange(field, old, new))
    return tuple(changed)


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
        recorded: list[Change] = session.info.setdefault(_RECORDED, [])
        before_commit(session, _write_events)
        after_commit(session, lambda: _publish(recorded))
    pending.append(change)


async def flush(session: AsyncSession) -> None:
    """Write the events of the changes recorded so far, now, in the same transaction; until
    the commit only what the notices and subscribers need of them is kept (not their fields
    or label). Rolling back still leaves no event."""
    pending: list[Change] = session.info.get(_PENDING, [])
    if not pending:
        return
    await _insert_events(session, pending)
    session.info[_RECORDED].extend(
        Change(c.company_id, c.entity, c.entity_id, c.action, c.version) for c in pending
    )
    pending.clear()


@dataclass(frozen=True, slots=True)
class Resync:
    """Not one change but "reload everything": too many changes at once, or a gap in the
    feed (lost connection, restart) after which nobody can say what was missed. No company:
    every company."""

    company_id: str | None = None


def _notice_line(change: Change) -> str:
    version = "" if change.version is None else str(change.version)
    return "\t".join(
        (
            "C",
            change.company_id,
            change.entity.value,
            change.entity_id,
            change.action.value,
            version,
        )
    )


def notices(recorded: list[Change]) -> list[str]:
    """The NOTIFY payloads that tell other processes of `recorded`: tab-separated lines, at
    most NOTICE_MAX_BYTES each; a company with too many changes gets one resync line."""
    counts: dict[str, int] = {}
    for change in recorded:
        counts[change.company_id] = counts.get(change.company_id, 0) + 1
    lines = [
        f"R\t{company}" for company, count in counts.items() if count > CHANGES_PER_COMPANY_MAX
    ]
    lines += [_notice_line(c) for c in recorded if counts[c.company_id] <= CHANGES_PER_COMPANY_MAX]
    payloads: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > NOTICE_MAX_BYTES:
            payloads.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        payloads.append("\n".join(current))
    return payloads


def parse_notice(payload: str) -> list[Change | Resync]:
    """What a NOTIFY payload of `notices` says; anything unreadable becomes a resync of
    everyone (a client then reloads, which is never wrong)."""
    parsed: list[Change | Resync] = []
    for line in payload.split("\n"):
        parts = line.split("\t")
        try:
            if parts[0] == "R" and len(parts) == 2:
                parsed.append(Resync(parts[1]))
            elif parts[0] == "C" and len(parts) == 6:
                version = int(parts[5]) if parts[5] else None
                parsed.append(
                    Change(parts[1], Entity(parts[2]), parts[3], Action(parts[4]), version)
                )
            else:
                raise ValueError(line)
        except ValueError:
            logger.warning("an unreadable live-updates notice: everyone reloads")
            return [Resync()]
    return parsed


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
        "entity_version": change.version,
        "changes": orjson.dumps(
            [{"field": f.field, "from": f.before, "to": f.after} for f in change.fields]
        ).decode(),
    }


async def _insert_events(session: AsyncSession, recorded: list[Change]) -> None:
    """The events of `recorded`, many rows a statement, all at the transaction's one time."""
    at: datetime = session.info.setdefault(_AT, utcnow())
    table: Table = AuditEvent.__table__  # type: ignore[assignment]
    for start in range(0, len(recorded), _EVENT_CHUNK):
        rows = [event_row(change, at) for change in recorded[start : start + _EVENT_CHUNK]]
        await insert_rows(session, table, rows)


async def _write_events(session: AsyncSession) -> None:
    """Before the commit: the events not written yet, then on PostgreSQL the notices of every
    change of the transaction."""
    pending: list[Change] = session.info.get(_PENDING, [])
    await _insert_events(session, pending)
    recorded: list[Change] = session.info[_RECORDED]
    recorded.extend(pending)
    pending.clear()
    if session.get_bind().dialect.name == "postgresql":
        for payload in notices(recorded):
            await session.execute(select(func.pg_notify(CHANNEL, payload)))
