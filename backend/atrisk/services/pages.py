"""Keyset pages: opaque cursors, a stable order with the id as the last tie-breaker, no OFFSET.

A cursor holds the sort values of the last row of a page (base64url JSON). The next page
starts strictly after that row, so rows inserted or removed meanwhile never shift a page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import orjson
from sqlalchemy import ColumnElement, and_, false, or_

from atrisk.services.errors import ValidationFailed

MAX_PAGE = 200
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SortKey:
    """One column of an order: the expression, its direction, and how a cursor value is
    read back. A nullable column needs a key before it that orders its NULLs."""

    column: Any
    descending: bool = False
    decode: Callable[[Any], Any] = lambda value: value


def datetime_key(column: Any, *, descending: bool = False) -> SortKey:
    return SortKey(
        column, descending, lambda value: None if value is None else datetime.fromisoformat(value)
    )


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    nodes: Sequence[T]
    has_next_page: bool
    end_cursor: str | None
    total_count: int


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_PAGE:
        raise ValidationFailed("first", f"first must be between 1 and {MAX_PAGE}.")
    return first


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [value.isoformat() if isinstance(value, datetime) else value for value in values]
    return base64.urlsafe_b64encode(orjson.dumps(plain)).decode().rstrip("=")


def decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = orjson.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            raise ValueError("wrong shape")
        return [key.decode(value) for key, value in zip(keys, values, strict=True)]
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise ValidationFailed(
            "after", "This cursor is not one of this list's: use a pageInfo.endCursor of it."
        ) from None


def after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after the row whose sort values are `values`, in the order of `keys`."""
    branches = []
    for position, key in enumerate(keys):
        value = values[position]
        if value is None:
            continue  # nothing sorts after NULL inside its group; the group key decides
        equal_before = [
            keys[i].column.is_(None) if values[i] is None else keys[i].column == values[i]
            for i in range(position)
        ]
        beyond = key.column < value if key.descending else key.column > value
        branches.append(and_(*equal_before, beyond))
    if not branches:
        return false()
    condition = or_(*branches)
    first, value = keys[0], values[0]
    if value is None:
        return condition
    # Every branch implies this bound on the first key; said on its own, it lets the
    # database seek to the cursor in an index that starts with that key, instead of
    # walking the index from its start (an OR of branches bounds no single column).
    bound = first.column <= value if first.descending else first.column >= value
    return and_(bound, condition)


def order_by(keys: Sequence[SortKey]) -> list[Any]:
    return [key.column.desc() if key.descending else key.column.asc() for key in keys]


def cursor_of(row: Any, values: Callable[[Any], Sequence[Any]]) -> str:
    return encode_cursor(values(row))
