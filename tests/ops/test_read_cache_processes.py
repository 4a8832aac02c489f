"""Two real server processes over one database: a write through either one is seen at
once by the other's read cache (the company's data version is the only shared state)."""

from __future__ import annotations

from typing import Any

import httpx

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import provision, session_id
from tests.utils.graphql import ADD, UPDATE
from tests.utils.server import Server, running_server, server_env

READ = "{ atRiskEntries { id name active version } }"


def post(
    server: Server,
    session: str,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    if_none_match: str | None = None,
) -> httpx.Response:
    """As the company's admin; a session made on either process works on both."""
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Origin": server.base_url, "If-None-Match": if_none_match or ""},
        cookies={SESSION_COOKIE: session},
        timeout=10,
    )
    assert response.status_code in (200, 304), response.text
    return response


def test_a_write_through_one_process_invalidates_the_others_cache(database_url, tmp_path):
    env = server_env(database_url)
    with running_server(env, tmp_path) as one, running_server(env, tmp_path) as two:
        provision(env)
        admin = session_id(one)
        added = post(one, admin, ADD, {"input": {"category": "REASON", "name": "Moved away"}})
        entry_id = added.json()["data"]["addAtRiskEntry"]["id"]

        first = post(one, admin, READ)
        etag = first.headers["etag"]
        assert post(one, admin, READ, if_none_match=etag).status_code == 304
        # The other process computes the same bytes, so the same validator works there too.
        other = post(two, admin, READ)
        assert other.content == first.content
        assert post(two, admin, READ, if_none_match=etag).status_code == 304

        post(two, admin, UPDATE, {"input": {"id": entry_id, "active": False}})

        after = post(one, admin, READ, if_none_match=etag)
        assert after.status_code == 200
        assert after.headers["etag"] != etag
        assert after.json()["data"]["atRiskEntries"] == [
            {"id": entry_id, "name": "Moved away", "active": False, "version": 2}
        ]

        # And the other way round, with a rename through the first process.
        cached_in_two = post(two, admin, READ).headers["etag"]
        post(one, admin, UPDATE, {"input": {"id": entry_id, "name": "Moved out of area"}})
        renamed = post(two, admin, READ, if_none_match=cached_in_two)
        assert renamed.status_code == 200
        assert renamed.json()["data"]["atRiskEntries"][0]["name"] == "Moved out of area"
