"""The databases of the cases bench, written in bulk (the service writes one change a
transaction, with its event).

queue    the measured dealer (50,000 customers, 5,000 cases, 1,500 open, 10 people) among
         1,000 other companies with 2,000 cases each (500 customers, 150 cases open)
big      a dealer with 100,000 cases (50,000 customers)
history  the measured company with 1,000,000 events, a small one ("Bench Company 00000")
         with 1,000, and 20 others with 2,000,000 between them
import   an empty company, imported into

ATRISK_BENCH_SCALE (default 1) scales the other companies (and their events) down, for
quick tries only.
"""

from __future__ import annotations

import asyncio
import os
import random
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import orjson
from sqlalchemy.engine import make_url

from atrisk.db.types import new_id
from atrisk.domain.customers import search_key
from atrisk.domain.picklists import Category
from atrisk.settings import Settings, normalise_database_url
from bench.seed import PER_CATEGORY, Dataset, seed

SCALE = float(os.environ.get("ATRISK_BENCH_SCALE", "1"))
OTHER_COMPANIES = max(1, round(1_000 * SCALE))
# The report's 12 months, and when the cases' dates fall: within them.
PERIOD_START = datetime(2025, 12, 1, tzinfo=UTC)
PERIOD_DAYS = 365
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
SMALL_COMPANY = "Bench Company 00000"
HISTORY_BIG = 1_000_000
HISTORY_SMALL = 1_000
HISTORY_OTHERS = 20
HISTORY_TOTAL = 3_000_000
PEOPLE = 10
EVENT_START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Dealer:
    customers: int
    cases: int
    open_cases: int
    credits: int
    people: int = 0


MEASURED = Dealer(50_000, 5_000, 1_500, 1_000, PEOPLE)
OTHER = Dealer(500, 2_000, 150, 0)
BIG = Dealer(50_000, 100_000, 3_000, 20_000, PEOPLE)


# --- writing -------------------------------------------------------------------------------


def _plain_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


class Writer:
    """Bulk inserts into one database: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, url: str) -> None:
        settings = Settings(database_url=normalise_database_url(url))
        self.path = settings.sqlite_path
        self.url = settings.database_url

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
        if self.path is not None:
            connection = sqlite3.connect(str(self.path))
            try:
                with connection:
                    connection.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) "
                        f"VALUES ({', '.join('?' * len(columns))})",
                        (tuple(_sqlite_value(v) for v in row) for row in rows),
                    )
            finally:
                connection.close()
        else:
            asyncio.run(self._copy(table, columns, rows))

    async def _copy(self, table: str, columns: Sequence[str], rows: Iterable[Any]) -> None:
        connection = await asyncpg.connect(_plain_url(self.url))
        try:
            await connection.copy_records_to_table(table, records=rows, columns=list(columns))
        finally:
            await connection.close()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        if self.path is not None:
            connection = sqlite3.connect(str(self.path))
            try:
                return connection.execute(sql).fetchall()
            finally:
                connection.close()
        return asyncio.run(self._fetch(sql))

    async def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        connection = await asyncpg.connect(_plain_url(self.url))
        try:
            return [tuple(row) for row in await connection.fetch(sql)]
        finally:
            await connection.close()

    def analyze(self) -> None:
        if self.path is not None:
            connection = sqlite3.connect(str(self.path))
            try:
                connection.execute("ANALYZE")
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                connection.close()
        else:
            asyncio.run(self._vacuum())

    async def _vacuum(self) -> None:
        connection = await asyncpg.connect(_plain_url(self.url))
        try:
            await connection.execute("VACUUM ANALYZE")
        finally:
            await connection.close()


CUSTOMER_COLUMNS = (
    "id",
    "company_id",
    "account_number",
    "account_key",
    "name",
    "name_key",
    "email",
    "phone",
    "rmr_cents",
    "status",
    "version",
    "created_at",
    "updated_at",
)
CASE_COLUMNS = (
    "id",
    "company_id",
    "customer_id",
    "status",
    "risk_level",
    "reason_id",
    "cause_id",
    "resolution_id",
    "reported_at",
    "assigned_to_id",
    "follow_up_at",
    "rmr_at_risk_cents",
    "rmr_retained_cents",
    "saved_by_id",
    "closed_at",
    "version",
    "created_at",
    "updated_at",
)
CREDIT_COLUMNS = (
    "id",
    "company_id",
    "case_id",
    "amount_cents",
    "credit_reason_id",
    "note",
    "at",
    "by_id",
    "created_at",
)
USER_COLUMNS = (
    "id",
    "company_id",
    "email",
    "password_hash",
    "role",
    "name",
    "active",
    "created_at",
)
EVENT_COLUMNS = (
    "id",
    "company_id",
    "at",
    "actor",
    "action",
    "entity_type",
    "entity_id",
    "entity_label",
    "entity_version",
    "changes",
)


def customer_row(company_id: str, number: int, name: str | None = None) -> tuple[Any, ...]:
    """One customer: "Customer 000123", account "A000123"."""
    name = name or f"Customer {number:06d}"
    account = f"A{number:06d}"
    return (
        new_id(),
        company_id,
        account,
        search_key(account),
        name,
        search_key(name),
        f"c{number}@customers.example",
        None,
        1_000 + number % 9_000,
        "ACTIVE",
        1,
        PERIOD_START,
        PERIOD_START,
    )


def _companies(writer: Writer) -> dict[str, str]:
    return dict(writer.query("SELECT name, id FROM companies"))


def _entries(writer: Writer) -> dict[str, dict[Category, list[str]]]:
    """Every company's entries by category, in list order."""
    found: dict[str, dict[Category, list[str]]] = {}
    for company_id, category, entry_id in writer.query(
        "SELECT company_id, category, id FROM at_risk_entries ORDER BY company_id, position"
    ):
        by_category = found.setdefault(company_id, {c: [] for c in Category})
        by_category[Category(category)].append(entry_id)
    return found


def _people(writer: Writer, company_id: str, count: int) -> list[str]:
    ids = [new_id() for _ in range(count)]
    writer.insert(
        "users",
        USER_COLUMNS,
        (
            (
                user_id,
                company_id,
                f"agent{number}-{company_id[:8]}@bench.example",
                "!",
                "AGENT",
                f"Agent {number:02d}",
                True,
                PERIOD_START,
            )
            for number, user_id in enumerate(ids)
        ),
    )
    return ids


def fill_dealers(writer: Writer, dealers: dict[str, Dealer], rng: random.Random) -> None:
    """Each dealer's customers, cases (its first `open_cases` open, the rest closed) and
    credits, a few statements for all of them."""
    entries = _entries(writer)
    people = {
        company_id: _people(writer, company_id, dealer.people)
        for company_id, dealer in dealers.items()
        if dealer.people
    }
    customer_ids: dict[str, list[str]] = {}

    def customers() -> Iterator[tuple[Any, ...]]:
        for company_id, dealer in dealers.items():
            ids = customer_ids[company_id] = []
            for number in range(dealer.customers):
                row = customer_row(company_id, number)
                ids.append(row[0])
                yield row

    writer.insert("customers", CUSTOMER_COLUMNS, customers())
    credited: dict[str, list[str]] = {}

    def cases() -> Iterator[tuple[Any, ...]]:
        for company_id, dealer in dealers.items():
            yield from _cases(
                company_id, dealer, rng, entries[company_id], people.get(company_id, []), credited
            )

    writer.insert("at_risk_cases", CASE_COLUMNS, _cases_of(dealers, customer_ids, cases()))

    def credits() -> Iterator[tuple[Any, ...]]:
        for company_id, dealer in dealers.items():
            case_ids = credited.get(company_id, [])
            for number in range(dealer.credits if case_ids else 0):
                yield (
                    new_id(),
                    company_id,
                    case_ids[(number * 7) % len(case_ids)],
                    500 + number % 2_000,
                    rng.choice(entries[company_id][Category.CREDIT_REASON]),
                    None,
                    PERIOD_START + timedelta(minutes=rng.randrange((PERIOD_DAYS - 2) * 24 * 60)),
                    None,
                    PERIOD_START,
                )

    writer.insert("credits", CREDIT_COLUMNS, credits())


def _cases(
    company_id: str,
    dealer: Dealer,
    rng: random.Random,
    entries: dict[Category, list[str]],
    people: list[str],
    credited: dict[str, list[str]],
) -> Iterator[tuple[Any, ...]]:
    """A dealer's cases; the third value is the case's number (its customer: see _cases_of)."""
    case_ids = credited.setdefault(company_id, []) if dealer.credits else None
    for number in range(dealer.cases):
        case_id = new_id()
        if case_ids is not None:
            case_ids.append(case_id)
        reported = PERIOD_START + timedelta(minutes=rng.randrange((PERIOD_DAYS - 2) * 24 * 60))
        rmr = 1_000 + rng.randrange(9_000)
        is_open = number < dealer.open_cases
        if is_open:
            status = "MITIGATED" if number % 5 == 4 else "OPEN"
        else:
            status = ("RESOLVED", "RESOLVED", "LOST", "CANCELLED")[number % 4]
        closed = None if is_open else min(reported + timedelta(days=1 + number % 60), NOW)
        resolution = (
            None if is_open or status == "CANCELLED" else rng.choice(entries[Category.RESOLUTION])
        )
        retained = rmr if status == "RESOLVED" else (0 if status == "LOST" else None)
        assignee = people[number % len(people)] if people and number % 7 else None
        yield (
            case_id,
            company_id,
            number,
            status,
            ("LOW", "MEDIUM", "HIGH")[number % 3],
            rng.choice(entries[Category.REASON]),
            rng.choice(entries[Category.CAUSE]) if number % 3 else None,
            resolution,
            reported,
            assignee,
            NOW + timedelta(hours=number % 500) if is_open and number % 10 else None,
            rmr,
            retained,
            assignee if status == "RESOLVED" else None,
            closed,
            1,
            reported,
            closed or reported,
        )


def _cases_of(
    dealers: dict[str, Dealer],
    customer_ids: dict[str, list[str]],
    rows: Iterator[tuple[Any, ...]],
) -> Iterator[tuple[Any, ...]]:
    """The cases with their customers: the n-th case of a dealer is its n-th customer's
    (modulo), so that open cases, the first ones, each have a customer of their own."""
    for row in rows:
        ids = customer_ids[row[1]]
        number = row[2]
        yield (row[0], row[1], ids[number % len(ids)], *row[3:])


def _dataset(name: str, companies: int) -> Dataset:
    return Dataset(name, companies, dict.fromkeys(Category, PER_CATEGORY))


def seed_queue(url: str) -> str:
    """The measured dealer among the others; returns the measured company's id."""
    rng = random.Random(13)
    measured = seed(url, _dataset("queue", 1 + OTHER_COMPANIES))
    writer = Writer(url)
    dealers = {measured: MEASURED}
    dealers.update(
        (company_id, OTHER) for company_id in sorted(set(_companies(writer).values()) - {measured})
    )
    fill_dealers(writer, dealers, rng)
    writer.analyze()
    return measured


def seed_big(url: str) -> str:
    measured = seed(url, _dataset("big", 1))
    writer = Writer(url)
    fill_dealers(writer, {measured: BIG}, random.Random(15))
    writer.analyze()
    return measured


def event_rows(company_id: str, count: int) -> Iterator[tuple[Any, ...]]:
    """`count` customer updates, one a minute; every 100 are one customer's."""
    changes = orjson.dumps([{"field": "rmr", "from": "10.00", "to": "12.00"}]).decode()
    entity = new_id()
    for number in range(count):
        if number % 100 == 0:
            entity = new_id()
        yield (
            new_id(),
            company_id,
            event_at(number),
            "bench@bench.example",
            "UPDATE",
            "CUSTOMER",
            entity,
            f"Customer {number // 100:06d}",
            2,
            changes,
        )


def event_at(number: int) -> datetime:
    return EVENT_START + timedelta(minutes=number)


def seed_history(url: str) -> dict[str, str]:
    """The measured company's 1,000,000 events, the small one's 1,000 and the others';
    returns the ids of the measured and the small company."""
    measured = seed(url, _dataset("history", HISTORY_OTHERS + 2))
    writer = Writer(url)
    others = round((HISTORY_TOTAL - HISTORY_BIG - HISTORY_SMALL) * SCALE) // HISTORY_OTHERS
    for name, company_id in sorted(_companies(writer).items()):
        if company_id == measured:
            count = HISTORY_BIG
        else:
            count = HISTORY_SMALL if name == SMALL_COMPANY else others
        writer.insert("audit_events", EVENT_COLUMNS, event_rows(company_id, count))
    writer.analyze()
    return {"measured": measured, "small": _companies(writer)[SMALL_COMPANY]}


def seed_import(url: str) -> str:
    return seed(url, _dataset("import", 1))


def import_csv(count: int) -> bytes:
    """The CSV of `count` new customers, as the product's import takes it."""
    lines = ["account_number,name,email,phone,rmr,status"]
    lines += [
        f"I{number:06d},Imported {number:06d},i{number}@customers.example,,"
        f"{10 + number % 90}.{number % 100:02d},ACTIVE"
        for number in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def bare_import(url: str, company_id: str, count: int) -> None:
    """The same customers, inserted bare: one transaction, no checks, no history."""
    at = datetime.now(UTC)
    rows = [
        (
            new_id(),
            company_id,
            f"I{number:06d}",
            search_key(f"I{number:06d}"),
            f"Imported {number:06d}",
            search_key(f"Imported {number:06d}"),
            f"i{number}@customers.example",
            None,
            (10 + number % 90) * 100 + number % 100,
            "ACTIVE",
            1,
            at,
            at,
        )
        for number in range(count)
    ]
    Writer(url).insert("customers", CUSTOMER_COLUMNS, rows)
