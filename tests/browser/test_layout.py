"""Looks and safety: a 375 px screen, and a strict Content-Security-Policy."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import Page, Route, expect

from tests.utils.pages.entries import (
    ALL,
    CAUSE,
    CREDIT_REASON,
    ENTRIES_PAGE,
    add_button,
    add_entry,
    editor,
    open_page,
    overflow,
    row,
    search_box,
    section,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def test_the_page_fits_a_375_pixel_screen(page: Page, server: Server) -> None:
    long_name = "Unbroken" * 12 + secrets.token_hex(2)
    add_entry(server, CREDIT_REASON, long_name)
    page.set_viewport_size({"width": 375, "height": 740})
    open_page(page, server)

    long_row = row(page, CREDIT_REASON, long_name)
    expect(long_row).to_be_visible()
    assert overflow(page) <= 0
    for part in (
        page.get_by_role("banner").get_by_role("link", name="atrisk"),
        page.get_by_role("navigation", name="Main"),
        page.get_by_role("banner").get_by_role("button", name="Sign out"),
        page.get_by_role("navigation", name="Breadcrumb"),
        search_box(page),
        page.get_by_role("radio", name="Inactive", exact=True),
    ):
        box = part.bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375, part
    assert long_row.evaluate("node => node.scrollWidth <= node.clientWidth"), "name is cut off"
    for category in ALL:
        box = section(page, category).bounding_box()
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= 375
        add = add_button(page, category).bounding_box()
        assert add is not None
        assert add["x"] + add["width"] <= box["x"] + box["width"]

    row(page, CREDIT_REASON, long_name).click()
    window = editor(page, "Edit Credit Reason")
    for name in ("Move up", "Move down", "Save"):
        button = window.get_by_role("button", name=name).bounding_box()
        assert button is not None
        assert button["x"] + button["width"] <= 375
    description = window.get_by_role("textbox", name="Description").bounding_box()
    assert description is not None
    assert description["x"] + description["width"] <= 375
    window.get_by_role("button", name="Delete").click()
    for name in ("Cancel", "Delete"):
        button = window.get_by_role("button", name=name).bounding_box()
        assert button is not None
        assert button["x"] >= 0
        assert button["x"] + button["width"] <= 375
    assert overflow(page) <= 0


def test_the_page_works_under_a_strict_content_security_policy(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    def with_policy(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "default-src 'self'"}
        route.fulfill(response=response, headers=headers)

    page.route(f"{server.base_url}{ENTRIES_PAGE}", with_policy)
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (event) => window.violations.push(event.violatedDirective));"
    )
    open_page(page, server)
    name = unique(CAUSE)
    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    window.get_by_role("textbox", name="Cause", exact=True).fill(name)
    window.get_by_role("button", name="Save").click()
    expect(row(page, CAUSE, name, "Active")).to_be_visible()
    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")
    window.get_by_role("button", name="Delete").click()
    window.get_by_role("button", name="Delete").click()
    expect(row(page, CAUSE, name)).to_have_count(0)
    assert page.evaluate("window.violations") == []

    # The policy is really in force: an inline style is refused.
    page.evaluate(
        "document.head.append(Object.assign(document.createElement('style'),"
        " {textContent: 'body { color: red }'}))"
    )
    page.wait_for_function("window.violations.length > 0")
    assert page.evaluate("window.violations") == ["style-src-elem"]
    # A document fulfilled by the test's route has no address space of its own, so Chromium's
    # local network checks refuse its socket to loopback: not the page's doing.
    browser_errors[:] = [
        e
        for e in browser_errors
        if "Content Security Policy" not in e and "LOCAL_NETWORK_ACCESS" not in e
    ]
