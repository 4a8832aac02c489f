"""One settings object, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy.engine import make_url

Environment = Literal["development", "production"]
LogFormat = Literal["json", "text"]

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


def _bool(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false, not {value!r}")


def _int(value: str, name: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {number}")
    return number


def _log_format(value: str) -> LogFormat:
    lowered = value.strip().lower()
    if lowered == "json":
        return "json"
    if lowered == "text":
        return "text"
    raise SettingsError(f"ATRISK_LOG_FORMAT must be json or text, not {value!r}")


def _origins(value: str) -> tuple[str, ...]:
    origins = tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
    for origin in origins:
        scheme, _, rest = origin.partition("://")
        if scheme not in {"http", "https"} or not rest or "/" in rest or origin == "*":
            raise SettingsError(
                "ATRISK_CORS_ORIGINS must be a comma-separated list of origins like "
                f"https://app.example.com, not {origin!r}"
            )
    return origins


@dataclass(frozen=True, slots=True)
class Settings:
    env: Environment = "development"
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    graphql_ide: bool = True
    graphql_introspection: bool = True
    seed_demo: bool = True
    log_level: str = "INFO"
    read_cache_mb: int = 16
    # Operations: processes, waiting for the database, shutdown, log lines.
    workers: int = 1
    db_wait_seconds: int = 30
    db_connect_timeout: int = 5
    shutdown_timeout: int = 30
    log_format: LogFormat = "text"
    access_log: bool = True
    session_ttl_minutes: int = 720
    cookie_secure: bool = False
    cors_origins: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.is_production:
            return
        if not self.secret_key:
            raise SettingsError(
                "ATRISK_SECRET_KEY must be set in production; generate one with "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if len(self.secret_key) < SECRET_KEY_MIN_LENGTH:
            raise SettingsError(
                f"ATRISK_SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} characters long"
            )
        if self.seed_demo:
            raise SettingsError(
                "ATRISK_SEED_DEMO creates an account with a published password; "
                "it is for development only"
            )

    @property
    def signing_key(self) -> bytes:
        """The key of the stored session and token hashes."""
        return (self.secret_key or DEVELOPMENT_SECRET_KEY).encode()

    graphql_max_depth: int = DEFAULT_GRAPHQL_MAX_DEPTH
    graphql_max_aliases: int = DEFAULT_GRAPHQL_MAX_ALIASES
    graphql_max_tokens: int = DEFAULT_GRAPHQL_MAX_TOKENS
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES

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

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        mode = env.get("ATRISK_ENV", "development").strip().lower()
        if mode not in {"development", "production"}:
            raise SettingsError(f"ATRISK_ENV must be development or production, not {mode!r}")
        production = mode == "production"
        ide_default = "false" if production else "true"
        return cls(
            env="production" if production else "development",
            database_url=normalise_database_url(env.get("DATABASE_URL", DEFAULT_DATABASE_URL)),
            secret_key=env.get("ATRISK_SECRET_KEY") or None,
            host=env.get("ATRISK_HOST", "127.0.0.1"),
            port=_int(env.get("ATRISK_PORT", "8000"), "ATRISK_PORT", 1, 65535),
            graphql_ide=_bool(env.get("ATRISK_GRAPHQL_IDE", ide_default), "ATRISK_GRAPHQL_IDE"),
            graphql_introspection=_bool(
                env.get("ATRISK_GRAPHQL_INTROSPECTION", ide_default),
                "ATRISK_GRAPHQL_INTROSPECTION",
            ),
            seed_demo=_bool(
                env.get("ATRISK_SEED_DEMO", "false" if production else "true"), "ATRISK_SEED_DEMO"
            ),
            log_level=env.get("ATRISK_LOG_LEVEL", "INFO").upper(),
            read_cache_mb=_int(
                env.get("ATRISK_READ_CACHE_MB", "16"), "ATRISK_READ_CACHE_MB", 0, 4096
            ),
            workers=_int(env.get("ATRISK_WORKERS", "1"), "ATRISK_WORKERS", 1, 64),
            db_wait_seconds=_int(
                env.get("ATRISK_DB_WAIT_SECONDS", "30"), "ATRISK_DB_WAIT_SECONDS", 0, 3600
            ),
            db_connect_timeout=_int(
                env.get("ATRISK_DB_CONNECT_TIMEOUT", "5"), "ATRISK_DB_CONNECT_TIMEOUT", 1, 120
            ),
            shutdown_timeout=_int(
                env.get("ATRISK_SHUTDOWN_TIMEOUT", "30"), "ATRISK_SHUTDOWN_TIMEOUT", 1, 3600
            ),
            log_format=_log_format(env.get("ATRISK_LOG_FORMAT", "json" if production else "text")),
            access_log=_bool(
                env.get("ATRISK_ACCESS_LOG", "false" if production else "true"), "ATRISK_ACCESS_LOG"
            ),
            session_ttl_minutes=_int(
                env.get("ATRISK_SESSION_TTL_MINUTES", "720"),
                "ATRISK_SESSION_TTL_MINUTES",
                1,
                60 * 24 * 90,
            ),
            cookie_secure=_bool(
                env.get("ATRISK_COOKIE_SECURE", "true" if production else "false"),
                "ATRISK_COOKIE_SECURE",
            ),
            cors_origins=_origins(env.get("ATRISK_CORS_ORIGINS", "")),
            graphql_max_depth=_int(
                env.get("ATRISK_GRAPHQL_MAX_DEPTH", str(DEFAULT_GRAPHQL_MAX_DEPTH)),
                "ATRISK_GRAPHQL_MAX_DEPTH",
                1,
                100,
            ),
            graphql_max_aliases=_int(
                env.get("ATRISK_GRAPHQL_MAX_ALIASES", str(DEFAULT_GRAPHQL_MAX_ALIASES)),
                "ATRISK_GRAPHQL_MAX_ALIASES",
                0,
                1000,
            ),
            graphql_max_tokens=_int(
                env.get("ATRISK_GRAPHQL_MAX_TOKENS", str(DEFAULT_GRAPHQL_MAX_TOKENS)),
                "ATRISK_GRAPHQL_MAX_TOKENS",
                100,
                1_000_000,
            ),
            max_request_bytes=_int(
                env.get("ATRISK_MAX_REQUEST_BYTES", str(DEFAULT_MAX_REQUEST_BYTES)),
                "ATRISK_MAX_REQUEST_BYTES",
                1024,
                64 * 1024 * 1024,
            ),
        )
