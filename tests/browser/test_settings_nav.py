"""The Settings area in the header: admins get one "Settings" link and the Settings pages
listed on each of them; other roles get none of the admin pages, which are not found."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import VIEWER_EMAIL
from tests.utils.browser import sign_in
from tests.utils.pages.entries import tab_to
from tests.utils.pages.settings import (
    ACCOUNT,
    COMPANY,
    TOKENS,
    USERS,
    add_person,
    inside,
    open_settings,
    overflow,
    sign_in_as,
    unique_email,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

SETTINGS_PAGES = ["At-Risk Entries", "People", "API tokens", "Company", "History"]


@pytest.mark.parametrize("width", [1280, 375])
def test_admins_move_between_the_settings_pages(page: Page, server: Server, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_settings(page, server, "/settings/at-risk-entries")
    main = page.get_by_role("navigation", name="Main")
    expect(main.get_by_role("link")).to_have_text(["Cases", "Customers", "Settings", "Reports"])
    expect(main.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "page")
    settings = page.get_by_role("navigation", name="Settings")
    expect(settings.get_by_role("link")).to_have_text(SETTINGS_PAGES)
    if width == 375:
        for name in SETTINGS_PAGES:
            inside(page, settings.get_by_role("link", name=name), width)

    for name, path in (("People", USERS), ("API tokens", TOKENS), ("Company", COMPANY)):
        settings.get_by_role("link", name=name).click()
        expect(page).to_have_url(server.base_url + path)
        expect(page.get_by_role("heading", name=name, level=1)).to_be_focused()
        expect(settings.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        expect(main.get_by_role("link", name="Settings")).to_have_attribute("aria-current", "true")
        expect(page.get_by_role("main")).not_to_have_attribute("aria-busy", "true")
        assert overflow(page) <= 0

    page.get_by_role("banner").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_focused()
    expect(settings).to_have_count(0)
    expect(main.get_by_role("link", name="Settings")).not_to_have_attribute("aria-current", "true")


def test_the_settings_pages_by_keyboard(page: Page, server: Server) -> None:
    open_settings(page, server, "/settings/at-risk-entries")
    people = page.get_by_role("navigation", name="Settings").get_by_role("link", name="People")
    tab_to(page, people)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="People", level=1)).to_be_focused()
    expect(page).to_have_url(server.base_url + USERS)


@pytest.mark.parametrize("role", ["VIEWER", "AGENT"])
def test_other_roles_get_no_settings_and_the_admin_pages_are_not_found(
    page: Page, server: Server, role: str
) -> None:
    if role == "VIEWER":
        sign_in(page, server, VIEWER_EMAIL)
    else:
        email = unique_email("agent")
        add_person(server, email, "AGENT")
        sign_in_as(page.context, server, email)
    for path in (USERS, TOKENS, COMPANY):
        page.goto(server.base_url + path)
        expect(page.get_by_role("heading", name="Page not found", level=1)).to_be_visible()
        expect(page.get_by_role("navigation", name="Settings")).to_have_count(0)
        main = page.get_by_role("navigation", name="Main")
        expect(main.get_by_role("link", name="Settings")).to_have_count(0)
        for name in ("People", "API tokens", "Company"):
            expect(page.get_by_role("link", name=name)).to_have_count(0)
    page.get_by_role("banner").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", name="Your account", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Change password")).to_be_visible()


def test_signed_out_visitors_get_the_sign_in_form_on_every_settings_path(
    page: Page, server: Server, browser_errors: list[str]
) -> None:
    for path in (USERS, TOKENS, COMPANY, ACCOUNT):
        page.goto(server.base_url + path)
        expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # Each page's first request is answered 401, which the console notes.
    assert browser_errors
    browser_errors[:] = [e for e in browser_errors if "status of 401" not in e]
