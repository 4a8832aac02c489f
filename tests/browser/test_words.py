"""Words a person understands: an inactive duplicate offers "Reactivate it", a conflict says
field by field what is different and "Use my changes" puts back every changed field, and
the toast never covers the edit window."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.browser import graphql
from tests.utils.graphql import UPDATE
from tests.utils.pages.entries import (
    CAUSE,
    REASON,
    RESOLUTION,
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


def test_an_inactive_duplicate_says_so_and_offers_to_reactivate_it(
    page: Page, server: Server
) -> None:
    name = unique(CAUSE)
    add_entry(server, CAUSE, name, active=False)
    open_page(page, server, "/settings/at-risk-entries?show=active")
    before = len(stored(server, CAUSE))

    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    field = window.get_by_role("textbox", name="Cause", exact=True)
    field.fill(name.upper())
    window.get_by_role("button", name="Save").click()
    expect(field).to_have_accessible_description(
        f'A Cause named "{name}" already exists but is inactive.'
    )
    window.get_by_role("button", name="Reactivate it").click()

    expect(window).to_be_hidden()
    reactivated = row(page, CAUSE, name, "Active")
    expect(reactivated).to_be_focused()
    expect(page.get_by_role("status")).to_have_text(f"Saved “{name}”.")
    assert len(stored(server, CAUSE)) == before
    saved = stored_entry(server, CAUSE, name)
    assert saved is not None
    assert (saved["active"], saved["version"]) == (True, 2)


def test_a_conflict_says_what_changed_and_use_my_changes_restores_every_field(
    page: Page, server: Server
) -> None:
    entry = add_entry(server, REASON, unique(REASON))
    open_page(page, server)
    row(page, REASON, entry["name"]).click()
    window = editor(page, "Edit Reason")
    field = window.get_by_role("textbox", name="Reason", exact=True)
    switch = window.get_by_role("switch", name="Active")
    description = window.get_by_role("textbox", name="Description")

    theirs = unique(REASON)
    changes = {"id": entry["id"], "name": theirs, "description": "Their words"}
    assert graphql(server, UPDATE, {"input": changes})["updateAtRiskEntry"]["version"] == 2

    mine = unique(REASON)
    field.fill(mine)
    switch.click()
    description.fill("My words")
    window.get_by_role("button", name="Save").click()

    notice = window.get_by_role("alert")
    expect(notice).to_contain_text("This reason was changed by someone else meanwhile.")
    expect(notice).to_contain_text(f"Reason is now “{theirs}”. You had typed “{mine}”.")
    expect(notice).to_contain_text("Its description is now “Their words”.")
    expect(notice).not_to_contain_text("inactive")  # they did not touch it
    expect(notice).not_to_contain_text(re.compile("version", re.IGNORECASE))
    expect(field).to_have_value(theirs)
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(description).to_have_value("Their words")

    window.get_by_role("button", name="Use my changes").click()
    expect(field).to_have_value(mine)
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(description).to_have_value("My words")
    expect(notice).to_be_hidden()
    with page.expect_request(is_update) as update:
        window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    assert sent_input(update.value)["expectedVersion"] == 2
    saved = stored_entry(server, REASON, mine)
    assert saved is not None
    assert (saved["active"], saved["description"], saved["version"]) == (False, "My words", 3)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_toast_never_covers_the_edit_window(page: Page, server: Server, width: int) -> None:
    first, second = unique(RESOLUTION), unique(RESOLUTION)
    add_entry(server, RESOLUTION, first)
    add_entry(server, RESOLUTION, second)
    page.set_viewport_size({"width": width, "height": 640})
    open_page(page, server)
    toast = page.get_by_role("status").filter(has_text=f"Saved “{first}”.")

    row(page, RESOLUTION, first).click()
    window = editor(page, "Edit Resolution")
    window.get_by_role("switch", name="Active").click()
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(toast).to_have_css("opacity", "1")

    row(page, RESOLUTION, second).click()
    expect(window).to_be_visible()
    # Out of sight at once (it fades in 0.2 s), not when its 4 seconds are up.
    expect(toast).to_have_css("opacity", "0", timeout=1000)
    for name in ("Move up", "Move down"):
        window.get_by_role("button", name=name).click()
        expect(window.get_by_role("status")).to_contain_text("Moved to position")
        expect(toast).to_have_css("opacity", "0", timeout=1000)
    page.keyboard.press("Escape")
    expect(window).to_be_hidden()
