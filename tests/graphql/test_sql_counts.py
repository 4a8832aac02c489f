"""SQL statements per GraphQL request stay the same whatever the number of rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from atrisk.app import create_app
from atrisk.db.types import new_id
from tests.utils import fixtures
from tests.utils.cases_api import CasesApi
from tests.utils.graphql import ENTRY_FIELDS, Api, gql

ADMIN_PAGE = f"{{ atRiskEntries {{ {ENTRY_FIELDS} }} }}"
MOBILE_PICKER = "{ atRiskEntries(category: REASON, active: true) { id name } }"


@contextmanager
def recorded_statements(app) -> Iterator[list[tuple[str, Any]]]:
    statements: list[tuple[str, Any]] = []
    engine = app.state.db.engine.sync_engine

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    # On SQLite, small lookups run on a synchronous engine in the caller's thread.
    engines = [e for e in (engine, app.state.db.inline_engine()) if e is not None]
    for each in engines:
        event.listen(each, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        for each in engines:
            event.remove(each, "before_cursor_execute", record)


async def statements_for(app, client, query: str) -> list[tuple[str, Any]]:
    with recorded_statements(app) as statements:
        await gql(client, query)
    return statements


async def add_reasons(api: Api, start: int, stop: int) -> None:
    for number in range(start, stop):
        await api.add("REASON", f"Reason {number}")


@pytest.fixture(params=["cache on", "cache off"])
async def app(request, database_url: str) -> AsyncIterator[Any]:
    settings = fixtures.settings_for(database_url)
    if request.param == "cache off":
        settings = settings.model_copy(update={"read_cache_mb": 0})
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        # The live-updates feed reads the history in the background on SQLite; it is not
        # part of any request, so it stays out of the statements counted here.
        await application.state.feed.stop()
        yield application


@pytest.mark.parametrize("query", [ADMIN_PAGE, MOBILE_PICKER])
async def test_reads_issue_the_same_statements_for_1_and_40_rows(app, client, api, query):
    await add_reasons(api, 0, 1)
    one_row = await statements_for(app, client, query)
    one_row_again = await statements_for(app, client, query)
    await add_reasons(api, 1, 40)
    many_rows = await statements_for(app, client, query)
    many_rows_again = await statements_for(app, client, query)
    assert len((await gql(client, query))["atRiskEntries"]) == 40

    assert [s for s, _ in one_row] == [s for s, _ in many_rows]
    assert [s for s, _ in one_row_again] == [s for s, _ in many_rows_again]
    if app.state.settings.read_cache_mb:
        # A repeated read costs one statement: the caller, with the company's versions.
        assert len(many_rows_again) == 1
        assert "lists_version" in many_rows_again[0][0]
    else:
        assert sum("at_risk_entries" in s for s, _ in many_rows_again) == 1


async def test_writes_issue_the_same_statements_for_1_and_40_rows(app, client, api):
    toggle = (
        "mutation($input: UpdateAtRiskEntryInput!) "
        "{ updateAtRiskEntry(input: $input) { __typename } }"
    )
    first = await api.add("REASON", "Reason 0")
    with recorded_statements(app) as one_row:
        await gql(client, toggle, {"input": {"id": first["id"], "active": False}})
    await add_reasons(api, 1, 40)
    with recorded_statements(app) as many_rows:
        await gql(client, toggle, {"input": {"id": first["id"], "active": True}})
    assert [s for s, _ in one_row] == [s for s, _ in many_rows]


async def test_the_listing_walks_its_index_without_sorting(app, client, api):
    await add_reasons(api, 0, 40)
    statements = await statements_for(app, client, ADMIN_PAGE)
    ((listing, parameters),) = [(s, p) for s, p in statements if "at_risk_entries" in s]
    assert "name_key" not in listing.split("FROM")[0]  # only the columns the answer needs
    async with app.state.db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            result = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {listing}", parameters)
            plan = " | ".join(row[3] for row in result)
            assert "TEMP B-TREE" not in plan
        else:
            # A 40-row table is read sequentially by choice; forbid that to see the index's use.
            await connection.exec_driver_sql("SET enable_seqscan = off")
            result = await connection.exec_driver_sql(f"EXPLAIN {listing}", parameters)
            plan = " | ".join(row[0] for row in result)
            assert "Sort" not in plan
    assert "ix_at_risk_entries_listing" in plan


WORK_QUEUE = """
query Queue($first: Int) {
  atRiskCases(filter: {open: true}, first: $first) {
    totalCount
    nodes {
      id status riskLevel followUpAt rmrAtRisk daysOpen
      customer { id name accountNumber rmr }
      reason { id name } cause { id name }
      assignedTo { id email name }
      attempts { channel at } credits { amount creditReason { name } }
    }
  }
}"""


async def test_the_work_queue_takes_the_same_statements_for_1_or_200_cases(app, client, api):
    cases_api = CasesApi(client)
    reason = (await api.add("REASON", "Price increase"))["id"]
    cause = (await api.add("CAUSE", "Competitor offer"))["id"]
    credit = (await api.add("CREDIT_REASON", "Month waived"))["id"]

    async def add_cases(count: int) -> None:
        for _ in range(count):
            customer = await cases_api.create_customer(name=f"Customer {new_id()[:8]}")
            case = await cases_api.flag(customer["id"], reason, causeId=cause)
            await cases_api.attempt(case["id"])
            await cases_api.credit(case["id"], credit)

    await add_cases(1)
    one = await statements_for(app, client, WORK_QUEUE.replace("$first: Int", "$first: Int = 200"))
    await add_cases(199)
    many = await statements_for(app, client, WORK_QUEUE.replace("$first: Int", "$first: Int = 200"))
    data = await gql(client, WORK_QUEUE, {"first": 200})
    assert len(data["atRiskCases"]["nodes"]) == 200
    assert all(node["customer"]["name"] for node in data["atRiskCases"]["nodes"])
    assert len(one) == len(many), [s for s, _ in many]
    # The caller, the page, its count, then one statement each: customers, entries, people,
    # attempts, credits — never one per case.
    assert len(many) <= 8, [s for s, _ in many]
