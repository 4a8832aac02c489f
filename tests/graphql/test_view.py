"""The /graphql endpoint's configuration: IDE and introspection, on and off."""

from __future__ import annotations

import pytest

from atrisk.app import create_app
from atrisk.domain.accounts import Role
from atrisk.settings import Settings, SettingsError
from tests.utils.accounts import add_user, http_client, session_cookie
from tests.utils.graphql import post

INTROSPECTION = "{ __schema { queryType { name } } }"
SECRET = "s" * 32


def production(**environ: str) -> Settings:
    return Settings.from_env(
        {
            "ATRISK_ENV": "production",
            "ATRISK_SECRET_KEY": SECRET,
            "ATRISK_ALLOWED_HOSTS": "atrisk.example.com",
            **environ,
        }
    )


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
        ({"ATRISK_SECRET_KEY": SECRET}, "ATRISK_ALLOWED_HOSTS must be set in production"),
    ],
)
def test_production_refuses_unsafe_configuration(environ, message):
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


def test_account_settings_from_the_environment():
    settings = Settings.from_env(
        {
            "ATRISK_SESSION_TTL_MINUTES": "30",
            "ATRISK_CORS_ORIGINS": " https://app.example.com/, http://localhost:5173 ",
        }
    )
    assert settings.session_ttl_minutes == 30
    assert settings.cors_origins == ("https://app.example.com", "http://localhost:5173")
    assert settings.cookie_secure is False
    assert production().cookie_secure is True
    assert production(ATRISK_COOKIE_SECURE="false").cookie_secure is False
    assert production().signing_key == SECRET.encode()
    assert Settings.from_env({}).signing_key != production().signing_key


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ATRISK_CORS_ORIGINS": "*"}, "ATRISK_CORS_ORIGINS must be"),
        ({"ATRISK_CORS_ORIGINS": "app.example.com"}, "ATRISK_CORS_ORIGINS must be"),
        ({"ATRISK_CORS_ORIGINS": "https://a.example/path"}, "ATRISK_CORS_ORIGINS must be"),
        ({"ATRISK_SESSION_TTL_MINUTES": "0"}, "ATRISK_SESSION_TTL_MINUTES must be between"),
        ({"ATRISK_COOKIE_SECURE": "maybe"}, "ATRISK_COOKIE_SECURE must be true or false"),
        ({"ATRISK_GRAPHQL_INTROSPECTION": "2"}, "ATRISK_GRAPHQL_INTROSPECTION must be"),
    ],
)
def test_bad_account_settings_are_refused_clearly(environ, message):
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(environ)
