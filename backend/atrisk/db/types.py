"""Column types shared by the tables, ids and the clock."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime, Dialect, SmallInteger, String, TypeDecorator

from atrisk.domain.accounts import Role
from atrisk.domain.picklists import Category


def new_id() -> str:
    """An opaque, non-sequential id: 128 random bits, URL-safe."""
    return secrets.token_hex(16)


def utcnow() -> datetime:
    return datetime.now(UTC)


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


class RoleType(TypeDecorator[Role]):
    """A role as its name, checked by a constraint on the table."""

    impl = String(16)
    cache_ok = True

    def process_bind_param(self, value: Role | None, dialect: Dialect) -> str | None:
        return None if value is None else value.value

    def process_result_value(self, value: str | None, dialect: Dialect) -> Role | None:
        return None if value is None else Role(value)
