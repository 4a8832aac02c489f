"""The company (Settings): name, currency and time zone, with their effect explained; a
refused field said next to itself; after saving, every page shows the new currency and time
zone without a reload. By mouse and by keyboard, at 1280 and 375 px."""

from __future__ import annotations

import re
import secrets
import subprocess

import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import ADMIN_EMAIL, PASSWORD
from tests.utils.browser import graphql
from tests.utils.pages.entries import tab_to
from tests.utils.pages.settings import (
    COMPANY,
    ME_QUERY,
    inside,
    open_settings,
    overflow,
    person_row,
    stored_person,
)
from tests.utils.server import ATRISK, Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def page_company(page: Page) -> dict[str, str]:
    """The company as the page's session knows it (lib/session.js, the module the app uses)."""
    company: dict[str, str] = page.evaluate(
        "import('/lib/session.js').then((module) => module.session.get().me.company)"
    )
    return company


def stored_company(server: Server) -> dict[str, str]:
    company: dict[str, str] = graphql(server, ME_QUERY)["me"]["company"]
    return company


def shown_in(page: Page, iso: str, zone: str) -> str:
    """How the page writes the date and time `iso` in `zone` (lib/format.js's formatDate)."""
    text: str = page.evaluate(
        """([iso, zone]) => import('/lib/format.js').then(
            (format) => format.formatDate(iso, zone, { time: true }))""",
        [iso, zone],
    )
    return text


@pytest.mark.parametrize("width", [1280, 375])
def test_change_the_time_zone_and_currency_and_every_page_follows(
    page: Page, server: Server, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_settings(page, server, COMPANY)
    zone_field = page.get_by_label("Time zone")
    expect(zone_field).to_have_accessible_description(re.compile("which month, a case belongs to"))
    assert overflow(page) <= 0
    if width == 375:
        inside(page, zone_field, width)
        inside(page, page.get_by_role("button", name="Save"), width)

    zone = "America/New_York" if width == 1280 else "Asia/Tokyo"
    zone_field.select_option(zone)
    page.get_by_label("Currency").select_option("EUR")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("form", name="Company details").get_by_role("status")).to_have_text(
        "Saved."
    )
    assert stored_company(server)["timezone"] == zone
    assert stored_company(server)["currency"] == "EUR"
    assert page_company(page)["timezone"] == zone
    assert page_company(page)["currency"] == "EUR"

    # Another page, reached without a reload, writes times in the new zone.
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="People").click()
    signed_in = stored_person(server, ADMIN_EMAIL)["lastSignInAt"]
    assert signed_in is not None
    expect(person_row(page, ADMIN_EMAIL)).to_contain_text(shown_in(page, signed_in, zone))
    page.go_back()
    expect(page.get_by_label("Time zone")).to_have_value(zone)


def test_a_refused_name_is_said_next_to_it_and_nothing_is_saved(page: Page, server: Server) -> None:
    other = f"Other Company {secrets.token_hex(3)}"
    subprocess.run(
        [
            str(ATRISK),
            "create-company",
            other,
            "--admin-email",
            f"boss-{secrets.token_hex(3)}@other.example",
            "--password",
            PASSWORD,
        ],
        env=server.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    before = stored_company(server)
    open_settings(page, server, COMPANY)
    name = page.get_by_label("Name")

    name.fill("   ")
    page.get_by_role("button", name="Save").click()
    expect(name).to_have_accessible_description("The company's name is required.")
    expect(name).to_be_focused()

    name.fill(other.upper())
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_role("button", name="Save").click()
    expect(name).to_have_accessible_description(re.compile("already exists"))
    expect(name).to_be_focused()
    expect(name).to_have_value(other.upper())
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")
    assert stored_company(server) == before
    assert page_company(page)["timezone"] == before["timezone"]


def test_change_the_time_zone_by_keyboard(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    open_settings(page, server, COMPANY)
    zone_field = page.get_by_label("Time zone")
    tab_to(page, zone_field)
    page.keyboard.type("Europe/Lisbon")
    expect(zone_field).to_have_value("Europe/Lisbon")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_have_count(1)
    assert stored_company(server)["timezone"] == "Europe/Lisbon"
    assert page_company(page)["timezone"] == "Europe/Lisbon"
    assert overflow(page) <= 0

    # Saving again with nothing changed says so and sends nothing.
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Nothing to save")).to_have_count(1)
