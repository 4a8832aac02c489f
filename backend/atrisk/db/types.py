"""Column types shared by the tables, ids and the clock."""

from __future__ import annotations

import enum
import os
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import DateTime, Dialect, SmallInteger, String, Text, TypeDecorator
from sqlalchemy.types import TypeEngine

from atrisk.domain.accounts import Role
from atrisk.domain.cases import CaseStatus, ContactChannel, RiskLevel
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.picklists import Category

E = TypeVar("E", bound=enum.Enum)


_ID_BATCH = 256
_ids: list[str] = []


def new_id() -> str:
    """An opaque, non-sequential id: 128 random bits from the operating system, as 32 hex
    digits. They are drawn _ID_BATCH at a time, one system call for all of them (an import
    of 50,000 customers makes 100,000 ids, and one call each took a tenth of its time); a
    forked process starts with none of its parent's."""
    try:
        return _ids.pop()
    except IndexError:
        block = os.urandom(16 * _ID_BATCH).hex()
        _ids.extend([block[start : start + 32] for start in range(32, len(block), 32)])
        return block[:32]


os.register_at_fork(after_in_child=_ids.clear)


def utcnow() -> datetime:
    return datetime.now(UTC)


# A folded search key, compared byte by byte (PostgreSQL's "C" collation, SQLite's default):
# one index serves both its ORDER BY and a prefix search (a range) on either database.
SearchKey = Text().with_variant(Text(collation="C"), "postgresql")


def byte_ordered(length: int) -> TypeEngine[str]:
    """A string of at most `length` characters compared byte by byte on either database:
    ids, codes and names a program wrote, where a language's collation orders nothing
    better and costs much (a COPY of 50,000 history events into their indexes took 2.5 s
    under C.UTF-8, about 1 s under "C")."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def prefix_range(column: Any, prefix: str) -> Any:
    """`column` starts with `prefix`, as a range an index on the column can walk."""
    return (column >= prefix) & (column < prefix + "\U0010ffff")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class CategoryType(TypeDecorator[Category]):
    """A category as a small integer, so that index order is display order."""

    impl = SmallInteger
    cache_ok = True

    def process_bind_param(self, value: Category | None, dialect: Dialect) -> int | None:
        return None if value is None else value.value

    def process_result_value(self, value: int | None, dialect: Dialect) -> Category | None:
        return None if value is None else Category(value)


class _Named(TypeDecorator[E], Generic[E]):
    """An enum member stored as its value (a short name), checked by a constraint on the
    table: readable in the database and in SQL."""

    impl = String(16)
    cache_ok = True
    enum_class: type[E]

    def process_bind_param(self, value: E | None, dialect: Dialect) -> str | None:
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: Any, dialect: Dialect) -> E | None:
        return None if value is None else self.enum_class(value)


class RoleType(_Named[Role]):
    enum_class = Role
    cache_ok = True


class CustomerStatusType(_Named[CustomerStatus]):
    enum_class = CustomerStatus
    cache_ok = True


class CaseStatusType(_Named[CaseStatus]):
    enum_class = CaseStatus
    cache_ok = True


class RiskLevelType(_Named[RiskLevel]):
    enum_class = RiskLevel
    cache_ok = True


class ContactChannelType(_Named[ContactChannel]):
    enum_class = ContactChannel
    cache_ok = True
