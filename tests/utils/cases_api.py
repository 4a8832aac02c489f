"""The customers-and-cases operations as GraphQL documents, and one-liners over a client."""

from __future__ import annotations

from typing import Any, cast

import httpx

from tests.utils.graphql import gql

CUSTOMER_FIELDS = "id accountNumber name email phone rmr status version"
CASE_FIELDS = (
    "id status riskLevel reportedAt followUpAt rmrAtRisk rmrRetained notes closedAt daysOpen "
    "version customer { id name status version } reason { id name } cause { id name } "
    "resolution { id name } reportedBy { email } assignedTo { id email } savedBy { email } "
    "attempts { channel note by { email } } credits { amount note creditReason { name } }"
)
ERRORS = """
  ... on ValidationError { message field }
  ... on NotFoundError { message id }"""

CUSTOMER_RESULT = f"""
  __typename
  ... on Customer {{ {CUSTOMER_FIELDS} }}
  {ERRORS}
  ... on CustomerConflictError {{ message current {{ {CUSTOMER_FIELDS} }} }}"""

CASE_RESULT = f"""
  __typename
  ... on AtRiskCase {{ {CASE_FIELDS} }}
  {ERRORS}
  ... on CaseConflictError {{ message current {{ id version status }} }}
  ... on OpenCaseExistsError {{ message openCase {{ id status }} }}"""


def _mutation(name: str, input_type: str, result: str) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {result} }} }}"


CREATE_CUSTOMER = _mutation("createCustomer", "CreateCustomerInput", CUSTOMER_RESULT)
UPDATE_CUSTOMER = _mutation("updateCustomer", "UpdateCustomerInput", CUSTOMER_RESULT)
FLAG = _mutation("flagCustomerAtRisk", "FlagCustomerAtRiskInput", CASE_RESULT)
UPDATE_CASE = _mutation("updateAtRiskCase", "UpdateAtRiskCaseInput", CASE_RESULT)
ADD_ATTEMPT = _mutation("addContactAttempt", "AddContactAttemptInput", CASE_RESULT)
ADD_CREDIT = _mutation("addCredit", "AddCreditInput", CASE_RESULT)
CLOSE = _mutation("closeAtRiskCase", "CloseAtRiskCaseInput", CASE_RESULT)
REOPEN = _mutation("reopenAtRiskCase", "ReopenAtRiskCaseInput", CASE_RESULT)
DELETE_ENTRY = """
mutation($id: ID!, $replaceWith: ID) {
  deleteAtRiskEntry(id: $id, replaceWith: $replaceWith) {
    __typename
    ... on DeletedAtRiskEntry { id }
    ... on NotFoundError { message id }
    ... on EntryInUseError { message usageCount }
  }
}"""

CUSTOMERS = f"""
query($search: String, $status: CustomerStatus, $first: Int, $after: String) {{
  customers(search: $search, status: $status, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    nodes {{ {CUSTOMER_FIELDS} openCase {{ id }} cases {{ id status }} }}
  }}
}}"""
CUSTOMER = f"query($id: ID!) {{ customer(id: $id) {{ {CUSTOMER_FIELDS} openCase {{ id }} }} }}"
QUEUE = f"""
query($filter: AtRiskCaseFilter, $orderBy: AtRiskCaseOrder, $first: Int, $after: String) {{
  atRiskCases(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }}
    nodes {{ {CASE_FIELDS} }}
  }}
}}"""
CASE = f"query($id: ID!) {{ atRiskCase(id: $id) {{ {CASE_FIELDS} }} }}"
USERS = "{ users { id email name role active lastSignInAt } }"


class CasesApi:
    """The customers-and-cases operations as one-liners: each returns the result member."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _one(self, query: str, field: str, variables: dict[str, Any]) -> dict[str, Any]:
        data = await gql(self.client, query, variables)
        return cast(dict[str, Any], data[field])

    async def create_customer(self, **values: Any) -> dict[str, Any]:
        values.setdefault("rmr", "49.90")
        return await self._one(CREATE_CUSTOMER, "createCustomer", {"input": values})

    async def update_customer(self, customer_id: str, **values: Any) -> dict[str, Any]:
        return await self._one(
            UPDATE_CUSTOMER, "updateCustomer", {"input": {"id": customer_id, **values}}
        )

    async def flag(
        self, customer_id: str, reason_id: str, risk: str = "MEDIUM", **values: Any
    ) -> dict[str, Any]:
        payload = {"customerId": customer_id, "reasonId": reason_id, "riskLevel": risk, **values}
        return await self._one(FLAG, "flagCustomerAtRisk", {"input": payload})

    async def update_case(self, case_id: str, **values: Any) -> dict[str, Any]:
        return await self._one(
            UPDATE_CASE, "updateAtRiskCase", {"input": {"id": case_id, **values}}
        )

    async def attempt(
        self, case_id: str, channel: str = "PHONE", note: str = "Called"
    ) -> dict[str, Any]:
        payload = {"caseId": case_id, "channel": channel, "note": note}
        return await self._one(ADD_ATTEMPT, "addContactAttempt", {"input": payload})

    async def credit(self, case_id: str, reason_id: str, amount: str = "10.00") -> dict[str, Any]:
        payload = {"caseId": case_id, "creditReasonId": reason_id, "amount": amount}
        return await self._one(ADD_CREDIT, "addCredit", {"input": payload})

    async def close(self, case_id: str, status: str, **values: Any) -> dict[str, Any]:
        payload = {"id": case_id, "status": status, **values}
        return await self._one(CLOSE, "closeAtRiskCase", {"input": payload})

    async def reopen(self, case_id: str, **values: Any) -> dict[str, Any]:
        return await self._one(REOPEN, "reopenAtRiskCase", {"input": {"id": case_id, **values}})

    async def delete_entry(self, entry_id: str, replace_with: str | None = None) -> dict[str, Any]:
        variables = {"id": entry_id, "replaceWith": replace_with}
        return await self._one(DELETE_ENTRY, "deleteAtRiskEntry", variables)

    async def queue(self, **variables: Any) -> dict[str, Any]:
        return await self._one(QUEUE, "atRiskCases", variables)

    async def customers(self, **variables: Any) -> dict[str, Any]:
        return await self._one(CUSTOMERS, "customers", variables)

    async def case(self, case_id: str) -> dict[str, Any] | None:
        data = await gql(self.client, CASE, {"id": case_id})
        return cast(dict[str, Any] | None, data["atRiskCase"])
