"""Money travels as a decimal string with exactly two places ("49.90"), never a float;
inside it is integer cents. Date is Strawberry's own (ISO 8601, "2026-12-01")."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

from atrisk.domain.money import InvalidMoney, format_money, parse_money

# What fields and inputs are annotated with; `SCALARS` tells the schema what it is.
Money = NewType("Money", int)


def _parse(value: object) -> int:
    if not isinstance(value, str):
        raise ValueError('Money is a string like "49.90", never a number.')
    try:
        return parse_money(value)
    except InvalidMoney as error:
        raise ValueError(str(error)) from None


def _serialize(value: object) -> str:
    assert isinstance(value, int)
    return format_money(value)


SCALARS: dict[object, ScalarDefinition] = {
    Money: strawberry.scalar(
        name="Money",
        description="An amount in the company's currency: a decimal string with two places, "
        '"49.90".',
        serialize=_serialize,
        parse_value=_parse,
    )
}
