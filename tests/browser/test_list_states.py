"""The lists: the filter, and the empty, loading and failure states."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, Route, expect

from tests.utils.browser import sign_in
from tests.utils.pages.entries import (
    ALL,
    CREDIT_REASON,
    ENTRIES_PAGE,
    REASON,
    add_button,
    add_entry,
    editor,
    expect_count,
    open_page,
    row,
    section,
    stored,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def test_the_filter_narrows_to_active_or_inactive(page: Page, server: Server) -> None:
    on, off = unique(CREDIT_REASON), unique(CREDIT_REASON)
    add_entry(server, CREDIT_REASON, on, active=True)
    add_entry(server, CREDIT_REASON, off, active=False)
    open_page(page, server)
    entries = stored(server, CREDIT_REASON)
    active_count = sum(e["active"] for e in entries)

    expect(page.get_by_role("radio", name="All", exact=True)).to_be_checked()
    expect(row(page, CREDIT_REASON, on, "Active")).to_be_visible()
    expect(row(page, CREDIT_REASON, off, "Inactive")).to_be_visible()
    expect_count(page, CREDIT_REASON, len(entries))

    page.get_by_role("radio", name="Active", exact=True).check()
    expect(row(page, CREDIT_REASON, on, "Active")).to_be_visible()
    expect(row(page, CREDIT_REASON, off)).to_have_count(0)
    expect_count(page, CREDIT_REASON, active_count, len(entries))

    page.get_by_role("radio", name="Inactive", exact=True).check()
    expect(row(page, CREDIT_REASON, on)).to_have_count(0)
    expect(row(page, CREDIT_REASON, off, "Inactive")).to_be_visible()
    expect_count(page, CREDIT_REASON, len(entries) - active_count, len(entries))

    page.get_by_role("radio", name="All", exact=True).check()
    expect_count(page, CREDIT_REASON, len(entries))


def test_empty_sections_say_so(page: Page, fresh_server: Server) -> None:
    open_page(page, fresh_server)
    for category in ALL:
        expect(section(page, category)).to_contain_text(f"No {category.title.lower()} yet.")
        expect_count(page, category, 0)

    add_entry(fresh_server, REASON, "Moving out of area")
    page.reload()
    expect(row(page, REASON, "Moving out of area", "Active")).to_be_visible()
    page.get_by_role("radio", name="Inactive", exact=True).check()
    expect(section(page, REASON)).to_contain_text("No inactive reasons.")


def test_loading_is_shown_until_the_entries_arrive(page: Page, server: Server) -> None:
    held: list[Route] = []
    page.route("**/graphql", lambda route: held.append(route))
    sign_in(page, server)
    with page.expect_request(lambda request: request.url.endswith("/graphql")):
        page.goto(server.base_url + ENTRIES_PAGE)

    expect(page.get_by_role("main")).to_have_attribute("aria-busy", "true")
    for category in ALL:
        expect(section(page, category)).to_contain_text("Loading…")
        expect(add_button(page, category)).to_be_disabled()

    assert len(held) == 1
    held[0].continue_()
    expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
    for category in ALL:
        expect(section(page, category)).not_to_contain_text("Loading…")
        expect(add_button(page, category)).to_be_enabled()


def test_a_failed_request_shows_a_message_with_retry(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    name = unique(REASON)
    add_entry(server, REASON, name)
    page.route("**/graphql", lambda route: route.abort("connectionrefused"))
    sign_in(page, server)
    page.goto(server.base_url + ENTRIES_PAGE)

    expect(page.get_by_role("alert")).to_have_text(re.compile("could not be reached"))
    retry = page.get_by_role("button", name="Retry")
    expect(retry).to_be_visible()
    for category in ALL:
        expect(section(page, category)).to_contain_text("Not loaded.")
        expect(add_button(page, category)).to_be_disabled()

    page.unroute("**/graphql")
    retry.click()
    expect(page.get_by_role("alert")).to_be_hidden()
    expect(row(page, REASON, name, "Active")).to_be_visible()
    expect(page.get_by_role("heading", name="At-Risk Entries")).to_be_focused()
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]


def test_a_failed_save_keeps_the_window_and_the_text(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    open_page(page, server)
    add_button(page, REASON).click()
    window = editor(page, "Add Reason")
    field = window.get_by_role("textbox", name="Reason", exact=True)
    name = unique(REASON)
    field.fill(name)
    page.route("**/graphql", lambda route: route.abort("connectionrefused"))
    window.get_by_role("button", name="Save").click()

    expect(field).to_have_accessible_description(re.compile("could not be reached"))
    expect(field).to_have_value(name)
    page.unroute("**/graphql")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, REASON, name, "Active")).to_be_visible()
    browser_errors[:] = [e for e in browser_errors if "ERR_CONNECTION_REFUSED" not in e]
