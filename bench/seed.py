"""The bench's databases, written in bulk (the service adds one entry per transaction).

one    the measured company with 60 entries, 15 per category
large  the measured company with 1,000 entries in one category (Reasons)
many   10,000 companies with 60 entries each; the measured company is one of them

The measured company is the one the server acts as: the demo company by name.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg
from sqlalchemy.engine import make_url

from atrisk.db.migrate import upgrade
from atrisk.db.types import new_id
from atrisk.domain.picklists import Category, name_key
from atrisk.domain.text import fold
from atrisk.services.demo import DEMO_COMPANY
from atrisk.settings import Settings, normalise_database_url

EPOCH = datetime(2026, 1, 5, 9, 30, 0, 250_000, tzinfo=UTC)
MANY_COMPANIES = 10_000
PER_CATEGORY = 15
LARGE_CATEGORY = 1_000


@dataclass(frozen=True)
class Dataset:
    name: str
    companies: int  # how many companies like the measured one
    per_category: dict[Category, int]


DATASETS = {
    "one": Dataset("one", 1, dict.fromkeys(Category, PER_CATEGORY)),
    "large": Dataset("large", 1, {Category.REASON: LARGE_CATEGORY}),
    "many": Dataset("many", MANY_COMPANIES, dict.fromkeys(Category, PER_CATEGORY)),
}

Company = tuple[str, str, str, str, str, int, int, int, datetime]
Entry = tuple[str, str, int, str, str, bool, int, int, datetime, datetime]


def rows(dataset: Dataset) -> tuple[list[Company], Iterator[Entry], str]:
    """The companies, their entries and the measured company's id."""
    measured_index = dataset.companies // 2
    names = [
        DEMO_COMPANY if number == measured_index else f"Bench Company {number:05d}"
        for number in range(dataset.companies)
    ]
    companies = [(new_id(), name, fold(name), "USD", "UTC", 1, 1, 1, EPOCH) for name in names]

    def entries() -> Iterator[Entry]:
        for company_id, *_ in companies:
            for category, count in dataset.per_category.items():
                for position in range(1, count + 1):
                    name = f"{category.label} {position:04d}"
                    stamp = EPOCH + timedelta(minutes=position, microseconds=position)
                    # Reasons are all active (the mobile picker's 15); elsewhere every
                    # seventh entry is switched off, as real lists have a few.
                    active = category is Category.REASON or position % 7 != 0
                    yield (
                        new_id(),
                        company_id,
                        category.value,
                        name,
                        name_key(name),
                        active,
                        position,
                        1,
                        stamp,
                        stamp,
                    )

    return companies, entries(), companies[measured_index][0]


COMPANY_COLUMNS = (
    "id",
    "name",
    "name_key",
    "currency",
    "timezone",
    "lists_version",
    "cases_version",
    "accounts_version",
    "created_at",
)
ENTRY_COLUMNS = (
    "id",
    "company_id",
    "category",
    "name",
    "name_key",
    "active",
    "position",
    "version",
    "created_at",
    "updated_at",
)


def _sqlite_time(value: datetime) -> str:
    # The format SQLAlchemy's SQLite DateTime stores (naive UTC).
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def seed_sqlite(path: str, dataset: Dataset) -> str:
    companies, entries, measured = rows(dataset)
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.executemany(
                f"INSERT INTO companies ({', '.join(COMPANY_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(COMPANY_COLUMNS))})",
                [(*c[:-1], _sqlite_time(c[-1])) for c in companies],
            )
            connection.executemany(
                f"INSERT INTO at_risk_entries ({', '.join(ENTRY_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(ENTRY_COLUMNS))})",
                (
                    (*e[:5], int(e[5]), e[6], e[7], _sqlite_time(e[8]), _sqlite_time(e[9]))
                    for e in entries
                ),
            )
        connection.execute("ANALYZE")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return measured


async def seed_postgres(url: str, dataset: Dataset) -> str:
    companies, entries, measured = rows(dataset)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        await connection.copy_records_to_table(
            "companies", records=companies, columns=COMPANY_COLUMNS
        )
        await connection.copy_records_to_table(
            "at_risk_entries", records=list(entries), columns=ENTRY_COLUMNS
        )
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    return measured


def seed(database_url: str, dataset: Dataset) -> str:
    """Migrate an empty database and fill it; returns the measured company's id."""
    settings = Settings(database_url=normalise_database_url(database_url))
    upgrade(settings)
    if path := settings.sqlite_path:
        return seed_sqlite(str(path), dataset)
    return asyncio.run(seed_postgres(settings.database_url, dataset))
