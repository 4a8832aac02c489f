"""The Settings pages (people, API tokens, the company) and Your account, found the way a
user finds them: by roles and names."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Locator, Page, expect

from tests.utils.browser import sign_in
from tests.utils.server import Server

USERS = "/settings/users"
TOKENS = "/settings/tokens"
COMPANY = "/settings/company"
ACCOUNT = "/account"


def open_settings(page: Page, server: Server, path: str, email: str | None = None, **options: Any) -> None:
    """Signed in (as the admin unless `email`), the page at `path`, loaded."""
    if email is None:
        sign_in(page, server, **options)
    else:
        sign_in(page, server, email, **options)
    page.goto(server.base_url + path)
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def table(page: Page, name: str) -> Locator:
    return page.get_by_role("table", name=name)


def person_row(page: Page, email: str) -> Locator:
    """The row of the person with `email` in the People table."""
    return table(page, "People").get_by_role("row").filter(has_text=email)


def token_row(page: Page, name: str) -> Locator:
    return table(page, "API tokens").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=name, exact=True)
    )


def window(page: Page, title: str | re.Pattern[str]) -> Locator:
    return page.get_by_role("dialog", name=title)


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 or less: it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def inside(page: Page, locator: Locator, width: int) -> None:
    """`locator` is drawn within the screen's `width`."""
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0, locator
    assert box["x"] + box["width"] <= width + 0.5, locator
