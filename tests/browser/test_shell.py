"""The app's shell: the product's name, navigation by role, breadcrumb links, real paths,
and Back and Forward without reloading."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import VIEWER_EMAIL
from tests.utils.browser import sign_in
from tests.utils.pages.entries import REASON, open_page, section, show
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]

PAGE = "/settings/at-risk-entries"


@pytest.mark.parametrize("email", ["admin", "viewer"])
def test_the_header_names_the_product_and_the_pages_the_role_may_use(
    page: Page, server: Server, email: str
) -> None:
    sign_in(page, server, VIEWER_EMAIL if email == "viewer" else "admin@acme.example")
    page.goto(server.base_url + PAGE)
    banner = page.get_by_role("banner")
    expect(banner.get_by_role("link", name="atrisk", exact=True)).to_have_attribute("href", "/")
    navigation = page.get_by_role("navigation", name="Main")
    # An admin's Settings pages are one link, "Settings"; a viewer may use only one of them.
    link = "Settings" if email == "admin" else "At-Risk Entries"
    expect(navigation.get_by_role("link")).to_have_text(["Cases", "Customers", link, "Reports"])
    expect(navigation.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")
    expect(banner.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_breadcrumb_parts_are_links(page: Page, server: Server) -> None:
    open_page(page, server, PAGE)
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    expect(crumbs).to_have_text(["Settings", "At-Risk Entries"])
    for index in range(2):
        expect(crumbs.nth(index)).to_have_attribute("href", PAGE)
    expect(crumbs.last).to_have_attribute("aria-current", "page")


def test_the_pages_own_path_opens_it_and_the_root_lands_on_the_cases(
    page: Page, server: Server
) -> None:
    open_page(page, server, f"{PAGE}?show=inactive")
    expect(page).to_have_title("At-Risk Entries · atrisk")
    expect(section(page, REASON)).to_be_visible()
    expect(show(page, "Inactive")).to_be_checked()

    page.goto(f"{server.base_url}/?status=all")
    expect(page).to_have_url(f"{server.base_url}/cases?status=all")
    expect(page).to_have_title("Cases · atrisk")


def test_links_and_back_and_forward_move_without_a_reload(page: Page, server: Server) -> None:
    open_page(page, server, PAGE)
    page.evaluate("window.stillTheSamePage = true")

    show(page, "Active").check()
    expect(page).to_have_url(re.compile(r"\?show=active$"))
    show(page, "Inactive").check()
    expect(page).to_have_url(re.compile(r"\?show=inactive$"))
    page.go_back()
    expect(show(page, "Active")).to_be_checked()
    page.go_back()
    expect(show(page, "All")).to_be_checked()
    expect(page).to_have_url(f"{server.base_url}{PAGE}")
    page.go_forward()
    expect(show(page, "Active")).to_be_checked()

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Settings").click()
    expect(page).to_have_url(f"{server.base_url}{PAGE}")
    expect(show(page, "All")).to_be_checked()
    expect(page.get_by_role("heading", name="At-Risk Entries", level=1)).to_be_focused()
    page.get_by_role("banner").get_by_role("link", name="atrisk").click()
    expect(page).to_have_url(f"{server.base_url}/cases")
    assert page.evaluate("window.stillTheSamePage") is True
