"""The page with the keyboard alone: Tab, Enter, Space, Escape, and focus kept in the window."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    CAUSE,
    REASON,
    RESOLUTION,
    add_button,
    add_entry,
    editor,
    open_page,
    row,
    stored_entry,
    tab_to,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


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
    controls = window.evaluate(
        """node => [...node.querySelectorAll("input, button, textarea")]
            .filter((control) => !control.disabled && control.getClientRects().length > 0)
            .map((control) => control.id || control.textContent.trim())"""
    )
    seen = set()
    for key in ["Tab"] * 10 + ["Shift+Tab"] * 10:
        page.keyboard.press(key)
        assert window.evaluate(inside), f"focus left the window after {key}"
        seen.add(
            page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")
        )
    assert seen == set(controls)
    assert seen >= {"entry-name", "entry-active", "entry-description", "Move up", "Move down"}
    assert seen >= {"editor-delete", "editor-cancel", "editor-save"}
