"""What can be checked of the deployment without a Docker engine: the compose file and the
Dockerfile agree with the settings and with what the other tests run."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from atrisk.settings import ENV_NAMES, Settings
from tests.utils.server import DOCKERFILE, ROOT, dockerfile_instructions, image_command
from tests.utils.server import image_environment as dockerfile_environment

COMPOSE = ROOT / "docker-compose.yml"
VARIABLE = re.compile(r"\$\{(?P<name>[A-Z0-9_]+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")
REQUIRED_SECRETS = {"POSTGRES_PASSWORD", "ATRISK_SECRET_KEY"}
# Not secret, but production refuses to start without them.
REQUIRED_SETTINGS = {"ATRISK_ALLOWED_HOSTS"}


def settings_variables() -> set[str]:
    """Every environment variable the settings read."""
    return set(ENV_NAMES.values())


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def interpolate(value: str) -> str:
    """Compose's substitution, with a stand-in for each required value."""

    def replace(match: re.Match[str]) -> str:
        if match["op"] in {":?", "?"}:
            return f"given-{match['name'].lower()}-" + "x" * 32
        if match["op"] in {":-", "-"}:
            return match["arg"]
        return ""

    return VARIABLE.sub(replace, value)


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    parsed = compose()
    assert set(parsed["services"]) == {"db", "prestart", "app"}
    return dict(parsed["services"])


def test_compose_wires_database_prestart_and_app(services: dict[str, Any]) -> None:
    db, prestart, app = services["db"], services["prestart"], services["app"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "db-data" in compose()["volumes"]

    assert prestart["command"] == ["atrisk", "migrate"]
    assert prestart["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert prestart["restart"] == "no"

    assert app["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "prestart": {"condition": "service_completed_successfully"},
    }
    assert "command" not in app  # the image's own start command
    assert app["image"] == prestart["image"]
    assert app["build"] == prestart["build"] == "."


def test_compose_sets_only_what_settings_read(services: dict[str, Any]) -> None:
    known = settings_variables()
    for name in ("prestart", "app"):
        environment = services[name]["environment"]
        assert set(environment) <= known, set(environment) - known
        resolved = {key: interpolate(str(value)) for key, value in environment.items()}
        settings = Settings.from_env(resolved)
        assert settings.is_production
        assert settings.database_url.startswith("postgresql+asyncpg://atrisk:")
        assert settings.database_url.endswith("@db:5432/atrisk")
        assert settings.secret_key == "given-atrisk_secret_key-" + "x" * 32


def test_required_secrets_must_be_given(services: dict[str, Any]) -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    uses = {(m["name"], m["op"]) for m in VARIABLE.finditer(text)}
    for secret in REQUIRED_SECRETS | REQUIRED_SETTINGS:
        assert {op for name, op in uses if name == secret} == {":?"}, secret
    assert str(services["app"]["environment"]["ATRISK_SECRET_KEY"]).startswith("${")


def test_every_variable_an_operator_sets_is_documented() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = {m["name"] for m in VARIABLE.finditer(COMPOSE.read_text(encoding="utf-8"))}
    for name in names:
        assert name in readme, f"{name} is not in the README"
        assert name in example, f"{name} is not in .env.example"
    for name in settings_variables():
        assert name in readme, f"{name} is read by the settings but not in the README"
    for required in REQUIRED_SECRETS | REQUIRED_SETTINGS:
        assert re.search(rf"^{required}=$", example, re.MULTILINE), required


def test_the_image_runs_the_production_server_as_a_user() -> None:
    users = dockerfile_instructions("USER")
    assert users
    assert users[-1] not in {"root", "0"}
    assert dockerfile_instructions("FROM")[0].endswith("-slim")

    environment = dockerfile_environment()
    assert environment["ATRISK_ENV"] == "production"
    settings_env = {k for k in environment if k.startswith("ATRISK_") or k == "DATABASE_URL"}
    assert settings_env <= settings_variables()
    given = {**environment, "ATRISK_SECRET_KEY": "k" * 32, "ATRISK_ALLOWED_HOSTS": "a.example"}
    assert Settings.from_env(given).workers >= 1

    # The multi-instance, shutdown and fault tests start exactly this command.
    assert image_command() == ["atrisk", "serve"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["atrisk"] == "atrisk.cli:main"

    healthcheck = dockerfile_instructions("HEALTHCHECK")[-1]
    assert "/readyz" in healthcheck
    assert dockerfile_instructions("STOPSIGNAL") == ["SIGTERM"]
    assert DOCKERFILE.read_text().count("CMD [") == 2  # the healthcheck's and the start


def test_compose_gives_shutdown_time_to_finish(services: dict[str, Any]) -> None:
    grace = int(str(services["app"]["stop_grace_period"]).rstrip("s"))
    shutdown = int(interpolate(str(services["app"]["environment"]["ATRISK_SHUTDOWN_TIMEOUT"])))
    assert grace > shutdown


def test_docker_context_leaves_out_local_state() -> None:
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "data"):
        assert entry in ignored


LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[^\s;\\]+)", re.MULTILINE)


def locked() -> dict[str, str]:
    return {canonicalize_name(m["name"]): m["version"] for m in PIN.finditer(LOCK.read_text())}


def test_the_image_installs_the_locked_dependencies_by_hash() -> None:
    runs = " ".join(dockerfile_instructions("RUN"))
    assert "pip install --require-hashes --no-deps -r /app/requirements.lock" in runs
    assert "pip install --no-deps -e /app" in runs, "the project adds no unlocked dependency"
    assert runs.index("requirements.lock") < runs.index("-e /app")
    assert "requirements.lock" not in (ROOT / ".dockerignore").read_text()
    entries = re.split(r"\n(?=[A-Za-z])", LOCK.read_text().split("\n\n", 1)[-1])
    for entry in (e for e in entries if PIN.match(e)):
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_lock_file_matches_the_ranges_of_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = locked()
    for line in project["dependencies"]:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {line}"
    # What uvicorn[standard] brings: the production parser and event loop among them.
    assert {"httptools", "uvloop", "websockets", "h11"} <= set(pins)
