"""API tokens (Settings): create one, the secret and a curl line shown once and copied, the
token works; revoke it (asked first) and it is refused, still listed as revoked; by mouse and
by keyboard, at 1280 and 375 px."""

from __future__ import annotations

import re
import secrets
import shlex

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.utils.accounts import ADMIN_EMAIL
from tests.utils.pages.entries import tab_to
from tests.utils.pages.settings import (
    TOKENS,
    inside,
    not_cut_off,
    open_settings,
    overflow,
    stored_token,
    table,
    token_row,
    window,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


def ask_with(server: Server, token: str) -> httpx.Response:
    return httpx.post(
        f"{server.base_url}/graphql",
        json={"query": "{ atRiskEntries { name } }"},
        headers={"Authorization": f"Bearer {token}"},
    )


def curl_request(line: str) -> tuple[dict[str, str], str, str]:
    """The headers, body and address of the curl command `line`."""
    words = shlex.split(line)
    assert words[0] == "curl"
    headers: dict[str, str] = {}
    body = ""
    rest = words[1:]
    url = rest.pop()
    while rest:
        option, value = rest.pop(0), rest.pop(0)
        if option == "-H":
            name, _, header = value.partition(": ")
            headers[name] = header
        else:
            assert option == "-d"
            body = value
    return headers, body, url


@pytest.mark.parametrize("width", [1280, 375])
def test_create_a_token_copy_its_curl_line_use_it_and_revoke_it(
    page: Page, server: Server, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.base_url)
    open_settings(page, server, TOKENS)
    assert overflow(page) <= 0
    page.get_by_role("button", name="Create token").click()
    dialog = window(page, "Create token")
    name = f"Mobile app {secrets.token_hex(3)}"
    dialog.get_by_label("Name").fill(name)
    role = dialog.get_by_label("Role")
    expect(role.get_by_role("option")).to_have_text(["View only", "Agent"])
    role.select_option(label="Agent")
    dialog.get_by_role("button", name="Create token").click()

    shown = window(page, "Token created")
    expect(shown.get_by_text("shown only now")).to_be_visible()
    token = shown.get_by_role("textbox", name="Token", exact=True).input_value()
    curl = shown.get_by_role("textbox", name="Try it with curl").input_value()
    assert curl == (
        f"curl -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' "
        f"""-d '{{"query":"{{ atRiskEntries {{ name }} }}"}}' {server.base_url}/graphql"""
    )
    shown.get_by_role("button", name="Copy Try it with curl").click()
    expect(shown.get_by_role("status").filter(has_text="Copied.")).to_have_count(1)
    assert page.evaluate("navigator.clipboard.readText()") == curl
    if width == 375:
        inside(page, shown.get_by_role("button", name="Copy Token"), width)
        inside(page, shown.get_by_role("textbox", name="Try it with curl"), width)
        assert overflow(page) <= 0

    # The line as curl would send it: the token works, with the role it was given.
    headers, body, url = curl_request(curl)
    answer = httpx.post(url, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert "errors" not in answer.json()
    assert stored_token(server, name)["role"] == "AGENT"

    shown.get_by_role("button", name="Done").click()
    expect(page.get_by_role("button", name="Create token")).to_be_focused()
    row = token_row(page, name)
    expect(row).to_contain_text("Agent")
    expect(row).to_contain_text(ADMIN_EMAIL)
    expect(row).to_contain_text("Active")
    expect(page.get_by_text(token)).to_have_count(0)
    page.reload()
    expect(token_row(page, name)).not_to_contain_text("Never")  # last used: just now

    revoke = token_row(page, name).get_by_role("button", name=f"Revoke {name}")
    revoke.click()
    confirm = window(page, f"Revoke “{name}”?")
    expect(confirm.get_by_role("button", name="Cancel")).to_be_focused()
    confirm.get_by_role("button", name="Cancel").click()
    expect(confirm).to_be_hidden()
    expect(revoke).to_be_focused()
    assert ask_with(server, token).status_code == 200

    revoke.click()
    confirm.get_by_role("button", name="Revoke token").click()
    expect(confirm).to_be_hidden()
    expect(token_row(page, name)).to_contain_text(re.compile("Revoked"))
    expect(token_row(page, name).get_by_role("button")).to_have_count(0)
    assert ask_with(server, token).status_code == 401
    assert stored_token(server, name)["revokedAt"] is not None
    page.reload()
    expect(token_row(page, name)).to_contain_text("Revoked")
    assert overflow(page) <= 0
    not_cut_off(page.get_by_role("region", name="Tokens"))
    inside(page, table(page, "API tokens"), width)


def test_create_and_revoke_a_token_by_keyboard(page: Page, server: Server) -> None:
    open_settings(page, server, TOKENS)
    create = page.get_by_role("button", name="Create token")
    tab_to(page, create)
    page.keyboard.press("Enter")
    dialog = window(page, "Create token")
    field = dialog.get_by_label("Name")
    expect(field).to_be_focused()
    page.keyboard.press("Enter")
    expect(field).to_have_accessible_description(re.compile("Name is required"))

    name = f"Nightly export {secrets.token_hex(3)}"
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    shown = window(page, "Token created")
    expect(shown.get_by_role("button", name="Copy Token")).to_be_focused()
    token = shown.get_by_role("textbox", name="Token", exact=True).input_value()
    assert ask_with(server, token).status_code == 200
    assert stored_token(server, name)["role"] == "VIEWER"
    page.keyboard.press("Escape")
    expect(create).to_be_focused()

    revoke = token_row(page, name).get_by_role("button", name=f"Revoke {name}")
    tab_to(page, revoke)
    page.keyboard.press("Enter")
    confirm = window(page, f"Revoke “{name}”?")
    page.keyboard.press("Tab")
    expect(confirm.get_by_role("button", name="Revoke token")).to_be_focused()
    page.keyboard.press("Enter")
    expect(confirm).to_be_hidden()
    expect(token_row(page, name)).to_contain_text("Revoked")
    assert ask_with(server, token).status_code == 401


def test_a_second_active_token_of_the_same_name_is_refused_next_to_the_name(
    page: Page, server: Server
) -> None:
    open_settings(page, server, TOKENS)
    name = f"Same name {secrets.token_hex(3)}"
    for attempt in range(2):
        page.get_by_role("button", name="Create token").click()
        dialog = window(page, "Create token")
        dialog.get_by_label("Name").fill(name)
        dialog.get_by_role("button", name="Create token").click()
        if attempt == 0:
            window(page, "Token created").get_by_role("button", name="Done").click()
    field = window(page, "Create token").get_by_label("Name")
    expect(field).to_have_accessible_description(re.compile("already has a token named"))
    expect(field).to_be_focused()
    expect(field).to_have_value(name)
