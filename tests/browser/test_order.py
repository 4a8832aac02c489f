"""The order of a list: drag and drop, Alt+Up / Alt+Down on a row, Move up / Move down in the
window, Sort A to Z; each said to screen readers and kept by the server (it survives a reload).
At a desktop's width and a phone's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    CAUSE,
    CREDIT_REASON,
    RESOLUTION,
    add_button,
    add_entry,
    editor,
    expect_saved,
    is_list_reload,
    names_in,
    names_stored,
    open_page,
    reload,
    row,
    section,
    stored,
    stored_entry,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

WIDTHS = pytest.mark.parametrize("width", [1280, 375])


def three(server: Server, category) -> list[str]:
    tag = unique(category).split()[-1]
    names = [f"{letter} {tag}" for letter in "ABC"]
    for name in names:
        add_entry(server, category, name)
    return names


def shown(page: Page, category, names: list[str]) -> list[str]:
    return [name for name in names_in(page, category) if name in names]


@WIDTHS
def test_drag_and_drop_reorders_and_survives_a_reload(
    page: Page, server: Server, width: int
) -> None:
    a, b, c = three(server, CAUSE)
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, server)

    with page.expect_response(is_list_reload):
        row(page, CAUSE, c).drag_to(row(page, CAUSE, a), target_position={"x": 30, "y": 4})
    expect(page.get_by_role("status")).to_contain_text(f"Moved “{c}” to position")
    assert shown(page, CAUSE, [a, b, c]) == [c, a, b]
    assert names_stored(server, CAUSE, [a, b, c]) == [c, a, b]

    box = row(page, CAUSE, b).bounding_box()
    assert box is not None
    with page.expect_response(is_list_reload):
        row(page, CAUSE, c).drag_to(
            row(page, CAUSE, b), target_position={"x": 30, "y": box["height"] - 4}
        )
    expect(page.get_by_role("status")).to_contain_text(f"Moved “{c}” to position")
    assert names_stored(server, CAUSE, [a, b, c]) == [a, b, c]
    reload(page)
    assert shown(page, CAUSE, [a, b, c]) == [a, b, c]
    positions = [e["position"] for e in stored(server, CAUSE)]
    assert positions == list(range(1, len(positions) + 1))


@WIDTHS
def test_alt_arrows_move_a_row_say_so_and_keep_the_focus(
    page: Page, server: Server, width: int
) -> None:
    a, b, c = three(server, RESOLUTION)
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, server)
    total = len(stored(server, RESOLUTION))

    row(page, RESOLUTION, b).focus()
    page.keyboard.press("Alt+ArrowUp")
    expect(page.get_by_role("status")).to_have_text(
        f"Moved “{b}” to position {total - 2} of {total} in Resolutions."
    )
    expect(row(page, RESOLUTION, b)).to_be_focused()
    assert shown(page, RESOLUTION, [a, b, c]) == [b, a, c]
    page.keyboard.press("Alt+ArrowDown")
    page.keyboard.press("Alt+ArrowDown")
    expect(page.get_by_role("status")).to_have_text(
        f"Moved “{b}” to position {total} of {total} in Resolutions."
    )
    expect(row(page, RESOLUTION, b)).to_be_focused()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.get_by_role("status")).to_have_text(f"“{b}” is already last.")
    expect(row(page, RESOLUTION, b)).to_be_focused()
    expect_saved(page)
    assert names_stored(server, RESOLUTION, [a, b, c]) == [a, c, b]
    reload(page)
    assert shown(page, RESOLUTION, [a, b, c]) == [a, c, b]


def test_move_up_and_down_in_the_window(page: Page, server: Server) -> None:
    a, b, c = three(server, CREDIT_REASON)
    open_page(page, server)
    total = len(stored(server, CREDIT_REASON))

    row(page, CREDIT_REASON, a).click()
    window = editor(page, "Edit Credit Reason")
    window.get_by_role("button", name="Move down").click()
    expect(window.get_by_role("status")).to_have_text(f"Moved to position {total - 1} of {total}.")
    window.get_by_role("button", name="Move down").click()
    expect(window.get_by_role("status")).to_have_text(f"Moved to position {total} of {total}.")
    window.get_by_role("button", name="Move down").click()
    expect(window.get_by_role("status")).to_have_text("It is already last.")

    # The window's own text is still there, and saves with the version the move gave it.
    renamed = f"{a} renamed"
    window.get_by_role("textbox", name="Credit Reason", exact=True).fill(renamed)
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    assert names_stored(server, CREDIT_REASON, [b, c, renamed]) == [b, c, renamed]
    reload(page)
    assert shown(page, CREDIT_REASON, [b, c, renamed]) == [b, c, renamed]


@WIDTHS
def test_sort_a_to_z_asks_first_then_sorts_the_whole_section(
    page: Page, fresh_server: Server, width: int
) -> None:
    for name in ("zebra crossing", "Émile's choice", "apple", "Banana"):
        add_entry(fresh_server, CAUSE, name)
    add_entry(fresh_server, RESOLUTION, "Z stays first")
    add_entry(fresh_server, RESOLUTION, "A stays second")
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, fresh_server)

    sort = section(page, CAUSE).get_by_role("button", name="Sort A–Z Causes")
    sort.click()
    question = page.get_by_role("dialog", name="Sort Causes A–Z?")
    expect(question).to_contain_text("All 4 causes are put in alphabetical order.")
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    expect(sort).to_be_focused()
    assert names_in(page, CAUSE) == ["zebra crossing", "Émile's choice", "apple", "Banana"]

    sort.click()
    question.get_by_role("button", name="Sort A–Z").click()
    expect(page.get_by_role("status")).to_have_text("Sorted Causes A–Z.")
    expect(sort).to_be_focused()
    expected = ["apple", "Banana", "Émile's choice", "zebra crossing"]
    expect(section(page, CAUSE).get_by_role("listitem")).to_have_count(4)
    assert names_in(page, CAUSE) == expected
    assert [e["name"] for e in stored(fresh_server, CAUSE)] == expected
    assert names_in(page, RESOLUTION) == ["Z stays first", "A stays second"]
    reload(page)
    assert names_in(page, CAUSE) == expected


def test_a_description_is_shown_under_the_name(page: Page, server: Server) -> None:
    open_page(page, server)
    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    name = unique(CAUSE)
    window.get_by_role("textbox", name="Cause", exact=True).fill(name)
    description = window.get_by_role("textbox", name="Description")
    expect(description).to_have_attribute("maxlength", "500")
    description.fill("  Installed by a competitor after a door-to-door visit.  ")
    expect(window.get_by_text("57 / 500", exact=True)).to_be_visible()
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()

    added = row(page, CAUSE, name, "Active")
    expect(added).to_contain_text("Installed by a competitor after a door-to-door visit.")
    expect(added).to_have_accessible_description(
        re.compile("^Installed by a competitor after a door-to-door visit.")
    )
    saved = stored_entry(server, CAUSE, name)
    assert saved is not None
    assert saved["description"] == "Installed by a competitor after a door-to-door visit."

    added.click()
    window = editor(page, "Edit Cause")
    window.get_by_role("textbox", name="Description").fill("")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    expect(row(page, CAUSE, name, "Active")).not_to_contain_text("Installed")
    saved = stored_entry(server, CAUSE, name)
    assert saved is not None
    assert saved["description"] is None
