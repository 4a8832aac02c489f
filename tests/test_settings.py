"""Settings from the environment: operations values, their defaults and their bounds."""

from __future__ import annotations

import pytest

from atrisk.settings import Settings, SettingsError


def test_operations_defaults_differ_by_environment() -> None:
    development = Settings.from_env({})
    production = Settings.from_env(
        {
            "ATRISK_ENV": "production",
            "ATRISK_SECRET_KEY": "k" * 32,
            "ATRISK_ALLOWED_HOSTS": "a.example",
        }
    )
    assert (development.log_format, production.log_format) == ("text", "json")
    assert (development.access_log, production.access_log) == (True, False)
    for settings in (development, production):
        assert settings.workers == 1
        assert settings.db_wait_seconds == 30
        assert settings.db_connect_timeout == 5
        assert settings.db_pool_size == 16
        assert settings.shutdown_timeout == 30


def test_operations_values_are_read() -> None:
    settings = Settings.from_env(
        {
            "ATRISK_WORKERS": "4",
            "ATRISK_DB_WAIT_SECONDS": "0",
            "ATRISK_DB_CONNECT_TIMEOUT": "2",
            "ATRISK_DB_POOL_SIZE": "40",
            "ATRISK_SHUTDOWN_TIMEOUT": "60",
            "ATRISK_LOG_FORMAT": " JSON ",
        }
    )
    assert (settings.workers, settings.db_wait_seconds, settings.db_connect_timeout) == (4, 0, 2)
    assert (settings.shutdown_timeout, settings.log_format) == (60, "json")
    assert settings.db_pool_size == 40


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ATRISK_WORKERS", "0", "ATRISK_WORKERS must be between 1 and 64"),
        ("ATRISK_WORKERS", "many", "ATRISK_WORKERS must be a whole number"),
        ("ATRISK_DB_WAIT_SECONDS", "-1", "ATRISK_DB_WAIT_SECONDS must be between 0 and 3600"),
        ("ATRISK_DB_CONNECT_TIMEOUT", "0", "ATRISK_DB_CONNECT_TIMEOUT must be between 1 and 120"),
        ("ATRISK_DB_POOL_SIZE", "0", "ATRISK_DB_POOL_SIZE must be between 1 and 200"),
        ("ATRISK_SHUTDOWN_TIMEOUT", "0", "ATRISK_SHUTDOWN_TIMEOUT must be between 1 and 3600"),
        ("ATRISK_LOG_FORMAT", "xml", "ATRISK_LOG_FORMAT must be json or text"),
        ("ATRISK_LOG_LEVEL", "loud", "ATRISK_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or"),
        ("ATRISK_ACCESS_LOG", "sometimes", "ATRISK_ACCESS_LOG must be true or false"),
        ("ATRISK_ENV", "staging", "ATRISK_ENV must be development or production"),
    ],
)
def test_bad_operations_values_are_refused(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value})


def test_the_database_label_hides_the_password() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://atrisk:s3cret@db:5432/atrisk"})
    assert settings.database_label == "postgresql+asyncpg://atrisk:***@db:5432/atrisk"


def test_the_process_environment_is_read_and_an_explicit_one_replaces_it(monkeypatch) -> None:
    monkeypatch.setenv("ATRISK_PORT", "9001")
    monkeypatch.setenv("ATRISK_ENV", "production")
    monkeypatch.setenv("ATRISK_SECRET_KEY", "s" * 32)
    monkeypatch.setenv("ATRISK_ALLOWED_HOSTS", "atrisk.example.com")
    from_process = Settings.from_env()
    assert (from_process.port, from_process.is_production) == (9001, True)
    assert from_process.graphql_ide is False  # production's default
    given = Settings.from_env({"atrisk_port": "9002"})
    assert (given.port, given.is_production, given.graphql_ide) == (9002, False, True)


def test_hosts_proxies_and_the_header_limit_are_read() -> None:
    development = Settings.from_env({})
    assert development.allowed_hosts == ("localhost", "127.0.0.1", "[::1]")
    assert development.trusted_proxies == ()
    assert development.max_header_bytes == 32768
    given = Settings.from_env(
        {
            "ATRISK_ALLOWED_HOSTS": " Atrisk.Example.com, *.example.org ,[::1]",
            "ATRISK_TRUSTED_PROXIES": "10.0.0.5, 172.16.0.0/12, ::1",
            "ATRISK_MAX_HEADER_BYTES": "65536",
        }
    )
    assert given.allowed_hosts == ("atrisk.example.com", "*.example.org", "[::1]")
    assert given.trusted_proxies == ("10.0.0.5", "172.16.0.0/12", "::1")
    assert given.max_header_bytes == 65536


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("ATRISK_ALLOWED_HOSTS", "https://atrisk.example.com", "ATRISK_ALLOWED_HOSTS must be"),
        ("ATRISK_ALLOWED_HOSTS", "atrisk.example.com:8000", "without scheme or port"),
        ("ATRISK_ALLOWED_HOSTS", "a.*.example.com", "ATRISK_ALLOWED_HOSTS must be"),
        ("ATRISK_TRUSTED_PROXIES", "proxy.internal", "ATRISK_TRUSTED_PROXIES must be"),
        ("ATRISK_TRUSTED_PROXIES", "10.0.0.0/33", "not '10.0.0.0/33'"),
        ("ATRISK_MAX_HEADER_BYTES", "1024", "ATRISK_MAX_HEADER_BYTES must be between 8192"),
    ],
)
def test_bad_hosts_proxies_and_header_limits_are_refused(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({name: value})


def test_development_on_a_reachable_address_needs_a_key_and_no_demo() -> None:
    with pytest.raises(SettingsError, match="published development key"):
        Settings.from_env({"ATRISK_HOST": "0.0.0.0"})
    with pytest.raises(SettingsError, match="demo account"):
        Settings.from_env({"ATRISK_HOST": "0.0.0.0", "ATRISK_SECRET_KEY": "k" * 32})
    exposed = Settings.from_env(
        {"ATRISK_HOST": "0.0.0.0", "ATRISK_SECRET_KEY": "k" * 32, "ATRISK_SEED_DEMO": "false"}
    )
    assert exposed.exposure_problem() is None
    for loopback in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        assert Settings.from_env({"ATRISK_HOST": loopback}).exposure_problem() is None
