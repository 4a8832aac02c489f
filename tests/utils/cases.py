"""Customers, cases and the entries they use, for in-process tests of the services."""

from __future__ import annotations

from dataclasses import dataclass

from atrisk.db.database import Database
from atrisk.domain.accounts import Caller
from atrisk.domain.cases import RiskLevel
from atrisk.domain.picklists import Category
from atrisk.models.accounts import User
from atrisk.models.cases import AtRiskCase
from atrisk.models.companies import Company
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services import cases, customers, picklists


def caller_of(user: User, company: Company) -> Caller:
    return Caller(
        company_id=company.id,
        company_name=company.name,
        role=user.role,
        email=user.email,
        user_id=user.id,
    )


@dataclass
class Lists:
    reason: AtRiskEntry
    other_reason: AtRiskEntry
    cause: AtRiskEntry
    resolution: AtRiskEntry
    credit_reason: AtRiskEntry


async def lists_of(db: Database, company: Company) -> Lists:
    """One entry of each category (two Reasons), all active."""

    async def add(category: Category, name: str) -> AtRiskEntry:
        return await picklists.add_entry(db, company.id, category, name)

    return Lists(
        reason=await add(Category.REASON, "Price increase"),
        other_reason=await add(Category.REASON, "Moving away"),
        cause=await add(Category.CAUSE, "Competitor offer"),
        resolution=await add(Category.RESOLUTION, "Rate adjusted"),
        credit_reason=await add(Category.CREDIT_REASON, "Month waived"),
    )


async def new_customer(
    db: Database, caller: Caller, name: str = "Jane Doe", rmr_cents: int = 4990, **values: object
) -> Customer:
    return await customers.create_customer(
        db, caller, {"name": name, "rmr_cents": rmr_cents, **values}
    )


async def flag(
    db: Database, caller: Caller, customer: Customer, reason: AtRiskEntry, **values: object
) -> AtRiskCase:
    return await cases.flag_at_risk(
        db,
        caller,
        {
            "customer_id": customer.id,
            "reason_id": reason.id,
            "risk_level": RiskLevel.MEDIUM,
            **values,
        },
    )
