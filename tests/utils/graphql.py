"""Small helpers for talking GraphQL over HTTP in tests."""

from __future__ import annotations

from typing import Any, cast

import httpx

ENTRY_FIELDS = "id category name description active position version createdAt updatedAt"

RESULT_FIELDS = f"""
  __typename
  ... on AtRiskEntry {{ {ENTRY_FIELDS} }}
  ... on ValidationError {{ message field }}
  ... on NotFoundError {{ message id }}
  ... on VersionConflictError {{ message current {{ {ENTRY_FIELDS} }} }}
"""

ADD = f"""
mutation Add($input: AddAtRiskEntryInput!) {{
  addAtRiskEntry(input: $input) {{ {RESULT_FIELDS} }}
}}"""

UPDATE = f"""
mutation Update($input: UpdateAtRiskEntryInput!) {{
  updateAtRiskEntry(input: $input) {{ {RESULT_FIELDS} }}
}}"""

DELETE = f"""
mutation Delete($id: ID!, $expectedVersion: Int) {{
  deleteAtRiskEntry(id: $id, expectedVersion: $expectedVersion) {{
    __typename
    ... on DeletedAtRiskEntry {{ id }}
    ... on NotFoundError {{ message id }}
    ... on VersionConflictError {{ message current {{ {ENTRY_FIELDS} }} }}
  }}
}}"""

MOVE = f"""
mutation Move($input: MoveAtRiskEntryInput!) {{
  moveAtRiskEntry(input: $input) {{ {RESULT_FIELDS} }}
}}"""

SORT = f"""
mutation Sort($category: AtRiskCategory!) {{
  sortAtRiskEntries(category: $category) {{ {ENTRY_FIELDS} }}
}}"""

LIST = f"""
query List($category: AtRiskCategory, $active: Boolean) {{
  atRiskEntries(category: $category, active: $active) {{ {ENTRY_FIELDS} }}
}}"""

GET = f"""
query Get($id: ID!) {{ atRiskEntry(id: $id) {{ {ENTRY_FIELDS} }} }}"""


async def post(
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """POST a document; return the whole JSON body (data and errors).

    The answer is 200, or 401 with a Bearer challenge when a field answered UNAUTHENTICATED.
    """
    response = await client.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    body: dict[str, Any] = response.json()
    codes = {error.get("extensions", {}).get("code") for error in body.get("errors", [])}
    if "UNAUTHENTICATED" in codes:
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer realm=")
    else:
        assert response.status_code == 200, response.text
    return body


async def gql(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """POST a document that must succeed; return its data."""
    body = await post(client, query, variables)
    assert "errors" not in body, body["errors"]
    data: dict[str, Any] = body["data"]
    return data


class Api:
    """The at-risk operations as one-liners over an HTTP client."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def add(
        self, category: str, name: str, active: bool | None = None, **options: Any
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {"category": category, "name": name, **options}
        if active is not None:
            payload["active"] = active
        return cast(
            dict[str, Any], (await gql(self.client, ADD, {"input": payload}))["addAtRiskEntry"]
        )

    async def update(self, entry_id: str, **changes: Any) -> dict[str, Any]:
        payload = {"id": entry_id, **changes}
        data = await gql(self.client, UPDATE, {"input": payload})
        return cast(dict[str, Any], data["updateAtRiskEntry"])

    async def delete(self, entry_id: str, expected_version: int | None = None) -> dict[str, Any]:
        data = await gql(self.client, DELETE, {"id": entry_id, "expectedVersion": expected_version})
        return cast(dict[str, Any], data["deleteAtRiskEntry"])

    async def move(
        self, entry_id: str, before_id: str | None = None, **options: Any
    ) -> dict[str, Any]:
        payload = {"id": entry_id, "beforeId": before_id, **options}
        data = await gql(self.client, MOVE, {"input": payload})
        return cast(dict[str, Any], data["moveAtRiskEntry"])

    async def sort(self, category: str) -> list[dict[str, Any]]:
        data = await gql(self.client, SORT, {"category": category})
        return cast(list[dict[str, Any]], data["sortAtRiskEntries"])

    async def list(
        self, category: str | None = None, active: bool | None = None
    ) -> list[dict[str, Any]]:
        variables = {"category": category, "active": active}
        data = await gql(self.client, LIST, variables)
        return cast(list[dict[str, Any]], data["atRiskEntries"])

    async def get(self, entry_id: str) -> dict[str, Any] | None:
        data = await gql(self.client, GET, {"id": entry_id})
        return cast(dict[str, Any] | None, data["atRiskEntry"])
