"""Serving the bundled page: content types, cache headers, and code fit for a strict CSP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from atrisk.app import FRONTEND, create_app
from atrisk.web.static import media_type_for
from tests.utils import fixtures

MODULES = sorted(path.name for path in FRONTEND.glob("*.js"))


@pytest.fixture
async def client(sqlite_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app without its lifespan: static files need no database."""
    transport = httpx.ASGITransport(app=create_app(fixtures.settings_for(sqlite_url)))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        yield http


async def test_the_page_is_served_at_the_root_and_always_revalidated(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<h1" in response.text
    assert "At-Risk Entries" in response.text


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        *[(f"/{name}", "text/javascript; charset=utf-8") for name in MODULES],
        ("/styles.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/index.html", "text/html; charset=utf-8"),
    ],
)
async def test_files_have_their_content_type(
    client: httpx.AsyncClient, path: str, media_type: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_assets_must_be_revalidated_and_answer_304_when_unchanged(
    client: httpx.AsyncClient,
) -> None:
    first = await client.get("/main.js")
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    etag = first.headers["etag"]

    again = await client.get("/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == "public, max-age=0, must-revalidate"

    changed = await client.get("/main.js", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200
    assert changed.content == first.content


async def test_missing_files_are_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/nope.js")).status_code == 404
    assert (await client.get("/../pyproject.toml")).status_code == 404


def test_unknown_kinds_of_file_are_opaque_bytes() -> None:
    assert media_type_for("frontend/MAIN.JS") == "text/javascript; charset=utf-8"
    assert media_type_for("notes.unknown") == "application/octet-stream"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_the_page_has_no_inline_code_or_style_and_nothing_from_elsewhere() -> None:
    parser = _Tags()
    parser.feed((FRONTEND / "index.html").read_text(encoding="utf-8"))
    for tag, attrs in parser.tags:
        assert tag != "style", "inline <style>"
        assert "style" not in attrs, f"style attribute on <{tag}>"
        assert not [name for name in attrs if name.startswith("on")], f"handler on <{tag}>"
        if tag == "script":
            assert attrs.get("src"), "inline <script>"
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not re.match(r"^([a-z]+:)?//", value, re.IGNORECASE), value


@pytest.mark.parametrize("name", MODULES)
def test_modules_insert_text_only_and_import_only_our_files(name: str) -> None:
    source = (FRONTEND / name).read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in source, f"{name} uses {risky}"
    assert ".style." not in source, f"{name} sets inline styles"
    for imported in re.findall(r"""from\s+["']([^"']+)["']""", source):
        assert imported.startswith("./"), f"{name} imports {imported}"
        assert Path(FRONTEND, imported).is_file(), f"{name} imports missing {imported}"
