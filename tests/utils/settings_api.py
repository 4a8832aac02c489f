"""The settings mutations and queries as documents, and a small client for them."""

from __future__ import annotations

from typing import Any

import httpx

from tests.utils.graphql import post

USER_FIELDS = "id email name role active lastSignInAt"
TOKEN_FIELDS = "id name role createdAt createdBy lastUsedAt revokedAt"
INVALID = "... on ValidationError { message field }"
NOT_FOUND = "... on NotFoundError { message id }"
ERRORS = f"{INVALID} {NOT_FOUND}"

CREATE_USER = f"""
mutation($input: CreateUserInput!) {{
  createUser(input: $input) {{
    __typename ... on CreatedUser {{ user {{ {USER_FIELDS} }} password }} {ERRORS}
  }}
}}"""
UPDATE_USER = f"""
mutation($input: UpdateUserInput!) {{
  updateUser(input: $input) {{ __typename ... on User {{ {USER_FIELDS} }} {ERRORS} }}
}}"""
RESET_PASSWORD = f"""
mutation($id: ID!) {{
  resetUserPassword(id: $id) {{
    __typename ... on CreatedUser {{ user {{ {USER_FIELDS} }} password }} {ERRORS}
  }}
}}"""
CREATE_TOKEN = f"""
mutation($input: CreateApiTokenInput!) {{
  createApiToken(input: $input) {{
    __typename ... on CreatedApiToken {{ apiToken {{ {TOKEN_FIELDS} }} token }} {INVALID}
  }}
}}"""
REVOKE_TOKEN = f"""
mutation($id: ID!) {{
  revokeApiToken(id: $id) {{ __typename ... on ApiToken {{ {TOKEN_FIELDS} }} {NOT_FOUND} }}
}}"""
UPDATE_COMPANY = f"""
mutation($input: UpdateCompanyInput!) {{
  updateCompany(input: $input) {{
    __typename ... on Company {{ id name currency timezone }} {INVALID}
  }}
}}"""
CHANGE_PASSWORD = f"""
mutation($input: ChangePasswordInput!) {{
  changePassword(input: $input) {{ __typename ... on SignedOut {{ sessions }} {INVALID} }}
}}"""
SIGN_OUT_EVERYWHERE = "mutation { signOutEverywhere { sessions } }"
API_TOKENS = f"{{ apiTokens {{ {TOKEN_FIELDS} }} }}"
ALL_USERS = f"{{ users {{ {USER_FIELDS} }} }}"


class SettingsApi:
    """The settings operations through one client; each returns the root field's result."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _call(self, query: str, field: str, variables: dict[str, Any]) -> Any:
        body = await post(self.client, query, variables)
        assert "errors" not in body, body
        return body["data"][field]

    async def create_user(self, email: str, role: str = "VIEWER", **fields: Any) -> Any:
        return await self._call(
            CREATE_USER, "createUser", {"input": {"email": email, "role": role, **fields}}
        )

    async def update_user(self, user_id: str, **fields: Any) -> Any:
        return await self._call(UPDATE_USER, "updateUser", {"input": {"id": user_id, **fields}})

    async def reset_password(self, user_id: str) -> Any:
        return await self._call(RESET_PASSWORD, "resetUserPassword", {"id": user_id})

    async def create_token(self, name: str, **fields: Any) -> Any:
        return await self._call(CREATE_TOKEN, "createApiToken", {"input": {"name": name, **fields}})

    async def revoke_token(self, token_id: str) -> Any:
        return await self._call(REVOKE_TOKEN, "revokeApiToken", {"id": token_id})

    async def update_company(self, **fields: Any) -> Any:
        return await self._call(UPDATE_COMPANY, "updateCompany", {"input": fields})

    async def change_password(self, current: str, new: str) -> Any:
        return await self._call(
            CHANGE_PASSWORD,
            "changePassword",
            {"input": {"currentPassword": current, "newPassword": new}},
        )

    async def sign_out_everywhere(self) -> Any:
        return await self._call(SIGN_OUT_EVERYWHERE, "signOutEverywhere", {})

    async def tokens(self) -> Any:
        return await self._call(API_TOKENS, "apiTokens", {})

    async def users(self) -> Any:
        return await self._call(ALL_USERS, "users", {})
