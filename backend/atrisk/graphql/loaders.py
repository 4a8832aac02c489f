"""DataLoaders, one per lookup, built per request: a list of 200 cases with their customers,
entries and people costs the same few statements as a list of one.

Every loader reads only the caller's company, so no id of another company resolves.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from strawberry.dataloader import DataLoader

from atrisk.db.database import Database
from atrisk.domain.cases import OPEN_STATUSES
from atrisk.domain.changes import Entity
from atrisk.models.accounts import User
from atrisk.models.audit import AuditEvent
from atrisk.models.cases import AtRiskCase, ContactAttempt, Credit
from atrisk.models.customers import Customer
from atrisk.models.picklists import AtRiskEntry
from atrisk.services.audit import histories
from atrisk.services.picklists import usage_counts

T = TypeVar("T")


class Loaders:
    """A request's DataLoaders. Their batch functions are those of a `Reads`, which holds
    nothing of the loaders: no reference cycle, so that the loaders and every row they
    hold are freed the moment the request is done. With the loaders' own methods as batch
    functions, a page of 50 customers left some 650 objects for the garbage collector to
    find, and at 16 connections its collections took a quarter of the server's time.
    """

    def __init__(self, db: Database, company_id: str) -> None:
        reads = Reads(db, company_id)
        self.entry = DataLoader(reads.by_id(AtRiskEntry))
        self.customer = DataLoader(reads.by_id(Customer))
        self.user = DataLoader(reads.by_id(User))
        self.case = DataLoader(reads.by_id(AtRiskCase))
        self.usage = DataLoader(reads.usage)
        self.cases_of_customer = DataLoader(reads.cases_of_customer)
        self.open_case_of_customer = DataLoader(reads.open_case_of_customer)
        self.attempts_of_case = DataLoader(reads.children(ContactAttempt))
        self.credits_of_case = DataLoader(reads.children(Credit))
        self.history = DataLoader(reads.history)


class Reads:
    """The loaders' batch functions: each reads only `company_id`'s rows."""

    __slots__ = ("company_id", "db")

    def __init__(self, db: Database, company_id: str) -> None:
        self.db = db
        self.company_id = company_id

    def by_id(self, model: type[T]) -> Any:
        table: Any = model

        async def load(ids: list[str]) -> list[T | None]:
            async with self.db.read() as session:
                rows: Any = await session.execute(
                    select(model).where(table.id.in_(ids), table.company_id == self.company_id)
                )
                found: dict[str, T] = {row.id: row for row in rows.scalars()}
            return [found.get(key) for key in ids]

        return load

    def children(self, model: type[T]) -> Any:
        """Attempts or credits of cases, newest first."""
        table: Any = model

        async def load(case_ids: list[str]) -> list[list[T]]:
            grouped: dict[str, list[T]] = defaultdict(list)
            async with self.db.read() as session:
                rows: Any = await session.execute(
                    select(model)
                    .where(table.case_id.in_(case_ids), table.company_id == self.company_id)
                    .order_by(table.at.desc(), table.id.desc())
                )
                for row in rows.scalars():
                    grouped[row.case_id].append(row)
            return [grouped.get(key, []) for key in case_ids]

        return load

    async def history(self, keys: list[tuple[Entity, str, int]]) -> list[list[AuditEvent]]:
        """The newest events of entities, one statement per kind of entity and page size."""
        groups: dict[tuple[Entity, int], list[str]] = defaultdict(list)
        for entity, entity_id, first in keys:
            groups[(entity, first)].append(entity_id)
        found: dict[tuple[Entity, str, int], list[AuditEvent]] = {}
        async with self.db.read() as session:
            for (entity, first), entity_ids in groups.items():
                events = await histories(session, self.company_id, entity, entity_ids, first)
                for entity_id, rows in events.items():
                    found[(entity, entity_id, first)] = rows
        return [found.get(key, []) for key in keys]

    async def usage(self, entry_ids: list[str]) -> list[int]:
        async with self.db.read() as session:
            counts = await usage_counts(session, self.company_id, entry_ids)
        return [counts.get(key, 0) for key in entry_ids]

    async def cases_of_customer(self, customer_ids: list[str]) -> list[list[AtRiskCase]]:
        grouped: dict[str, list[AtRiskCase]] = defaultdict(list)
        async with self.db.read() as session:
            rows = await session.execute(
                select(AtRiskCase)
                .where(
                    AtRiskCase.customer_id.in_(customer_ids),
                    AtRiskCase.company_id == self.company_id,
                )
                .order_by(AtRiskCase.reported_at.desc(), AtRiskCase.id.desc())
            )
            for row in rows.scalars():
                grouped[row.customer_id].append(row)
        return [grouped.get(key, []) for key in customer_ids]

    async def open_case_of_customer(self, customer_ids: list[str]) -> list[AtRiskCase | None]:
        async with self.db.read() as session:
            rows = await session.execute(
                select(AtRiskCase).where(
                    AtRiskCase.customer_id.in_(customer_ids),
                    AtRiskCase.company_id == self.company_id,
                    AtRiskCase.status.in_(list(OPEN_STATUSES)),
                )
            )
            found = {row.customer_id: row for row in rows.scalars()}
        return [found.get(key) for key in customer_ids]


def prime(loader: DataLoader[str, Any], rows: Sequence[Any]) -> None:
    """Tell `loader` about rows read already, so that nothing reads them again (in one call:
    50 rows took 21 µs, one call a row 29 µs)."""
    loader.prime_many({row.id: row for row in rows})


def held(loader: DataLoader[str, T], key: str) -> T | None:
    """The row `loader` has already read for `key`, or None when it has not (yet): a
    resolver that finds it answers at once, with no await."""
    future = loader.cache_map.get(key)
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


async def read_ahead(wanted: Sequence[tuple[DataLoader[str, Any], Iterable[str | None]]]) -> None:
    """Read the rows a page's nodes will ask for, one batch per loader, before the nodes
    are resolved: their fields then answer from `held` without an await each.

    Each batch goes to the loader's own batch function and its rows are primed into the
    loader: the same statement `load_many` would send, without a future and a dispatch
    for every key (about a sixth of the batch's time for 50 keys). Keys the loader holds or is
    reading already are left to it.
    """
    keys: dict[DataLoader[str, Any], set[str]] = defaultdict(set)
    for loader, ids in wanted:
        keys[loader].update(key for key in ids if key is not None)

    async def read(loader: DataLoader[str, Any], ids: set[str]) -> None:
        missing = sorted(key for key in ids if loader.cache_map.get(key) is None)
        if missing:
            rows = await loader.load_fn(missing)
            loader.prime_many(dict(zip(missing, rows, strict=True)))

    await asyncio.gather(*(read(loader, ids) for loader, ids in keys.items() if ids))
