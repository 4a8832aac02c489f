"""A session that ends in the middle of work (signed out in another tab): the edit window
keeps what was typed, asks for the password in place, and then does what was asked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import PASSWORD
from tests.utils.pages.entries import (
    CAUSE,
    ENTRIES_PAGE,
    REASON,
    add_button,
    add_entry,
    editor,
    expect_saved,
    names_stored,
    open_page,
    row,
    stored_entry,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def sign_out_in_another_tab(page: Page, server: Server) -> None:
    other = page.context.new_page()
    other.goto(server.base_url + ENTRIES_PAGE)
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
    other.close()


def test_save_after_the_session_ended_asks_for_the_password_and_saves(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    open_page(page, server, own_session=True)
    add_button(page, REASON).click()
    window = editor(page, "Add Reason")
    field = window.get_by_role("textbox", name="Reason", exact=True)
    name = unique(REASON)
    field.fill(name)
    window.get_by_role("textbox", name="Description").fill("Kept through a sign-in")
    sign_out_in_another_tab(page, server)

    window.get_by_role("button", name="Save").click()
    password = window.get_by_label("Password")
    expect(password).to_be_focused()
    expect(window.get_by_text("Your session has ended")).to_be_visible()
    expect(field).to_have_value(name)
    expect(page.get_by_role("heading", name="Sign in")).to_have_count(0)
    assert stored_entry(server, REASON, name) is None

    password.fill("not the password")
    window.get_by_role("button", name="Sign in and save").click()
    expect(password).to_have_accessible_description("Email or password is incorrect.")
    expect(window).to_be_visible()

    password.fill(PASSWORD)
    window.get_by_role("button", name="Sign in and save").click()
    expect(window).to_be_hidden()
    expect(row(page, REASON, name, "Active")).to_be_visible()
    expect(add_button(page, REASON)).to_be_focused()
    saved = stored_entry(server, REASON, name)
    assert saved is not None
    assert saved["description"] == "Kept through a sign-in"
    # The unauthenticated answers and the refused password show up as failed loads.
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]


def test_delete_after_the_session_ended_asks_for_the_password_and_deletes(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    name = unique(CAUSE)
    add_entry(server, CAUSE, name)
    open_page(page, server, own_session=True)
    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")
    window.get_by_role("button", name="Delete").click()
    sign_out_in_another_tab(page, server)

    window.get_by_role("button", name="Delete").click()
    password = window.get_by_label("Password")
    expect(password).to_be_focused()
    assert stored_entry(server, CAUSE, name) is not None
    password.fill(PASSWORD)
    page.keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(row(page, CAUSE, name)).to_have_count(0)
    assert stored_entry(server, CAUSE, name) is None
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]


def test_a_move_after_the_session_ended_asks_for_the_password_and_moves(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    first, second = unique(CAUSE), unique(CAUSE)
    add_entry(server, CAUSE, first)
    add_entry(server, CAUSE, second)
    open_page(page, server, own_session=True)
    sign_out_in_another_tab(page, server)

    row(page, CAUSE, second).focus()
    page.keyboard.press("Alt+ArrowUp")
    window = page.get_by_role("dialog", name="Your session has ended")
    password = window.get_by_label("Password")
    expect(password).to_be_focused()
    password.fill(PASSWORD)
    window.get_by_role("button", name="Sign in and move").click()
    expect(window).to_be_hidden()
    expect_saved(page)
    assert names_stored(server, CAUSE, [first, second]) == [second, first]
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]
