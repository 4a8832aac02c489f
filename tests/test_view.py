"""The /graphql endpoint's configuration: IDE and introspection, on and off."""

from __future__ import annotations

import pytest

from atrisk.app import create_app
from atrisk.settings import Settings
from tests.utils.accounts import add_user, http_client, session_cookie
from tests.utils.graphql import post

INTROSPECTION = "{ __schema { queryType { name } } }"
SECRET = "s" * 32


def production(**environ: str) -> Settings:
    return Settings.from_env({"ATRISK_ENV": "production", "ATRISK_SECRET_KEY": SECRET, **environ})


def test_production_turns_the_ide_and_introspection_off_unless_asked():
    assert (production().graphql_ide, production().graphql_introspection) == (False, False)
    asked = production(ATRISK_GRAPHQL_IDE="true", ATRISK_GRAPHQL_INTROSPECTION="true")
    assert (asked.graphql_ide, asked.graphql_introspection) == (True, True)
    development = Settings.from_env({})
    assert (development.graphql_ide, development.graphql_introspection) == (True, True)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "ATRISK_SECRET_KEY must be set in production"),
        ({"ATRISK_SECRET_KEY": "short"}, "at least 32 characters"),
        ({"ATRISK_SECRET_KEY": SECRET, "ATRISK_SEED_DEMO": "true"}, "development only"),
    ],
)
def test_production_refuses_unsafe_configuration(environ, message):
    from atrisk.settings import SettingsError

    with pytest.raises(SettingsError, match=message):
        Settings.from_env({"ATRISK_ENV": "production", **environ})


@pytest.mark.parametrize("introspection", [True, False])
async def test_introspection_follows_the_setting(database_url, db, company, introspection):
    settings = Settings(
        database_url=database_url,
        seed_demo=False,
        graphql_ide=False,
        graphql_introspection=introspection,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        from atrisk.domain import Role

        admin = await add_user(db, company, "admin@acme.example", Role.ADMIN)
        async with http_client(app, cookies=await session_cookie(app, admin)) as client:
            body = await post(client, INTROSPECTION)
            ordinary = await post(client, "{ me { role } }")
            ide = await client.get("/graphql", headers={"accept": "text/html"})
    assert ordinary == {"data": {"me": {"role": "ADMIN"}}}
    if introspection:
        assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    else:
        assert body["data"] is None
        assert "introspection" in body["errors"][0]["message"].lower()
    assert ide.status_code == 404
