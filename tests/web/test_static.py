"""Serving the bundled app: its paths, content types, cache headers, and code fit for a
strict CSP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html.parser import HTMLParser

import httpx
import pytest

from atrisk.app import FRONTEND, create_app
from atrisk.web.static import APP_PATHS, media_type_for
from tests.utils import fixtures

VENDOR = FRONTEND / "vendor"
MODULES = sorted(
    str(path.relative_to(FRONTEND)) for path in FRONTEND.rglob("*.js") if VENDOR not in path.parents
)
VENDORED = sorted(path.name for path in VENDOR.glob("*.js"))


@pytest.fixture
async def client(sqlite_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app without its lifespan: static files need no database."""
    transport = httpx.ASGITransport(app=create_app(fixtures.settings_for(sqlite_url)))
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        yield http


def example(path: str) -> str:
    """A real address of an app path: each ":name" segment becomes an id."""
    return "/".join("c0ffee-1" if part.startswith(":") else part for part in path.split("/"))


@pytest.mark.parametrize("path", sorted(example(path) for path in APP_PATHS))
async def test_the_apps_paths_are_answered_with_the_page_always_revalidated(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.text == (FRONTEND / "index.html").read_text(encoding="utf-8")
    assert '<script type="module" src="/app.js"></script>' in response.text


def test_the_server_answers_exactly_the_paths_of_the_apps_route_table() -> None:
    source = (FRONTEND / "app.js").read_text(encoding="utf-8")
    table = source[source.index("export const ROUTES") : source.index("function routeOf")]
    code = "\n".join(line for line in table.splitlines() if not line.strip().startswith("//"))
    paths = set(re.findall(r'path: "([^"]+)"', code)) | set(re.findall(r'"(/[^"]*)":', code))
    assert paths == APP_PATHS


@pytest.mark.parametrize(
    "path",
    [
        "/settings/at-risk-entries/",
        "/settings/at-risk-entries/x",
        "/settings",
        "/settings/nope",
        "/nope",
        "/x.js",
    ],
)
async def test_other_paths_are_404(client: httpx.AsyncClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        *[(f"/{name}", "text/javascript; charset=utf-8") for name in MODULES],
        *[(f"/vendor/{name}", "text/javascript; charset=utf-8") for name in VENDORED],
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
    first = await client.get("/app.js")
    assert first.headers["cache-control"] == "public, max-age=0, must-revalidate"
    etag = first.headers["etag"]

    again = await client.get("/app.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["cache-control"] == "public, max-age=0, must-revalidate"

    changed = await client.get("/app.js", headers={"If-None-Match": '"something-else"'})
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


# `from "…"` of an import, not the word in a string ("from", class="history-from").
IMPORT = re.compile(r"""(?:(?<![\w"'.-])from\s*|\bimport\s*\(?\s*)["']([^"']+)["']""")
RISKY = (
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "dangerouslySetInnerHTML",
    "document.write",
    "eval(",
    "new Function",
)


def test_every_module_is_checked() -> None:
    assert "app.js" in MODULES
    assert "lib/dom.js" in MODULES
    assert "views/entries/EntriesPage.js" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_modules_insert_text_only_and_import_only_our_files(name: str) -> None:
    path = FRONTEND / name
    source = path.read_text(encoding="utf-8")
    for risky in RISKY:
        assert risky not in source, f"{name} uses {risky}"
    assert ".style." not in source, f"{name} sets inline styles"
    assert " style=" not in source, f"{name} renders inline styles"
    for target in IMPORT.findall(source):
        assert target.startswith(("./", "../")), f"{name} imports {target}"
        assert (path.parent / target).resolve().is_file(), f"{name} imports missing {target}"


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_libraries_carry_their_version_and_import_only_each_other(name: str) -> None:
    assert re.fullmatch(r"[a-z-]+-\d+\.\d+\.\d+\.module\.js", name)
    source = (VENDOR / name).read_text(encoding="utf-8")
    assert "sourceMappingURL" not in source
    for target in IMPORT.findall(source):
        assert target.startswith("./"), f"{name} imports {target}"
        assert (VENDOR / target).is_file(), f"{name} imports missing {target}"
    assert (VENDOR / "LICENSE.preact").is_file()
    assert (VENDOR / "LICENSE.htm").is_file()
