"""Real `atrisk` processes on free loopback ports, for end-to-end tests.

`running_server` starts `atrisk serve` with the given environment; `running_image` starts
the Docker image's own start command (CMD) with the image's ENV, as a container would.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
DOCKERFILE = ROOT / "Dockerfile"
ATRISK = Path(sys.executable).with_name("atrisk")
START_TIMEOUT_SECONDS = 60.0
# One key for every instance over a database, as in a deployment: sessions are shared.
TEST_SECRET_KEY = "test-only-secret-key-" + secrets.token_hex(16)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    process: subprocess.Popen[str]
    base_url: str
    log_path: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def rss_mb(self) -> float:
        """The resident set size of the server process, in MiB (NaN once it has exited)."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return float("nan")
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[str]:
        return [line for line in self.output().splitlines() if line.strip()]

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=options.pop("timeout", 15.0), **options)

    def terminate(self, timeout: float = 30) -> int:
        """SIGTERM, then wait for the exit (TimeoutExpired if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stopped_cleanly(self) -> bool:
        """Exited by itself after SIGTERM (uvicorn re-raises the signal once it is done)."""
        return self.process.returncode in (0, -signal.SIGTERM) and (
            "Application shutdown complete" in self.output()
        )


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATRISK_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": database_url, "ATRISK_SEED_DEMO": "false"})
    env.update(extra)
    return env


def wait_until_ready(server: Server, timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server not ready after {timeout} s:\n{server.output()}")


def start_command(
    command: Sequence[str], env: Mapping[str, str], log_dir: Path, port: int
) -> Server:
    log_path = log_dir / f"server-{port}.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            list(command),
            env=dict(env),
            cwd=log_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log_path, dict(env))


def stop(server: Server) -> None:
    try:
        server.terminate(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


@contextmanager
def running_server(
    env: Mapping[str, str],
    log_dir: Path,
    *args: str,
    port: int | None = None,
    start_timeout: float = START_TIMEOUT_SECONDS,
) -> Iterator[Server]:
    """Start `atrisk serve`, wait for /readyz, stop it with SIGTERM afterwards."""
    port = port or free_port()
    command = [str(ATRISK), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    server = start_command(command, env, log_dir, port)
    try:
        wait_until_ready(server, start_timeout)
        yield server
    finally:
        stop(server)


# -- the Docker image's start command --------------------------------------------------------


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction in the Dockerfile (continuations joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    prefix = name.upper() + " "
    return [
        line.strip()[len(prefix) :].strip()
        for line in text.splitlines()
        if line.strip().upper().startswith(prefix)
    ]


def image_command() -> list[str]:
    """The image's start command (the last CMD, exec form)."""
    command: list[str] = json.loads(dockerfile_instructions("CMD")[-1])
    return command


def image_environment() -> dict[str, str]:
    """The variables the image sets with ENV (KEY=VALUE form)."""
    env: dict[str, str] = {}
    for args in dockerfile_instructions("ENV"):
        for pair in shlex.split(args):
            key, _, value = pair.partition("=")
            env[key] = value
    return env


def resolve(command: Sequence[str]) -> list[str]:
    """The image's programs (`atrisk`, `python`) from this virtualenv."""
    program, *rest = command
    if program == "python":
        return [sys.executable, *rest]
    local = ATRISK.with_name(program)
    return [str(local) if local.exists() else program, *rest]


def start_image(database_url: str, log_dir: Path, env: Mapping[str, str] | None = None) -> Server:
    """Start the image's command as a container would, on a loopback port; do not wait."""
    port = free_port()
    full_env = server_env(database_url)
    full_env.update(image_environment())
    full_env["PATH"] = f"{ATRISK.parent}{os.pathsep}{full_env.get('PATH', '')}"
    full_env.update(
        {
            "ATRISK_HOST": "127.0.0.1",
            "ATRISK_PORT": str(port),
            "ATRISK_SECRET_KEY": TEST_SECRET_KEY,
            "ATRISK_ALLOWED_HOSTS": "127.0.0.1",
            "ATRISK_WORKERS": "1",
            "ATRISK_DB_WAIT_SECONDS": "10",
        }
    )
    full_env.update(env or {})
    return start_command(resolve(image_command()), full_env, log_dir, port)


@contextmanager
def running_image(
    database_url: str, log_dir: Path, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """A started, ready `start_image` server; stopped with SIGTERM afterwards."""
    server = start_image(database_url, log_dir, env)
    try:
        wait_until_ready(server, timeout=60)
        yield server
    finally:
        stop(server)


# -- one-off commands ------------------------------------------------------------------------


def run_cli(
    args: Sequence[str], database_url: str, cwd: Path, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `atrisk ARGS` to completion; stdout and stderr are captured."""
    return subprocess.run(
        [str(ATRISK), *args],
        env=server_env(database_url, **extra),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_cli(
    args: Sequence[str], database_url: str, cwd: Path, **extra: str
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(ATRISK), *args],
        env=server_env(database_url, **extra),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
