"""Customers and cases over GraphQL: every operation, every error member, money as strings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.utils.cases_api import CUSTOMER, USERS, CasesApi
from tests.utils.graphql import Api, gql, post
from tests.utils.reports import set_timezone


@pytest.fixture
def cases_api(client) -> CasesApi:
    return CasesApi(client)


@pytest.fixture
async def lists(api: Api) -> dict[str, str]:
    return {
        "reason": (await api.add("REASON", "Price increase"))["id"],
        "reason2": (await api.add("REASON", "Moving away"))["id"],
        "cause": (await api.add("CAUSE", "Competitor offer"))["id"],
        "resolution": (await api.add("RESOLUTION", "Rate adjusted"))["id"],
        "credit": (await api.add("CREDIT_REASON", "Month waived"))["id"],
    }


async def test_a_case_from_flag_to_saved(cases_api, lists, agent):
    customer = await cases_api.create_customer(name="Jane Doe", rmr="49.90", accountNumber="A-1")
    assert customer["__typename"] == "Customer"
    assert (customer["rmr"], customer["status"], customer["version"]) == ("49.90", "ACTIVE", 1)
    case = await cases_api.flag(
        customer["id"],
        lists["reason"],
        "HIGH",
        causeId=lists["cause"],
        followUpAt="2030-01-02T09:00:00Z",
        notes="Unhappy with the new price",
        assignedToId=agent.id,
    )
    assert case["__typename"] == "AtRiskCase", case
    assert (case["status"], case["riskLevel"], case["rmrAtRisk"], case["daysOpen"]) == (
        "OPEN",
        "HIGH",
        "49.90",
        0,
    )
    assert case["reason"]["name"] == "Price increase"
    assert case["cause"]["name"] == "Competitor offer"
    assert case["assignedTo"]["email"] == "agent@acme.example"
    assert case["reportedBy"]["email"] == "admin@acme.example"
    assert case["customer"]["name"] == "Jane Doe"

    worked = await cases_api.attempt(case["id"], "PHONE", "Offered a better rate")
    assert worked["attempts"][0] == {
        "channel": "PHONE",
        "note": "Offered a better rate",
        "by": {"email": "admin@acme.example"},
    }
    credited = await cases_api.credit(case["id"], lists["credit"], "15.00")
    assert credited["credits"] == [
        {"amount": "15.00", "note": None, "creditReason": {"name": "Month waived"}}
    ]
    mitigated = await cases_api.update_case(case["id"], status="MITIGATED", expectedVersion=3)
    assert (mitigated["status"], mitigated["version"]) == ("MITIGATED", 4)
    saved = await cases_api.close(
        case["id"],
        "RESOLVED",
        resolutionId=lists["resolution"],
        rmrRetained="39.90",
        expectedVersion=4,
    )
    assert (saved["status"], saved["rmrRetained"], saved["savedBy"]["email"]) == (
        "RESOLVED",
        "39.90",
        "admin@acme.example",
    )
    assert saved["closedAt"] is not None
    assert saved["resolution"]["name"] == "Rate adjusted"


async def test_a_case_from_flag_to_lost_and_back(cases_api, lists, client):
    customer = await cases_api.create_customer(name="John Smith", rmr="30.00")
    case = await cases_api.flag(customer["id"], lists["reason"])
    lost = await cases_api.close(case["id"], "LOST", resolutionId=lists["resolution"])
    assert (lost["status"], lost["rmrRetained"], lost["customer"]["status"]) == (
        "LOST",
        "0.00",
        "CANCELLED",
    )
    reopened = await cases_api.reopen(case["id"], expectedVersion=lost["version"])
    assert (reopened["status"], reopened["rmrRetained"], reopened["customer"]["status"]) == (
        "OPEN",
        None,
        "ACTIVE",
    )
    data = await gql(client, CUSTOMER, {"id": customer["id"]})
    assert data["customer"]["openCase"] == {"id": case["id"]}


async def test_every_error_member(cases_api, lists):
    customer = await cases_api.create_customer(name="Jane Doe", accountNumber="A-1")
    duplicate = await cases_api.create_customer(name="Other", accountNumber="a-1")
    assert (duplicate["__typename"], duplicate["field"]) == ("ValidationError", "accountNumber")
    stale = await cases_api.update_customer(customer["id"], name="Jane", expectedVersion=7)
    assert stale["__typename"] == "CustomerConflictError"
    assert stale["current"]["name"] == "Jane Doe"
    missing = await cases_api.update_customer("0" * 32, name="X")
    assert (missing["__typename"], missing["id"]) == ("NotFoundError", "0" * 32)

    case = await cases_api.flag(customer["id"], lists["reason"])
    again = await cases_api.flag(customer["id"], lists["reason2"])
    assert again["__typename"] == "OpenCaseExistsError"
    assert again["openCase"] == {"id": case["id"], "status": "OPEN"}
    conflict = await cases_api.update_case(case["id"], notes="x", expectedVersion=9)
    assert conflict["__typename"] == "CaseConflictError"
    assert conflict["current"] == {"id": case["id"], "version": 1, "status": "OPEN"}
    wrong_status = await cases_api.update_case(case["id"], status="LOST")
    assert (wrong_status["__typename"], wrong_status["field"]) == ("ValidationError", "status")
    no_resolution = await cases_api.close(case["id"], "RESOLVED")
    assert (no_resolution["__typename"], no_resolution["field"]) == (
        "ValidationError",
        "resolutionId",
    )
    nothing = await cases_api.attempt("f" * 32)
    assert nothing["__typename"] == "NotFoundError"

    in_use = await cases_api.delete_entry(lists["reason"])
    assert (in_use["__typename"], in_use["usageCount"]) == ("EntryInUseError", 1)
    bad_replacement = await cases_api.delete_entry(lists["reason"], replace_with=lists["cause"])
    assert (bad_replacement["__typename"], bad_replacement["id"]) == (
        "NotFoundError",
        lists["cause"],
    )
    replaced = await cases_api.delete_entry(lists["reason"], replace_with=lists["reason2"])
    assert replaced["__typename"] == "DeletedAtRiskEntry"
    moved = await cases_api.case(case["id"])
    assert moved is not None
    assert moved["reason"]["name"] == "Moving away"


@pytest.mark.parametrize(
    ("rmr", "message"),
    [
        ("1e3", "is not an amount"),
        ("12.345", "is not an amount"),
        ("1,000", "is not an amount"),
    ],
)
async def test_money_that_is_not_an_amount_is_a_request_error(client, rmr, message):
    body = await post(
        client,
        "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { __typename } }",
        {"i": {"name": "X", "rmr": rmr}},
    )
    assert body["data"] is None
    assert message in body["errors"][0]["message"]


async def test_money_is_never_a_number_and_negative_is_refused(client, cases_api):
    as_number = await post(
        client,
        "mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { __typename } }",
        {"i": {"name": "X", "rmr": 49.9}},
    )
    assert "never a number" in as_number["errors"][0]["message"]
    negative = await cases_api.create_customer(name="X", rmr="-5")
    assert (negative["__typename"], negative["field"], negative["message"]) == (
        "ValidationError",
        "rmr",
        "RMR must not be negative.",
    )


async def test_customer_search_and_pages(cases_api):
    for number in range(5):
        await cases_api.create_customer(name=f"Customer {number}", accountNumber=f"N-{number}")
    first = await cases_api.customers(first=2)
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"]) == (5, True)
    second = await cases_api.customers(first=2, after=first["pageInfo"]["endCursor"])
    assert [c["name"] for c in second["nodes"]] == ["Customer 2", "Customer 3"]
    found = await cases_api.customers(search="n-4")
    assert [c["name"] for c in found["nodes"]] == ["Customer 4"]


async def test_bad_page_arguments_are_clear_request_errors(client):
    body = await post(client, "{ atRiskCases(first: 0) { totalCount } }")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    body = await post(client, '{ customers(after: "bogus") { totalCount } }')
    assert body["errors"][0]["extensions"]["field"] == "after"
    assert "cursor" in body["errors"][0]["message"]


async def test_the_queue_filters_by_id_and_hides_nothing_of_its_own(cases_api, lists, agent):
    one = await cases_api.create_customer(name="One")
    two = await cases_api.create_customer(name="Two")
    first = await cases_api.flag(one["id"], lists["reason"], assignedToId=agent.id)
    await cases_api.flag(two["id"], lists["reason2"])
    by_agent = await cases_api.queue(filter={"assignedTo": agent.id})
    assert [c["id"] for c in by_agent["nodes"]] == [first["id"]]
    by_reason = await cases_api.queue(filter={"reason": lists["reason2"]})
    assert [c["customer"]["name"] for c in by_reason["nodes"]] == ["Two"]
    unassigned = await cases_api.queue(filter={"unassigned": True, "open": True})
    assert unassigned["totalCount"] == 1


async def test_users_lists_the_companys_people(client, agent, viewer):
    data = await gql(client, USERS)
    assert [(u["email"], u["role"], u["active"]) for u in data["users"]] == [
        ("admin@acme.example", "ADMIN", True),
        ("agent@acme.example", "AGENT", True),
        ("viewer@acme.example", "VIEWER", True),
    ]


async def test_usage_counts_on_entries(api, cases_api, lists):
    customer = await cases_api.create_customer(name="Jane")
    case = await cases_api.flag(customer["id"], lists["reason"], causeId=lists["cause"])
    await cases_api.credit(case["id"], lists["credit"])
    await cases_api.credit(case["id"], lists["credit"])
    data = await gql(api.client, "{ atRiskEntries { name usageCount } }")
    counts: dict[str, Any] = {e["name"]: e["usageCount"] for e in data["atRiskEntries"]}
    assert counts == {
        "Price increase": 1,
        "Moving away": 0,
        "Competitor offer": 1,
        "Rate adjusted": 0,
        "Month waived": 2,
    }


async def test_the_queue_filters_by_resolution_credit_reason_and_period(
    db, company, cases_api, lists, other_client
):
    today = datetime.now(UTC).replace(hour=0, minute=30, second=0, microsecond=0)
    reported = today - timedelta(days=3)  # 00:30 UTC: the day before in Los Angeles
    saved = await cases_api.flag(
        (await cases_api.create_customer(name="Saved"))["id"],
        lists["reason"],
        reportedAt=reported.isoformat(),
    )
    credited = await cases_api.flag(
        (await cases_api.create_customer(name="Credited"))["id"], lists["reason"]
    )
    await cases_api.close(saved["id"], "RESOLVED", resolutionId=lists["resolution"])
    await cases_api.credit(credited["id"], lists["credit"])

    async def names(**where: Any) -> list[str]:
        queue = await cases_api.queue(filter=where)
        return sorted(node["customer"]["name"] for node in queue["nodes"])

    assert await names(resolution=lists["resolution"]) == ["Saved"]
    assert await names(creditReason=lists["credit"]) == ["Credited"]
    day = reported.date().isoformat()
    assert await names(**{"from": day, "to": day}) == ["Saved"]
    # Closed today counts too.
    assert await names(**{"from": today.date().isoformat()}) == ["Credited", "Saved"]
    await set_timezone(db, company.id, "America/Los_Angeles")
    assert await names(**{"from": day, "to": day}) == []
    before = (reported - timedelta(days=1)).date().isoformat()
    assert await names(**{"from": before, "to": before}) == ["Saved"]
    body = await post(
        cases_api.client,
        "query($f: AtRiskCaseFilter) { atRiskCases(filter: $f) { totalCount } }",
        {"f": {"from": day, "to": before}},
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "to"}
    # Another company's ids match nothing, here as in every filter.
    other = CasesApi(other_client)
    assert (await other.queue(filter={"resolution": lists["resolution"]}))["totalCount"] == 0
    assert (await other.queue(filter={"creditReason": lists["credit"]}))["totalCount"] == 0
