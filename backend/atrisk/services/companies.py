"""Companies: found by name, created, and their settings (name, currency, time zone)."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from atrisk.db.database import Database
from atrisk.db.failures import violates
from atrisk.domain.accounts import Caller
from atrisk.domain.changes import Action, Area, Entity
from atrisk.domain.money import currency_problem
from atrisk.domain.text import fold
from atrisk.models.companies import COMPANY_NAME_MAX_LENGTH, Company
from atrisk.services import changes
from atrisk.services.changes import Change
from atrisk.services.errors import NotFound, ValidationFailed
from atrisk.services.users import checked_label

EDITABLE = ("name", "currency", "timezone")


async def find_company(db: Database, name: str) -> Company | None:
    """The company of this name, compared case-folded with whitespace collapsed."""
    async with db.read() as session:
        result = await session.execute(select(Company).where(Company.name_key == fold(name)))
        return result.scalar_one_or_none()


async def list_companies(db: Database) -> list[Company]:
    """Every company, by name."""
    async with db.read() as session:
        return list((await session.execute(select(Company).order_by(Company.name_key))).scalars())


async def create_company(db: Database, name: str) -> Company:
    async with db.write() as session:
        company = Company(name=name, name_key=fold(name))
        session.add(company)
        await session.flush()
        await changes.claim(session, company.id, Area.ACCOUNTS)
        changes.record(
            session,
            Change(
                company.id,
                Entity.COMPANY,
                company.id,
                Action.CREATE,
                actor=changes.CLI,
                label=company.name,
                fields=changes.diff({}, {"name": company.name}),
            ),
        )
    return company


@functools.cache
def _time_zones() -> dict[str, str]:
    """Every IANA time zone this machine knows (the tzdata package), by its folded name."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def checked_timezone(raw: str) -> str:
    """An IANA time zone name as the database of zones spells it ("europe/paris" too)."""
    name = _time_zones().get(raw.strip().lower())
    if name is None:
        raise ValidationFailed(
            "timezone",
            f'"{raw.strip()[:64]}" is not an IANA time zone: write it like Europe/Paris, '
            "America/New_York or UTC.",
        )
    return name


def checked_currency(raw: str) -> str:
    code = raw.strip().upper()
    if problem := currency_problem(code):
        raise ValidationFailed("currency", problem)
    return code


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, label in (("name", "name"), ("currency", "currency"), ("timezone", "time zone")):
        if field in values and values[field] is None:
            raise ValidationFailed(field, f"The {label} is required.")
    if "name" in values:
        clean["name"] = checked_label(values["name"], "name", COMPANY_NAME_MAX_LENGTH)
        clean["name_key"] = fold(clean["name"])
    if "currency" in values:
        clean["currency"] = checked_currency(values["currency"])
    if "timezone" in values:
        clean["timezone"] = checked_timezone(values["timezone"])
    return clean


def snapshot(company: Company) -> dict[str, object]:
    return {"name": company.name, "currency": company.currency, "timezone": company.timezone}


def _name_taken(name: str) -> ValidationFailed:
    return ValidationFailed("name", f'A company named "{name}" already exists.')


async def update_company(db: Database, caller: Caller, values: Mapping[str, Any]) -> Company:
    """Change the caller's company's name, currency or time zone (the given ones).

    The currency is only the label of every amount (nothing is converted); the time zone
    decides which day and month a moment belongs to in the reports.
    """
    clean = _clean(values)
    try:
        async with db.write() as session:
            await changes.claim(session, caller.company_id, Area.ACCOUNTS)
            company = await session.get(Company, caller.company_id)
            if company is None:
                raise NotFound(caller.company_id, "company")
            if "name_key" in clean and clean["name_key"] != company.name_key:
                taken = await session.scalar(
                    select(Company.id).where(
                        Company.name_key == clean["name_key"], Company.id != company.id
                    )
                )
                if taken:
                    raise _name_taken(clean["name"])
            before = snapshot(company)
            for field, value in clean.items():
                setattr(company, field, value)
            fields = changes.diff(before, snapshot(company))
            if fields:
                await session.flush()
                changes.record(
                    session,
                    Change(
                        company.id,
                        Entity.COMPANY,
                        company.id,
                        Action.UPDATE,
                        actor=caller.actor,
                        label=company.name,
                        fields=fields,
                    ),
                )
    except IntegrityError as error:
        # Names are unique across companies, whose writers do not queue on each other.
        if violates(error, "uq_companies_name_key", "companies.name_key") or violates(
            error, "uq_companies_name", "companies.name"
        ):
            raise _name_taken(clean["name"]) from None
        raise
    return company
