"""Who may do what with customers, cases, people, tokens and the company, and what another
company's ids do.

The matrix: anonymous, viewer, agent, admin, a VIEWER token and an AGENT token, against
every root field of the schema (a new field without a row here fails the test). The IDOR
test: company B's admin sends each of company A's ids in every argument and filter, and
gets exactly what a random id gets, while A's rows stay byte-identical.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text
from strawberry.types.base import get_object_definition

from atrisk.db.types import new_id
from atrisk.graphql.schema import Mutation, Query
from tests.utils.accounts import PASSWORD
from tests.utils.cases_api import (
    ADD_ATTEMPT,
    ADD_CREDIT,
    CASE,
    CLOSE,
    CREATE_CUSTOMER,
    CUSTOMER,
    CUSTOMERS,
    DELETE_ENTRY,
    FLAG,
    QUEUE,
    REOPEN,
    UPDATE_CASE,
    UPDATE_CUSTOMER,
    USERS,
    CasesApi,
)
from tests.utils.graphql import ADD, GET, LIST, UPDATE, Api, post
from tests.utils.settings_api import (
    API_TOKENS,
    CHANGE_PASSWORD,
    CREATE_TOKEN,
    CREATE_USER,
    RESET_PASSWORD,
    REVOKE_TOKEN,
    SIGN_OUT_EVERYWHERE,
    UPDATE_COMPANY,
    UPDATE_USER,
    SettingsApi,
)

ME = "{ me { email role company { id name currency timezone } } }"
AUDIT_EVENTS = "{ auditEvents { nodes { id action entityType } pageInfo { hasNextPage } } }"
MOVE = (
    "mutation($input: MoveAtRiskEntryInput!) { moveAtRiskEntry(input: $input) "
    "{ __typename ... on AtRiskEntry { id position } } }"
)
SORT = "mutation($category: AtRiskCategory!) { sortAtRiskEntries(category: $category) { id } }"
REPORT = """query($from: Date!, $to: Date!, $groupBy: ReportGrouping!) {
  retentionReport(from: $from, to: $to, groupBy: $groupBy) {
    totals { opened rmrAtRisk } rows { key label saved } openNow { cases }
  }
}"""

TABLES = ("customers", "at_risk_cases", "contact_attempts", "credits", "at_risk_entries", "users")


# What else a company owns, without the bookkeeping that reading changes (a token's last
# use, the area versions).
OWNED = {
    "api_tokens": "SELECT id, name, role, token_hash, created_by, revoked_at FROM api_tokens "
    "WHERE company_id = :id ORDER BY id",
    "companies": "SELECT id, name, currency, timezone FROM companies WHERE id = :id",
    "sessions": "SELECT s.id_hash, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id "
    "WHERE u.company_id = :id ORDER BY s.id_hash",
}


async def snapshot(db, company_id: str) -> list[tuple[Any, ...]]:
    """Every row of the company's customers, cases, attempts, credits, entries and people,
    its tokens, settings and sessions."""
    rows: list[tuple[Any, ...]] = []
    async with db.read() as session:
        for table in TABLES:
            result = await session.execute(
                text(f"SELECT * FROM {table} WHERE company_id = :id ORDER BY id"),
                {"id": company_id},
            )
            rows += [(table, *row) for row in result]
        for table, query in OWNED.items():
            result = await session.execute(text(query), {"id": company_id})
            rows += [(table, *row) for row in result]
    return rows


async def world(api: Api, client) -> dict[str, str]:
    """Entries, a customer with an open case, a customer with a closed case, one without."""
    cases_api = CasesApi(client)
    ids = {
        "reason": (await api.add("REASON", "Price increase"))["id"],
        "reason2": (await api.add("REASON", "Moving away"))["id"],
        "cause": (await api.add("CAUSE", "Competitor offer"))["id"],
        "resolution": (await api.add("RESOLUTION", "Rate adjusted"))["id"],
        "credit": (await api.add("CREDIT_REASON", "Month waived"))["id"],
        "spare": (await api.add("CAUSE", "Spare cause"))["id"],
    }
    ids["customer"] = (await cases_api.create_customer(name="Open Case Ltd"))["id"]
    ids["case"] = (await cases_api.flag(ids["customer"], ids["reason"]))["id"]
    ids["closed_customer"] = (await cases_api.create_customer(name="Closed Case Ltd"))["id"]
    closed = await cases_api.flag(ids["closed_customer"], ids["reason"])
    ids["closed_case"] = (await cases_api.close(closed["id"], "CANCELLED"))["id"]
    ids["fresh_customer"] = (await cases_api.create_customer(name="No Case Ltd"))["id"]
    settings_api = SettingsApi(client)
    spare = await settings_api.create_user(f"spare-{new_id()}@example.com", "VIEWER")
    ids["person"] = spare["user"]["id"]
    ids["token"] = (await settings_api.create_token("Spare token"))["apiToken"]["id"]
    return ids


def operations(ids: dict[str, str], user_id: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every root field, with arguments that succeed for whoever may call it, in an order
    in which they all can."""
    return {
        "atRiskEntries": (LIST, {}),
        "atRiskEntry": (GET, {"id": ids["reason"]}),
        "me": (ME, {}),
        "customers": (CUSTOMERS, {}),
        "customer": (CUSTOMER, {"id": ids["customer"]}),
        "atRiskCases": (QUEUE, {"filter": {"open": True}}),
        "atRiskCase": (CASE, {"id": ids["case"]}),
        "users": (USERS, {}),
        "auditEvents": (AUDIT_EVENTS, {}),
        "retentionReport": (
            REPORT,
            {"from": "2026-01-01", "to": "2026-12-31", "groupBy": "REASON"},
        ),
        "addAtRiskEntry": (ADD, {"input": {"category": "CAUSE", "name": "Added"}}),
        "updateAtRiskEntry": (UPDATE, {"input": {"id": ids["cause"], "name": "Renamed"}}),
        "deleteAtRiskEntry": (DELETE_ENTRY, {"id": ids["spare"]}),
        "moveAtRiskEntry": (MOVE, {"input": {"id": ids["cause"], "beforeId": None}}),
        "sortAtRiskEntries": (SORT, {"category": "REASON"}),
        "createCustomer": (CREATE_CUSTOMER, {"input": {"name": "New Ltd", "rmr": "10.00"}}),
        "updateCustomer": (
            UPDATE_CUSTOMER,
            {"input": {"id": ids["customer"], "phone": "555 0100"}},
        ),
        "flagCustomerAtRisk": (
            FLAG,
            {
                "input": {
                    "customerId": ids["fresh_customer"],
                    "reasonId": ids["reason"],
                    "riskLevel": "LOW",
                }
            },
        ),
        "updateAtRiskCase": (UPDATE_CASE, {"input": {"id": ids["case"], "riskLevel": "HIGH"}}),
        "addContactAttempt": (
            ADD_ATTEMPT,
            {"input": {"caseId": ids["case"], "channel": "EMAIL", "note": "Sent an offer"}},
        ),
        "addCredit": (
            ADD_CREDIT,
            {"input": {"caseId": ids["case"], "amount": "5.00", "creditReasonId": ids["credit"]}},
        ),
        "closeAtRiskCase": (
            CLOSE,
            {
                "input": {
                    "id": ids["case"],
                    "status": "RESOLVED",
                    "resolutionId": ids["resolution"],
                    "savedById": user_id,
                }
            },
        ),
        "reopenAtRiskCase": (REOPEN, {"input": {"id": ids["closed_case"]}}),
        "apiTokens": (API_TOKENS, {}),
        "createUser": (
            CREATE_USER,
            {"input": {"email": f"new-{new_id()}@example.com", "role": "AGENT"}},
        ),
        "updateUser": (UPDATE_USER, {"input": {"id": ids["person"], "name": "Renamed"}}),
        "resetUserPassword": (RESET_PASSWORD, {"id": ids["person"]}),
        "createApiToken": (CREATE_TOKEN, {"input": {"name": "Matrix token"}}),
        "revokeApiToken": (REVOKE_TOKEN, {"id": ids["token"]}),
        "updateCompany": (UPDATE_COMPANY, {"input": {"timezone": "Europe/Paris"}}),
        "changePassword": (
            CHANGE_PASSWORD,
            {"input": {"currentPassword": PASSWORD, "newPassword": "matrix password 2"}},
        ),
        # Last: it ends the caller's own session.
        "signOutEverywhere": (SIGN_OUT_EVERYWHERE, {}),
    }


READS = {
    "atRiskEntries",
    "atRiskEntry",
    "me",
    "customers",
    "customer",
    "atRiskCases",
    "atRiskCase",
    "users",
    "retentionReport",
}
LISTS = {
    "addAtRiskEntry",
    "updateAtRiskEntry",
    "deleteAtRiskEntry",
    "moveAtRiskEntry",
    "sortAtRiskEntries",
}
CASES = {
    "createCustomer",
    "updateCustomer",
    "flagCustomerAtRisk",
    "updateAtRiskCase",
    "addContactAttempt",
    "addCredit",
    "closeAtRiskCase",
    "reopenAtRiskCase",
}
ADMIN_READS = {"auditEvents", "apiTokens"}
ACCOUNTS = {
    "createUser",
    "updateUser",
    "resetUserPassword",
    "createApiToken",
    "revokeApiToken",
    "updateCompany",
}
# A person's own password and sessions: any signed-in person, never a token.
SELF = {"changePassword", "signOutEverywhere"}
ALL = READS | ADMIN_READS | LISTS | CASES | ACCOUNTS | SELF


def may(role: str, operation: str) -> str | None:
    """None when `role` may call `operation`, else the error code it gets."""
    if role == "anonymous":
        return "UNAUTHENTICATED"
    if operation in SELF:
        return "FORBIDDEN" if role.endswith("token") else None
    if operation in READS or role == "admin":
        return None
    if operation in ADMIN_READS:
        return "FORBIDDEN"
    if operation in CASES and role in {"agent", "agent token"}:
        return None
    return "FORBIDDEN"


ROLES = ["anonymous", "viewer", "viewer token", "agent", "agent token", "admin"]


def test_the_matrix_names_every_root_field():
    fields = {
        field.graphql_name or field.python_name
        for root in (Query, Mutation)
        for field in get_object_definition(root, strict=True).fields
    }
    camel = {name if name[0].islower() and "_" not in name else _camel(name) for name in fields}
    assert camel == ALL, camel ^ ALL


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@pytest.mark.parametrize("role", ROLES)
async def test_every_role_gets_exactly_its_rights(
    role,
    api,
    client,
    db,
    company,
    admin,
    anonymous_client,
    viewer_client,
    token_client,
    agent_client,
    agent_token_client,
):
    callers = {
        "anonymous": anonymous_client,
        "viewer": viewer_client,
        "viewer token": token_client,
        "agent": agent_client,
        "agent token": agent_token_client,
        "admin": client,
    }
    ids = await world(api, client)
    caller = callers[role]
    for name, (query, variables) in operations(ids, admin.id).items():
        before = await snapshot(db, company.id)
        body = await post(caller, query, variables)
        expected = may(role, name)
        if expected is None:
            assert "errors" not in body, (role, name, body)
            result = body["data"][name]
            assert result is not None, (role, name)
            if isinstance(result, dict) and "__typename" in result:
                assert not result["__typename"].endswith("Error"), (role, name, result)
            if name not in READS | ADMIN_READS:
                assert await snapshot(db, company.id) != before, f"{role}: {name} changed nothing"
            continue
        assert body["data"] in (None, {name: None}), (role, name, body)
        assert [e["extensions"]["code"] for e in body["errors"]] == [expected], (role, name)
        assert await snapshot(db, company.id) == before, f"{role} changed data via {name}"


# -- another company's ids -----------------------------------------------------------------


def _masked(body: Any, *ids: str) -> Any:
    text_body = json.dumps(body)
    for value in ids:
        text_body = text_body.replace(value, "<id>")
    return json.loads(text_body)


async def test_another_companys_ids_behave_like_random_ids(
    api, client, other_api, other_client, db, company, admin, agent
):
    a = await world(api, client)
    a["user"] = agent.id
    b = await world(other_api, other_client)
    before = await snapshot(db, company.id)

    def attempts(theirs: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
        """(what, document, variables) with A's ids (or random ones) where B's would go."""
        return [
            ("customer", CUSTOMER, {"id": theirs["customer"]}),
            ("case", CASE, {"id": theirs["case"]}),
            ("updateCustomer", UPDATE_CUSTOMER, {"input": {"id": theirs["customer"], "name": "X"}}),
            (
                "flag customer",
                FLAG,
                {
                    "input": {
                        "customerId": theirs["fresh_customer"],
                        "reasonId": b["reason"],
                        "riskLevel": "LOW",
                    }
                },
            ),
            (
                "flag reason",
                FLAG,
                {
                    "input": {
                        "customerId": b["fresh_customer"],
                        "reasonId": theirs["reason"],
                        "riskLevel": "LOW",
                    }
                },
            ),
            (
                "flag cause",
                FLAG,
                {
                    "input": {
                        "customerId": b["fresh_customer"],
                        "reasonId": b["reason"],
                        "causeId": theirs["cause"],
                        "riskLevel": "LOW",
                    }
                },
            ),
            (
                "flag assignee",
                FLAG,
                {
                    "input": {
                        "customerId": b["fresh_customer"],
                        "reasonId": b["reason"],
                        "assignedToId": theirs["user"],
                        "riskLevel": "LOW",
                    }
                },
            ),
            ("update case", UPDATE_CASE, {"input": {"id": theirs["case"], "notes": "X"}}),
            (
                "update reason",
                UPDATE_CASE,
                {"input": {"id": b["case"], "reasonId": theirs["reason"]}},
            ),
            ("update cause", UPDATE_CASE, {"input": {"id": b["case"], "causeId": theirs["cause"]}}),
            (
                "update assignee",
                UPDATE_CASE,
                {"input": {"id": b["case"], "assignedToId": theirs["user"]}},
            ),
            (
                "attempt",
                ADD_ATTEMPT,
                {"input": {"caseId": theirs["case"], "channel": "SMS", "note": "X"}},
            ),
            (
                "credit case",
                ADD_CREDIT,
                {
                    "input": {
                        "caseId": theirs["case"],
                        "amount": "1.00",
                        "creditReasonId": b["credit"],
                    }
                },
            ),
            (
                "credit reason",
                ADD_CREDIT,
                {
                    "input": {
                        "caseId": b["case"],
                        "amount": "1.00",
                        "creditReasonId": theirs["credit"],
                    }
                },
            ),
            ("close case", CLOSE, {"input": {"id": theirs["case"], "status": "CANCELLED"}}),
            (
                "close resolution",
                CLOSE,
                {
                    "input": {
                        "id": b["case"],
                        "status": "RESOLVED",
                        "resolutionId": theirs["resolution"],
                    }
                },
            ),
            (
                "close saver",
                CLOSE,
                {
                    "input": {
                        "id": b["case"],
                        "status": "RESOLVED",
                        "resolutionId": b["resolution"],
                        "savedById": theirs["user"],
                    }
                },
            ),
            ("reopen", REOPEN, {"input": {"id": theirs["closed_case"]}}),
            ("delete", DELETE_ENTRY, {"id": theirs["spare"]}),
            ("replace with", DELETE_ENTRY, {"id": b["reason"], "replaceWith": theirs["reason2"]}),
            ("queue customer", QUEUE, {"filter": {"customer": theirs["customer"]}}),
            ("queue assignee", QUEUE, {"filter": {"assignedTo": theirs["user"]}}),
            ("queue reason", QUEUE, {"filter": {"reason": theirs["reason"]}}),
            ("queue cause", QUEUE, {"filter": {"cause": theirs["cause"]}}),
            ("update person", UPDATE_USER, {"input": {"id": theirs["user"], "role": "ADMIN"}}),
            ("rename person", UPDATE_USER, {"input": {"id": theirs["person"], "name": "X"}}),
            (
                "deactivate person",
                UPDATE_USER,
                {"input": {"id": theirs["person"], "active": False}},
            ),
            ("reset password", RESET_PASSWORD, {"id": theirs["person"]}),
            ("reset agent's password", RESET_PASSWORD, {"id": theirs["user"]}),
            ("revoke token", REVOKE_TOKEN, {"id": theirs["token"]}),
        ]

    random = {key: new_id() for key in a}
    for (what, query, with_a), (_, _, with_random) in zip(
        attempts(a), attempts(random), strict=True
    ):
        answer_a = await post(other_client, query, with_a)
        answer_random = await post(other_client, query, with_random)
        assert _masked(answer_a, *a.values()) == _masked(answer_random, *random.values()), what
        assert await snapshot(db, company.id) == before, f"{what} changed company A"
