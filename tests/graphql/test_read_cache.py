"""The read cache: what it keeps, for how long, for whom, and ETag / If-None-Match."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from atrisk.domain.accounts import Role
from atrisk.domain.changes import Area
from atrisk.domain.picklists import Category
from atrisk.graphql.read_cache import ReadCache, ReadKey, etag_for, etag_matches, plan_for
from atrisk.graphql.view import GraphQLView
from atrisk.models.companies import Company
from atrisk.services import picklists, tokens
from tests.utils.accounts import add_user, http_client, session_cookie
from tests.utils.graphql import LIST, UPDATE

LIST_ALL = "{ atRiskEntries { id name active version } }"
PAGE = "query Page { me { email role company { name } } atRiskEntries { id name version } }"


def key(
    company: str = "a", query: str = LIST_ALL, variables: bytes = b"null", caller: str | None = None
) -> ReadKey:
    return ReadKey(company, "ADMIN", caller, query, None, variables)


def body_at(cache: ReadCache, key: ReadKey, versions: tuple[int, ...]) -> bytes | None:
    cached = cache.get(key, versions)
    return None if cached is None else cached.body


def read_cache_of(app) -> ReadCache:
    views = [
        r.endpoint for r in app.routes if isinstance(getattr(r, "endpoint", None), GraphQLView)
    ]
    cache: ReadCache | None = views[0].read_cache
    assert cache is not None
    return cache


# --- the cache on its own ---------------------------------------------------------------


def test_a_result_is_served_only_at_the_versions_it_was_computed_at():
    cache = ReadCache(max_bytes=10_000)
    cache.put(key(), (3,), b"three")
    assert body_at(cache, key(), (3,)) == b"three"
    assert cache.get(key(), (4,)) is None
    assert cache.get(key("b"), (3,)) is None
    assert cache.get(key(variables=b'{"active":true}'), (3,)) is None
    assert cache.get(key(caller="user:1"), (3,)) is None
    assert cache.get(ReadKey("a", "VIEWER", None, LIST_ALL, None, b"null"), (3,)) is None


def test_a_late_older_result_does_not_replace_a_newer_one():
    cache = ReadCache(max_bytes=10_000)
    cache.put(key(), (5, 2), b"five")
    cache.put(key(), (4, 2), b"four")
    assert body_at(cache, key(), (5, 2)) == b"five"
    cache.put(key(), (5, 3), b"six")
    assert body_at(cache, key(), (5, 3)) == b"six"
    assert len(cache) == 1


def test_the_cache_stays_under_its_size_cap_dropping_least_recently_used():
    cache = ReadCache(max_bytes=4_000)
    for number in range(100):
        cache.put(key(f"company-{number}"), (1,), b"x" * 500)
        assert cache.size <= 4_000
    assert 0 < len(cache) < 10
    assert cache.get(key("company-0"), (1,)) is None
    assert cache.get(key("company-99"), (1,)) is not None
    # Reading an entry makes it the most recently used, so it survives the next eviction.
    survivor = f"company-{100 - len(cache)}"
    assert cache.get(key(survivor), (1,)) is not None
    cache.put(key("newcomer"), (1,), b"x" * 500)
    assert cache.get(key(survivor), (1,)) is not None


def test_a_result_bigger_than_the_whole_cache_is_not_kept():
    cache = ReadCache(max_bytes=1_000)
    cached = cache.put(key(), (1,), b"x" * 2_000)
    assert cached.etag == etag_for(b"x" * 2_000)
    assert len(cache) == 0
    assert cache.size == 0


@pytest.mark.parametrize(
    ("query", "areas", "per_caller"),
    [
        (LIST_ALL, (Area.LISTS,), False),
        ("{ __typename }", (), False),
        ("{ me { email } }", (Area.ACCOUNTS,), True),
        (PAGE, (Area.ACCOUNTS, Area.LISTS), True),
    ],
)
def test_a_plan_names_the_areas_read_and_whether_the_caller_matters(query, areas, per_caller):
    plan = plan_for(query, None)
    assert plan is not None
    assert plan.areas == areas
    assert plan.per_caller is per_caller
    assert plan.versions({Area.LISTS: 7, Area.ACCOUNTS: 3, Area.CASES: 9}) == tuple(
        {Area.LISTS: 7, Area.ACCOUNTS: 3}[area] for area in areas
    )
    assert plan.versions({}) == (None if areas else ())


@pytest.mark.parametrize(
    ("query", "operation_name", "expected"),
    [
        (LIST_ALL, None, True),
        (PAGE, None, True),
        (LIST, None, True),
        ('{ atRiskEntry(id: "x") { id } __typename }', None, True),
        ("query A { atRiskEntries { id } } query B { atRiskEntries { name } }", "B", True),
        ("query A { atRiskEntries { id } } query B { atRiskEntries { name } }", None, False),
        ("query A { atRiskEntries { id } }", "C", False),
        (UPDATE, None, False),
        ("mutation { deleteAtRiskEntry(id: 1) { __typename } }", None, False),
        ("{ me { email role } }", None, True),
        ("{ atRiskEntries { id } me { role } }", None, True),
        ("{ __schema { types { name } } }", None, False),
        ("{ ...Root } fragment Root on Query { atRiskEntries { id } }", None, False),
        ("{ ... on Query { me { role } } }", None, False),
        ("{ me { role } unknownField }", None, False),
        ("subscription { atRiskEntries { id } }", None, False),
        ("{ atRiskEntries { id }", None, False),
        ("{ atRiskEntries { " + "id " * 5_000 + "} }", None, False),
    ],
)
def test_only_queries_of_known_root_fields_are_cacheable(query, operation_name, expected):
    assert (ReadCache(max_bytes=1_000).plan(query, operation_name) is not None) is expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ("", False),
        ('"abc"', True),
        ('W/"abc"', True),
        ('"zzz", "abc"', True),
        ('"zzz"', False),
        ("*", True),
        ("abc", False),
    ],
)
def test_if_none_match_uses_the_weak_comparison(header, expected):
    assert etag_matches(header, '"abc"') is expected


# --- the cache behind /graphql ------------------------------------------------------------


async def test_an_unchanged_read_answers_304_and_a_write_changes_the_etag(api, client):
    entry = await api.add("REASON", "Moved away")
    first = await client.post("/graphql", json={"query": LIST_ALL})
    assert first.status_code == 200
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"

    again = await client.post("/graphql", json={"query": LIST_ALL}, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag

    await api.update(entry["id"], active=False)
    changed = await client.post(
        "/graphql", json={"query": LIST_ALL}, headers={"if-none-match": etag}
    )
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["data"]["atRiskEntries"][0]["active"] is False


async def test_a_get_query_is_cached_and_revalidated_too(api, client):
    await api.add("CAUSE", "Competitor offer")
    first = await client.get("/graphql", params={"query": LIST_ALL})
    assert first.status_code == 200
    second = await client.get(
        "/graphql", params={"query": LIST_ALL}, headers={"if-none-match": first.headers["etag"]}
    )
    assert second.status_code == 304


async def test_cached_reads_serve_the_same_bytes_as_executed_ones(app, api, client):
    for name in ("Price increase", "Moving out of area"):
        await api.add("REASON", name)
    variables = {"category": "REASON", "active": True}
    executed = await client.post("/graphql", json={"query": LIST, "variables": variables})
    cached = await client.post("/graphql", json={"query": LIST, "variables": variables})
    assert len(read_cache_of(app)) == 1
    assert cached.content == executed.content
    assert [e["name"] for e in cached.json()["data"]["atRiskEntries"]] == [
        "Price increase",
        "Moving out of area",
    ]


async def test_a_company_never_gets_another_companys_cached_result(
    api, client, other_client, viewer_client, token_client, anonymous_client
):
    await api.add("REASON", "Only in the first company")
    first = await client.post("/graphql", json={"query": LIST_ALL})
    etag = first.headers["etag"]
    assert len(first.json()["data"]["atRiskEntries"]) == 1

    other = await other_client.post(
        "/graphql", json={"query": LIST_ALL}, headers={"if-none-match": etag}
    )
    assert other.status_code == 200
    assert other.json()["data"]["atRiskEntries"] == []

    # Every role of the same company reads the same entries, so they share the result.
    for same_company in (viewer_client, token_client):
        again = await same_company.post(
            "/graphql", json={"query": LIST_ALL}, headers={"if-none-match": etag}
        )
        assert again.status_code == 304

    anonymous = await anonymous_client.post(
        "/graphql", json={"query": LIST_ALL}, headers={"if-none-match": etag}
    )
    assert anonymous.status_code == 401
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "etag" not in anonymous.headers


async def test_results_with_errors_and_mutations_are_never_cached(app, api, client):
    cache = read_cache_of(app)
    bad = await client.post(
        "/graphql", json={"query": LIST, "variables": {"category": "NOT_A_CATEGORY"}}
    )
    assert "errors" in bad.json()
    assert "etag" not in bad.headers
    unknown = await client.post("/graphql", json={"query": "{ atRiskEntries { colour } }"})
    assert "errors" in unknown.json()
    assert "etag" not in unknown.headers

    added = await client.post(
        "/graphql",
        json={
            "query": 'mutation { addAtRiskEntry(input: {category: CAUSE, name: "X"}) '
            "{ __typename } }"
        },
    )
    assert added.json()["data"]["addAtRiskEntry"]["__typename"] == "AtRiskEntry"
    assert "etag" not in added.headers
    assert len(cache) == 0


async def test_bad_requests_get_the_usual_answers_with_the_cache_on(client):
    not_json = await client.post(
        "/graphql", content=b"{", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    batch = await client.post("/graphql", json=[{"query": LIST_ALL}])
    assert batch.status_code == 400
    mutation_by_get = await client.get(
        "/graphql", params={"query": 'mutation { deleteAtRiskEntry(id: "x") { __typename } }'}
    )
    assert mutation_by_get.status_code == 400


# --- what a cached result depends on -------------------------------------------------------


async def test_the_pages_own_query_is_cached_with_an_etag_and_revalidated(app, api, client):
    await api.add("REASON", "Moved away")
    first = await client.post("/graphql", json={"query": PAGE})
    assert first.status_code == 200
    assert first.json()["data"]["me"]["email"] == "admin@acme.example"
    cache = read_cache_of(app)
    hits = cache.hits
    again = await client.post(
        "/graphql", json={"query": PAGE}, headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert cache.hits == hits + 1


async def test_me_is_never_served_to_another_caller(app, db, company, client):
    first = await client.post("/graphql", json={"query": PAGE})
    assert first.json()["data"]["me"]["email"] == "admin@acme.example"
    colleague = await add_user(db, company, "second-admin@acme.example", Role.ADMIN)
    async with http_client(app, cookies=await session_cookie(app, colleague)) as second:
        theirs = await second.post(
            "/graphql", json={"query": PAGE}, headers={"if-none-match": first.headers["etag"]}
        )
    assert theirs.status_code == 200
    assert theirs.json()["data"]["me"]["email"] == "second-admin@acme.example"
    assert theirs.json()["data"]["atRiskEntries"] == first.json()["data"]["atRiskEntries"]


async def test_a_write_to_another_area_keeps_the_lists_cached(app, db, company, api, client):
    await api.add("REASON", "Moved away")
    cache = read_cache_of(app)
    await client.post("/graphql", json={"query": LIST_ALL})
    await client.post("/graphql", json={"query": PAGE})
    # An accounts write: the lists' result stays valid, the page (it reads `me`) does not.
    await tokens.create_token(db, app.state.settings.signing_key, company.id, "another")
    hits = cache.hits
    await client.post("/graphql", json={"query": LIST_ALL})
    assert cache.hits == hits + 1
    await client.post("/graphql", json={"query": PAGE})
    assert cache.hits == hits + 1


# --- the area versions ---------------------------------------------------------------------


async def versions(db, company_id: str) -> tuple[int, int, int]:
    async with db.read() as session:
        row = (
            await session.execute(
                select(
                    Company.lists_version, Company.cases_version, Company.accounts_version
                ).where(Company.id == company_id)
            )
        ).one()
    return (row[0], row[1], row[2])


async def test_each_write_bumps_the_version_of_its_own_area(db, company):
    lists, cases, accounts = await versions(db, company.id)
    entry = await picklists.add_entry(db, company.id, Category.REASON, "Moved away")
    await picklists.update_entry(db, company.id, entry.id, active=False)
    assert await versions(db, company.id) == (lists + 2, cases, accounts)
    await tokens.create_token(db, b"k" * 32, company.id, "app")
    assert await versions(db, company.id) == (lists + 2, cases, accounts + 1)


async def test_the_in_thread_lookup_falls_back_to_the_driver_when_it_cannot_read(db, company):
    engine = db.inline_engine()
    if db.dialect != "sqlite":
        assert engine is None
        return
    assert engine is not None
    statement = select(Company.lists_version).where(Company.id == company.id)
    expected = (await db.lookup(statement))[0][0]

    # Its one connection, opened by another thread, refuses this one: the driver answers.
    with ThreadPoolExecutor(max_workers=1) as other_thread:
        other_thread.submit(engine.dispose).result()
        other_thread.submit(lambda: engine.connect().close()).result()
        with pytest.raises(DBAPIError), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert (await db.lookup(statement))[0][0] == expected
        other_thread.submit(engine.dispose).result()
