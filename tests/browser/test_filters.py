"""The filter and the search: kept in the address, counted ("3 of 40"), and never hiding
what you just did; long lists leave no holes between the sections."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    ALL,
    CAUSE,
    CREDIT_REASON,
    REASON,
    RESOLUTION,
    add_button,
    add_entry,
    editor,
    expect_count,
    names_in,
    open_page,
    row,
    search_box,
    section,
    show,
    stored,
    stored_entry,
    unique,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

PAGE = "/settings/at-risk-entries"


def test_a_change_the_filter_would_hide_stays_listed_and_marked(page: Page, server: Server) -> None:
    name = unique(RESOLUTION)
    add_entry(server, RESOLUTION, name)
    open_page(page, server, f"{PAGE}?show=active")
    total = len(stored(server, RESOLUTION))

    row(page, RESOLUTION, name, "Active").click()
    window = editor(page, "Edit Resolution")
    window.get_by_role("switch", name="Active").click()
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()

    kept = row(page, RESOLUTION, name, "Inactive")
    expect(kept).to_be_focused()
    expect(kept).to_have_accessible_description(re.compile("^Just changed, shown until you change"))
    expect(kept).to_contain_text("Just changed")
    active = sum(e["active"] for e in stored(server, RESOLUTION))
    expect_count(page, RESOLUTION, active + 1, total)
    stored_now = stored_entry(server, RESOLUTION, name)
    assert stored_now is not None
    assert stored_now["active"] is False

    show(page, "Inactive").check()
    expect(row(page, RESOLUTION, name, "Inactive")).not_to_contain_text("Just changed")
    show(page, "Active").check()
    expect(row(page, RESOLUTION, name)).to_have_count(0)
    expect_count(page, RESOLUTION, active, total)


def test_an_entry_added_under_a_filter_that_hides_it_stays_listed(
    page: Page, server: Server
) -> None:
    open_page(page, server, f"{PAGE}?show=inactive")
    add_button(page, CAUSE).click()
    window = editor(page, "Add Cause")
    name = unique(CAUSE)
    window.get_by_role("textbox", name="Cause", exact=True).fill(name)
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()
    added = row(page, CAUSE, name, "Active")
    expect(added).to_contain_text("Just added")
    expect(added).to_have_accessible_description(re.compile("^Just added"))

    search_box(page).fill(name)
    expect(row(page, CAUSE, name)).to_have_count(0)  # a new search shows what it asks


def test_the_filter_and_the_search_are_kept_in_the_address(page: Page, server: Server) -> None:
    tag = unique(CREDIT_REASON).split()[-1]
    on, off = f"Waived {tag}", f"Refunded {tag}"
    add_entry(server, CREDIT_REASON, on)
    add_entry(server, CREDIT_REASON, off, active=False)
    open_page(page, server, PAGE)
    total = len(stored(server, CREDIT_REASON))

    show(page, "Inactive").check()
    expect(page).to_have_url(re.compile(r"\?show=inactive$"))
    search_box(page).fill(tag)
    expect(page).to_have_url(re.compile(rf"\?show=inactive&q={tag}$"))
    expect(row(page, CREDIT_REASON, off, "Inactive")).to_be_visible()
    expect(row(page, CREDIT_REASON, on)).to_have_count(0)
    expect_count(page, CREDIT_REASON, 1, total)

    page.reload()
    expect(show(page, "Inactive")).to_be_checked()
    expect(search_box(page)).to_have_value(tag)
    expect(row(page, CREDIT_REASON, off, "Inactive")).to_be_visible()
    expect_count(page, CREDIT_REASON, 1, total)

    page.go_back()  # the search replaced the address as it was typed; Back undoes the filter
    expect(show(page, "All")).to_be_checked()
    expect(search_box(page)).to_have_value("")
    expect_count(page, CREDIT_REASON, total)


def test_the_search_narrows_by_name_or_description(page: Page, server: Server) -> None:
    tag = unique(REASON).split()[-1]
    named = add_entry(server, REASON, f"Moved {tag}")
    described = f"Price {tag}"
    open_page(page, server, PAGE)
    total = len(stored(server, REASON)) + 1
    add_button(page, REASON).click()
    window = editor(page, "Add Reason")
    window.get_by_role("textbox", name="Reason", exact=True).fill(described)
    window.get_by_role("textbox", name="Description").fill(f"Raised in spring ({tag.upper()})")
    window.get_by_role("button", name="Save").click()
    expect(window).to_be_hidden()

    search_box(page).fill(f"  {tag.upper()} ")
    expect_count(page, REASON, 2, total)
    assert sorted(names_in(page, REASON)) == sorted([named["name"], described])
    for category in (CAUSE, RESOLUTION, CREDIT_REASON):
        expect(section(page, category)).to_contain_text(f"No {category.title.lower()} match")
    search_box(page).fill("spring")
    expect(row(page, REASON, described, "Active")).to_be_visible()
    search_box(page).fill("nothing like this")
    expect(section(page, REASON)).to_contain_text("No reasons match “nothing like this”.")
    search_box(page).fill("")
    expect_count(page, REASON, total)


@pytest.mark.parametrize("width", [1280, 375])
def test_long_lists_leave_no_holes_between_sections(
    page: Page, fresh_server: Server, width: int
) -> None:
    for number in range(40):
        add_entry(fresh_server, REASON, f"Reason number {number:02}")
    add_entry(fresh_server, CAUSE, "Only cause")
    page.set_viewport_size({"width": width, "height": 800})
    open_page(page, fresh_server, PAGE)
    expect_count(page, REASON, 40)
    boxes = []
    for category in ALL:
        box = section(page, category).bounding_box()
        assert box is not None
        boxes.append(box)
    for box in boxes:
        above = [
            other
            for other in boxes
            if other is not box
            and abs(other["x"] - box["x"]) < 2
            and other["y"] + other["height"] <= box["y"]
        ]
        if above:
            nearest = max(above, key=lambda other: other["y"])
            gap = box["y"] - (nearest["y"] + nearest["height"])
            assert gap <= 24, f"a hole of {gap:.0f} px above a section"
        else:
            assert abs(box["y"] - min(b["y"] for b in boxes)) < 2, "a column starts lower"
    columns = {round(box["x"]) for box in boxes}
    assert len(columns) == (2 if width == 1280 else 1)
