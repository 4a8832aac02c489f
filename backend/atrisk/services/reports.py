"""The retention report: RMR at risk, saved and lost in a period, by a grouping.

For the days [start, end] in the company's time zone:

    opened              cases reported in the period; rmrAtRisk sums their RMR at risk
    saved, lost,        cases closed in the period as RESOLVED, LOST, CANCELLED
      withdrawn
    rmrSaved            the RMR retained of the cases saved
    rmrLost             RMR at risk less RMR retained, of the cases saved or lost
    credited            the credits given in the period
    saveRate            saved ÷ (saved + lost); none when both are 0
    averageDaysToClose  the average whole days open of the cases saved or lost
    openNow             the cases not closed (whatever the period): how many, their RMR at
                        risk, how many have a follow-up in the past

Every figure is a GROUP BY in the database (three grouped statements, one for what is open
now and one for the groups' names), in integer cents. The totals are the groups' sums, for
every grouping but the credit reason's, where a case with credits of two reasons is in two
groups: there three more statements count each case once. A
month, and the period's ends, are local days turned into UTC instants here, so a case
reported at 23:30 on the 31st, local time, belongs to that month on every database.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Integer, case, cast, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.cases import CaseStatus, RiskLevel
from atrisk.models.accounts import User
from atrisk.models.cases import OPEN, AtRiskCase, Credit
from atrisk.models.picklists import AtRiskEntry
from atrisk.services.errors import ValidationFailed

MAX_DAYS = 3660  # ten years


class Grouping(enum.Enum):
    REASON = "REASON"
    CAUSE = "CAUSE"
    RESOLUTION = "RESOLUTION"
    CREDIT_REASON = "CREDIT_REASON"
    RISK_LEVEL = "RISK_LEVEL"
    ASSIGNEE = "ASSIGNEE"
    MONTH = "MONTH"


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str
    opened: int = 0
    saved: int = 0
    lost: int = 0
    withdrawn: int = 0
    rmr_at_risk: int = 0
    rmr_saved: int = 0
    rmr_lost: int = 0
    credited: int = 0
    closed_days: int = 0  # the days open of the cases saved or lost, summed

    @property
    def save_rate(self) -> float | None:
        decided = self.saved + self.lost
        return None if decided == 0 else self.saved / decided

    @property
    def average_days_to_close(self) -> float | None:
        decided = self.saved + self.lost
        return None if decided == 0 else self.closed_days / decided


@dataclass(frozen=True, slots=True)
class OpenRisk:
    cases: int
    rmr_at_risk: int
    overdue_follow_ups: int


@dataclass(frozen=True, slots=True)
class Report:
    start: date
    end: date
    grouping: Grouping
    totals: Row
    rows: list[Row] = field(default_factory=list)
    open_now: OpenRisk = OpenRisk(0, 0, 0)


NONE_KEY = "none"
_NONE_LABELS = {
    Grouping.CAUSE: "No cause",
    Grouping.RESOLUTION: "No resolution",
    Grouping.ASSIGNEE: "Unassigned",
    Grouping.CREDIT_REASON: "No credit",
}
_CASE_COLUMN: dict[Grouping, Any] = {
    Grouping.REASON: AtRiskCase.reason_id,
    Grouping.CAUSE: AtRiskCase.cause_id,
    Grouping.RESOLUTION: AtRiskCase.resolution_id,
    Grouping.RISK_LEVEL: AtRiskCase.risk_level,
    Grouping.ASSIGNEE: AtRiskCase.assigned_to_id,
}


def local_bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants of local midnight on `start` and on the day after `end`."""
    return _midnight(start, zone), _midnight(end + timedelta(days=1), zone)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def months(start: date, end: date, zone: ZoneInfo) -> list[tuple[str, datetime]]:
    """("2026-03", the UTC instant its local first day begins) for each month from the month
    of `start` through the month after `end`."""
    first = start.replace(day=1)
    found = []
    while first <= end.replace(day=1) + timedelta(days=31):
        found.append((f"{first.year:04d}-{first.month:02d}", _midnight(first, zone)))
        first = (first + timedelta(days=32)).replace(day=1)
    return found


def _month_key(column: Any, bounds: list[tuple[str, datetime]]) -> ColumnElement[Any]:
    """The local month of `column` as "YYYY-MM", as a CASE over the months' UTC bounds."""
    whens = [(column < next_start, literal(key)) for (key, _), (_, next_start) in pairwise(bounds)]
    return case(*whens, else_=literal(bounds[-1][0]))


def _days_open(dialect: str) -> ColumnElement[Any]:
    """Whole days from report to close, as `daysOpen` counts them."""
    if dialect == "sqlite":
        elapsed = func.julianday(AtRiskCase.closed_at) - func.julianday(AtRiskCase.reported_at)
        return cast(elapsed, Integer)
    seconds = func.extract("epoch", AtRiskCase.closed_at - AtRiskCase.reported_at)
    return cast(func.floor(seconds / 86400), Integer)


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationFailed("to", "The period ends before it starts: `to` is before `from`.")
    if (end - start).days >= MAX_DAYS:
        raise ValidationFailed("to", "A report covers at most ten years.")


async def retention_report(
    db: Database, company_id: str, timezone: str, start: date, end: date, grouping: Grouping
) -> Report:
    check_period(start, end)
    zone = ZoneInfo(timezone)
    since, until = local_bounds(start, end, zone)
    bounds = months(start, end, zone)
    async with db.read() as session:
        grouped = await _figures(session, company_id, since, until, grouping, bounds)
        if grouping is Grouping.CREDIT_REASON:
            # A case with credits of two reasons is in two groups: the totals are their own.
            found = await _figures(session, company_id, since, until, None, bounds)
            totals = found.get("", Row("", "Total"))
        else:
            totals = _summed(grouped.values())  # every case, and every credit, in one group
        open_now = await _open_now(session, company_id)
        labels, order = await _labels(session, company_id, grouping, list(grouped))
    rows = sorted(
        (replace(row, label=labels.get(key, key)) for key, row in grouped.items()),
        key=lambda row: (order.get(row.key, len(order)), row.label),
    )
    return Report(start, end, grouping, replace(totals, key="total", label="Total"), rows, open_now)


async def _figures(
    session: AsyncSession,
    company_id: str,
    since: datetime,
    until: datetime,
    grouping: Grouping | None,
    bounds: list[tuple[str, datetime]],
) -> dict[str, Row]:
    """Each figure by group (or, with no grouping, the totals under the key "")."""
    dialect = session.get_bind().dialect.name
    in_company = AtRiskCase.company_id == company_id
    # Each case with each credit reason it had a credit of (a case counts once per reason).
    credited_reasons = (
        select(Credit.case_id, Credit.credit_reason_id)
        .where(Credit.company_id == company_id)
        .group_by(Credit.case_id, Credit.credit_reason_id)
        .subquery()
    )

    def key_of(moment: Any) -> Any:
        if grouping is None:
            return literal("")
        if grouping is Grouping.MONTH:
            return _month_key(moment, bounds)
        if grouping is Grouping.CREDIT_REASON:
            return credited_reasons.c.credit_reason_id
        return _CASE_COLUMN[grouping]

    def cases_of(query: Any) -> Any:
        """Cases joined, for the credit-reason grouping, with each credit reason they had."""
        if grouping is Grouping.CREDIT_REASON:
            return query.join(credited_reasons, credited_reasons.c.case_id == AtRiskCase.id)
        return query

    def grouped(query: Any, key: Any) -> Any:
        return query if grouping is None else query.group_by(key)

    figures: dict[str, dict[str, int]] = {}

    def add(key: Any, **values: Any) -> None:
        row = figures.setdefault(NONE_KEY if key is None else str(_plain(key)), {})
        for name, value in values.items():
            row[name] = row.get(name, 0) + int(value or 0)

    opened_key = key_of(AtRiskCase.reported_at)
    opened = cases_of(
        select(opened_key, func.count(), func.sum(AtRiskCase.rmr_at_risk_cents))
    ).where(in_company, AtRiskCase.reported_at >= since, AtRiskCase.reported_at < until)
    for key, count, rmr in await session.execute(grouped(opened, opened_key)):
        add(key, opened=count, rmr_at_risk=rmr)

    closed_key = key_of(AtRiskCase.closed_at)
    resolved = AtRiskCase.status == CaseStatus.RESOLVED
    lost = AtRiskCase.status == CaseStatus.LOST
    decided = AtRiskCase.status.in_([CaseStatus.RESOLVED, CaseStatus.LOST])
    closed = cases_of(
        select(
            closed_key,
            func.sum(case((resolved, 1), else_=0)),
            func.sum(case((lost, 1), else_=0)),
            func.sum(case((AtRiskCase.status == CaseStatus.CANCELLED, 1), else_=0)),
            func.sum(case((resolved, AtRiskCase.rmr_retained_cents), else_=0)),
            func.sum(
                case(
                    (decided, AtRiskCase.rmr_at_risk_cents - AtRiskCase.rmr_retained_cents),
                    else_=0,
                )
            ),
            func.sum(case((decided, _days_open(dialect)), else_=0)),
        )
    ).where(in_company, AtRiskCase.closed_at >= since, AtRiskCase.closed_at < until)
    for key, saved, lost_count, withdrawn, rmr_saved, rmr_lost, days in await session.execute(
        grouped(closed, closed_key)
    ):
        add(
            key,
            saved=saved,
            lost=lost_count,
            withdrawn=withdrawn,
            rmr_saved=rmr_saved,
            rmr_lost=rmr_lost,
            closed_days=days,
        )

    if grouping is Grouping.CREDIT_REASON:
        credit_key: Any = Credit.credit_reason_id
    elif grouping is Grouping.MONTH:
        credit_key = _month_key(Credit.at, bounds)
    else:
        credit_key = key_of(Credit.at) if grouping is None else _CASE_COLUMN[grouping]
    credited = (
        select(credit_key, func.sum(Credit.amount_cents))
        .join(AtRiskCase, AtRiskCase.id == Credit.case_id)
        .where(Credit.company_id == company_id, Credit.at >= since, Credit.at < until)
    )
    for key, amount in await session.execute(grouped(credited, credit_key)):
        add(key, credited=amount)

    return {key: Row(key=key, label=key, **values) for key, values in figures.items()}


_SUMMED = tuple(one.name for one in fields(Row) if one.name not in ("key", "label"))


def _summed(rows: Iterable[Row]) -> Row:
    """The totals of groups that share out the cases and credits between them."""
    totals = dict.fromkeys(_SUMMED, 0)
    for row in rows:
        for name in _SUMMED:
            totals[name] += getattr(row, name)
    return Row("", "Total", **totals)


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


async def _open_now(session: AsyncSession, company_id: str) -> OpenRisk:
    now = utcnow()
    row = (
        await session.execute(
            select(
                func.count(),
                func.sum(AtRiskCase.rmr_at_risk_cents),
                func.sum(case((AtRiskCase.follow_up_at < now, 1), else_=0)),
            ).where(AtRiskCase.company_id == company_id, OPEN)
        )
    ).one()
    return OpenRisk(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))


_RISK_LABELS = {
    RiskLevel.HIGH.value: "High",
    RiskLevel.MEDIUM.value: "Medium",
    RiskLevel.LOW.value: "Low",
}


async def _labels(
    session: AsyncSession, company_id: str, grouping: Grouping, keys: Sequence[str]
) -> tuple[dict[str, str], dict[str, int]]:
    """Each group's name and its place: the lists' own order, high risk first, months in
    order, people by name."""
    labels: dict[str, str] = {}
    order: dict[str, int] = {}
    if NONE_KEY in keys and grouping in _NONE_LABELS:
        labels[NONE_KEY] = _NONE_LABELS[grouping]
        order[NONE_KEY] = 1_000_000
    if grouping is Grouping.RISK_LEVEL:
        labels |= _RISK_LABELS
        order |= {"HIGH": 0, "MEDIUM": 1, "LOW": 2}
    elif grouping is Grouping.MONTH:
        for key in keys:
            year, month = key.split("-")
            labels[key] = date(int(year), int(month), 1).strftime("%B %Y")
        order |= {key: index for index, key in enumerate(sorted(keys))}
    elif grouping is Grouping.ASSIGNEE:
        people = await session.execute(
            select(User.id, User.name, User.email).where(
                User.company_id == company_id, User.id.in_(list(keys))
            )
        )
        for user_id, name, email in people:
            labels[user_id] = name or email
    else:
        entries = await session.execute(
            select(AtRiskEntry.id, AtRiskEntry.name, AtRiskEntry.position).where(
                AtRiskEntry.company_id == company_id, AtRiskEntry.id.in_(list(keys))
            )
        )
        for entry_id, name, position in entries:
            labels[entry_id] = name
            order[entry_id] = position
    return labels, order
