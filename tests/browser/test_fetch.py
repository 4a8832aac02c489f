"""The page's one fetch helper tells the kinds of failure apart, and a signed-out answer brings
the sign-in form."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.utils.pages.entries import (
    ENTRIES_PAGE,
    open_page,
)
from tests.utils.server import Server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_errors")]


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (
            200,
            {"data": None, "errors": [{"message": "x", "extensions": {"code": "UNAUTHENTICATED"}}]},
            "unauthenticated",
        ),
        (
            200,
            {"data": None, "errors": [{"message": "x", "extensions": {"code": "FORBIDDEN"}}]},
            "forbidden",
        ),
        (401, None, "unauthenticated"),
        (403, None, "forbidden"),
        (200, {"data": None, "errors": [{"message": "Unexpected error."}]}, "server"),
        (502, None, "server"),
    ],
    ids=["code-unauthenticated", "code-forbidden", "http-401", "http-403", "error", "http-502"],
)
def test_the_fetch_helper_reports_the_kind_of_failure(
    page: Page, server: Server, browser_errors: list[str], status: int, body: Any, kind: str
) -> None:
    open_page(page, server)
    content = "" if body is None else json.dumps(body)
    page.route(
        "**/graphql",
        lambda route: route.fulfill(status=status, content_type="application/json", body=content),
    )
    failure = page.evaluate(
        """async () => {
            const { graphql } = await import("/lib/graphql.js");
            try { await graphql("query Probe { __typename }"); return null; }
            catch (error) { return { name: error.name, kind: error.kind, status: error.status }; }
        }"""
    )
    assert failure == {"name": "ApiError", "kind": kind, "status": status}
    browser_errors[:] = [e for e in browser_errors if "Failed to load resource" not in e]


def test_a_signed_out_answer_brings_the_sign_in_form_not_a_blank_page(
    page: Page, server: Server
) -> None:
    errors = [{"message": "Sign in first.", "extensions": {"code": "UNAUTHENTICATED"}}]
    page.route(
        "**/graphql",
        lambda route: route.fulfill(json={"data": None, "errors": errors}),
    )
    page.goto(server.base_url + ENTRIES_PAGE)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("textbox", name="Email")).to_be_focused()
    expect(page.get_by_role("region", name="Reasons", exact=True)).to_have_count(0)
