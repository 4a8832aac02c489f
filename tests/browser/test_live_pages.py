"""Live updates in the browser: someone else's change appears on an open page without a
reload, and nothing the person there is doing is disturbed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import graphql
from tests.utils.cases_api import UPDATE_CUSTOMER
from tests.utils.pages.cases import flag, lists_of, new_customer, queue_row, ready, update_case
from tests.utils.pages.entries import (
    CAUSE,
    REASON,
    add_entry,
    editor,
    open_page,
    row,
    search_box,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

ENTRIES = "/settings/at-risk-entries"
UPDATE = """mutation($input: UpdateAtRiskEntryInput!) {
  updateAtRiskEntry(input: $input) { __typename ... on AtRiskEntry { version } }
}"""


def expect_live(page: Page) -> None:
    indicator = page.locator(".live-indicator[aria-live=polite]")
    expect(indicator).to_have_text("Live", timeout=15000)


def test_an_entry_added_elsewhere_appears_and_typed_text_survives(
    page: Page, server: Server
) -> None:
    open_page(page, server, ENTRIES)
    expect_live(page)
    box = search_box(page)
    box.fill(REASON.label)  # the search matches the new entry's name
    box.press("End")
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))

    name = unique(REASON)
    add_entry(server, REASON, name)
    added = row(page, REASON, name)
    expect(added).to_be_visible(timeout=5000)
    expect(box).to_have_value(REASON.label)
    expect(box).to_be_focused()
    assert loads == []  # no reload


def test_an_open_window_on_an_entry_changed_elsewhere_offers_the_new_values(
    page: Page, server: Server
) -> None:
    name = unique(CAUSE)
    entry = add_entry(server, CAUSE, name)
    open_page(page, server, ENTRIES)
    expect_live(page)
    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")
    field = window.get_by_role("textbox", name="Cause", exact=True)
    field.fill(f"{name} mine")

    theirs = f"{name} theirs"
    changed = graphql(
        server, UPDATE, {"input": {"id": entry["id"], "name": theirs, "expectedVersion": 1}}
    )["updateAtRiskEntry"]
    assert changed["__typename"] == "AtRiskEntry"

    notice = window.get_by_role("status").filter(has_text="Someone else changed this cause")
    expect(notice).to_be_visible(timeout=5000)
    expect(field).to_have_value(f"{name} mine")  # what was typed is untouched
    notice.get_by_role("button", name="Load the new values").click()
    expect(field).to_have_value(theirs)
    window.get_by_role("button", name="Use my changes").click()
    expect(field).to_have_value(f"{name} mine")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, CAUSE, f"{name} mine")).to_be_visible()


def test_a_second_page_sees_the_first_pages_change(page: Page, server: Server) -> None:
    open_page(page, server, ENTRIES)
    other = page.context.new_page()
    try:
        open_page(other, server, ENTRIES)
        expect_live(other)
        expect_live(page)
        name = unique(REASON)
        page.get_by_role("button", name="Add Reason").click()
        window = editor(page, "Add Reason")
        window.get_by_role("textbox", name="Reason", exact=True).fill(name)
        window.get_by_role("button", name="Save").click()
        expect(window).to_be_hidden()
        expect(row(other, REASON, name)).to_be_visible(timeout=5000)
    finally:
        other.close()


def test_the_queue_shows_a_case_flagged_elsewhere_and_keeps_its_filters(
    page: Page, server: Server
) -> None:
    lists = lists_of(server)
    open_page(page, server, "/cases?status=OPEN")
    ready(page)
    expect_live(page)
    loads: list[str] = []
    page.on("framenavigated", lambda frame: loads.append(frame.url))

    customer = new_customer(server)
    found = flag(server, customer["id"], lists.reason["id"], risk="LOW")
    added = queue_row(page, customer["name"])
    expect(added).to_be_visible(timeout=5000)
    expect(added).to_contain_text("Low")

    update_case(server, found["id"], riskLevel="HIGH")
    expect(added).to_contain_text("High", timeout=5000)
    assert page.url.endswith("/cases?status=OPEN")
    assert loads == []  # read again in place, never reloaded


def test_a_customer_page_follows_changes_made_elsewhere(page: Page, server: Server) -> None:
    lists = lists_of(server)
    customer = new_customer(server)
    open_page(page, server, f"/customers/{customer['id']}")
    ready(page)
    expect_live(page)
    flag_button = page.get_by_role("button", name="Flag at risk")
    expect(flag_button).to_be_visible()

    # A case flagged for this customer elsewhere appears in the At Risk tab.
    found = flag(server, customer["id"], lists.reason["id"], notes="Flagged elsewhere.")
    expect(page.get_by_role("button", name="Edit case")).to_be_visible(timeout=5000)
    expect(page.get_by_text("Flagged elsewhere.")).to_be_visible()

    # Their edit of the case and of the customer show without a reload.
    update_case(server, found["id"], notes="Edited elsewhere.")
    expect(page.get_by_text("Edited elsewhere.")).to_be_visible(timeout=5000)
    renamed = f"{customer['name']} renamed"
    changed = graphql(server, UPDATE_CUSTOMER, {"input": {"id": customer["id"], "name": renamed}})
    assert changed["updateCustomer"]["__typename"] == "Customer", changed
    expect(page.get_by_role("heading", level=1)).to_have_text(renamed, timeout=5000)
