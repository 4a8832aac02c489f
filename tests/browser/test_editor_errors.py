"""Errors in the edit window: refused before sending, refused by the server, changed or
deleted by someone else meanwhile; and user text shown as text."""

from __future__ import annotations

import re
import secrets

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import graphql
from tests.utils.graphql import UPDATE
from tests.utils.pages.entries import (
    CAUSE,
    CREDIT_REASON,
    EVERY_CATEGORY,
    REASON,
    RESOLUTION,
    Category,
    add_button,
    add_entry,
    editor,
    is_update,
    open_page,
    row,
    sent_input,
    stored,
    stored_entry,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def test_an_empty_name_is_refused_before_any_request(page: Page, server: Server) -> None:
    open_page(page, server)
    # Only what the window sends counts: the page may read its lists again meanwhile (live
    # updates ask it to once connected).
    requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            requests.append(request.url) if "mutation" in (request.post_data or "") else None
        ),
    )

    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    field = window.get_by_role("textbox", name="Cause", exact=True)
    field.fill("   ")
    window.get_by_role("button", name="Save").click()

    expect(field).to_have_accessible_description("Cause is required.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(window).to_be_visible()
    assert requests == []


@EVERY_CATEGORY
def test_a_duplicate_name_shows_next_to_the_field(
    page: Page, server: Server, category: Category
) -> None:
    existing = unique(category)
    add_entry(server, category, existing)
    open_page(page, server)

    add_button(page, category).click()
    window = editor(page, f"Add {category.label}")
    field = window.get_by_role("textbox", name=category.label, exact=True)
    typed = "  " + existing.upper().replace(" ", "   ") + " "
    field.fill(typed)
    window.get_by_role("button", name="Save").click()

    message = f"A {category.label} named “{existing}” already exists."
    expect(field).to_have_accessible_description(message.replace("“", '"').replace("”", '"'))
    expect(window).to_be_visible()
    expect(field).to_have_value(typed)
    assert [e["name"] for e in stored(server, category)].count(existing) == 1


def test_the_name_stops_at_100_characters_with_a_counter(page: Page, server: Server) -> None:
    open_page(page, server)
    add_button(page, RESOLUTION).click()
    window = editor(page, "Add Resolution")
    field = window.get_by_role("textbox", name="Resolution", exact=True)
    expect(field).to_have_attribute("maxlength", "100")
    expect(window.get_by_text("0 / 100", exact=True)).to_be_visible()
    field.fill("x" * 101)
    expect(field).to_have_value("x" * 100)
    expect(window.get_by_text("100 / 100", exact=True)).to_be_visible()

    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, RESOLUTION, "x" * 100, "Active")).to_be_visible()


def test_a_server_error_shows_next_to_the_field_in_the_one_pattern(
    page: Page, server: Server
) -> None:
    open_page(page, server)
    add_button(page, RESOLUTION).click()
    window = editor(page, "Add Resolution")
    field = window.get_by_role("textbox", name="Resolution", exact=True)
    typed = "\u200b\u200b"  # not blank to the browser, but nothing a person can see
    field.fill(typed)
    window.get_by_role("button", name="Save").click()

    expect(field).to_have_accessible_description(
        "Resolution must contain at least one visible character."
    )
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_value(typed)
    expect(field).to_be_focused()
    expect(window).to_be_visible()


def test_a_version_conflict_reloads_the_current_values(page: Page, server: Server) -> None:
    entry = add_entry(server, REASON, unique(REASON))
    open_page(page, server)
    row(page, REASON, entry["name"]).click()
    window = editor(page, "Edit Reason")
    field = window.get_by_role("textbox", name="Reason", exact=True)
    switch = window.get_by_role("switch", name="Active")
    expect(field).to_have_value(entry["name"])

    theirs = unique(REASON)
    changes = {"id": entry["id"], "name": theirs, "active": False}
    other = graphql(server, UPDATE, {"input": changes})["updateAtRiskEntry"]
    assert other["version"] == 2

    mine = unique(REASON)
    field.fill(mine)
    window.get_by_role("button", name="Save").click()

    expect(field).to_have_accessible_description(re.compile(r"changed by someone else"))
    expect(field).to_have_accessible_description(re.compile(f"You had typed “{mine}”"))
    expect(window).to_be_visible()
    expect(field).to_have_value(theirs)
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(row(page, REASON, theirs, "Inactive")).to_have_count(1)
    saved = stored_entry(server, REASON, theirs)
    assert saved is not None
    assert saved["version"] == 2

    window.get_by_role("button", name="Use my changes").click()
    expect(field).to_have_value(mine)
    expect(field).to_be_focused()
    expect(field).to_have_accessible_description("")
    with page.expect_request(is_update) as update:
        window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, REASON, mine, "Inactive")).to_be_focused()
    assert sent_input(update.value)["expectedVersion"] == 2
    saved = stored_entry(server, REASON, mine)
    assert saved is not None
    assert saved["version"] == 3


def test_an_entry_deleted_meanwhile_is_reported_and_removed(page: Page, server: Server) -> None:
    entry = add_entry(server, CAUSE, unique(CAUSE))
    open_page(page, server)
    row(page, CAUSE, entry["name"]).click()
    window = editor(page, "Edit Cause")
    graphql(
        server,
        "mutation($id: ID!) { deleteAtRiskEntry(id: $id) { __typename } }",
        {"id": entry["id"]},
    )

    window.get_by_role("button", name="Save").click()
    field = window.get_by_role("textbox", name="Cause", exact=True)
    expect(field).to_have_accessible_description(re.compile("no longer exists"))
    expect(row(page, CAUSE, entry["name"])).to_have_count(0)
    # Only Close is offered: nothing left to save or delete.
    close = window.get_by_role("button", name="Close")
    expect(close).to_be_focused()
    expect(window.get_by_role("button")).to_have_count(1)
    expect(field).to_have_js_property("readOnly", True)
    close.click()
    expect(window).to_be_hidden()
    expect(add_button(page, CAUSE)).to_be_focused()


def test_an_html_looking_name_is_shown_literally(page: Page, server: Server) -> None:
    name = f"<img src=x onerror=alert(1)> {secrets.token_hex(3)}"
    open_page(page, server)
    add_button(page, CREDIT_REASON).click()
    window = editor(page, "Add Credit Reason")
    window.get_by_role("textbox", name="Credit Reason", exact=True).fill(name)
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()

    added = row(page, CREDIT_REASON, name, "Active")
    expect(added).to_be_visible()
    expect(added).to_contain_text(name)
    expect(page.locator("img")).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text(name)

    added.click()
    window = editor(page, "Edit Credit Reason")
    expect(window.get_by_role("textbox", name="Credit Reason", exact=True)).to_have_value(name)
    window.get_by_role("button", name="Delete").click()
    expect(window.get_by_text(f"“{name}”", exact=False)).to_be_visible()
    expect(page.locator("img")).to_have_count(0)
    window.get_by_role("button", name="Cancel").click()
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
