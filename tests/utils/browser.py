"""Browser-test plumbing: which Chromium to launch, the server, screenshots on failure.

Chromium comes from ATRISK_CHROMIUM, else Debian's /usr/bin/chromium (or `chromium`
on PATH), else Playwright's own download when present. Without one the browser
tests skip, unless ATRISK_TEST_REQUIRE names `browser`: then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from atrisk.web.caller import SESSION_COOKIE
from tests.utils.accounts import ADMIN_EMAIL, PASSWORD, provision, session_cookies, session_id
from tests.utils.databases import required, sqlite_url
from tests.utils.server import Server, running_server, server_env

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium_executable(playwright: Playwright) -> str | None:
    """The Chromium to use, or None when there is none on this machine."""
    candidates = [
        os.environ.get("ATRISK_CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    bundled = playwright.chromium.executable_path
    return bundled if os.path.isfile(bundled) else None


@pytest.fixture(scope="session")
def browser_type_launch_args(playwright: Playwright) -> dict[str, Any]:
    executable = chromium_executable(playwright)
    if executable is None:
        message = "no Chromium found (set ATRISK_CHROMIUM or install Debian's chromium)"
        if required("browser"):
            pytest.fail(f"{message}, but the browser tests are required")
        pytest.skip(message)
    return {"executable_path": executable, "args": CHROMIUM_ARGS}


def serve_fresh(directory: Path) -> Iterator[Server]:
    env = server_env(sqlite_url(directory), ATRISK_LOG_LEVEL="WARNING")
    provision(env)
    with running_server(env, directory) as running:
        yield running


def sign_in(page: Page, server: Server, email: str = ADMIN_EMAIL, *, own: bool = False) -> None:
    """Give the page's browser a session cookie, as if it had signed in: the one shared with
    the tests' second client, or with `own` a session of its own (to sign out of)."""
    value = session_id(server, email)
    if own:
        response = httpx.post(
            f"{server.base_url}/auth/login", json={"email": email, "password": PASSWORD}
        )
        response.raise_for_status()
        value = response.cookies[SESSION_COOKIE]
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": value, "url": server.base_url}])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One real server per test module, with its own fresh SQLite database."""
    yield from serve_fresh(tmp_path_factory.mktemp("server"))


@pytest.fixture
def fresh_server(tmp_path: Path) -> Iterator[Server]:
    """A real server of this test alone, with an empty SQLite database."""
    yield from serve_fresh(tmp_path)


@pytest.fixture
def browser_errors(page: Page) -> Iterator[list[str]]:
    """Script errors, console errors and alert() calls; a test ends with none left.

    A test that provokes an error on purpose removes it from the list it gets.
    """
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_dialog(dialog: Dialog) -> None:
        errors.append(f"{dialog.type}(): {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("dialog", on_dialog)
    yield errors
    assert errors == []


def graphql(server: Server, query: str, variables: dict[str, Any] | None = None) -> Any:
    """A second client, signed in as the admin: POST a document, return its data."""
    response = httpx.post(
        f"{server.base_url}/graphql",
        json={"query": query, "variables": variables or {}},
        cookies=session_cookies(server),
    )
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        page = getattr(item, "funcargs", {}).get("page")
        if isinstance(page, Page) and not page.is_closed():
            path = ARTIFACTS / (re.sub(r"[^\w.-]+", "_", item.nodeid).strip("_") + ".png")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=path, full_page=True)
            except PlaywrightError as error:
                report.sections.append(("screenshot", f"could not take one: {error}"))
            else:
                report.sections.append(("screenshot", str(path)))
    return report


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last: sync Playwright keeps its event loop running until the
    session ends, and async tests cannot start a loop of their own while it does."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
