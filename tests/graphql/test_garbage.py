"""A request's objects are freed when it is done, by reference counting alone: nothing of
it (the executor, the context, its loaders, the rows they read) waits in a reference cycle
for the garbage collector, whose collections then cost far more under load."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest
from starlette.applications import Starlette

from atrisk.app import create_app
from atrisk.graphql.context import Context
from atrisk.graphql.executor import AtRiskExecutor
from atrisk.graphql.loaders import Loaders, Reads
from atrisk.models.base import Base
from tests.utils import fixtures
from tests.utils.cases_api import CasesApi
from tests.utils.graphql import gql

CUSTOMERS = "{ customers(first: 50) { totalCount nodes { id name rmr status openCase { id } } } }"
QUEUE = (
    "{ atRiskCases(filter: {open: true}) { totalCount nodes { id status rmrAtRisk"
    " customer { id name } reason { id name usageCount } assignedTo { id name }"
    " attempts { channel by { name } } credits { amount creditReason { name } } } } }"
)
OURS = (AtRiskExecutor, Context, Loaders, Reads, Base)


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    """With the read cache off, so that every request runs."""
    settings = fixtures.settings_for(database_url).model_copy(update={"read_cache_mb": 0})
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@contextmanager
def cyclic_garbage() -> Iterator[Counter[str]]:
    """The names of our types among the objects only the collector could free, of what
    runs inside the block."""
    found: Counter[str] = Counter()
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        yield found
        gc.collect()
        found.update(type(o).__qualname__ for o in gc.garbage if isinstance(o, OURS))
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


async def test_reads_leave_nothing_of_ours_for_the_garbage_collector(client, api):
    cases_api = CasesApi(client)
    reason = (await api.add("REASON", "Price increase"))["id"]
    credit = (await api.add("CREDIT_REASON", "Month waived"))["id"]
    for number in range(3):
        customer = await cases_api.create_customer(name=f"Customer {number}")
        case = await cases_api.flag(customer["id"], reason)
        await cases_api.attempt(case["id"])
        await cases_api.credit(case["id"], credit)
    for query in (CUSTOMERS, QUEUE):
        await gql(client, query)  # warm: what is built once stays
    with cyclic_garbage() as found:
        customers = await gql(client, CUSTOMERS)
        queue = await gql(client, QUEUE)
    assert len(customers["customers"]["nodes"]) == 3
    assert len(queue["atRiskCases"]["nodes"]) == 3
    assert all(node["credits"] for node in queue["atRiskCases"]["nodes"])
    assert not found, found
