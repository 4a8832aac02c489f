"""Customers and their at-risk cases: types, inputs and results.

Leaf fields are plain attributes; the fields that reach other rows (a case's customer,
entries and people; a customer's cases) go through the request's DataLoaders.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, cast

import strawberry
from sqlalchemy import select

from atrisk.db.types import utcnow
from atrisk.domain.cases import CaseOrder, CaseStatus, ContactChannel, RiskLevel, days_open
from atrisk.domain.changes import Entity
from atrisk.domain.customers import CustomerStatus
from atrisk.graphql.context import Info
from atrisk.graphql.loaders import held
from atrisk.graphql.scalars import Money
from atrisk.graphql.types.accounts import User
from atrisk.graphql.types.audit import HISTORY_DESCRIPTION, AuditEvent, history_of
from atrisk.graphql.types.errors import NotFoundError, UserError, ValidationError
from atrisk.graphql.types.pages import PageInfo
from atrisk.graphql.types.picklists import AtRiskEntry
from atrisk.models import cases as case_models
from atrisk.models import customers as customer_models
from atrisk.models.base import Loaded

strawberry.enum(CustomerStatus, name="CustomerStatus")
strawberry.enum(RiskLevel, name="RiskLevel")
strawberry.enum(
    CaseStatus,
    name="CaseStatus",
    description="OPEN ⇄ MITIGATED while worked; closed as RESOLVED (saved), LOST or CANCELLED "
    "(flagged by mistake).",
)
strawberry.enum(ContactChannel, name="ContactChannel")
strawberry.enum(
    CaseOrder,
    name="AtRiskCaseOrder",
    description="FOLLOW_UP: soonest follow-up first, cases without one last.",
)


async def _entry(info: Info, entry_id: str | None) -> AtRiskEntry | None:
    if entry_id is None:
        return None
    row = await info.context.loaders.entry.load(entry_id)
    return None if row is None else AtRiskEntry.from_model(row)


async def _entry_now(
    info: Info, entry_id: str, model: Any, row_id: str, column: str
) -> AtRiskEntry:
    """The entry a row uses, read again if it went since the row was read: an entry in use
    is only ever deleted after its uses moved to another one (replace-on-delete)."""
    entry = await _entry(info, entry_id)
    if entry is not None:
        return entry
    async with info.context.db.read() as session:
        current = await session.scalar(select(getattr(model, column)).where(model.id == row_id))
    entry = await _entry(info, current)
    if entry is None:
        raise RuntimeError(f"{model.__tablename__} {row_id} uses no entry")
    return entry


async def _user(info: Info, user_id: str | None) -> User | None:
    if user_id is None:
        return None
    row = await info.context.loaders.user.load(user_id)
    return None if row is None else User.from_model(row)


# A list's nodes are many: their customer, entries and people, read ahead by the list's
# resolver, answer at once from the loader (no coroutine, no task each). Otherwise the field
# answers with the awaitable, which graphql-core awaits as it would an async resolver's.


def _entry_field(info: Info, entry_id: str, row_id: str, column: str) -> AtRiskEntry:
    row = held(info.context.loaders.entry, entry_id)
    if row is not None:
        return AtRiskEntry.from_model(row)
    later = _entry_now(info, entry_id, case_models.AtRiskCase, row_id, column)
    return cast(AtRiskEntry, later)


def _user_field(info: Info, user_id: str | None) -> User | None:
    if user_id is None:
        return None
    row = held(info.context.loaders.user, user_id)
    if row is not None:
        return User.from_model(row)
    return cast(User | None, _user(info, user_id))


@strawberry.type(description="One of the company's subscribers.")
class Customer:
    id: strawberry.ID
    account_number: str | None
    name: str
    email: str | None
    phone: str | None
    rmr: Money = strawberry.field(description="Monthly recurring revenue.")
    status: CustomerStatus
    version: int
    created_at: datetime
    updated_at: datetime

    @strawberry.field(description="The case that is not closed, if there is one.")
    async def open_case(self, info: Info) -> AtRiskCase | None:
        row = await info.context.loaders.open_case_of_customer.load(self.id)
        return None if row is None else AtRiskCase.from_model(row)

    @strawberry.field(description="Every case of the customer, newest report first.")
    async def cases(self, info: Info) -> list[AtRiskCase]:
        rows = await info.context.loaders.cases_of_customer.load(self.id)
        return [AtRiskCase.from_model(row) for row in rows]

    @strawberry.field(description=HISTORY_DESCRIPTION)
    async def history(
        self, info: Info, first: int = 20, after: strawberry.ID | None = None
    ) -> list[AuditEvent]:
        return await history_of(info, Entity.CUSTOMER, self.id, first, after)

    @classmethod
    def from_model(cls, row: customer_models.Customer) -> Customer:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            account_number=v["account_number"],
            name=v["name"],
            email=v["email"],
            phone=v["phone"],
            rmr=Money(v["rmr_cents"]),
            status=v["status"],
            version=v["version"],
            created_at=v["created_at"],
            updated_at=v["updated_at"],
        )


@strawberry.type(description="One contact attempt: how, what happened, when, by whom.")
class ContactAttempt:
    id: strawberry.ID
    channel: ContactChannel
    note: str
    at: datetime
    by_id: strawberry.Private[str | None]

    @strawberry.field
    async def by(self, info: Info) -> User | None:
        return await _user(info, self.by_id)

    @classmethod
    def from_model(cls, row: case_models.ContactAttempt) -> ContactAttempt:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            channel=v["channel"],
            note=v["note"],
            at=v["at"],
            by_id=v["by_id"],
        )


@strawberry.type(description="Money given back, and why.")
class Credit:
    id: strawberry.ID
    amount: Money
    note: str | None
    at: datetime
    credit_reason_id: strawberry.Private[str]
    by_id: strawberry.Private[str | None]

    @strawberry.field
    async def credit_reason(self, info: Info) -> AtRiskEntry:
        return await _entry_now(
            info, self.credit_reason_id, case_models.Credit, self.id, "credit_reason_id"
        )

    @strawberry.field
    async def by(self, info: Info) -> User | None:
        return await _user(info, self.by_id)

    @classmethod
    def from_model(cls, row: case_models.Credit) -> Credit:
        v = Loaded(row)
        return cls(
            id=strawberry.ID(v["id"]),
            amount=Money(v["amount_cents"]),
            note=v["note"],
            at=v["at"],
            credit_reason_id=v["credit_reason_id"],
            by_id=v["by_id"],
        )


@strawberry.type(description="A customer flagged at risk, worked and closed as saved or lost.")
class AtRiskCase:
    id: strawberry.ID
    status: CaseStatus
    risk_level: RiskLevel
    reported_at: datetime
    follow_up_at: datetime | None
    rmr_at_risk: Money
    rmr_retained: Money | None
    notes: str | None
    closed_at: datetime | None
    days_open: int = strawberry.field(
        description="Whole days from the report to the close, or now."
    )
    version: int
    created_at: datetime
    updated_at: datetime
    customer_id: strawberry.Private[str]
    reason_id: strawberry.Private[str]
    cause_id: strawberry.Private[str | None]
    resolution_id: strawberry.Private[str | None]
    reported_by_id: strawberry.Private[str | None]
    assigned_to_id: strawberry.Private[str | None]
    saved_by_id: strawberry.Private[str | None]

    @strawberry.field
    def customer(self, info: Info) -> Customer:
        row = held(info.context.loaders.customer, self.customer_id)
        if row is not None:
            return Customer.from_model(row)
        return cast(Customer, self._customer(info))

    async def _customer(self, info: Info) -> Customer:
        row = await info.context.loaders.customer.load(self.customer_id)
        assert row is not None  # a case's customer is never deleted
        return Customer.from_model(row)

    @strawberry.field
    def reason(self, info: Info) -> AtRiskEntry:
        return _entry_field(info, self.reason_id, self.id, "reason_id")

    @strawberry.field
    def cause(self, info: Info) -> AtRiskEntry | None:
        if self.cause_id is None:
            return None
        return _entry_field(info, self.cause_id, self.id, "cause_id")

    @strawberry.field
    def resolution(self, info: Info) -> AtRiskEntry | None:
        if self.resolution_id is None:
            return None
        return _entry_field(info, self.resolution_id, self.id, "resolution_id")

    @strawberry.field
    def reported_by(self, info: Info) -> User | None:
        return _user_field(info, self.reported_by_id)

    @strawberry.field
    def assigned_to(self, info: Info) -> User | None:
        return _user_field(info, self.assigned_to_id)

    @strawberry.field
    def saved_by(self, info: Info) -> User | None:
        return _user_field(info, self.saved_by_id)

    @strawberry.field(description="Contact attempts, newest first.")
    async def attempts(self, info: Info) -> list[ContactAttempt]:
        rows = await info.context.loaders.attempts_of_case.load(self.id)
        return [ContactAttempt.from_model(row) for row in rows]

    @strawberry.field(description="Credits, newest first.")
    async def credits(self, info: Info) -> list[Credit]:
        rows = await info.context.loaders.credits_of_case.load(self.id)
        return [Credit.from_model(row) for row in rows]

    @strawberry.field(description=HISTORY_DESCRIPTION + " Attempts and credits are in it too.")
    async def history(
        self, info: Info, first: int = 20, after: strawberry.ID | None = None
    ) -> list[AuditEvent]:
        return await history_of(info, Entity.AT_RISK_CASE, self.id, first, after)

    @classmethod
    def from_model(cls, row: case_models.AtRiskCase) -> AtRiskCase:
        v = Loaded(row)
        retained = v["rmr_retained_cents"]
        return cls(
            id=strawberry.ID(v["id"]),
            status=v["status"],
            risk_level=v["risk_level"],
            reported_at=v["reported_at"],
            follow_up_at=v["follow_up_at"],
            rmr_at_risk=Money(v["rmr_at_risk_cents"]),
            rmr_retained=None if retained is None else Money(retained),
            notes=v["notes"],
            closed_at=v["closed_at"],
            days_open=days_open(v["reported_at"], v["closed_at"], utcnow()),
            version=v["version"],
            created_at=v["created_at"],
            updated_at=v["updated_at"],
            customer_id=v["customer_id"],
            reason_id=v["reason_id"],
            cause_id=v["cause_id"],
            resolution_id=v["resolution_id"],
            reported_by_id=v["reported_by_id"],
            assigned_to_id=v["assigned_to_id"],
            saved_by_id=v["saved_by_id"],
        )


@strawberry.type
class CustomerConnection:
    nodes: list[Customer]
    page_info: PageInfo
    total_count: int


@strawberry.type
class AtRiskCaseConnection:
    nodes: list[AtRiskCase]
    page_info: PageInfo
    total_count: int


@strawberry.type(description="The customer has a case that is not closed: `openCase`.")
class OpenCaseExistsError(UserError):
    open_case: AtRiskCase


@strawberry.type(description="`expectedVersion` was stale; `current` is the customer as it is now.")
class CustomerConflictError(UserError):
    current: Customer


@strawberry.type(description="`expectedVersion` was stale; `current` is the case as it is now.")
class CaseConflictError(UserError):
    current: AtRiskCase


CustomerResult = Annotated[
    Customer | ValidationError | NotFoundError | CustomerConflictError,
    strawberry.union("CustomerResult"),
]

AtRiskCaseResult = Annotated[
    AtRiskCase | ValidationError | NotFoundError | CaseConflictError | OpenCaseExistsError,
    strawberry.union("AtRiskCaseResult"),
]


@strawberry.input(description="Only the company's ids match; others match nothing.")
class AtRiskCaseFilter:
    status: list[CaseStatus] | None = None
    open: bool | None = None
    assigned_to: strawberry.ID | None = None
    unassigned: bool | None = None
    reason: strawberry.ID | None = None
    cause: strawberry.ID | None = None
    risk_level: list[RiskLevel] | None = None
    follow_up_before: datetime | None = None
    customer: strawberry.ID | None = None
    resolution: strawberry.ID | None = None
    credit_reason: strawberry.ID | None = strawberry.field(
        default=None, description="Cases with a credit of this CREDIT_REASON."
    )
    from_: date | None = strawberry.field(
        default=None,
        name="from",
        description="Cases reported or closed on this day or later (the company's time zone).",
    )
    to: date | None = strawberry.field(
        default=None,
        description="Cases reported or closed on this day or earlier (the company's time zone).",
    )


# Inputs: an omitted optional field is left as it is; an explicit null clears it.


@strawberry.input
class CreateCustomerInput:
    name: str
    rmr: Money
    account_number: str | None = None
    email: str | None = None
    phone: str | None = None


@strawberry.input
class UpdateCustomerInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    account_number: str | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    rmr: Money | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class FlagCustomerAtRiskInput:
    customer_id: strawberry.ID
    reason_id: strawberry.ID
    risk_level: RiskLevel
    cause_id: strawberry.ID | None = None
    assigned_to_id: strawberry.ID | None = None
    follow_up_at: datetime | None = None
    reported_at: datetime | None = None
    rmr_at_risk: Money | None = None
    notes: str | None = None


@strawberry.input(description="Only an open case changes; status here is OPEN or MITIGATED.")
class UpdateAtRiskCaseInput:
    id: strawberry.ID
    reason_id: strawberry.ID | None = strawberry.UNSET
    cause_id: strawberry.ID | None = strawberry.UNSET
    risk_level: RiskLevel | None = strawberry.UNSET
    assigned_to_id: strawberry.ID | None = strawberry.UNSET
    follow_up_at: datetime | None = strawberry.UNSET
    rmr_at_risk: Money | None = strawberry.UNSET
    notes: str | None = strawberry.UNSET
    status: CaseStatus | None = strawberry.UNSET
    expected_version: int | None = None


@strawberry.input
class AddContactAttemptInput:
    case_id: strawberry.ID
    channel: ContactChannel
    note: str
    at: datetime | None = None


@strawberry.input
class AddCreditInput:
    case_id: strawberry.ID
    amount: Money
    credit_reason_id: strawberry.ID
    note: str | None = None


@strawberry.input(description="status: RESOLVED (saved), LOST or CANCELLED (flagged by mistake).")
class CloseAtRiskCaseInput:
    id: strawberry.ID
    status: CaseStatus
    resolution_id: strawberry.ID | None = None
    rmr_retained: Money | None = None
    saved_by_id: strawberry.ID | None = None
    expected_version: int | None = None


@strawberry.input
class ReopenAtRiskCaseInput:
    id: strawberry.ID
    expected_version: int | None = None
