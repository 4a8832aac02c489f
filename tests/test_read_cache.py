"""The read cache: what it keeps, for how long, for whom, and ETag / If-None-Match."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from atrisk.domain import Category
from atrisk.graphql.read_cache import ReadCache, ReadKey, etag_for, etag_matches
from atrisk.graphql.view import GraphQLView
from atrisk.services import entries
from atrisk.services.companies import data_version
from tests.utils.graphql import LIST, UPDATE

LIST_ALL = "{ atRiskEntries { id name active version } }"


def key(company: str = "a", query: str = LIST_ALL, variables: bytes = b"null") -> ReadKey:
    return ReadKey(company, query, None, variables)


def body_at(cache: ReadCache, key: ReadKey, version: int) -> bytes | None:
    cached = cache.get(key, version)
    return None if cached is None else cached.body


def read_cache_of(app) -> ReadCache:
    views = [
        r.endpoint for r in app.routes if isinstance(getattr(r, "endpoint", None), GraphQLView)
    ]
    cache: ReadCache | None = views[0].read_cache
    assert cache is not None
    return cache


# --- the cache on its own ---------------------------------------------------------------


def test_a_result_is_served_only_at_the_version_it_was_computed_at():
    cache = ReadCache(max_bytes=10_000)
    cache.put(key(), 3, b"three")
    assert body_at(cache, key(), 3) == b"three"
    assert cache.get(key(), 4) is None
    assert cache.get(key("b"), 3) is None
    assert cache.get(key(variables=b'{"active":true}'), 3) is None


def test_a_late_older_result_does_not_replace_a_newer_one():
    cache = ReadCache(max_bytes=10_000)
    cache.put(key(), 5, b"five")
    cache.put(key(), 4, b"four")
    assert body_at(cache, key(), 5) == b"five"
    cache.put(key(), 6, b"six")
    assert body_at(cache, key(), 6) == b"six"
    assert len(cache) == 1


def test_the_cache_stays_under_its_size_cap_dropping_least_recently_used():
    cache = ReadCache(max_bytes=4_000)
    for number in range(100):
        cache.put(key(f"company-{number}"), 1, b"x" * 500)
        assert cache.size <= 4_000
    assert 0 < len(cache) < 10
    assert cache.get(key("company-0"), 1) is None
    assert cache.get(key("company-99"), 1) is not None
    # Reading an entry makes it the most recently used, so it survives the next eviction.
    survivor = f"company-{100 - len(cache)}"
    assert cache.get(key(survivor), 1) is not None
    cache.put(key("newcomer"), 1, b"x" * 500)
    assert cache.get(key(survivor), 1) is not None


def test_a_result_bigger_than_the_whole_cache_is_not_kept():
    cache = ReadCache(max_bytes=1_000)
    cached = cache.put(key(), 1, b"x" * 2_000)
    assert cached.etag == etag_for(b"x" * 2_000)
    assert len(cache) == 0
    assert cache.size == 0


@pytest.mark.parametrize(
    ("query", "operation_name", "expected"),
    [
        (LIST_ALL, None, True),
        (LIST, None, True),
        ('{ atRiskEntry(id: "x") { id } __typename }', None, True),
        ("query A { atRiskEntries { id } } query B { atRiskEntries { name } }", "B", True),
        ("query A { atRiskEntries { id } } query B { atRiskEntries { name } }", None, False),
        ("query A { atRiskEntries { id } }", "C", False),
        (UPDATE, None, False),
        ("mutation { deleteAtRiskEntry(id: 1) { __typename } }", None, False),
        ("{ me { email role } }", None, False),
        ("{ atRiskEntries { id } me { role } }", None, False),
        ("{ __schema { types { name } } }", None, False),
        ("{ ...Root } fragment Root on Query { atRiskEntries { id } }", None, False),
        ("{ ... on Query { me { role } } }", None, False),
        ("subscription { atRiskEntries { id } }", None, False),
        ("{ atRiskEntries { id }", None, False),
        ("{ atRiskEntries { " + "id " * 5_000 + "} }", None, False),
    ],
)
def test_only_queries_of_the_companys_entries_are_cacheable(query, operation_name, expected):
    assert ReadCache(max_bytes=1_000).is_cacheable(query, operation_name) is expected


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
    assert anonymous.status_code == 200
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


# --- the data version lookup ---------------------------------------------------------------


async def test_the_data_version_follows_every_write(db, company):
    before = await data_version(db, company.id)
    assert before is not None
    entry = await entries.add_entry(db, company.id, Category.REASON, "Moved away")
    await entries.update_entry(db, company.id, entry.id, active=False)
    assert await data_version(db, company.id) == before + 2
    assert await data_version(db, "0" * 32) is None


async def test_the_in_thread_lookup_falls_back_to_the_driver_when_it_cannot_read(db, company):
    engine = db.read_now_engine()
    if db.dialect != "sqlite":
        assert engine is None
        return
    assert engine is not None
    expected = await data_version(db, company.id)

    # Its one connection, opened by another thread, refuses this one: the driver answers.
    with ThreadPoolExecutor(max_workers=1) as other_thread:
        other_thread.submit(engine.dispose).result()
        other_thread.submit(lambda: engine.connect().close()).result()
        with pytest.raises(DBAPIError), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        assert await data_version(db, company.id) == expected
        other_thread.submit(engine.dispose).result()
