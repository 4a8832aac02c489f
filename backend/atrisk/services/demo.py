"""The demo company a first start in development creates: its people, its four lists, a few
hundred customers and about forty at-risk cases in every status, spread over five months, so
that a newcomer sees a living work queue and report. Development only: the settings refuse
ATRISK_SEED_DEMO in production.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import select

from atrisk.db.database import Database
from atrisk.db.types import utcnow
from atrisk.domain.accounts import Role
from atrisk.domain.cases import CaseStatus, ContactChannel, RiskLevel
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.picklists import Category
from atrisk.models.accounts import User
from atrisk.models.cases import AtRiskCase, ContactAttempt, Credit
from atrisk.models.companies import Company
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import changes, imports, picklists, users
from atrisk.services.changes import Change
from atrisk.services.companies import find_company
from atrisk.services.errors import ValidationFailed

DEMO_COMPANY = "Demo Alarm Co."
DEMO_ADMIN_EMAIL = "admin@demo.example"
DEMO_AGENT_EMAIL = "agent@demo.example"
DEMO_ADMIN_PASSWORD = "atrisk-demo"  # noqa: S105 (published, development only)
ACTOR = "demo data"

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

DEMO_CUSTOMERS = 300
# How many demo cases end in each status.
DEMO_CASES = {
    CaseStatus.OPEN: 14,
    CaseStatus.MITIGATED: 6,
    CaseStatus.RESOLVED: 10,
    CaseStatus.LOST: 6,
    CaseStatus.CANCELLED: 4,
}
_FIRST = (
    "Avery", "Blake", "Casey", "Dana", "Emery", "Finley",
    "Harper", "Jordan", "Kendall", "Logan", "Morgan", "Parker",
)  # fmt: skip
_LAST = (
    "Adams", "Baker", "Carter", "Diaz", "Evans", "Foster", "Garcia",
    "Hughes", "Ito", "Jensen", "Khan", "Lopez", "Murphy",
)  # fmt: skip
_NOTES = (
    "Called about the new rate.",
    "Wants to compare with a competitor's quote.",
    "Moving in spring; may keep service at the new address.",
    "Two false alarms last month; technician visit offered.",
)


async def ensure_demo_company(db: Database, *, with_entries: bool) -> tuple[Company, bool]:
    """The demo company and its admin, made on the first start; with `with_entries`, its
    agent, lists, customers and cases too."""
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
        await users.create_user(db, company.id, DEMO_AGENT_EMAIL, Role.AGENT, DEMO_ADMIN_PASSWORD)
        for category, rows in DEMO_ENTRIES.items():
            for name, active in rows:
                await picklists.add_entry(db, company.id, category, name, active)
        # Fixed seeds: every demo looks the same (not a secret: no cryptographic use).
        customers = _customers_file(random.Random(7))  # noqa: S311
        await imports.import_customers(db, company.id, ACTOR, customers)
        await _seed_cases(db, company.id, random.Random(11))  # noqa: S311
    return company, True


def _customers_file(chance: random.Random) -> bytes:
    lines = ["account_number,name,email,phone,rmr,status"]
    for number in range(1, DEMO_CUSTOMERS + 1):
        first, last = chance.choice(_FIRST), chance.choice(_LAST)
        rmr = chance.choice((29.99, 34.99, 39.99, 44.99, 49.99, 59.99, 79.99, 129.0))
        lines.append(
            f"D-{number:05d},{first} {last},{first.lower()}.{last.lower()}{number}@mail.example,"
            f"+1 555 01{number % 100:02d},{rmr:.2f},ACTIVE"
        )
    return ("\n".join(lines) + "\n").encode()


async def _seed_cases(db: Database, company_id: str, chance: random.Random) -> None:
    """About forty cases over the last five months, written as they would have been."""
    now = utcnow()
    async with db.write() as session:
        await changes.claim(session, company_id, Area.CASES)
        entries: dict[Category, list[AtRiskEntry]] = {category: [] for category in Category}
        for entry in (
            await session.execute(select(AtRiskEntry).where(AtRiskEntry.company_id == company_id))
        ).scalars():
            if entry.active:
                entries[entry.category].append(entry)
        people = list(
            (await session.execute(select(User).where(User.company_id == company_id))).scalars()
        )
        chosen = chance.sample(
            list(
                (
                    await session.execute(select(Customer).where(Customer.company_id == company_id))
                ).scalars()
            ),
            sum(DEMO_CASES.values()),
        )
        statuses = [status for status, count in DEMO_CASES.items() for _ in range(count)]
        for customer, status in zip(chosen, statuses, strict=True):
            reported = now - timedelta(days=chance.randint(2, 150), hours=chance.randint(0, 20))
            row = _case(chance, company_id, customer, status, reported, now, entries, people)
            session.add(row)
            await session.flush()
            for step in range(chance.randint(0, 3)):
                session.add(
                    ContactAttempt(
                        company_id=company_id,
                        case_id=row.id,
                        channel=chance.choice(list(ContactChannel)),
                        note=chance.choice(_NOTES),
                        at=_between(reported, row.closed_at or now, step, chance),
                        by_id=chance.choice(people).id,
                        created_at=now,
                    )
                )
            if status in (CaseStatus.RESOLVED, CaseStatus.MITIGATED) and chance.random() < 0.6:
                session.add(
                    Credit(
                        company_id=company_id,
                        case_id=row.id,
                        amount_cents=chance.choice((1500, 2999, 4999)),
                        credit_reason_id=chance.choice(entries[Category.CREDIT_REASON]).id,
                        note="Goodwill credit",
                        at=_between(reported, row.closed_at or now, 1, chance),
                        by_id=chance.choice(people).id,
                        created_at=now,
                    )
                )
            if status is CaseStatus.LOST:
                customer.status = CustomerStatus.CANCELLED
                customer.version += 1
            changes.record(
                session,
                Change(
                    company_id,
                    Entity.AT_RISK_CASE,
                    row.id,
                    Action.CREATE,
                    1,
                    actor=ACTOR,
                    label=customer.name,
                ),
            )


def _between(start: datetime, end: datetime, step: int, chance: random.Random) -> datetime:
    span = max((end - start).total_seconds(), 60.0)
    return start + timedelta(seconds=span * min(0.95, (step + chance.random()) / 4))


def _case(
    chance: random.Random,
    company_id: str,
    customer: Customer,
    status: CaseStatus,
    reported: datetime,
    now: datetime,
    entries: dict[Category, list[AtRiskEntry]],
    people: list[User],
) -> AtRiskCase:
    closed = status in (CaseStatus.RESOLVED, CaseStatus.LOST, CaseStatus.CANCELLED)
    closed_at = min(now, reported + timedelta(days=chance.randint(1, 30))) if closed else None
    retained = None
    if status is CaseStatus.RESOLVED:
        retained = customer.rmr_cents if chance.random() < 0.6 else customer.rmr_cents * 3 // 4
    elif status is CaseStatus.LOST:
        retained = 0
    return AtRiskCase(
        company_id=company_id,
        customer_id=customer.id,
        status=status,
        risk_level=chance.choice(list(RiskLevel)),
        reason_id=chance.choice(entries[Category.REASON]).id,
        cause_id=chance.choice(entries[Category.CAUSE]).id if chance.random() < 0.7 else None,
        resolution_id=(
            chance.choice(entries[Category.RESOLUTION]).id
            if status in (CaseStatus.RESOLVED, CaseStatus.LOST)
            else None
        ),
        reported_at=reported,
        reported_by_id=chance.choice(people).id,
        assigned_to_id=chance.choice(people).id if chance.random() < 0.75 else None,
        follow_up_at=(
            None
            if closed or chance.random() < 0.15
            else now + timedelta(days=chance.randint(-5, 14), hours=chance.randint(0, 8))
        ),
        rmr_at_risk_cents=customer.rmr_cents,
        rmr_retained_cents=retained,
        saved_by_id=chance.choice(people).id if status is CaseStatus.RESOLVED else None,
        notes=chance.choice(_NOTES) if chance.random() < 0.5 else None,
        closed_at=closed_at,
        version=1,
        created_at=reported,
        updated_at=closed_at or reported,
    )
