"""Settings from the environment: operations values, their defaults and their bounds."""

from __future__ import annotations

import pytest

from atrisk.settings import Settings, SettingsError


def test_operations_defaults_differ_by_environment() -> None:
    development = Settings.from_env({})
    production = Settings.from_env({"ATRISK_ENV": "production", "ATRISK_SECRET_KEY": "k" * 32})
    assert (development.log_format, production.log_format) == ("text", "json")
    assert (development.access_log, production.access_log) == (True, False)
    for settings in (development, production):
        assert settings.workers == 1
        assert settings.db_wait_seconds == 30
        assert settings.db_connect_timeout == 5
        assert settings.shutdown_timeout == 30


def test_operations_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "ATRISK_WORKERS": "4",
            "ATRISK_DB_WAIT_SECONDS": "0",
            "ATRISK_DB_CONNECT_TIMEOUT": "2",
            "ATRISK_SHUTDOWN_TIMEOUT": "60",
            "ATRISK_LOG_FORMAT": " JSON ",
        }
    )
    assert (settings.workers, settings.db_wait_seconds, settings.db_connect_timeout) == (4, 0, 2)
    assert (settings.shutdown_timeout, settings.log_format) == (60, "json")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ATRISK_WORKERS", "0", "ATRISK_WORKERS must be between 1 and 64"),
        ("ATRISK_WORKERS", "many", "ATRISK_WORKERS must be a whole number"),
        ("ATRISK_DB_WAIT_SECONDS", "-1", "ATRISK_DB_WAIT_SECONDS must be between 0 and 3600"),
        ("ATRISK_DB_CONNECT_TIMEOUT", "0", "ATRISK_DB_CONNECT_TIMEOUT must be between 1 and 120"),
        ("ATRISK_SHUTDOWN_TIMEOUT", "0", "ATRISK_SHUTDOWN_TIMEOUT must be between 1 and 3600"),
        ("ATRISK_LOG_FORMAT", "xml", "ATRISK_LOG_FORMAT must be json or text"),
    ],
)
def test_bad_operations_values_are_refused(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value})


def test_the_database_label_hides_the_password() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://atrisk:s3cret@db:5432/atrisk"})
    assert settings.database_label == "postgresql+asyncpg://atrisk:***@db:5432/atrisk"
