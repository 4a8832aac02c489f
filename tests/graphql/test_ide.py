"""GraphiQL is served with vendored assets: it works offline and under its own CSP."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import httpx
import pytest
from graphql import parse, validate
from playwright.sync_api import Page, Request, expect

from atrisk.app import create_app
from atrisk.graphql.schema import schema
from tests.utils.browser import sign_in
from tests.utils.fixtures import settings_for
from tests.utils.server import Server

EXAMPLE = re.compile(r"const EXAMPLE_QUERY = (\"(?:[^\"\\]|\\.)*\");")


def example_of(html: str) -> str:
    match = EXAMPLE.search(html)
    assert match is not None, "the IDE page has no example document"
    document: str = json.loads(match.group(1))
    return document


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


async def test_the_ide_opens_on_a_working_example_of_this_api(client, api):
    page = await client.get("/graphql", headers={"accept": "text/html"})
    document = example_of(page.text)
    assert "You are signed in" in document
    assert validate(schema._schema, parse(document)) == []
    reason = await api.add("REASON", "Moving out of area")

    async def run(operation):
        response = await client.post(
            "/graphql", json={"query": document, "operationName": operation}
        )
        assert response.status_code == 200
        return response.json()

    assert await run("Picker") == {
        "data": {"atRiskEntries": [{"id": reason["id"], "name": "Moving out of area"}]}
    }
    added = await run("AddCause")
    assert added["data"]["addAtRiskEntry"]["__typename"] == "AtRiskEntry"
    assert (await run("AddCause"))["data"]["addAtRiskEntry"] == {
        "__typename": "ValidationError",
        "field": "name",
        "message": 'A Cause named "Competitor offer" already exists.',
    }
    asked = re.findall(r"\.\.\. on (\w+)", document)
    assert set(asked) == {"AtRiskEntry", "ValidationError", "NotFoundError", "VersionConflictError"}


async def test_signed_out_the_ide_says_how_to_sign_in(anonymous_client):
    page = await anonymous_client.get("/graphql", headers={"accept": "text/html"})
    document = example_of(page.text)
    assert "SIGNED OUT" in document
    assert "Sign in on the web page at / in this browser" in document
    assert '{"Authorization": "Bearer atr_…"}' in document
    assert "atrisk create-token" in document
    assert validate(schema._schema, parse(document)) == []
    (script,) = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in page.headers["content-security-policy"]


async def test_the_ide_assets_are_not_served_when_the_ide_is_off(database_url):
    settings = settings_for(database_url).model_copy(update={"graphql_ide": False})
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        response = await http.get("/graphql-ide/graphiql-3.8.3.min.js")
    assert response.status_code == 404


@pytest.mark.browser
def test_graphiql_runs_the_example_offline_in_a_real_browser(page: Page, server: Server) -> None:
    foreign: list[str] = []
    violations: list[str] = []

    def watch(request: Request) -> None:
        if not request.url.startswith((server.base_url, "data:")):
            foreign.append(request.url)

    page.on("request", watch)
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(f"{server.base_url}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    expect(editor).to_contain_text("You are SIGNED OUT")
    expect(editor).to_contain_text("Sign in on the web page at / in this browser")

    sign_in(page, server)
    page.goto(f"{server.base_url}/graphql")
    expect(editor).to_contain_text("You are signed in")
    expect(editor).to_contain_text("query Picker")
    expect(editor).to_contain_text("mutation AddCause")
    run = page.get_by_role("button", name=re.compile("Execute query"))
    response = page.locator(".graphiql-response")

    run.click()
    page.get_by_role("menuitem", name="AddCause").click()
    expect(response).to_contain_text('"__typename": "AtRiskEntry"')
    expect(response).to_contain_text('"name": "Competitor offer"')
    run.click()
    page.get_by_role("menuitem", name="AddCause").click()
    expect(response).to_contain_text('"__typename": "ValidationError"')
    expect(response).to_contain_text("already exists")
    run.click()
    page.get_by_role("menuitem", name="Picker").click()
    expect(response).to_contain_text('"atRiskEntries": []')
    assert foreign == []
    assert violations == []
