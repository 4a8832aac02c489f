"""Two pages at once, as two admins work: nothing is deleted or overwritten unseen."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    CAUSE,
    REASON,
    add_button,
    add_entry,
    editor,
    names_stored,
    open_page,
    row,
    stored_entry,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


@pytest.fixture
def other(page: Page, server: Server) -> Iterator[Page]:
    """A second page of the same admin, side by side with `page`."""
    second = page.context.new_page()
    open_page(second, server)
    yield second
    second.close()


def test_a_rename_in_one_page_stops_a_delete_in_the_other(
    page: Page, other: Page, server: Server
) -> None:
    name = unique(REASON)
    entry = add_entry(server, REASON, name, active=True)
    open_page(page, server)
    row(page, REASON, name).click()
    window = editor(page, "Edit Reason")
    window.get_by_role("button", name="Delete").click()

    renamed = unique(REASON)
    other.reload()
    row(other, REASON, name).click()
    theirs = editor(other, "Edit Reason")
    theirs.get_by_role("textbox", name="Reason", exact=True).fill(renamed)
    theirs.get_by_role("button", name="Save").click()
    expect(theirs).to_be_hidden()

    window.get_by_role("button", name="Delete").click()
    notice = window.get_by_role("alert")
    expect(notice).to_contain_text("Not deleted: this reason was changed by someone else")
    expect(notice).to_contain_text(f"Reason is now “{renamed}”.")
    expect(notice).not_to_contain_text(re.compile("version", re.IGNORECASE))
    field = window.get_by_role("textbox", name="Reason", exact=True)
    expect(field).to_have_value(renamed)
    expect(row(page, REASON, renamed, "Active")).to_be_visible()
    expect(window.get_by_role("button", name="Delete")).to_be_focused()
    stored = stored_entry(server, REASON, renamed)
    assert stored is not None
    assert (stored["id"], stored["version"]) == (entry["id"], 2)

    # Seen now: the second Delete (after asking again) deletes the entry as it is.
    window.get_by_role("button", name="Delete").click()
    expect(window.get_by_text(f"Delete the reason “{renamed}”?")).to_be_visible()
    window.get_by_role("button", name="Delete").click()
    expect(window).to_be_hidden()
    assert stored_entry(server, REASON, renamed) is None


def test_a_delete_in_one_page_is_told_in_the_other_which_offers_only_close(
    page: Page, other: Page, server: Server
) -> None:
    name = unique(CAUSE)
    add_entry(server, CAUSE, name)
    open_page(page, server)
    row(page, CAUSE, name).click()
    window = editor(page, "Edit Cause")

    other.reload()
    row(other, CAUSE, name).click()
    theirs = editor(other, "Edit Cause")
    theirs.get_by_role("button", name="Delete").click()
    theirs.get_by_role("button", name="Delete").click()
    expect(theirs).to_be_hidden()

    window.get_by_role("button", name="Delete").click()
    window.get_by_role("button", name="Delete").click()
    expect(window.get_by_role("alert")).to_have_text(
        "This cause no longer exists: someone else deleted it."
    )
    expect(window.get_by_role("button")).to_have_text(["Close"])
    expect(row(page, CAUSE, name)).to_have_count(0)
    window.get_by_role("button", name="Close").click()
    expect(window).to_be_hidden()
    expect(add_button(page, CAUSE)).to_be_focused()


def test_a_move_in_one_page_does_not_stop_a_save_in_the_other(
    page: Page, other: Page, server: Server
) -> None:
    first, second = unique(REASON), unique(REASON)
    add_entry(server, REASON, first)
    add_entry(server, REASON, second)
    open_page(page, server)
    row(page, REASON, second).click()
    window = editor(page, "Edit Reason")

    other.reload()
    row(other, REASON, second).focus()
    with other.expect_response(lambda r: "MoveAtRiskEntry" in (r.request.post_data or "")):
        other.keyboard.press("Alt+ArrowUp")
    expect(other.get_by_role("status")).to_contain_text(f"Moved “{second}”")
    assert names_stored(server, REASON, [first, second]) == [second, first]

    renamed = unique(REASON)
    window.get_by_role("textbox", name="Reason", exact=True).fill(renamed)
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    assert names_stored(server, REASON, [first, renamed]) == [renamed, first]
    saved = stored_entry(server, REASON, renamed)
    assert saved is not None
    assert saved["version"] == 3  # added, moved in the other page, renamed here
