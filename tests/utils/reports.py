"""Cases planted with exact times for the report tests, and the report computed again in
plain Python from its definitions (README, "The retention report")."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.cases import CaseStatus, RiskLevel
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.models.cases import AtRiskCase, Credit
from atrisk.models.companies import Company
from atrisk.models.customers import Customer
from atrisk.services import changes
from atrisk.services.changes import Change


@dataclass
class Planted:
    """One case as the test means it: local times, amounts in cents."""

    reason_id: str
    reported: datetime
    rmr: int
    status: CaseStatus = CaseStatus.OPEN
    closed: datetime | None = None
    retained: int | None = None
    risk: RiskLevel = RiskLevel.MEDIUM
    follow_up: datetime | None = None
    credits: list[tuple[int, str, datetime]] = field(default_factory=list)  # cents, reason, at
    id: str = ""


def local(zone: str, year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))


async def set_timezone(db: Database, company_id: str, zone: str) -> None:
    async with db.write() as session:
        await changes.claim(session, company_id, Area.ACCOUNTS)
        await session.execute(update(Company).where(Company.id == company_id).values(timezone=zone))
        changes.record(session, Change(company_id, Entity.COMPANY, company_id, Action.UPDATE))


async def plant(db: Database, company_id: str, cases: list[Planted]) -> None:
    """The cases (each with a customer of its own), written as history would have them."""
    now = utcnow()
    async with db.write() as session:
        await changes.claim(session, company_id, Area.CASES)
        for number, planted in enumerate(cases):
            customer = Customer(
                company_id=company_id,
                name=f"Planted {number}",
                name_key=f"planted {number}",
                rmr_cents=planted.rmr,
                status=CustomerStatus.CANCELLED
                if planted.status is CaseStatus.LOST
                else CustomerStatus.ACTIVE,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(customer)
            await session.flush()
            row = AtRiskCase(
                company_id=company_id,
                customer_id=customer.id,
                status=planted.status,
                risk_level=planted.risk,
                reason_id=planted.reason_id,
                reported_at=planted.reported,
                follow_up_at=planted.follow_up,
                rmr_at_risk_cents=planted.rmr,
                rmr_retained_cents=planted.retained,
                closed_at=planted.closed,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            await session.flush()
            planted.id = row.id
            for amount, reason, at in planted.credits:
                session.add(
                    Credit(
                        company_id=company_id,
                        case_id=row.id,
                        amount_cents=amount,
                        credit_reason_id=reason,
                        at=at,
                        created_at=now,
                    )
                )
            for entity, entity_id in (
                (Entity.CUSTOMER, customer.id),
                (Entity.AT_RISK_CASE, row.id),
            ):
                changes.record(session, Change(company_id, entity, entity_id, Action.CREATE))


def expected(
    cases: list[Planted], zone: str, start: date, end: date, key: Any
) -> dict[str, dict[str, Any]]:
    """The report recomputed case by case: `key(case, moment)` names a case's group for an
    event at `moment` (its report, its close, a credit)."""
    tz = ZoneInfo(zone)
    since = datetime.combine(start, time(), tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=tz)
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: dict.fromkeys(
            (
                "opened",
                "saved",
                "lost",
                "withdrawn",
                "rmr_at_risk",
                "rmr_saved",
                "rmr_lost",
                "credited",
                "days",
            ),
            0,
        )
    )

    def within(moment: datetime | None) -> bool:
        return moment is not None and since <= moment < until

    for case in cases:
        if within(case.reported):
            row = rows[key(case, case.reported)]
            row["opened"] += 1
            row["rmr_at_risk"] += case.rmr
        if within(case.closed):
            assert case.closed is not None
            row = rows[key(case, case.closed)]
            if case.status is CaseStatus.RESOLVED:
                row["saved"] += 1
                row["rmr_saved"] += case.retained or 0
            elif case.status is CaseStatus.LOST:
                row["lost"] += 1
            else:
                row["withdrawn"] += 1
            if case.status in (CaseStatus.RESOLVED, CaseStatus.LOST):
                row["rmr_lost"] += case.rmr - (case.retained or 0)
                # Elapsed time (aware datetimes of one zone subtract as wall clocks).
                row["days"] += (case.closed.astimezone(UTC) - case.reported.astimezone(UTC)).days
        for amount, _reason, at in case.credits:
            if within(at):
                rows[key(case, at)]["credited"] += amount
    return dict(rows)
