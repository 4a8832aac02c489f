"""People (Settings): add a person and sign in as them with the password shown once, change a
role, deactivate (their open page signs out on its next request) and reactivate, reset a
password, the last admin kept; by mouse and by keyboard, at 1280 and 375 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.utils.accounts import ADMIN_EMAIL, PASSWORD, VIEWER_EMAIL
from tests.utils.pages.entries import tab_to
from tests.utils.pages.settings import (
    USERS,
    add_person,
    inside,
    login,
    not_cut_off,
    open_settings,
    overflow,
    person_row,
    person_rows,
    sign_in_as,
    sign_in_on_the_form,
    stored_person,
    table,
    unique_email,
    window,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

WIDTHS = pytest.mark.parametrize("width", [1280, 375])


def expect_signed_in_as(page: Page, email: str) -> None:
    expect(page.get_by_role("banner").get_by_text(email, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


@WIDTHS
def test_add_a_person_with_a_generated_password_and_sign_in_as_them(
    page: Page, server: Server, browser: Browser, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    open_settings(page, server, USERS)
    expect(person_row(page, ADMIN_EMAIL)).to_contain_text("You")
    expect(person_row(page, VIEWER_EMAIL)).not_to_contain_text("You")
    assert overflow(page) <= 0

    page.get_by_role("button", name="Add person").click()
    dialog = window(page, "Add person")
    email = unique_email()
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Name").fill("Dana Field")
    dialog.get_by_label("Role").select_option(label="View only")
    expect(dialog.get_by_role("radio", name=re.compile("^Generate one"))).to_be_checked()
    if width == 375:
        for name in ("Cancel", "Add person"):
            inside(page, dialog.get_by_role("button", name=name), width)
    dialog.get_by_role("button", name="Add person").click()

    shown = window(page, "Person added")
    expect(shown.get_by_text("shown only now")).to_be_visible()
    secret = shown.get_by_role("textbox", name="Password")
    password = secret.input_value()
    assert len(password) >= 12
    copy = shown.get_by_role("button", name="Copy Password")
    expect(copy).to_be_focused()
    copy.click()
    expect(shown.get_by_role("status")).to_have_text("Copied.")
    assert page.evaluate("navigator.clipboard.readText()") == password
    if width == 375:
        inside(page, secret, width)
        inside(page, copy, width)
        assert overflow(page) <= 0
    shown.get_by_role("button", name="Done").click()
    expect(shown).to_be_hidden()
    expect(page.get_by_role("button", name="Add person")).to_be_focused()

    row = person_row(page, email)
    expect(row).to_contain_text("Dana Field")
    expect(row).to_contain_text("View only")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Never")
    assert stored_person(server, email)["role"] == "VIEWER"

    # The password shows once: it is nowhere on the page once the window is closed.
    expect(page.get_by_text(password)).to_have_count(0)

    context = browser.new_context(viewport={"width": width, "height": 900})
    other = context.new_page()
    other.goto(server.base_url + "/")
    sign_in_on_the_form(other, email, password)
    expect_signed_in_as(other, email)
    expect(other.get_by_role("heading", name="Cases", level=1)).to_be_visible()
    context.close()

    page.reload()
    expect(person_row(page, email)).not_to_contain_text("Never")


def test_add_a_person_by_keyboard_with_a_password_the_admin_sets(
    page: Page, server: Server
) -> None:
    open_settings(page, server, USERS)
    add = page.get_by_role("button", name="Add person")
    tab_to(page, add)
    page.keyboard.press("Enter")
    dialog = window(page, "Add person")
    email_field = dialog.get_by_label("Email")
    expect(email_field).to_be_focused()

    # Nothing typed: refused in the window, before any request.
    page.keyboard.press("Enter")
    expect(email_field).to_have_accessible_description("Email is required.")
    expect(email_field).to_be_focused()

    email = unique_email("keys")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("Kim Keys")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Role")).to_be_focused()
    page.keyboard.press("Tab")
    expect(dialog.get_by_role("radio", name=re.compile("^Generate one"))).to_be_focused()
    page.keyboard.press("ArrowDown")
    password_field = dialog.get_by_label("Their password")
    expect(password_field).to_be_focused()
    page.keyboard.type("short")
    page.keyboard.press("Enter")
    expect(password_field).to_have_accessible_description(re.compile("at least 8 characters"))

    password_field.fill("")
    page.keyboard.type("a long password of mine")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(add).to_be_focused()
    expect(page.get_by_role("status").filter(has_text="Added")).to_contain_text(email)
    expect(person_row(page, email)).to_contain_text("Kim Keys")
    assert login(server, email, "a long password of mine").status_code == 200

    # Escape closes the window and the focus goes back to where it was.
    page.keyboard.press("Enter")
    expect(window(page, "Add person")).to_be_visible()
    page.keyboard.press("Escape")
    expect(window(page, "Add person")).to_be_hidden()
    expect(add).to_be_focused()


def test_a_taken_email_is_said_next_to_the_field_and_nothing_is_added(
    page: Page, server: Server
) -> None:
    open_settings(page, server, USERS)
    rows = person_rows(page)
    before = rows.count()
    page.get_by_role("button", name="Add person").click()
    dialog = window(page, "Add person")
    field = dialog.get_by_label("Email")
    field.fill(VIEWER_EMAIL.upper())
    dialog.get_by_label("Name").fill("Typed name stays")
    dialog.get_by_role("button", name="Add person").click()
    expect(field).to_have_accessible_description(re.compile("already exists"))
    expect(field).to_be_focused()
    expect(dialog.get_by_label("Name")).to_have_value("Typed name stays")
    page.keyboard.press("Escape")
    expect(rows).to_have_count(before)


@WIDTHS
def test_change_a_role(page: Page, server: Server, width: int) -> None:
    email = unique_email("role")
    add_person(server, email, "VIEWER")
    page.set_viewport_size({"width": width, "height": 900})
    open_settings(page, server, USERS)
    edit = person_row(page, email).get_by_role("button", name=f"Edit {email}")
    edit.click()
    dialog = window(page, email)
    role = dialog.get_by_label("Role")
    expect(role).to_have_value("VIEWER")
    role.select_option(label="Agent")
    expect(dialog.get_by_text("Works cases and customers")).to_be_visible()
    if width == 375:
        for name in ("Reset password", "Deactivate", "Cancel", "Save"):
            inside(page, dialog.get_by_role("button", name=name, exact=True), width)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(edit).to_be_focused()
    expect(person_row(page, email)).to_contain_text("Agent")
    assert stored_person(server, email)["role"] == "AGENT"
    assert overflow(page) <= 0
    not_cut_off(page.get_by_role("region", name="People"))
    inside(page, table(page, "People"), width)


def test_the_last_admin_cannot_demote_themselves_and_is_told_next_to_the_role(
    page: Page, server: Server
) -> None:
    open_settings(page, server, USERS)
    person_row(page, ADMIN_EMAIL).get_by_role("button", name=f"Edit {ADMIN_EMAIL}").click()
    dialog = window(page, ADMIN_EMAIL)
    expect(dialog.get_by_role("button", name="Deactivate")).to_have_count(0)
    expect(dialog.get_by_role("button", name="Reset password")).to_have_count(0)
    expect(dialog.get_by_role("link", name="Your account")).to_be_visible()
    role = dialog.get_by_label("Role")
    role.select_option("VIEWER")
    dialog.get_by_role("button", name="Save").click()
    expect(role).to_have_accessible_description(re.compile("last active admin"))
    expect(role).to_be_focused()
    expect(dialog).to_be_visible()
    assert stored_person(server, ADMIN_EMAIL)["role"] == "ADMIN"
    page.keyboard.press("Escape")
    expect(person_row(page, ADMIN_EMAIL)).to_contain_text("Admin")


def test_deactivating_signs_their_open_page_out_and_reactivating_lets_them_back(
    page: Page, server: Server, browser: Browser
) -> None:
    email = unique_email("leaver")
    add_person(server, email, "VIEWER")
    context = browser.new_context()
    theirs = context.new_page()
    sign_in_as(context, server, email)
    theirs.goto(server.base_url + "/settings/at-risk-entries")
    expect_signed_in_as(theirs, email)

    open_settings(page, server, USERS)
    edit = person_row(page, email).get_by_role("button", name=f"Edit {email}")
    edit.click()
    dialog = window(page, email)
    dialog.get_by_role("button", name="Deactivate").click()
    expect(dialog.get_by_text("signed out everywhere at once")).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Enter")  # Cancel: nothing changes
    expect(dialog.get_by_role("button", name="Deactivate")).to_be_focused()
    assert stored_person(server, email)["active"] is True

    dialog.get_by_role("button", name="Deactivate").click()
    dialog.get_by_role("button", name="Deactivate").click()
    expect(dialog).to_be_hidden()
    expect(edit).to_be_focused()
    expect(person_row(page, email)).to_contain_text("Inactive")
    assert stored_person(server, email)["active"] is False

    # Their open page: its live connection is closed at once, and it shows the sign-in form
    # without waiting for its next request.
    expect(theirs.get_by_role("heading", name="Sign in")).to_be_visible(timeout=10000)
    assert login(server, email).status_code == 401

    edit.click()
    dialog = window(page, email)
    dialog.get_by_role("button", name="Reactivate").click()
    dialog.get_by_role("button", name="Reactivate").click()
    expect(dialog).to_be_hidden()
    expect(person_row(page, email)).not_to_contain_text("Inactive")
    sign_in_on_the_form(theirs, email, PASSWORD)
    expect_signed_in_as(theirs, email)
    context.close()


def test_reset_a_password_by_keyboard_shows_the_new_one_once(page: Page, server: Server) -> None:
    email = unique_email("reset")
    add_person(server, email, "AGENT")
    page.set_viewport_size({"width": 375, "height": 800})
    open_settings(page, server, USERS)
    edit = person_row(page, email).get_by_role("button", name=f"Edit {email}")
    tab_to(page, edit)
    page.keyboard.press("Enter")
    dialog = window(page, email)
    reset = dialog.get_by_role("button", name="Reset password")
    tab_to(page, reset)
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    shown = window(page, f"New password for {email}")
    secret = shown.get_by_role("textbox", name="New password")
    expect(secret).to_have_accessible_description(re.compile("shown only now"))
    password = secret.input_value()
    assert overflow(page) <= 0
    assert login(server, email).status_code == 401
    assert login(server, email, password).status_code == 200
    page.keyboard.press("Escape")
    expect(shown).to_be_hidden()
    expect(edit).to_be_focused()
    expect(page.get_by_text(password)).to_have_count(0)


def test_adding_after_the_session_ended_asks_for_the_password_and_keeps_what_was_typed(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    sign_in_as(page.context, server, ADMIN_EMAIL)
    page.goto(server.base_url + USERS)
    page.get_by_role("button", name="Add person").click()
    dialog = window(page, "Add person")
    email = unique_email("later")
    dialog.get_by_label("Email").fill(email)
    dialog.get_by_label("Name").fill("Kept Name")

    other = page.context.new_page()
    other.goto(server.base_url + USERS)
    other.get_by_role("button", name="Sign out", exact=True).click()
    expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
    other.close()

    dialog.get_by_role("button", name="Add person").click()
    password = dialog.get_by_label("Password", exact=True)
    expect(password).to_be_focused()
    expect(dialog.get_by_text("Your session has ended")).to_be_visible()
    expect(dialog.get_by_label("Email")).to_have_value(email)
    password.fill(PASSWORD)
    dialog.get_by_role("button", name="Sign in and add").click()
    # Two password hashes in a row (the sign-in, the new person's): slow on a busy machine.
    expect(window(page, "Person added")).to_be_visible(timeout=20000)
    assert stored_person(server, email)["name"] == "Kept Name"
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]


def test_an_admin_who_demotes_themselves_loses_the_settings_at_once(
    page: Page, server: Server
) -> None:
    email = unique_email("second-admin")
    add_person(server, email, "ADMIN")
    sign_in_as(page.context, server, email)
    page.goto(server.base_url + USERS)
    person_row(page, email).get_by_role("button", name=f"Edit {email}").click()
    dialog = window(page, email)
    role = dialog.get_by_label("Role")
    role.select_option("VIEWER")
    expect(role).to_have_accessible_description(re.compile("You lose these settings"))
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="Settings")).to_have_count(0)
    assert stored_person(server, email)["role"] == "VIEWER"
