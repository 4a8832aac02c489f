"""One settings object, read from the environment (see README, "Configuration").

Every field is read from `ATRISK_<FIELD>` (`DATABASE_URL` for the database) by
pydantic-settings, checked against its type and bounds, and a bad value is refused with a
`SettingsError` that names the variable. Some defaults depend on `ATRISK_ENV`: production
turns the IDE, introspection, the demo data and the access log off, and the Secure cookie on.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Ge, Le
from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from sqlalchemy.engine import make_url

Environment = Literal["development", "production"]
LogFormat = Literal["json", "text"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/atrisk.db"
SECRET_KEY_MIN_LENGTH = 32
# Keys the stored hashes of sessions and tokens in development only; production
# refuses to start without ATRISK_SECRET_KEY.
DEVELOPMENT_SECRET_KEY = "atrisk-development-only-secret-key"  # noqa: S105

# Request limits: roomy for every real client, tight enough to stop abuse early.
DEFAULT_GRAPHQL_MAX_DEPTH = 8
DEFAULT_GRAPHQL_MAX_ALIASES = 20
DEFAULT_GRAPHQL_MAX_TOKENS = 2000
DEFAULT_MAX_REQUEST_BYTES = 256 * 1024
# The request line and headers together; nginx allows 32 KiB by default too.
DEFAULT_MAX_HEADER_BYTES = 32 * 1024
# The names a development server answers to: loopback only.
LOOPBACK_HOSTS = "localhost,127.0.0.1,[::1]"

ENV_PREFIX = "ATRISK_"
# Defaults that differ in production: (development, production).
_BY_ENVIRONMENT: dict[str, tuple[bool | str, bool | str]] = {
    "graphql_ide": (True, False),
    "graphql_introspection": (True, False),
    "seed_demo": (True, False),
    "access_log": (True, False),
    "cookie_secure": (False, True),
    "log_format": ("text", "json"),
    "allowed_hosts": (LOOPBACK_HOSTS, ""),
}
_HOST_PATTERN = re.compile(r"(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\]")


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


def normalise_database_url(url: str) -> str:
    """Pick the async driver for plain `sqlite://` and `postgresql://` URLs."""
    for plain, driver in (
        ("sqlite://", "sqlite+aiosqlite://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgres://", "postgresql+asyncpg://"),
    ):
        if url.startswith(plain):
            return driver + url[len(plain) :]
    if url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        return url
    raise SettingsError(
        "DATABASE_URL must start with sqlite:// or postgresql:// (got an unsupported scheme)"
    )


def _lowered(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _uppered(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _origins(value: Any) -> Any:
    if isinstance(value, str):
        value = [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
    return tuple(value)


def _names(value: Any) -> Any:
    if isinstance(value, str):
        value = [part.strip().lower() for part in value.split(",") if part.strip()]
    return tuple(value)


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine can reach."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


Flag = Annotated[bool, BeforeValidator(_stripped)]
Count = Annotated[int, BeforeValidator(_stripped)]

# An explicit mapping given to `Settings.from_env` replaces the process environment.
_explicit_environ: ContextVar[bool] = ContextVar("atrisk_explicit_environ", default=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        case_sensitive=False,
        extra="ignore",
        frozen=True,
        validate_by_name=True,
        validate_default=True,
    )

    env: Annotated[Environment, BeforeValidator(_lowered)] = "development"
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: Annotated[Count, Ge(1), Le(65535)] = 8000
    graphql_ide: Flag = True
    graphql_introspection: Flag = True
    seed_demo: Flag = True
    log_level: Annotated[LogLevel, BeforeValidator(_uppered)] = "INFO"
    read_cache_mb: Annotated[Count, Ge(0), Le(4096)] = 16
    # Operations: processes, waiting for the database, shutdown, log lines.
    workers: Annotated[Count, Ge(1), Le(64)] = 1
    db_wait_seconds: Annotated[Count, Ge(0), Le(3600)] = 30
    db_connect_timeout: Annotated[Count, Ge(1), Le(120)] = 5
    db_pool_size: Annotated[Count, Ge(1), Le(200)] = 16
    shutdown_timeout: Annotated[Count, Ge(1), Le(3600)] = 30
    log_format: Annotated[LogFormat, BeforeValidator(_lowered)] = "text"
    access_log: Flag = True
    session_ttl_minutes: Annotated[Count, Ge(1), Le(60 * 24 * 90)] = 720
    cookie_secure: Flag = False
    cors_origins: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_origins)] = ()
    graphql_max_depth: Annotated[Count, Ge(1), Le(100)] = DEFAULT_GRAPHQL_MAX_DEPTH
    graphql_max_aliases: Annotated[Count, Ge(0), Le(1000)] = DEFAULT_GRAPHQL_MAX_ALIASES
    graphql_max_tokens: Annotated[Count, Ge(100), Le(1_000_000)] = DEFAULT_GRAPHQL_MAX_TOKENS
    max_request_bytes: Annotated[Count, Ge(1024), Le(64 * 1024 * 1024)] = DEFAULT_MAX_REQUEST_BYTES
    max_header_bytes: Annotated[Count, Ge(8192), Le(1024 * 1024)] = DEFAULT_MAX_HEADER_BYTES
    # Addresses and networks of reverse proxies whose X-Forwarded-For/-Proto count.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_names)] = ()
    allowed_hosts: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_names)] = ()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        if _explicit_environ.get():
            return (init_settings,)
        return (init_settings, env_settings)

    @model_validator(mode="before")
    @classmethod
    def _environment_defaults(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        production = _lowered(data.get("env", "development")) == "production"
        for name, defaults in _BY_ENVIRONMENT.items():
            data.setdefault(name, defaults[production])
        if data.get("secret_key") == "":
            data["secret_key"] = None
        return data

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: Any) -> Any:
        return normalise_database_url(value) if isinstance(value, str) else value

    @field_validator("cors_origins")
    @classmethod
    def _cors_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        for origin in origins:
            scheme, _, rest = origin.partition("://")
            if scheme not in {"http", "https"} or not rest or "/" in rest or origin == "*":
                raise ValueError(
                    "ATRISK_CORS_ORIGINS must be a comma-separated list of origins like "
                    f"https://app.example.com, not {origin!r}"
                )
        return origins

    @field_validator("trusted_proxies")
    @classmethod
    def _trusted_proxies(cls, proxies: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    "ATRISK_TRUSTED_PROXIES must be a comma-separated list of IP addresses "
                    f"or networks like 10.0.0.5 or 172.16.0.0/12, not {proxy!r}"
                ) from None
        return proxies

    @field_validator("allowed_hosts")
    @classmethod
    def _allowed_hosts(cls, hosts: tuple[str, ...]) -> tuple[str, ...]:
        for host in hosts:
            if host != "*" and not _HOST_PATTERN.fullmatch(host):
                raise ValueError(
                    "ATRISK_ALLOWED_HOSTS must be a comma-separated list of host names "
                    "without scheme or port, like atrisk.example.com, *.example.com or "
                    f"127.0.0.1, not {host!r}"
                )
        return hosts

    @model_validator(mode="after")
    def _production_needs(self) -> Settings:
        if not self.is_production:
            if problem := self.exposure_problem():
                raise ValueError(problem)
            return self
        if not self.secret_key:
            raise ValueError(
                "ATRISK_SECRET_KEY must be set in production; generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if len(self.secret_key) < SECRET_KEY_MIN_LENGTH:
            raise ValueError(
                f"ATRISK_SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long"
            )
        if self.seed_demo:
            raise ValueError(
                "ATRISK_SEED_DEMO creates an account with a published password; "
                "it is for development only"
            )
        if not self.allowed_hosts:
            raise ValueError(
                "ATRISK_ALLOWED_HOSTS must be set in production: the host names clients "
                "use to reach atrisk, comma-separated (e.g. atrisk.example.com)"
            )
        return self

    def exposure_problem(self, host: str | None = None) -> str | None:
        """Why development settings must not be served on `host` (default: ATRISK_HOST).

        The development key and the demo account's password are published: on an address
        that other machines can reach they would let anyone in.
        """
        host = self.host if host is None else host
        if self.is_production or is_loopback(host):
            return None
        if self.secret_key is None:
            return (
                f"refusing to serve on {host} with the published development key: set "
                "ATRISK_SECRET_KEY, or serve on 127.0.0.1"
            )
        if self.seed_demo:
            return (
                f"refusing to serve on {host} with the demo account (its password is "
                "published): set ATRISK_SEED_DEMO=false, or serve on 127.0.0.1"
            )
        return None

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_explain(error)) from None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of `environ`, or of the process environment when it is None."""
        if environ is None:
            return cls()
        given = {variable.upper(): value for variable, value in environ.items()}
        values = {
            name: given[variable] for name, variable in ENV_NAMES.items() if variable in given
        }
        with _only_given_values():
            return cls(**values)

    @property
    def signing_key(self) -> bytes:
        """The key of the stored session and token hashes."""
        return (self.secret_key or DEVELOPMENT_SECRET_KEY).encode()

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def database_label(self) -> str:
        """The database URL with any password replaced by ***, fit for messages and logs."""
        return make_url(self.database_url).render_as_string(hide_password=True)

    @property
    def sqlite_path(self) -> Path | None:
        """The database file for a file-backed SQLite URL, else None."""
        prefix = "sqlite+aiosqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        path = self.database_url[len(prefix) :].split("?", 1)[0]
        if path in {"", ":memory:"}:
            return None
        return Path(path)


# Field name -> the environment variable it is read from.
ENV_NAMES: dict[str, str] = {
    name: (field.validation_alias if isinstance(field.validation_alias, str) else None)
    or ENV_PREFIX + name.upper()
    for name, field in Settings.model_fields.items()
}


@contextmanager
def _only_given_values() -> Iterator[None]:
    marker = _explicit_environ.set(True)
    try:
        yield
    finally:
        _explicit_environ.reset(marker)


def _explain(error: ValidationError) -> str:
    """The first problem of `error`, in the words of the variable that caused it."""
    problem = error.errors(include_url=False)[0]
    location = problem["loc"]
    name = ENV_NAMES.get(str(location[0]), str(location[0])) if location else None
    given = problem.get("input")
    kind = problem["type"]
    if kind == "value_error" or name is None:
        return str(problem.get("ctx", {}).get("error", problem["msg"]))
    if kind in {"int_parsing", "int_from_float", "int_type"}:
        return f"{name} must be a whole number, not {given!r}"
    if kind in {"greater_than_equal", "less_than_equal"}:
        low, high = _bounds(str(location[0]))
        return f"{name} must be between {low} and {high}, not {given}"
    if kind in {"bool_parsing", "bool_type"}:
        return f"{name} must be true or false, not {given!r}"
    if kind == "literal_error":
        expected = problem.get("ctx", {}).get("expected", "")
        return f"{name} must be {expected.replace(chr(39), '')}, not {given!r}"
    return f"{name}: {problem['msg']}"


def _bounds(field: str) -> tuple[object, object]:
    metadata = Settings.model_fields[field].metadata
    low = next((item.ge for item in metadata if isinstance(item, Ge)), None)
    high = next((item.le for item in metadata if isinstance(item, Le)), None)
    return low, high
