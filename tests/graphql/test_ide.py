"""GraphiQL is served with vendored assets: it works offline and under its own CSP."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest
from playwright.sync_api import Page, Request, expect

from atrisk.app import create_app
from tests.utils.browser import sign_in
from tests.utils.fixtures import settings_for
from tests.utils.server import Server

ASSET = re.compile(r'(?:src|href)="(/graphql-ide/[^"]+)"\s+integrity="(sha384-[^"]+)"')


async def test_the_ide_page_uses_only_vendored_assets_that_match_their_hashes(client):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "unpkg.com" not in page.text
    assert "unpkg.com" not in page.headers["content-security-policy"]
    assets = ASSET.findall(page.text)
    assert len(assets) == 7
    for url, integrity in assets:
        response = await client.get(url)
        assert response.status_code == 200, url
        digest = base64.b64encode(hashlib.sha384(response.content).digest()).decode()
        assert f"sha384-{digest}" == integrity, url


async def test_the_ide_assets_are_not_served_when_the_ide_is_off(database_url):
    settings = settings_for(database_url).model_copy(update={"graphql_ide": False})
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        response = await http.get("/graphql-ide/graphiql-3.8.3.min.js")
    assert response.status_code == 404


@pytest.mark.browser
def test_graphiql_runs_a_query_offline_in_a_real_browser(page: Page, server: Server) -> None:
    foreign: list[str] = []
    violations: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith((server.base_url, "data:")):
            foreign.append(request.url)

    page.on("request", watch)
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    sign_in(page, server)
    page.goto(f"{server.base_url}/graphql")
    run = page.get_by_role("button", name=re.compile("Execute query"))
    expect(run).to_be_visible()
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    expect(editor).to_be_visible()
    # Set the text through the editor's own API: typing races its autocompletion.
    editor.evaluate("(node, text) => node.CodeMirror.setValue(text)", "{ me { role } }")
    run.click()
    expect(page.locator(".graphiql-response")).to_contain_text('"role": "ADMIN"')
    assert foreign == []
    assert violations == []
