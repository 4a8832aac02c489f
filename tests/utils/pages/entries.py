"""The At-Risk Entries page, found the way a user finds it: by roles and names.

Also what a second client (and the checks behind the page) see on the server.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, Request, Response, expect

from tests.utils.browser import graphql, sign_in
from tests.utils.graphql import ADD, LIST
from tests.utils.server import Server


@dataclass(frozen=True, slots=True)
class Category:
    value: str
    title: str
    label: str


REASON = Category("REASON", "Reasons", "Reason")
CAUSE = Category("CAUSE", "Causes", "Cause")
RESOLUTION = Category("RESOLUTION", "Resolutions", "Resolution")
CREDIT_REASON = Category("CREDIT_REASON", "Credit Reasons", "Credit Reason")
ALL = [REASON, CAUSE, RESOLUTION, CREDIT_REASON]
EVERY_CATEGORY = pytest.mark.parametrize("category", ALL, ids=lambda c: c.value.lower())


# On the server, through a second client signed in as the admin.


def add_entry(server: Server, category: Category, name: str, active: bool = True) -> Any:
    variables = {"input": {"category": category.value, "name": name, "active": active}}
    entry = graphql(server, ADD, variables)["addAtRiskEntry"]
    assert entry["__typename"] == "AtRiskEntry", entry
    return entry


def stored(server: Server, category: Category) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = graphql(server, LIST, {"category": category.value})[
        "atRiskEntries"
    ]
    return entries


def stored_entry(server: Server, category: Category, name: str) -> dict[str, Any] | None:
    return next((e for e in stored(server, category) if e["name"] == name), None)


def unique(category: Category) -> str:
    return f"{category.label} {secrets.token_hex(4)}"


# On the page.


ENTRIES_PAGE = "/settings/at-risk-entries"


def open_page(
    page: Page, server: Server, path: str = ENTRIES_PAGE, *, own_session: bool = False
) -> None:
    """Signed in as the admin, the page at `path`, loaded."""
    sign_in(page, server, own=own_session)
    page.goto(server.base_url + path)
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def section(page: Page, category: Category) -> Locator:
    return page.get_by_role("region", name=category.title, exact=True)


def add_button(page: Page, category: Category) -> Locator:
    return section(page, category).get_by_role("button", name=f"Add {category.label}", exact=True)


def row(page: Page, category: Category, name: str, state: str | None = None) -> Locator:
    pattern = re.escape(name) + " " + (state or "(Active|Inactive)")
    return section(page, category).get_by_role("button", name=re.compile(f"^{pattern}$"))


def editor(page: Page, title: str) -> Locator:
    return page.get_by_role("dialog", name=title, exact=True)


def expect_count(page: Page, category: Category, count: int, total: int | None = None) -> None:
    """The section's heading says how many it lists: "Reasons 3 entries", or under a filter
    or a search, "Reasons 3 of 40 entries"."""
    noun = "entry" if (count if total is None else total) == 1 else "entries"
    shown = str(count) if total is None else f"{count} of {total}"
    heading = section(page, category).get_by_role("heading")
    expect(heading).to_have_accessible_name(f"{category.title} {shown} {noun}")


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 or less: it fits)."""
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


# The requests the page sends.


def sent_input(request: Request) -> dict[str, Any]:
    body = request.post_data_json
    assert body is not None
    sent: dict[str, Any] = body["variables"]["input"]
    return sent


def is_update(request: Request) -> bool:
    return request.url.endswith("/graphql") and "UpdateAtRiskEntry" in (request.post_data or "")


def names_in(page: Page, category: Category) -> list[str]:
    """The names a section lists, top to bottom (each row's first line)."""
    items = section(page, category).get_by_role("listitem").all_inner_texts()
    return [text.strip().splitlines()[0] for text in items]


def names_stored(server: Server, category: Category, names: list[str]) -> list[str]:
    """Of `names`, those stored in `category`, in the stored order."""
    return [e["name"] for e in stored(server, category) if e["name"] in names]


def search_box(page: Page) -> Locator:
    return page.get_by_role("searchbox", name="Search")


def show(page: Page, label: str) -> Locator:
    return page.get_by_role("radio", name=label, exact=True)


def expect_ready(page: Page) -> None:
    """The lists are drawn (each section's heading has its count)."""
    for category in ALL:
        expect(section(page, category).get_by_role("heading")).to_have_accessible_name(
            re.compile(r"\d")
        )


def expect_saved(page: Page) -> None:
    """Every move made on the page reached the server (the page is busy until then)."""
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")


def reload(page: Page) -> None:
    page.reload()
    expect_ready(page)


def is_list_reload(response: Response) -> bool:
    """The page's load query: after moves it loads the lists again, once they all reached
    the server."""
    return "query AtRiskEntries" in (response.request.post_data or "")
