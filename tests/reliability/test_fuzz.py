"""Schemathesis against /graphql of a real server: every query and mutation.

Valid (positive) and invalid (negative) documents are generated from the schema
the server publishes, with a fixed seed and bounded example counts. Whatever
comes in, the server answers 200 with no 5xx, and its only GraphQL errors are
refusals of the request itself (no `path`) or the auth codes; expected
failures are union members, which are data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

import requests
import schemathesis
from hypothesis import given, seed, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode
from schemathesis.graphql import nodes
from schemathesis.schemas import APIOperation

from tests.utils.graphql import LIST
from tests.utils.live import LiveServer
from tests.utils.properties import CATEGORIES, raw_names
from tests.utils.summary import FUZZ, count

SEED = 20261125
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 20}
# Codes of refusals that carry a path: no credentials, no right, a query argument out of range.
REFUSAL_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT"}
POOL = 8
ANONYMOUS_EXAMPLES = 25

Operation = APIOperation[Any, Any, Any, Any]

# Ids are mostly ones that exist (so updates and deletes reach the rules), some
# not; names come from the same tricky strategies as the property tests.
known_ids: list[str] = []
schemathesis.graphql.scalar(
    "ID",
    st.one_of(
        st.integers(min_value=0, max_value=10_000).map(
            lambda i: known_ids[i % len(known_ids)] if known_ids else "none"
        ),
        st.text(max_size=40),
    ).map(nodes.String),
)
schemathesis.graphql.scalar("String", raw_names.map(nodes.String))
# Amounts as the API takes them, and strings that are not amounts.
schemathesis.graphql.scalar(
    "Money",
    st.one_of(
        st.decimals(min_value=-10, max_value=100_000, places=2, allow_nan=False).map(str),
        st.sampled_from(["1e3", "12.345", "", "-0", "NaN", "1,000.00"]),
    ).map(nodes.String),
)
schemathesis.graphql.scalar(
    "DateTime",
    st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda moment: moment.isoformat()),
        st.sampled_from(["2026-12-01T09:30:00", "yesterday", "2026-13-01T00:00:00Z"]),
    ).map(nodes.String),
)


def refill_pool(live: LiveServer) -> None:
    """Keep POOL entries around for the generated updates and deletes to hit."""
    query = """mutation($input: AddAtRiskEntryInput!) {
      addAtRiskEntry(input: $input) { ... on AtRiskEntry { id } }
    }"""
    with live.sync_client() as http:
        listed = http.post("/graphql", json={"query": "{ atRiskEntries { id } }"}).json()
        assert listed.get("data") is not None, listed
        known_ids[:] = [row["id"] for row in listed["data"]["atRiskEntries"]]
        while len(known_ids) < POOL:
            variables = {
                "input": {
                    "category": CATEGORIES[len(known_ids) % 4],
                    "name": f"Pool {len(known_ids)} {SEED}",
                }
            }
            result = http.post("/graphql", json={"query": query, "variables": variables}).json()
            added = result["data"]["addAtRiskEntry"]
            if "id" not in added:  # the name exists already; the pool listing will pick it up
                break
            known_ids.append(added["id"])


def check_answer(case: Any, response: requests.Response) -> None:
    count(FUZZ)
    sent = case.body if isinstance(case.body, str) else case.body.get("query", case.body)
    context = f"\n--- request\n{sent}\n--- response {response.status_code}\n{response.text[:2000]}"
    assert response.status_code < 500, context
    body = response.json()
    assert isinstance(body, dict), context
    codes = {(error.get("extensions") or {}).get("code") for error in body.get("errors") or []}
    # Without valid credentials the answer is 401 (with a Bearer challenge), else 200.
    assert response.status_code == (401 if "UNAUTHENTICATED" in codes else 200), context
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code in REFUSAL_CODES:
            continue
        assert "path" not in error, f"an error during execution{context}"
        assert not error["message"].startswith("Unexpected error"), context
        assert "Did you mean" not in error["message"], context


ENDS_THE_FUZZ_SESSION = frozenset({"Mutation.signOutEverywhere"})


def operations_of(live: LiveServer) -> list[Operation]:
    schema = schemathesis.graphql.from_url(
        f"{live.base_url}/graphql", headers=live.headers, cookies=live.cookies, timeout=30
    )
    results = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in results), results
    # Ending every session of the caller ends the one the fuzz runs with: its own tests
    # (tests/graphql/test_settings_api.py) cover it.
    operations = [
        result.ok()
        for result in results
        if isinstance(result, Ok) and result.ok().label not in ENDS_THE_FUZZ_SESSION
    ]
    assert {operation.label for operation in operations} >= {
        "Query.atRiskEntries",
        "Query.atRiskEntry",
        "Query.customers",
        "Query.atRiskCases",
        "Mutation.addAtRiskEntry",
        "Mutation.updateAtRiskEntry",
        "Mutation.deleteAtRiskEntry",
        "Mutation.moveAtRiskEntry",
        "Mutation.sortAtRiskEntries",
        "Mutation.createCustomer",
        "Mutation.flagCustomerAtRisk",
        "Mutation.closeAtRiskCase",
    }
    return operations


def fuzz(
    live: LiveServer,
    operation: Operation,
    mode: GenerationMode,
    examples: int,
    session: requests.Session,
    check: Callable[[Any, requests.Response], None],
) -> None:
    @seed(SEED)
    @settings(max_examples=examples, derandomize=False)
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        response = case.call(base_url=f"{live.base_url}/graphql", session=session)
        check(case, response)

    run()


def test_every_operation_survives_generated_requests(live: LiveServer) -> None:
    session = requests.Session()
    session.headers.update(live.headers)
    session.cookies.update(live.cookies)
    for operation in operations_of(live):
        for mode, examples in EXAMPLES.items():
            refill_pool(live)
            fuzz(live, operation, mode, examples, session, check_answer)


def check_anonymous_answer(case: Any, response: requests.Response) -> None:
    check_answer(case, response)
    body = response.json()
    for error in body.get("errors") or []:
        if "path" in error:
            assert error["extensions"]["code"] == "UNAUTHENTICATED", error
    assert not any((body.get("data") or {}).values()), body


def test_anonymous_requests_get_nothing_and_change_nothing(live: LiveServer) -> None:
    refill_pool(live)
    with live.sync_client() as http:
        before = http.post("/graphql", json={"query": LIST}).json()
    for operation in operations_of(live):
        fuzz(
            live,
            operation,
            GenerationMode.POSITIVE,
            ANONYMOUS_EXAMPLES,
            requests.Session(),
            check_anonymous_answer,
        )
    with live.sync_client() as http:
        assert http.post("/graphql", json={"query": LIST}).json() == before
