"""Unexpected failures are masked for the client and logged in full."""

import logging

import pytest
from sqlalchemy import text

from atrisk.app import create_app
from atrisk.domain.accounts import Role
from atrisk.services.companies import create_company
from atrisk.settings import Settings
from tests.utils.accounts import add_user, http_client, session_cookie
from tests.utils.graphql import LIST, post


@pytest.fixture
async def broken_app(sqlite_url):
    app = create_app(Settings(database_url=sqlite_url, seed_demo=False))
    async with app.router.lifespan_context(app):
        # A real fault: the table disappears under the running app.
        async with app.state.db.engine.begin() as connection:
            await connection.execute(text("DROP TABLE at_risk_entries"))
        yield app


async def test_unexpected_errors_are_masked_and_logged_with_traceback(broken_app, caplog):
    company = await create_company(broken_app.state.db, "Acme Alarms")
    admin = await add_user(broken_app.state.db, company, "admin@acme.example", Role.ADMIN)
    cookies = await session_cookie(broken_app, admin)
    async with http_client(broken_app, cookies=cookies) as client:
        with caplog.at_level(logging.ERROR):
            body = await post(client, LIST)
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == ["Unexpected error."]
    assert "at_risk_entries" not in str(body)
    logged = [r for r in caplog.records if r.exc_info]
    assert logged, "the error was not logged with its traceback"
    assert any(isinstance(r.exc_info[1], Exception) for r in logged)
    assert "no such table" in caplog.text
    assert "Traceback" in caplog.text


async def test_request_errors_are_not_masked_nor_logged_as_errors(client, caplog):
    with caplog.at_level(logging.INFO):
        body = await post(client, "{ atRiskEntries { nope } }")
    assert "nope" in body["errors"][0]["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "request error" in caplog.text
