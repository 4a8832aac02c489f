"""Real `atrisk` processes for tests: the image's own start command, on a free loopback port."""

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
from pathlib import Path
from typing import IO, Any

import httpx

ROOT = Path(__file__).resolve().parent.parent.parent
DOCKERFILE = ROOT / "Dockerfile"
BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction in the Dockerfile (continuations joined)."""
    text = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.upper().startswith(name.upper() + " "):
            found.append(stripped[len(name) + 1 :].strip())
    return found


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


def clean_environment() -> dict[str, str]:
    """This process's environment without any atrisk setting."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("ATRISK_") and key != "DATABASE_URL"
    }


def resolve(command: Sequence[str]) -> list[str]:
    """Run the image's programs from this virtualenv (`atrisk`, `python`)."""
    program = command[0]
    if program == "python":
        return [sys.executable, *command[1:]]
    local = BIN / program
    return [str(local) if local.exists() else program, *command[1:]]


class Server:
    """One `atrisk serve` process, logging to a file."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.url = f"http://127.0.0.1:{port}"

    def client(self, **options: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=options.pop("timeout", 15.0), **options)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[str]:
        return [line for line in self.log_text().splitlines() if line.strip()]

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"server exited with {self.process.returncode}:\n{self.log_text()}"
                )
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server not ready after {timeout} s:\n{self.log_text()}")

    def stopped_cleanly(self) -> bool:
        """Exited by itself after SIGTERM (uvicorn re-raises the signal once it is done)."""
        return self.process.returncode in (0, -signal.SIGTERM) and (
            "Application shutdown complete" in self.log_text()
        )

    def terminate(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


def server_environment(database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = clean_environment()
    env.update(image_environment())
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(
        {
            "DATABASE_URL": database_url,
            "ATRISK_HOST": "127.0.0.1",
            "ATRISK_PORT": str(port),
            "ATRISK_SECRET_KEY": secrets.token_urlsafe(32),
            "ATRISK_WORKERS": "1",
            "ATRISK_DB_WAIT_SECONDS": "10",
        }
    )
    env.update(extra)
    return env


def start(
    database_url: str,
    log_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    command: Sequence[str] | None = None,
    user: str | None = None,
) -> Server:
    """Start the image's command (or `command`) against `database_url`; do not wait."""
    port = free_port()
    full_env = server_environment(database_url, port, **(env or {}))
    log = log_dir / f"server-{port}.log"
    handle: IO[bytes]
    with log.open("wb") as handle:
        process = subprocess.Popen(
            resolve(command or image_command()),
            env=full_env,
            cwd=log_dir,
            stdout=handle,
            stderr=subprocess.STDOUT,
            user=user,
        )
    return Server(process, port, log)


@contextmanager
def running(
    database_url: str,
    log_dir: Path,
    *,
    env: Mapping[str, str] | None = None,
    user: str | None = None,
) -> Iterator[Server]:
    """A started, ready server; SIGTERM'd (and killed if it hangs) afterwards."""
    server = start(database_url, log_dir, env=env, user=user)
    try:
        server.wait_ready()
        yield server
    finally:
        try:
            server.terminate()
        except subprocess.TimeoutExpired:
            server.kill()


def cli_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = clean_environment()
    env.update({"DATABASE_URL": database_url, "ATRISK_SEED_DEMO": "false"})
    env.update(extra)
    return env


def run_cli(
    args: Sequence[str], database_url: str, cwd: Path, timeout: float = 120, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run `atrisk ARGS` to completion; stdout and stderr are captured."""
    return subprocess.run(
        [str(BIN / "atrisk"), *args],
        env=cli_environment(database_url, **extra),
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
        [str(BIN / "atrisk"), *args],
        env=cli_environment(database_url, **extra),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
