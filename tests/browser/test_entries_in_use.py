"""Entries that cases use: the count on each row, and Delete offering "Replace with…" or
"Deactivate instead" rather than leaving cases without their entry."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.cases import flag, lists_of, new_customer, stored_case
from tests.utils.pages.entries import CAUSE, REASON, editor, open_page, row, stored_entry
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def test_delete_of_an_entry_in_use_offers_replace_with(page: Page, server: Server) -> None:
    lists = lists_of(server)
    cases = [flag(server, new_customer(server)["id"], lists.reason["id"]) for _ in range(2)]
    open_page(page, server)
    used = row(page, REASON, lists.reason["name"])
    expect(used).to_have_accessible_description(
        "Used by 2 cases Alt+Up and Alt+Down move it in its list."
    )
    expect(row(page, REASON, lists.other_reason["name"])).to_contain_text("Not used")

    used.click()
    window = editor(page, "Edit Reason")
    window.get_by_role("button", name="Delete").click()
    window.get_by_role("button", name="Delete").click()
    expect(window.get_by_role("group")).to_contain_text("is not deleted: used by 2 cases")
    replace = window.get_by_label("Replace with…")
    expect(replace).to_be_focused()
    window.get_by_role("button", name="Replace and delete").click()
    expect(window.get_by_text("Choose the reason that takes its place.")).to_be_visible()
    replace.select_option(label=lists.other_reason["name"])
    window.get_by_role("button", name="Replace and delete").click()
    expect(window).to_be_hidden()

    expect(row(page, REASON, lists.reason["name"])).to_have_count(0)
    expect(row(page, REASON, lists.other_reason["name"])).to_contain_text("Used by 2 cases")
    assert stored_entry(server, REASON, lists.reason["name"]) is None
    for made in cases:
        assert stored_case(server, made["id"])["reason"]["id"] == lists.other_reason["id"]


def test_an_entry_in_use_can_be_deactivated_instead(page: Page, server: Server) -> None:
    lists = lists_of(server)
    made = flag(server, new_customer(server)["id"], lists.reason["id"], causeId=lists.cause["id"])
    open_page(page, server)
    row(page, CAUSE, lists.cause["name"]).click()
    window = editor(page, "Edit Cause")
    window.get_by_role("button", name="Delete").click()
    window.get_by_role("button", name="Delete").click()
    expect(window.get_by_role("group")).to_contain_text("used by 1 case")
    window.get_by_role("button", name="Deactivate instead").click()
    expect(window).to_be_hidden()
    expect(row(page, CAUSE, lists.cause["name"], "Inactive")).to_be_visible()
    assert stored_case(server, made["id"])["cause"]["id"] == lists.cause["id"]
