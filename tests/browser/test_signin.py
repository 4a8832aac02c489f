"""Signing in and out of the web page in a real Chromium; what each role sees."""

from __future__ import annotations

import re
import secrets

import httpx
import pytest
from playwright.sync_api import Page, Request, expect

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import ADMIN_EMAIL, COMPANY, PASSWORD, VIEWER_EMAIL
from tests.utils.browser import graphql, sign_in
from tests.utils.graphql import ADD
from tests.utils.pages.entries import ENTRIES_PAGE
from tests.utils.server import Server

pytestmark = pytest.mark.browser

ME = {"query": "{ me { role } }"}
SECTIONS = ["Reasons", "Causes", "Resolutions", "Credit Reasons"]


def sign_in_form(page: Page, email: str, password: str) -> None:
    form = page.get_by_role("region", name="Sign in")
    form.get_by_role("textbox", name="Email").fill(email)
    form.get_by_label("Password").fill(password)
    form.get_by_role("button", name="Sign in").click()


def session_cookie(page: Page) -> str | None:
    return next((c["value"] for c in page.context.cookies() if c["name"] == SESSION_COOKIE), None)


def add_reason(server: Server) -> str:
    name = f"Reason {secrets.token_hex(4)}"
    variables = {"input": {"category": "REASON", "name": name}}
    assert graphql(server, ADD, variables)["addAtRiskEntry"]["__typename"] == "AtRiskEntry"
    return name


def test_a_signed_out_visitor_sees_only_the_sign_in_form(page: Page, server: Server) -> None:
    add_reason(server)
    page.goto(server.base_url + ENTRIES_PAGE)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("textbox", name="Email")).to_be_focused()
    for title in SECTIONS:
        expect(page.get_by_role("region", name=title, exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    expect(page.get_by_text(COMPANY)).to_have_count(0)


def test_an_empty_form_is_refused_before_any_request(page: Page, server: Server) -> None:
    logins: list[Request] = []
    page.on("request", lambda r: logins.append(r) if r.url.endswith("/auth/login") else None)
    page.goto(server.base_url + ENTRIES_PAGE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Enter your email and password.")
    assert logins == []


def test_a_wrong_password_and_an_unknown_email_get_the_same_message(
    page: Page, fresh_server: Server
) -> None:
    page.goto(fresh_server.base_url)
    sign_in_form(page, VIEWER_EMAIL, "not the password")
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("Email or password is incorrect.")
    expect(page.get_by_label("Password")).to_be_focused()
    with page.expect_response("**/auth/login") as answer:
        sign_in_form(page, "nobody@acme.example", PASSWORD)
    assert answer.value.status == 401
    expect(alert).to_have_text("Email or password is incorrect.")
    assert session_cookie(page) is None
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_too_many_failures_are_refused_with_a_clear_message(
    page: Page, fresh_server: Server
) -> None:
    page.goto(fresh_server.base_url)
    alert = page.get_by_role("alert")
    for attempt in range(5):
        with page.expect_response("**/auth/login") as answer:
            sign_in_form(page, VIEWER_EMAIL, f"wrong {attempt}")
        assert answer.value.status == 401
        expect(alert).to_have_text("Email or password is incorrect.")
    sign_in_form(page, VIEWER_EMAIL, PASSWORD)
    expect(alert).to_have_text("Too many failed sign-in attempts. Try again in 15 minutes.")
    assert session_cookie(page) is None


def test_an_admin_signs_in_edits_and_signs_out(page: Page, server: Server) -> None:
    name = add_reason(server)
    page.goto(server.base_url + ENTRIES_PAGE)
    sign_in_form(page, ADMIN_EMAIL, PASSWORD)

    expect(page.get_by_text(COMPANY, exact=True)).to_be_visible()
    expect(page.get_by_text(ADMIN_EMAIL)).to_be_visible()
    expect(page.get_by_text("Admin", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="At-Risk Entries")).to_be_focused()
    reasons = page.get_by_role("region", name="Reasons", exact=True)
    expect(reasons.get_by_role("button", name=f"{name} Active")).to_be_visible()
    for title in SECTIONS:
        region = page.get_by_role("region", name=title, exact=True)
        expect(region.get_by_role("button", name=re.compile("^Add"))).to_be_enabled()
    reasons.get_by_role("button", name=f"{name} Active").click()
    expect(page.get_by_role("dialog", name="Edit Reason")).to_be_visible()
    page.keyboard.press("Escape")

    cookie = session_cookie(page)
    assert cookie is not None
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Signed out.")
    expect(page.get_by_text(name)).to_have_count(0)
    assert session_cookie(page) is None
    # The session ended on the server: its cookie no longer works anywhere.
    replay = httpx.post(f"{server.base_url}/graphql", json=ME, cookies={SESSION_COOKIE: cookie})
    assert replay.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_viewer_sees_the_lists_without_edit_controls(page: Page, server: Server) -> None:
    name = add_reason(server)
    sign_in(page, server, VIEWER_EMAIL)
    page.goto(server.base_url + ENTRIES_PAGE)

    expect(page.get_by_text(COMPANY, exact=True)).to_be_visible()
    expect(page.get_by_text("View only", exact=True)).to_be_visible()
    reasons = page.get_by_role("region", name="Reasons", exact=True)
    entry = reasons.get_by_role("listitem").filter(has_text=name)
    expect(entry).to_contain_text("Active")
    expect(page.get_by_role("main").get_by_role("button")).to_have_count(0)
    entry.click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    page.get_by_role("radio", name="Inactive", exact=True).check()
    expect(entry).to_have_count(0)


def test_the_sign_in_form_fits_a_375_pixel_screen(page: Page, server: Server) -> None:
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(server.base_url + ENTRIES_PAGE)
    form = page.get_by_role("region", name="Sign in")
    expect(form).to_be_visible()
    box = form.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    scroll = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(scroll) <= 0
