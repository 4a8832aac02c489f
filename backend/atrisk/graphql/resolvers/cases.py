"""Customers and cases: the work queue and the customer list, and the use cases that change
them. Resolvers only translate between GraphQL and atrisk.services."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField

from atrisk.domain.cases import CaseOrder
from atrisk.domain.customers import CustomerStatus
from atrisk.graphql.context import Info
from atrisk.graphql.errors import bad_input, to_user_error
from atrisk.graphql.loaders import prime, read_ahead
from atrisk.graphql.permissions import READ, WORK
from atrisk.graphql.types.cases import (
    AddContactAttemptInput,
    AddCreditInput,
    AtRiskCase,
    AtRiskCaseConnection,
    AtRiskCaseFilter,
    AtRiskCaseResult,
    CloseAtRiskCaseInput,
    CreateCustomerInput,
    Customer,
    CustomerConnection,
    CustomerResult,
    FlagCustomerAtRiskInput,
    ReopenAtRiskCaseInput,
    UpdateAtRiskCaseInput,
    UpdateCustomerInput,
)
from atrisk.graphql.types.pages import PageInfo
from atrisk.services import cases, customers
from atrisk.services.errors import ServiceError

# GraphQL input field -> the service's name for it (money travels as cents).
_RENAMED = {"rmr": "rmr_cents", "rmr_at_risk": "rmr_at_risk_cents"}
_NOT_VALUES = ("id", "expected_version")


def given(data: object) -> dict[str, Any]:
    """The fields of an input that were given (an explicit null included), by service name."""
    values = {}
    for name, value in vars(data).items():
        if name in _NOT_VALUES or value is strawberry.UNSET:
            continue
        values[_RENAMED.get(name, name)] = value
    return values


@strawberry.type
class CaseQuery:
    @strawberry.field(
        description="Customers by name; `search` matches the start of a name or account number.",
        permission_classes=READ,
    )
    async def customers(
        self,
        info: Info,
        search: str | None = None,
        status: CustomerStatus | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> CustomerConnection:
        ctx = info.context
        try:
            page = await customers.list_customers(
                ctx.db,
                ctx.company_id,
                search=search,
                status=status,
                first=first,
                after_cursor=after,
            )
        except ServiceError as error:
            raise bad_input(error) from None
        prime(ctx.loaders.customer, page.nodes)
        return CustomerConnection(
            nodes=[Customer.from_model(row) for row in page.nodes],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="One customer, or null when your company has none with this id.",
        permission_classes=READ,
    )
    async def customer(self, info: Info, id: strawberry.ID) -> Customer | None:
        row = await customers.get_customer(info.context.db, info.context.company_id, id)
        return None if row is None else Customer.from_model(row)

    @strawberry.field(
        description="The work queue: cases by `orderBy`, narrowed by `filter`.",
        permission_classes=READ,
    )
    async def at_risk_cases(
        self,
        info: Info,
        filter: AtRiskCaseFilter | None = None,
        order_by: CaseOrder = CaseOrder.FOLLOW_UP,
        first: int = 50,
        after: str | None = None,
    ) -> AtRiskCaseConnection:
        ctx = info.context
        where = cases.CaseFilter(**vars(filter)) if filter is not None else cases.CaseFilter()
        try:
            page = await cases.list_cases(
                ctx.db,
                ctx.company_id,
                where,
                order_by,
                first=first,
                after_cursor=after,
                timezone=ctx.signed_in.timezone,
            )
        except ServiceError as error:
            raise bad_input(error) from None
        prime(ctx.loaders.case, page.nodes)
        await _read_ahead(info, page.nodes)
        return AtRiskCaseConnection(
            nodes=[AtRiskCase.from_model(row) for row in page.nodes],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total_count,
        )

    @strawberry.field(
        description="One case, or null when your company has none with this id.",
        permission_classes=READ,
    )
    async def at_risk_case(self, info: Info, id: strawberry.ID) -> AtRiskCase | None:
        row = await cases.get_case(info.context.db, info.context.company_id, id)
        return None if row is None else AtRiskCase.from_model(row)


Selection = SelectedField | FragmentSpread | InlineFragment
_ENTRIES = {"reason": "reason_id", "cause": "cause_id", "resolution": "resolution_id"}
_PEOPLE = {"reportedBy": "reported_by_id", "assignedTo": "assigned_to_id", "savedBy": "saved_by_id"}


def _names(selections: Sequence[Selection]) -> set[str]:
    """The field names of a selection set, through fragments."""
    found: set[str] = set()
    for selection in selections:
        if isinstance(selection, SelectedField):
            found.add(selection.name)
        else:
            found |= _names(selection.selections)
    return found


def _under(selections: Sequence[Selection], name: str) -> list[Selection]:
    """What is selected under the field `name` of a selection set, through fragments."""
    found: list[Selection] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            if selection.name == name:
                found += selection.selections
        else:
            found += _under(selection.selections, name)
    return found


async def _read_ahead(info: Info, rows: Sequence[Any]) -> None:
    """The customers, entries and people the page's nodes select, one batch each."""
    asked = _names(_under(info.selected_fields[0].selections, "nodes"))
    loaders = info.context.loaders
    wanted: list[tuple[Any, list[str | None]]] = []
    if "customer" in asked:
        wanted.append((loaders.customer, [row.customer_id for row in rows]))
    for field, column in (*_ENTRIES.items(), *_PEOPLE.items()):
        if field in asked:
            loader = loaders.entry if field in _ENTRIES else loaders.user
            wanted.append((loader, [getattr(row, column) for row in rows]))
    await read_ahead(wanted)


def _case(row: Any) -> AtRiskCase:
    return AtRiskCase.from_model(row)


@strawberry.type
class CaseMutation:
    @strawberry.mutation(description="A new customer.", permission_classes=WORK)
    async def create_customer(self, info: Info, input: CreateCustomerInput) -> CustomerResult:
        ctx = info.context
        try:
            row = await customers.create_customer(ctx.db, ctx.signed_in, given(input))
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return Customer.from_model(row)

    @strawberry.mutation(
        description="Change a customer's fields; send `expectedVersion` to refuse overwriting "
        "someone else's change.",
        permission_classes=WORK,
    )
    async def update_customer(self, info: Info, input: UpdateCustomerInput) -> CustomerResult:
        ctx = info.context
        try:
            row = await customers.update_customer(
                ctx.db, ctx.signed_in, input.id, given(input), input.expected_version
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return Customer.from_model(row)

    @strawberry.mutation(
        description="Open a case for a customer; one with an open case gets OpenCaseExistsError.",
        permission_classes=WORK,
    )
    async def flag_customer_at_risk(
        self, info: Info, input: FlagCustomerAtRiskInput
    ) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.flag_at_risk(ctx.db, ctx.signed_in, given(input))
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)

    @strawberry.mutation(
        description="Change an open case; `status` only between OPEN and MITIGATED.",
        permission_classes=WORK,
    )
    async def update_at_risk_case(
        self, info: Info, input: UpdateAtRiskCaseInput
    ) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.update_case(
                ctx.db, ctx.signed_in, input.id, given(input), input.expected_version
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)

    @strawberry.mutation(description="Note a contact attempt on a case.", permission_classes=WORK)
    async def add_contact_attempt(
        self, info: Info, input: AddContactAttemptInput
    ) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.add_attempt(
                ctx.db, ctx.signed_in, input.case_id, input.channel, input.note, input.at
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)

    @strawberry.mutation(description="Note a credit given on a case.", permission_classes=WORK)
    async def add_credit(self, info: Info, input: AddCreditInput) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.add_credit(
                ctx.db,
                ctx.signed_in,
                input.case_id,
                input.amount,
                input.credit_reason_id,
                input.note,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)

    @strawberry.mutation(
        description="Close a case: RESOLVED (saved; rmrRetained defaults to rmrAtRisk), LOST "
        "(cancels the customer) or CANCELLED (flagged by mistake).",
        permission_classes=WORK,
    )
    async def close_at_risk_case(self, info: Info, input: CloseAtRiskCaseInput) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.close_case(
                ctx.db,
                ctx.signed_in,
                input.id,
                input.status,
                resolution_id=input.resolution_id,
                rmr_retained_cents=input.rmr_retained,
                saved_by_id=input.saved_by_id,
                expected_version=input.expected_version,
            )
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)

    @strawberry.mutation(
        description="Open a closed case again; a LOST one makes the customer ACTIVE again.",
        permission_classes=WORK,
    )
    async def reopen_at_risk_case(
        self, info: Info, input: ReopenAtRiskCaseInput
    ) -> AtRiskCaseResult:
        ctx = info.context
        try:
            row = await cases.reopen_case(ctx.db, ctx.signed_in, input.id, input.expected_version)
        except ServiceError as error:
            return to_user_error(error)  # type: ignore[return-value]
        return _case(row)
