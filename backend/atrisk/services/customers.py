"""Customers: create and update them, find one, list and search them a page at a time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from atrisk.db.database import Database
from atrisk.db.types import prefix_range, utcnow
from atrisk.domain.accounts import Caller
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.customers import (
    CustomerStatus,
    InvalidCustomer,
    account_number,
    customer_email,
    customer_name,
    customer_phone,
    search_key,
)
from atrisk.domain.money import amount_problem, format_money
from atrisk.domain.text import fold
from atrisk.models.customers import Customer
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.errors import NotFound, ValidationFailed, VersionConflict
from atrisk.services.pages import (
    Page,
    SortKey,
    after,
    decode_cursor,
    encode_cursor,
    order_by,
    page_size,
)
from atrisk.services.rows import owned

EDITABLE = ("name", "account_number", "email", "phone", "rmr_cents")
_ORDER = (SortKey(Customer.name_key), SortKey(Customer.id))


def _invalid(error: InvalidCustomer) -> ValidationFailed:
    return ValidationFailed(error.field, str(error))


def clean_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The customer fields of `values` checked and normalised (absent ones stay absent;
    None clears an optional one)."""
    clean: dict[str, Any] = {}
    try:
        if "name" in values:
            if values["name"] is None:
                raise InvalidCustomer("name", "Name is required.")
            clean["name"] = customer_name(values["name"])
        if "account_number" in values:
            raw = values["account_number"]
            clean["account_number"], clean["account_key"] = (
                (None, None) if raw is None or not raw.strip() else account_number(raw)
            )
        if "email" in values:
            raw = values["email"]
            clean["email"] = None if raw is None or not raw.strip() else customer_email(raw)
        if "phone" in values:
            raw = values["phone"]
            clean["phone"] = None if raw is None or not raw.strip() else customer_phone(raw)
    except InvalidCustomer as error:
        raise _invalid(error) from None
    if "rmr_cents" in values:
        cents = values["rmr_cents"]
        if cents is None:
            raise ValidationFailed("rmr", "RMR is required.")
        if problem := amount_problem(cents, "RMR"):
            raise ValidationFailed("rmr", problem)
        clean["rmr_cents"] = cents
    if "name" in clean:
        clean["name_key"] = fold(clean["name"])
    return clean


def snapshot(customer: Customer) -> dict[str, object]:
    """The fields history shows, as a person reads them."""
    return {
        "name": customer.name,
        "accountNumber": customer.account_number,
        "email": customer.email,
        "phone": customer.phone,
        "rmr": format_money(customer.rmr_cents),
        "status": customer.status,
    }


async def _check_account_free(
    session: AsyncSession, company_id: str, key: str | None, shown: str | None, exclude: str | None
) -> None:
    if key is None:
        return
    query = select(Customer.id).where(
        Customer.company_id == company_id, Customer.account_key == key
    )
    if exclude is not None:
        query = query.where(Customer.id != exclude)
    if await session.scalar(query):
        raise ValidationFailed(
            "accountNumber", f'A customer with the account number "{shown}" already exists.'
        )


def record(
    session: AsyncSession,
    caller: Caller | str,
    customer: Customer,
    action: Action,
    before: Mapping[str, object],
) -> None:
    """Record a change of `customer` (its fields against `before`)."""
    actor = caller if isinstance(caller, str) else caller.actor
    changes.record(
        session,
        Change(
            customer.company_id,
            Entity.CUSTOMER,
            customer.id,
            action,
            customer.version,
            actor=actor,
            label=customer.name,
            fields=changes.diff(before, snapshot(customer)),
        ),
    )


async def create_customer(db: Database, caller: Caller, values: Mapping[str, Any]) -> Customer:
    clean = clean_fields(values)
    for required, label in (("name", "Name"), ("rmr_cents", "RMR")):
        if required not in clean:
            raise ValidationFailed(
                "rmr" if required == "rmr_cents" else required, f"{label} is required."
            )
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.CASES)
        await _check_account_free(
            session, caller.company_id, clean.get("account_key"), clean.get("account_number"), None
        )
        now = utcnow()
        customer = Customer(
            company_id=caller.company_id,
            status=CustomerStatus.ACTIVE,
            version=1,
            created_at=now,
            updated_at=now,
            **clean,
        )
        session.add(customer)
        await session.flush()
        record(session, caller, customer, Action.CREATE, {})
    return customer


async def update_customer(
    db: Database,
    caller: Caller,
    customer_id: str,
    values: Mapping[str, Any],
    expected_version: int | None = None,
) -> Customer:
    """Change the given fields; the version goes up by one if anything changed."""
    clean = clean_fields(values)
    async with db.write() as session:
        await changes.claim(session, caller.company_id, Area.CASES)
        customer = await owned(session, Customer, caller.company_id, customer_id)
        if customer is None:
            raise NotFound(customer_id, "customer")
        if expected_version is not None and expected_version != customer.version:
            session.expunge(customer)
            raise VersionConflict(customer, "customer")
        if "account_key" in clean:
            await _check_account_free(
                session,
                caller.company_id,
                clean["account_key"],
                clean["account_number"],
                customer.id,
            )
        before = snapshot(customer)
        for field, value in clean.items():
            setattr(customer, field, value)
        if changes.diff(before, snapshot(customer)):
            customer.version += 1
            customer.updated_at = utcnow()
            await session.flush()
            record(session, caller, customer, Action.UPDATE, before)
    return customer


async def get_customer(db: Database, company_id: str, customer_id: str) -> Customer | None:
    async with db.read() as session:
        return await owned(session, Customer, company_id, customer_id)


def _search(
    company_id: str, search: str | None, status: CustomerStatus | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Customer.company_id == company_id]
    if status is not None:
        conditions.append(Customer.status == status)
    if search and (key := search_key(search)):
        conditions.append(
            or_(prefix_range(Customer.name_key, key), prefix_range(Customer.account_key, key))
        )
    return conditions


async def list_customers(
    db: Database,
    company_id: str,
    *,
    search: str | None = None,
    status: CustomerStatus | None = None,
    first: int = 50,
    after_cursor: str | None = None,
) -> Page[Customer]:
    """Customers by name; `search` matches the start of the name or of the account number."""
    size = page_size(first)
    conditions = _search(company_id, search, status)
    query = select(Customer).where(*conditions)
    if after_cursor is not None:
        query = query.where(after(_ORDER, decode_cursor(after_cursor, _ORDER)))
    query = query.order_by(*order_by(_ORDER)).limit(size + 1)
    async with db.read() as session:
        rows = list((await session.execute(query)).scalars())
        total = int(
            await session.scalar(select(func.count()).select_from(Customer).where(*conditions)) or 0
        )
    has_next = len(rows) > size
    rows = rows[:size]
    end = encode_cursor([rows[-1].name_key, rows[-1].id]) if rows else None
    return Page(rows, has_next, end, total)
