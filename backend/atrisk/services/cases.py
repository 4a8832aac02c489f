"""At-risk cases: flag a customer, work the case (changes, contact attempts, credits), close
it as saved, lost or withdrawn, reopen it; the work queue a page at a time.

Every use case is one transaction that first claims the company's customers-and-cases area
(which also queues the company's other writers), so "at most one open case per customer"
and "only active entries for new choices" are checked against what is committed; the
database's own constraints (a partial unique index, foreign keys without cascade) back
them up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Caller, Role
from atrisk.domain.cases import (
    ATTEMPT_NOTE_MAX_LENGTH,
    CLOSED_STATUSES,
    CREDIT_NOTE_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    OPEN_STATUSES,
    CaseOrder,
    CaseStatus,
    ContactChannel,
    InvalidCase,
    RiskLevel,
    check_aware,
    check_not_future,
    retained_for_close,
)
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.money import amount_problem, format_money
from atrisk.domain.picklists import Category
from atrisk.domain.text import InvalidText, note
from atrisk.models.accounts import User
from atrisk.models.cases import OPEN, AtRiskCase, ContactAttempt, Credit
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes, customers, reports
from atrisk.services.changes import Change
from atrisk.services.errors import NotFound, OpenCaseExists, ValidationFailed, VersionConflict
from atrisk.services.pages import (
    Page,
    SortKey,
    after,
    datetime_key,
    decode_cursor,
    encode_cursor,
    order_by,
    page_size,
)
from atrisk.services.rows import canonical_id, owned

# People a case can be assigned to, and savers: those who work cases.
WORKERS = (Role.ADMIN, Role.AGENT)


@dataclass(frozen=True, slots=True)
class CaseFilter:
    """The work queue's filter; ids that are not the company's match nothing."""

    status: Sequence[CaseStatus] | None = None
    open: bool | None = None
    assigned_to: str | None = None
    unassigned: bool | None = None
    reason: str | None = None
    cause: str | None = None
    risk_level: Sequence[RiskLevel] | None = None
    follow_up_before: datetime | None = None
    customer: str | None = None
    resolution: str | None = None
    credit_reason: str | None = None
    # Cases reported or closed from `from_` through `to`: days in the company's time zone.
    from_: date | None = None
    to: date | None = None


def _invalid(error: InvalidCase) -> ValidationFailed:
    return ValidationFailed(error.field, str(error))


def _text(raw: str | None, field: str, label: str, max_length: int) -> str | None:
    if raw is None or not raw.strip():
        return None
    try:
        return note(raw, max_length)
    except InvalidText as error:
        raise ValidationFailed(field, error.message(label)) from None


def _moment(value: datetime | None, field: str, label: str, now: datetime, *, past: bool) -> None:
    if value is None:
        return
    try:
        check_aware(value, field, label)
        if past:
            check_not_future(value, now, field, label)
    except InvalidCase as error:
        raise _invalid(error) from None


def _money(cents: int, field: str, label: str, *, positive: bool = False) -> int:
    if problem := amount_problem(cents, label, positive=positive):
        raise ValidationFailed(field, problem)
    return cents


async def _entry(
    session: AsyncSession,
    company_id: str,
    raw_id: str,
    category: Category,
    field: str,
    *,
    keep: str | None = None,
) -> AtRiskEntry:
    """An entry of `category` for a new choice: the company's, and active (unless it is the
    one the case holds already, `keep`: a case keeps an entry deactivated later)."""
    entry = await owned(session, AtRiskEntry, company_id, raw_id)
    if entry is None or entry.category is not category:
        raise ValidationFailed(field, f"No {category.label} has the id {raw_id!r}.")
    if not entry.active and entry.id != keep:
        raise ValidationFailed(
            field, f'The {category.label} "{entry.name}" is inactive: choose an active one.'
        )
    return entry


async def _worker(
    session: AsyncSession, company_id: str, raw_id: str, field: str, label: str
) -> User:
    user = await owned(session, User, company_id, raw_id)
    if user is None:
        raise ValidationFailed(field, f"No person of your company has the id {raw_id!r}.")
    if not user.active:
        raise ValidationFailed(field, f"{user.email} is deactivated: choose someone active.")
    if user.role not in WORKERS:
        raise ValidationFailed(
            field, f"{user.email} only views: {label} must be an admin or an agent."
        )
    return user


def snapshot(row: AtRiskCase) -> dict[str, object]:
    """The fields history shows."""
    return {
        "status": row.status,
        "riskLevel": row.risk_level,
        "reasonId": row.reason_id,
        "causeId": row.cause_id,
        "resolutionId": row.resolution_id,
        "reportedAt": row.reported_at,
        "assignedToId": row.assigned_to_id,
        "followUpAt": row.follow_up_at,
        "rmrAtRisk": format_money(row.rmr_at_risk_cents),
        "rmrRetained": None
        if row.rmr_retained_cents is None
        else format_money(row.rmr_retained_cents),
        "savedById": row.saved_by_id,
        "notes": row.notes,
        "closedAt": row.closed_at,
    }


def _record(
    session: AsyncSession,
    caller: Caller,
    row: AtRiskCase,
    action: Action,
    before: Mapping[str, object],
    label: str,
    extra: Sequence[changes.FieldChange] = (),
) -> None:
    changes.record(
        session,
        Change(
            row.company_id,
            Entity.AT_RISK_CASE,
            row.id,
            action,
            row.version,
            actor=caller.actor,
            label=label,
            fields=changes.diff(before, snapshot(row)) + tuple(extra),
        ),
    )


def _touch(row: AtRiskCase) -> None:
    row.version += 1
    row.updated_at = utcnow()


async def _open_case_of(session: AsyncSession, customer_id: str) -> AtRiskCase | None:
    return await session.scalar(
        select(AtRiskCase).where(
            AtRiskCase.customer_id == customer_id, AtRiskCase.status.in_(OPEN_STATUSES)
        )
    )


async def _case_for_change(
    session: AsyncSession, caller: Caller, case_id: str, expected_version: int | None
) -> tuple[AtRiskCase, Customer]:
    await changes.claim(session, caller.company_id, Area.CASES)
    row = await owned(session, AtRiskCase, caller.company_id, case_id)
    if row is None:
        raise NotFound(case_id, "at-risk case")
    if expected_version is not None and expected_version != row.version:
        session.expunge(row)
        raise VersionConflict(row, "case")
    customer = await session.get(Customer, row.customer_id)
    assert customer is not None
    return row, customer


async def flag_at_risk(db: Database, caller: Caller, values: Mapping[str, Any]) -> AtRiskCase:
    """A new OPEN case for a customer: a REASON is required, the rest optional."""
    now = utcnow()
    reported_at = values.get("reported_at") or now
    _moment(reported_at, "reportedAt", "Reported at", now, past=True)
    _moment(values.get("follow_up_at"), "followUpAt", "Follow-up", now, past=False)
    notes = _text(values.get("notes"), "notes", "Notes", NOTES_MAX_LENGTH)
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.CASES)
        customer = await owned(session, Customer, caller.company_id, values["customer_id"])
        if customer is None:
            raise ValidationFailed(
                "customerId", f"No customer has the id {values['customer_id']!r}."
            )
        if customer.status is CustomerStatus.CANCELLED:
            raise ValidationFailed(
                "customerId", f"{customer.name} has cancelled: a cancelled customer is not at risk."
            )
        if (existing := await _open_case_of(session, customer.id)) is not None:
            session.expunge(existing)
            raise OpenCaseExists(existing)
        reason = await _entry(
            session, caller.company_id, values["reason_id"], Category.REASON, "reasonId"
        )
        cause = None
        if values.get("cause_id"):
            cause = await _entry(
                session, caller.company_id, values["cause_id"], Category.CAUSE, "causeId"
            )
        assignee = None
        if values.get("assigned_to_id"):
            assignee = await _worker(
                session, caller.company_id, values["assigned_to_id"], "assignedToId", "the assignee"
            )
        rmr = values.get("rmr_at_risk_cents")
        row = AtRiskCase(
            company_id=caller.company_id,
            customer_id=customer.id,
            status=CaseStatus.OPEN,
            risk_level=values["risk_level"],
            reason_id=reason.id,
            cause_id=cause.id if cause else None,
            reported_at=reported_at,
            reported_by_id=caller.user_id,
            assigned_to_id=assignee.id if assignee else None,
            follow_up_at=values.get("follow_up_at"),
            rmr_at_risk_cents=customer.rmr_cents
            if rmr is None
            else _money(rmr, "rmrAtRisk", "RMR at risk"),
            notes=notes,
            version=1,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        _record(session, caller, row, Action.CREATE, {}, customer.name)
    return row


# Fields of UpdateAtRiskCaseInput, by their service names.
_UPDATABLE = (
    "reason_id",
    "cause_id",
    "risk_level",
    "assigned_to_id",
    "follow_up_at",
    "rmr_at_risk_cents",
    "notes",
    "status",
)


async def update_case(
    db: Database,
    caller: Caller,
    case_id: str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> AtRiskCase:
    """Change an open case (absent fields stay, None clears an optional one); its status
    only between OPEN and MITIGATED."""
    now = utcnow()
    if "follow_up_at" in values:
        _moment(values["follow_up_at"], "followUpAt", "Follow-up", now, past=False)
    status = values.get("status")
    if status is not None and status not in OPEN_STATUSES:
        raise ValidationFailed(
            "status", "Here status is OPEN or MITIGATED; close a case with closeAtRiskCase."
        )
    notes = _text(values.get("notes"), "notes", "Notes", NOTES_MAX_LENGTH)
    async with db.write() as session:
        row, customer = await _case_for_change(session, caller, case_id, expected_version)
        if row.status not in OPEN_STATUSES:
            raise ValidationFailed(
                "id", f"This case is {row.status.value.lower()}: reopen it before changing it."
            )
        before = snapshot(row)
        company_id = caller.company_id
        if values.get("reason_id") is not None:
            reason = await _entry(
                session,
                company_id,
                values["reason_id"],
                Category.REASON,
                "reasonId",
                keep=row.reason_id,
            )
            row.reason_id = reason.id
        elif "reason_id" in values:
            raise ValidationFailed("reasonId", "A case needs a Reason.")
        if "cause_id" in values:
            row.cause_id = (
                None
                if not values["cause_id"]
                else (
                    await _entry(
                        session,
                        company_id,
                        values["cause_id"],
                        Category.CAUSE,
                        "causeId",
                        keep=row.cause_id,
                    )
                ).id
            )
        if values.get("risk_level") is not None:
            row.risk_level = values["risk_level"]
        if "assigned_to_id" in values:
            if not values["assigned_to_id"]:
                row.assigned_to_id = None
            elif canonical_id(values["assigned_to_id"]) != row.assigned_to_id:
                row.assigned_to_id = (
                    await _worker(
                        session,
                        company_id,
                        values["assigned_to_id"],
                        "assignedToId",
                        "the assignee",
                    )
                ).id
        if "follow_up_at" in values:
            row.follow_up_at = values["follow_up_at"]
        if values.get("rmr_at_risk_cents") is not None:
            row.rmr_at_risk_cents = _money(values["rmr_at_risk_cents"], "rmrAtRisk", "RMR at risk")
        if "notes" in values:
            row.notes = notes
        if status is not None:
            row.status = status
        if changes.diff(before, snapshot(row)):
            _touch(row)
            await session.flush()
            _record(session, caller, row, Action.UPDATE, before, customer.name)
    return row


async def add_attempt(
    db: Database,
    caller: Caller,
    case_id: str,
    channel: ContactChannel,
    text: str,
    at: datetime | None = None,
) -> AtRiskCase:
    now = utcnow()
    _moment(at, "at", "The time of the attempt", now, past=True)
    cleaned = _text(text, "note", "Note", ATTEMPT_NOTE_MAX_LENGTH)
    if cleaned is None:
        raise ValidationFailed("note", "Note is required: say what was tried and how it went.")
    async with db.write() as session:
        row, customer = await _case_for_change(session, caller, case_id, None)
        attempt = ContactAttempt(
            company_id=caller.company_id,
            case_id=row.id,
            channel=channel,
            note=cleaned,
            at=at or now,
            by_id=caller.user_id,
            created_at=now,
        )
        session.add(attempt)
        before = snapshot(row)
        _touch(row)
        await session.flush()
        extra = (changes.FieldChange("attempt", None, f"{channel.value}: {cleaned}"),)
        _record(session, caller, row, Action.UPDATE, before, customer.name, extra)
    return row


async def add_credit(
    db: Database,
    caller: Caller,
    case_id: str,
    amount_cents: int,
    credit_reason_id: str,
    text: str | None = None,
) -> AtRiskCase:
    _money(amount_cents, "amount", "Amount", positive=True)
    cleaned = _text(text, "note", "Note", CREDIT_NOTE_MAX_LENGTH)
    async with db.write() as session:
        row, customer = await _case_for_change(session, caller, case_id, None)
        reason = await _entry(
            session, caller.company_id, credit_reason_id, Category.CREDIT_REASON, "creditReasonId"
        )
        now = utcnow()
        session.add(
            Credit(
                company_id=caller.company_id,
                case_id=row.id,
                amount_cents=amount_cents,
                credit_reason_id=reason.id,
                note=cleaned,
                at=now,
                by_id=caller.user_id,
                created_at=now,
            )
        )
        before = snapshot(row)
        _touch(row)
        await session.flush()
        extra = (
            changes.FieldChange("credit", None, f"{format_money(amount_cents)} ({reason.name})"),
        )
        _record(session, caller, row, Action.UPDATE, before, customer.name, extra)
    return row


async def close_case(
    db: Database,
    caller: Caller,
    case_id: str,
    status: CaseStatus,
    *,
    resolution_id: str | None = None,
    rmr_retained_cents: int | None = None,
    saved_by_id: str | None = None,
    expected_version: int | None = None,
) -> AtRiskCase:
    """RESOLVED (saved) and LOST need a Resolution; LOST cancels the customer."""
    if status not in CLOSED_STATUSES:
        raise ValidationFailed("status", "Close a case as RESOLVED, LOST or CANCELLED.")
    async with db.write() as session:
        row, customer = await _case_for_change(session, caller, case_id, expected_version)
        if row.status not in OPEN_STATUSES:
            raise ValidationFailed("id", f"This case is {row.status.value.lower()} already.")
        before = snapshot(row)
        if status is not CaseStatus.CANCELLED and not resolution_id:
            raise ValidationFailed("resolutionId", "Choose the Resolution: how did it end?")
        if resolution_id:
            row.resolution_id = (
                await _entry(
                    session, caller.company_id, resolution_id, Category.RESOLUTION, "resolutionId"
                )
            ).id
        try:
            row.rmr_retained_cents = retained_for_close(
                status, row.rmr_at_risk_cents, rmr_retained_cents
            )
        except InvalidCase as error:
            raise _invalid(error) from None
        if status is CaseStatus.RESOLVED:
            if saved_by_id:
                row.saved_by_id = (
                    await _worker(
                        session, caller.company_id, saved_by_id, "savedById", "who saved it"
                    )
                ).id
            else:
                row.saved_by_id = caller.user_id
        elif saved_by_id:
            raise ValidationFailed("savedById", "Only a saved (RESOLVED) case has a saver.")
        row.status = status
        row.closed_at = utcnow()
        _touch(row)
        if status is CaseStatus.LOST and customer.status is not CustomerStatus.CANCELLED:
            await _set_customer_status(session, caller, customer, CustomerStatus.CANCELLED)
        await session.flush()
        _record(session, caller, row, Action.UPDATE, before, customer.name)
    return row


async def reopen_case(
    db: Database, caller: Caller, case_id: str, expected_version: int | None = None
) -> AtRiskCase:
    """A closed case is open again; reopening a LOST one makes the customer ACTIVE again."""
    async with db.write() as session:
        row, customer = await _case_for_change(session, caller, case_id, expected_version)
        if row.status in OPEN_STATUSES:
            raise ValidationFailed("id", "This case is open already.")
        if (existing := await _open_case_of(session, customer.id)) is not None:
            session.expunge(existing)
            raise OpenCaseExists(existing)
        before = snapshot(row)
        was_lost = row.status is CaseStatus.LOST
        row.status = CaseStatus.OPEN
        row.resolution_id = None
        row.rmr_retained_cents = None
        row.saved_by_id = None
        row.closed_at = None
        _touch(row)
        if was_lost and customer.status is CustomerStatus.CANCELLED:
            await _set_customer_status(session, caller, customer, CustomerStatus.ACTIVE)
        await session.flush()
        _record(session, caller, row, Action.UPDATE, before, customer.name)
    return row


async def _set_customer_status(
    session: AsyncSession, caller: Caller, customer: Customer, status: CustomerStatus
) -> None:
    before = customers.snapshot(customer)
    customer.status = status
    customer.version += 1
    customer.updated_at = utcnow()
    await session.flush()
    customers.record(session, caller, customer, Action.UPDATE, before)


async def get_case(db: Database, company_id: str, case_id: str) -> AtRiskCase | None:
    async with db.read() as session:
        return await owned(session, AtRiskCase, company_id, case_id)


_RISK_RANK = case(
    (AtRiskCase.risk_level == RiskLevel.HIGH, 3),
    (AtRiskCase.risk_level == RiskLevel.MEDIUM, 2),
    else_=1,
)
_NO_FOLLOW_UP = case((AtRiskCase.follow_up_at.is_(None), 1), else_=0)

ORDERS: dict[CaseOrder, tuple[SortKey, ...]] = {
    CaseOrder.FOLLOW_UP: (
        SortKey(_NO_FOLLOW_UP),
        datetime_key(AtRiskCase.follow_up_at),
        SortKey(AtRiskCase.id),
    ),
    CaseOrder.REPORTED_NEWEST: (
        datetime_key(AtRiskCase.reported_at, descending=True),
        SortKey(AtRiskCase.id, descending=True),
    ),
    CaseOrder.RMR_HIGHEST: (
        SortKey(AtRiskCase.rmr_at_risk_cents, descending=True),
        SortKey(AtRiskCase.id),
    ),
    CaseOrder.RISK_HIGHEST: (
        SortKey(_RISK_RANK, descending=True),
        SortKey(_NO_FOLLOW_UP),
        datetime_key(AtRiskCase.follow_up_at),
        SortKey(AtRiskCase.id),
    ),
}


def _sort_values(order: CaseOrder, row: AtRiskCase) -> list[Any]:
    no_follow_up = 1 if row.follow_up_at is None else 0
    values: dict[CaseOrder, list[Any]] = {
        CaseOrder.FOLLOW_UP: [no_follow_up, row.follow_up_at, row.id],
        CaseOrder.REPORTED_NEWEST: [row.reported_at, row.id],
        CaseOrder.RMR_HIGHEST: [row.rmr_at_risk_cents, row.id],
        CaseOrder.RISK_HIGHEST: [row.risk_level.rank, no_follow_up, row.follow_up_at, row.id],
    }
    return values[order]


def _in_period(where: CaseFilter, timezone: str) -> ColumnElement[bool] | None:
    """Reported or closed in the period (either end may be left open)."""
    if where.from_ is None and where.to is None:
        return None
    if where.from_ is not None and where.to is not None:
        reports.check_period(where.from_, where.to)
    zone = ZoneInfo(timezone)
    since = None if where.from_ is None else reports.local_bounds(where.from_, where.from_, zone)[0]
    until = None if where.to is None else reports.local_bounds(where.to, where.to, zone)[1]

    def within(column: Any) -> ColumnElement[bool]:
        bounds = [column >= since] if since is not None else []
        if until is not None:
            bounds.append(column < until)
        return and_(*bounds)

    return or_(within(AtRiskCase.reported_at), within(AtRiskCase.closed_at))


def _conditions(
    company_id: str, where: CaseFilter, timezone: str = "UTC"
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [AtRiskCase.company_id == company_id]
    if where.status:
        conditions.append(AtRiskCase.status.in_(list(where.status)))
    if where.open is True:
        conditions.append(OPEN)  # as the queue's partial index says it, so that it is used
    elif where.open is False:
        conditions.append(AtRiskCase.status.in_(list(CLOSED_STATUSES)))
    for raw, column in (
        (where.assigned_to, AtRiskCase.assigned_to_id),
        (where.reason, AtRiskCase.reason_id),
        (where.cause, AtRiskCase.cause_id),
        (where.customer, AtRiskCase.customer_id),
        (where.resolution, AtRiskCase.resolution_id),
    ):
        if raw is not None:
            conditions.append(column == (canonical_id(raw) or ""))
    if where.unassigned is not None:
        conditions.append(
            AtRiskCase.assigned_to_id.is_(None)
            if where.unassigned
            else AtRiskCase.assigned_to_id.is_not(None)
        )
    if where.risk_level:
        conditions.append(AtRiskCase.risk_level.in_(list(where.risk_level)))
    if where.follow_up_before is not None:
        conditions.append(AtRiskCase.follow_up_at < where.follow_up_before)
    if where.credit_reason is not None:
        credited = (
            select(Credit.id)
            .where(
                Credit.case_id == AtRiskCase.id,
                Credit.company_id == company_id,
                Credit.credit_reason_id == (canonical_id(where.credit_reason) or ""),
            )
            .correlate(AtRiskCase)
        )
        conditions.append(exists(credited))
    if (period := _in_period(where, timezone)) is not None:
        conditions.append(period)
    return conditions


async def list_cases(
    db: Database,
    company_id: str,
    where: CaseFilter,
    order: CaseOrder = CaseOrder.FOLLOW_UP,
    *,
    first: int = 50,
    after_cursor: str | None = None,
    timezone: str = "UTC",
) -> Page[AtRiskCase]:
    """`timezone` (the company's) says which instants the days of `from_` and `to` cover."""
    size = page_size(first)
    if where.follow_up_before is not None:
        _moment(where.follow_up_before, "followUpBefore", "followUpBefore", utcnow(), past=False)
    keys = ORDERS[order]
    conditions = _conditions(company_id, where, timezone)
    query = select(AtRiskCase).where(*conditions)
    if after_cursor is not None:
        query = query.where(after(keys, decode_cursor(after_cursor, keys)))
    query = query.order_by(*order_by(keys)).limit(size + 1)
    async with db.read() as session:
        rows = list((await session.execute(query)).scalars())
        total = int(
            await session.scalar(select(func.count()).select_from(AtRiskCase).where(*conditions))
            or 0
        )
    has_next = len(rows) > size
    rows = rows[:size]
    end = encode_cursor(_sort_values(order, rows[-1])) if rows else None
    return Page(rows, has_next, end, total)
