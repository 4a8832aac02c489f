"""The help article's procedures on the At-Risk Entries page, in a real Chromium against the
real server: add, view and edit, deactivate and reactivate, delete, cancel the delete.

One server (and database) serves the whole module; each test works on entries with names of
its own, so the tests do not disturb one another.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    EVERY_CATEGORY,
    Category,
    add_button,
    add_entry,
    editor,
    expect_count,
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


@EVERY_CATEGORY
def test_add_an_entry(page: Page, server: Server, category: Category) -> None:
    open_page(page, server)
    before = len(stored(server, category))
    expect_count(page, category, before)

    add_button(page, category).click()
    window = editor(page, f"Add {category.label}")
    expect(window).to_be_visible()
    field = window.get_by_role("textbox", name=category.label, exact=True)
    expect(field).to_be_focused()
    expect(field).to_have_value("")
    expect(window.get_by_role("switch", name="Active")).to_have_attribute("aria-checked", "true")
    expect(window.get_by_role("button", name="Delete")).to_have_count(0)

    name = unique(category)
    field.fill(name)
    window.get_by_role("button", name="Save").click()

    expect(window).to_be_hidden()
    expect(row(page, category, name, "Active")).to_be_visible()
    expect(add_button(page, category)).to_be_focused()
    expect_count(page, category, before + 1)
    saved = stored_entry(server, category, name)
    assert saved is not None
    assert saved["active"] is True
    assert saved["position"] == max(e["position"] for e in stored(server, category))


@EVERY_CATEGORY
def test_view_and_edit_an_entry(page: Page, server: Server, category: Category) -> None:
    entry = add_entry(server, category, unique(category))
    open_page(page, server)

    row(page, category, entry["name"], "Active").click()
    window = editor(page, f"Edit {category.label}")
    field = window.get_by_role("textbox", name=category.label, exact=True)
    expect(field).to_have_value(entry["name"])
    expect(field).to_be_focused()
    expect(window.get_by_role("switch", name="Active")).to_have_attribute("aria-checked", "true")

    renamed = unique(category)
    field.fill(renamed)
    with page.expect_request(is_update) as update:
        window.get_by_role("button", name="Save").click()

    expect(window).to_be_hidden()
    expect(row(page, category, renamed, "Active")).to_be_focused()
    expect(row(page, category, entry["name"])).to_have_count(0)
    assert sent_input(update.value)["expectedVersion"] == entry["version"]
    saved = stored_entry(server, category, renamed)
    assert saved is not None
    assert (saved["id"], saved["version"]) == (entry["id"], entry["version"] + 1)


@EVERY_CATEGORY
def test_deactivate_with_the_switch_then_reactivate(
    page: Page, server: Server, category: Category
) -> None:
    name = unique(category)
    add_entry(server, category, name)
    open_page(page, server)

    row(page, category, name, "Active").click()
    window = editor(page, f"Edit {category.label}")
    switch = window.get_by_role("switch", name="Active")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, category, name, "Inactive")).to_be_visible()
    saved = stored_entry(server, category, name)
    assert saved is not None
    assert saved["active"] is False

    row(page, category, name, "Inactive").click()
    expect(switch).to_have_attribute("aria-checked", "false")
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "true")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, category, name, "Active")).to_be_visible()
    saved = stored_entry(server, category, name)
    assert saved is not None
    assert (saved["active"], saved["version"]) == (True, 3)


@EVERY_CATEGORY
def test_delete_asks_first_and_the_second_delete_deletes(
    page: Page, server: Server, category: Category
) -> None:
    name = unique(category)
    add_entry(server, category, name)
    open_page(page, server)
    before = len(stored(server, category))

    row(page, category, name).click()
    window = editor(page, f"Edit {category.label}")
    window.get_by_role("button", name="Delete").click()
    question = f"Delete the {category.label.lower()} “{name}”? This cannot be undone."
    expect(window.get_by_text(question, exact=True)).to_be_visible()
    expect(window.get_by_role("button", name="Save")).to_be_hidden()
    assert stored_entry(server, category, name) is not None

    window.get_by_role("button", name="Delete").click()
    expect(window).to_be_hidden()
    expect(row(page, category, name)).to_have_count(0)
    expect(add_button(page, category)).to_be_focused()
    expect_count(page, category, before - 1)
    assert stored_entry(server, category, name) is None


@EVERY_CATEGORY
def test_cancel_at_the_confirmation_keeps_the_entry(
    page: Page, server: Server, category: Category
) -> None:
    name = unique(category)
    add_entry(server, category, name)
    open_page(page, server)

    row(page, category, name).click()
    window = editor(page, f"Edit {category.label}")
    first_delete = window.get_by_role("button", name="Delete")
    first_delete.click()
    question = window.get_by_text(re.compile("This cannot be undone"))
    expect(question).to_be_visible()
    window.get_by_role("button", name="Cancel").click()

    expect(question).to_be_hidden()
    expect(window).to_be_visible()
    expect(first_delete).to_be_focused()
    window.get_by_role("button", name="Cancel").click()
    expect(window).to_be_hidden()
    expect(row(page, category, name, "Active")).to_be_focused()
    assert stored_entry(server, category, name) is not None

    page.reload()
    expect(row(page, category, name, "Active")).to_be_visible()
