"""The Settings pages (people, API tokens, the company) and Your account, found the way a
user finds them: by roles and names."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import PASSWORD
from tests.utils.browser import graphql, sign_in
from tests.utils.server import Server

USERS = "/settings/users"
TOKENS = "/settings/tokens"
COMPANY = "/settings/company"
ACCOUNT = "/account"


def open_settings(page: Page, server: Server, path: str) -> None:
    """Signed in as the admin, the page at `path`, loaded."""
    sign_in(page, server)
    page.goto(server.base_url + path)
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def table(page: Page, name: str) -> Locator:
    return page.get_by_role("table", name=name)


def person_row(page: Page, email: str) -> Locator:
    """The row of the person with `email` in the People table."""
    return table(page, "People").get_by_role("row").filter(has_text=email)


def person_rows(page: Page) -> Locator:
    return table(page, "People").get_by_role("row").filter(has=page.get_by_role("rowheader"))


def token_row(page: Page, name: str) -> Locator:
    return (
        table(page, "API tokens")
        .get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=name, exact=True))
    )


def window(page: Page, title: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("dialog", name=title)


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 or less: it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def not_cut_off(locator: Locator) -> None:
    """Nothing in `locator` is hidden past its sides (its content fits its width)."""
    assert locator.evaluate("node => node.scrollWidth <= node.clientWidth"), locator


def inside(page: Page, locator: Locator, width: int) -> None:
    """`locator` is drawn within the screen's `width`."""
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0, locator
    assert box["x"] + box["width"] <= width + 0.5, locator


# On the server, through a second client signed in as the admin.

CREATE_USER = """
mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on CreatedUser { password user { id email role active } }
    ... on ValidationError { message field }
  }
}"""

USERS_QUERY = "query Users { users { id email name role active lastSignInAt } }"
TOKENS_QUERY = "query Tokens { apiTokens { id name role createdBy lastUsedAt revokedAt } }"
ME_QUERY = "query Me { me { email role company { name currency timezone } } }"


def unique_email(prefix: str = "person") -> str:
    return f"{prefix}-{secrets.token_hex(4)}@acme.example"


def add_person(server: Server, email: str, role: str = "VIEWER", password: str = PASSWORD) -> Any:
    variables = {"input": {"email": email, "role": role, "password": password}}
    created = graphql(server, CREATE_USER, variables)["createUser"]
    assert created["__typename"] == "CreatedUser", created
    return created["user"]


def stored_person(server: Server, email: str) -> dict[str, Any]:
    users: list[dict[str, Any]] = graphql(server, USERS_QUERY)["users"]
    return next(user for user in users if user["email"] == email)


def stored_token(server: Server, name: str) -> dict[str, Any]:
    tokens: list[dict[str, Any]] = graphql(server, TOKENS_QUERY)["apiTokens"]
    return next(token for token in tokens if token["name"] == name)


def login(server: Server, email: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(f"{server.base_url}/auth/login", json={"email": email, "password": password})


def own_session(server: Server, email: str, password: str = PASSWORD) -> str:
    """A session of its own for `email` (not the tests' shared one)."""
    response = login(server, email, password)
    response.raise_for_status()
    return response.cookies[SESSION_COOKIE]


def sign_in_as(
    context: BrowserContext, server: Server, email: str, password: str = PASSWORD
) -> None:
    """Give `context` a session of its own for `email`."""
    value = own_session(server, email, password)
    context.add_cookies([{"name": SESSION_COOKIE, "value": value, "url": server.base_url}])


def session_works(server: Server, value: str) -> bool:
    """Whether the session `value` is still signed in (answers `me`)."""
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": "query Me { me { email } }"},
        cookies={SESSION_COOKIE: value},
    )
    body = response.json()
    return response.status_code == 200 and "errors" not in body and body["data"]["me"] is not None


def sign_in_on_the_form(page: Page, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
