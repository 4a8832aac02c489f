"""The web page in a real Chromium against the real server: every step of the help article.

One server (and database) serves the whole module; each test works on entries with
names of its own, so the tests do not disturb one another.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Locator, Page, Request, Route, expect

from tests.utils.browser import graphql, sign_in
from tests.utils.graphql import ADD, LIST, UPDATE
from tests.utils.server import Server

pytestmark = pytest.mark.browser


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


# What the second client (and the checks behind the page) see on the server.


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


# The page, found the way a user finds it: by roles and names.


def open_page(page: Page, server: Server) -> None:
    sign_in(page, server)
    page.goto(server.base_url)
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


def expect_count(page: Page, category: Category, count: int) -> None:
    noun = "entry" if count == 1 else "entries"
    heading = section(page, category).get_by_role("heading")
    expect(heading).to_have_accessible_name(f"{category.title} {count} {noun}")


def sent_input(request: Request) -> dict[str, Any]:
    body = request.post_data_json
    assert body is not None
    sent: dict[str, Any] = body["variables"]["input"]
    return sent


def is_update(request: Request) -> bool:
    return request.url.endswith("/graphql") and "UpdateAtRiskEntry" in (request.post_data or "")


@pytest.fixture(autouse=True)
def browser_errors(page: Page) -> Iterator[list[str]]:
    """Script errors, console errors and alert() calls; a test ends with none left."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))

    def on_dialog(dialog: Dialog) -> None:
        errors.append(f"{dialog.type}(): {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield errors
    assert errors == []


# The article: add, view/edit, deactivate, reactivate, delete, cancel the delete.


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


# Errors in the edit window.


def test_an_empty_name_is_refused_before_any_request(page: Page, server: Server) -> None:
    open_page(page, server)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

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


def test_a_too_long_name_shows_the_server_error(page: Page, server: Server) -> None:
    open_page(page, server)
    add_button(page, RESOLUTION).click()
    window = editor(page, "Add Resolution")
    field = window.get_by_role("textbox", name="Resolution", exact=True)
    typed = "x" * 101
    field.fill(typed)
    window.get_by_role("button", name="Save").click()

    expect(field).to_have_accessible_description(re.compile("at most 100 characters"))
    expect(field).to_have_value(typed)
    expect(window).to_be_visible()

    field.fill("x" * 100)
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, RESOLUTION, "x" * 100, "Active")).to_be_visible()


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

    window.get_by_role("button", name="Use my text").click()
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
    window.get_by_role("button", name="Cancel").click()
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


# Keyboard only.


def tab_to(page: Page, target: Locator, limit: int = 200) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("node => node === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {target}")


def test_keyboard_only_add_edit_and_delete(page: Page, server: Server) -> None:
    open_page(page, server)
    keyboard = page.keyboard

    tab_to(page, add_button(page, RESOLUTION))
    keyboard.press("Enter")
    window = editor(page, "Add Resolution")
    field = window.get_by_role("textbox", name="Resolution", exact=True)
    switch = window.get_by_role("switch", name="Active")
    expect(field).to_be_focused()
    name = unique(RESOLUTION)
    keyboard.type(name)
    keyboard.press("Tab")
    expect(switch).to_be_focused()
    keyboard.press("Space")
    expect(switch).to_have_attribute("aria-checked", "false")
    keyboard.press("Shift+Tab")
    keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(add_button(page, RESOLUTION)).to_be_focused()
    expect(row(page, RESOLUTION, name, "Inactive")).to_be_visible()

    tab_to(page, row(page, RESOLUTION, name))
    keyboard.press("Enter")
    window = editor(page, "Edit Resolution")
    field = window.get_by_role("textbox", name="Resolution", exact=True)
    expect(field).to_be_focused()
    renamed = unique(RESOLUTION)
    keyboard.press("ControlOrMeta+a")
    keyboard.type(renamed)
    keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(row(page, RESOLUTION, renamed, "Inactive")).to_be_focused()
    assert stored_entry(server, RESOLUTION, renamed) is not None

    keyboard.press("Enter")
    expect(window).to_be_visible()
    tab_to(page, window.get_by_role("button", name="Delete"))
    keyboard.press("Enter")
    expect(window.get_by_role("button", name="Cancel")).to_be_focused()
    keyboard.press("Tab")
    expect(window.get_by_role("button", name="Delete")).to_be_focused()
    keyboard.press("Enter")
    expect(window).to_be_hidden()
    expect(row(page, RESOLUTION, renamed)).to_have_count(0)
    expect(add_button(page, RESOLUTION)).to_be_focused()
    assert stored_entry(server, RESOLUTION, renamed) is None


def test_escape_closes_the_window_and_focus_returns(page: Page, server: Server) -> None:
    name = unique(CAUSE)
    add_entry(server, CAUSE, name)
    open_page(page, server)

    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    window.get_by_role("textbox", name="Cause", exact=True).fill("Not saved")
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    expect(add_button(page, CAUSE)).to_be_focused()
    expect(row(page, CAUSE, "Not saved")).to_have_count(0)

    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")
    window.get_by_role("switch", name="Active").click()
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
    expect(row(page, CAUSE, name, "Active")).to_be_focused()
    saved = stored_entry(server, CAUSE, name)
    assert saved is not None
    assert saved["version"] == 1


def test_focus_stays_inside_the_window(page: Page, server: Server) -> None:
    name = unique(REASON)
    add_entry(server, REASON, name)
    open_page(page, server)
    row(page, REASON, name).click()
    window = editor(page, "Edit Reason")
    expect(window).to_be_visible()

    inside = "node => node.contains(document.activeElement)"
    seen = set()
    for key in ["Tab"] * 6 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        assert window.evaluate(inside), f"focus left the window after {key}"
        seen.add(page.evaluate("document.activeElement.id"))
    assert seen == {"entry-name", "entry-active", "editor-delete", "editor-cancel", "editor-save"}


# The list: filter, empty, loading and failure states.


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
    expect_count(page, CREDIT_REASON, active_count)

    page.get_by_role("radio", name="Inactive", exact=True).check()
    expect(row(page, CREDIT_REASON, on)).to_have_count(0)
    expect(row(page, CREDIT_REASON, off, "Inactive")).to_be_visible()
    expect_count(page, CREDIT_REASON, len(entries) - active_count)

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
        page.goto(server.base_url)

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
    page.goto(server.base_url)

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


# Looks and safety.


def overflow(page: Page) -> int:
    return int(
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    )


def test_the_page_fits_a_375_pixel_screen(page: Page, server: Server) -> None:
    long_name = "Unbroken" * 12 + secrets.token_hex(2)
    add_entry(server, CREDIT_REASON, long_name)
    page.set_viewport_size({"width": 375, "height": 740})
    open_page(page, server)

    long_row = row(page, CREDIT_REASON, long_name)
    expect(long_row).to_be_visible()
    assert overflow(page) <= 0
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

    page.route(f"{server.base_url}/", with_policy)
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
    browser_errors[:] = [e for e in browser_errors if "Content Security Policy" not in e]


# The fetch helper tells sign-in problems apart (for accounts: sign-in form, viewer rights).


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            200,
            {"data": None, "errors": [{"message": "x", "extensions": {"code": "UNAUTHENTICATED"}}]},
            "unauthenticated",
        ),
        (
            200,
            {"data": None, "errors": [{"message": "x", "extensions": {"code": "FORBIDDEN"}}]},
            "forbidden",
        ),
        (401, None, "unauthenticated"),
        (403, None, "forbidden"),
        (200, {"data": None, "errors": [{"message": "Unexpected error."}]}, "server"),
        (502, None, "server"),
    ],
    ids=["code-unauthenticated", "code-forbidden", "http-401", "http-403", "error", "http-502"],
)
def test_the_fetch_helper_reports_the_kind_of_failure(
    page: Page, server: Server, browser_errors: list[str], status: int, body: Any, kind: str
) -> None:
    open_page(page, server)
    content = "" if body is None else json.dumps(body)
    page.route(
        "**/graphql",
        lambda route: route.fulfill(status=status, content_type="application/json", body=content),
    )
    failure = page.evaluate(
        """async () => {
            const { graphql } = await import("./graphql.js");
            try { await graphql("AtRiskEntries"); return null; }
            catch (error) { return { name: error.name, kind: error.kind, status: error.status }; }
        }"""
    )
    assert failure == {"name": "ApiError", "kind": kind, "status": status}
    browser_errors[:] = [e for e in browser_errors if "Failed to load resource" not in e]


def test_a_signed_out_answer_brings_the_sign_in_form_not_a_blank_page(
    page: Page, server: Server
) -> None:
    errors = [{"message": "Sign in first.", "extensions": {"code": "UNAUTHENTICATED"}}]
    page.route(
        "**/graphql",
        lambda route: route.fulfill(json={"data": None, "errors": errors}),
    )
    page.goto(server.base_url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("textbox", name="Email")).to_be_focused()
    expect(page.get_by_role("region", name="Reasons", exact=True)).to_have_count(0)
