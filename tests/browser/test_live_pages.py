"""Live updates in the browser: someone else's change appears on an open page without a
reload, and nothing the person there is doing is disturbed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import graphql
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
    expect(page.get_by_role("status").filter(has_text="Live")).to_be_visible(timeout=15000)


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
