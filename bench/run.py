"""`make bench`: seed the databases, serve, load with wrk, compare, write bench/results.md.

Every number is measured in this one run, side by side, on this machine:

    graphql          `atrisk serve` in production settings, read cache on (the default)
    graphql-nocache  the same with ATRISK_READ_CACHE_MB=0
    trivial, rest, ariadne   the baselines (bench/baselines.py) in the same kind of server

Numbers that are compared are measured interleaved: the servers involved run at the same
time (idle but one), and each measurement is taken in ROUNDS slices, in turn with the
others, so that load from elsewhere on the machine falls on all of them alike.

Environment: ATRISK_BENCH_POSTGRES_URL (also run on PostgreSQL), BENCH_SECONDS (per
measurement, default 6), BENCH_BACKENDS (to run only some, e.g. "postgresql").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
from sqlalchemy.engine import make_url

from atrisk.services.demo import DEMO_COMPANY
from atrisk.web.caller import SESSION_COOKIE
from bench.sections import write_section
from bench.seed import DATASETS, seed
from tests.utils.accounts import session_id
from tests.utils.server import ATRISK, Server, free_port, start_command, stop, wait_until_ready

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"
LUA = ROOT / "bench" / "wrk.lua"

SECONDS = int(os.environ.get("BENCH_SECONDS", "6"))
ROUNDS = 3  # each measurement is ROUNDS slices, interleaved with the servers it is compared to
SECRET_KEY = secrets.token_urlsafe(32)  # one per run: the servers and the seeding share it
WARMUP_SECONDS = 1
CONNECTIONS = (1, 16)

ENTRY_FIELDS = "id category name active position version createdAt updatedAt"
MOBILE = "query Picker { atRiskEntries(category: REASON, active: true) { id name } }"
ADMIN = f"query Admin {{ atRiskEntries {{ {ENTRY_FIELDS} }} }}"
LARGE = f"query Category {{ atRiskEntries(category: REASON) {{ {ENTRY_FIELDS} }} }}"
# The web page's own load query (frontend/operations.js): who is signed in, and the entries.
PAGE = (
    "query AtRiskEntries { me { email role company { name } } "
    "atRiskEntries { id category name active position version } }"
)
TOGGLE = (
    "mutation Toggle($input: UpdateAtRiskEntryInput!) { updateAtRiskEntry(input: $input) "
    "{ __typename ... on AtRiskEntry { id active version } } }"
)


BENCH_ADMIN = "bench-admin@bench.example"
BENCH_PASSWORD = secrets.token_urlsafe(16)
TOKENS: dict[str, str] = {}  # dataset -> read-only API token of its measured company


def credentials(dataset: str) -> dict[str, str]:
    """The bench client's credentials for reads: an API token of the measured company."""
    return {"Authorization": f"Bearer {TOKENS[dataset.removesuffix('-pair')]}"}


def create_credentials(dataset: str, database_url: str) -> None:
    """An admin (for the writes) and an API token (for the reads), made by the real CLI."""
    env = server_environment(database_url, "graphql")
    for command in (
        ["create-user", "--company", DEMO_COMPANY, "--email", BENCH_ADMIN, "--role", "admin"],
        ["create-token", "--company", DEMO_COMPANY, "--name", "bench"],
    ):
        if command[0] == "create-user":
            command += ["--password", BENCH_PASSWORD]
        done = subprocess.run(
            [str(ATRISK), *command], env=env, capture_output=True, text=True, check=True
        )
    TOKENS[dataset] = done.stdout.strip()


def sign_in(server: Server) -> dict[str, str]:
    """The headers of a signed-in admin's same-origin writes (session cookie, Origin)."""
    session = session_id(server, BENCH_ADMIN, BENCH_PASSWORD)
    return {"Cookie": f"{SESSION_COOKIE}={session}", "Origin": server.base_url}


def graphql_body(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return orjson.dumps({"query": query, "variables": variables or {}})


# --- what is sent --------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One kind of request: what wrk sends again and again."""

    path: str
    method: str = "POST"
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    write: tuple[str, str] | None = None  # path and body templates with {id} and {active}
    signed_in: bool = False  # `headers` carry a session: no API token is added
    ids: tuple[str, ...] = ()  # what the writes go to (default: the company's entries)

    def credentials(self, dataset: str) -> dict[str, str]:
        """The API token for reads; writes and signed-in reads bring their own session."""
        return {} if self.write or self.signed_in else credentials(dataset)


READS = {
    "mobile": (MOBILE, "category=REASON&active=true&shape=picker"),
    "admin": (ADMIN, "shape=full"),
    "large": (LARGE, "category=REASON&shape=full"),
}


def read_shape(target: str, scenario: str) -> Shape:
    query, rest_params = READS[scenario]
    if target in ("graphql", "graphql-nocache"):
        return Shape("/graphql", body=graphql_body(query))
    if target == "ariadne":
        return Shape("/bench/ariadne", body=graphql_body(query))
    if target == "trivial":
        return Shape(f"/bench/trivial/{scenario}", body=graphql_body(query))
    return Shape(f"/bench/rest/entries?{rest_params}", method="GET")


def write_shape(target: str, admin: dict[str, str]) -> Shape:
    """A toggle of `active` as a signed-in admin (`admin`: the session's headers)."""
    if target == "rest":
        path = "/bench/rest/entries/{id}"
        return Shape(path, headers=admin, write=(path, '{"active":{active}}'))
    body = graphql_body(TOGGLE, {"input": {"id": "ID", "active": "ACTIVE"}}).decode()
    body = body.replace('"ID"', '"{id}"').replace('"ACTIVE"', "{active}")
    path = "/graphql" if target == "graphql" else "/bench/ariadne"
    return Shape(path, headers=admin, write=(path, body))


# --- servers -------------------------------------------------------------------------------


def server_environment(database_url: str, kind: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ATRISK_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        ATRISK_ENV="production",
        ATRISK_SECRET_KEY=SECRET_KEY,
        ATRISK_ALLOWED_HOSTS="127.0.0.1",
        ATRISK_SEED_DEMO="false",
        ATRISK_LOG_LEVEL="WARNING",
        ATRISK_READ_CACHE_MB="0" if kind == "graphql-nocache" else "16",
    )
    return env


@contextmanager
def serving(
    kind: str, database_url: str, name: str, options: tuple[str, ...] = (), workers: int = 1
) -> Iterator[Server]:
    """`options`: more arguments of the baselines' server (bench/server.py); `workers`: of
    `atrisk serve`."""
    port = free_port()
    env = server_environment(database_url, kind)
    if kind == "baselines":
        command = [sys.executable, "-m", "bench.server", "--port", str(port)]
        command += ["--responses", str(WORK / "responses" / name), *options]
        env["PYTHONPATH"] = str(ROOT)
    else:
        command = [str(ATRISK), "serve", "--port", str(port)]
        if workers > 1:
            command += ["--workers", str(workers)]
    log_dir = WORK / "logs" / f"{name}-{kind}"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = start_command(command, env, log_dir, port)
    try:
        # Worker processes start by importing everything afresh: slow on a busy machine.
        wait_until_ready(server, timeout=60 if workers == 1 else 180)
        yield server
    finally:
        stop(server)


def send(
    server: Server, shape: Shape, dataset: str, timeout: float = 30, **extra: str
) -> httpx.Response:
    headers = {
        "content-type": "application/json",
        **shape.credentials(dataset),
        **shape.headers,
        **extra,
    }
    response = httpx.request(
        shape.method,
        server.base_url + shape.path,
        content=shape.body or None,
        headers=headers,
        timeout=timeout,
    )
    if response.status_code >= 400:
        raise RuntimeError(f"{shape.path}: {response.status_code} {response.text[:500]}")
    return response


# --- load ----------------------------------------------------------------------------------


@dataclass
class Result:
    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    wrk_cpu: float  # share of one core wrk used


def load(server: Server, shape: Shape, dataset: str, connections: int, seconds: int) -> Result:
    requests_dir = WORK / "requests"
    requests_dir.mkdir(exist_ok=True)
    env = dict(os.environ, BENCH_METHOD=shape.method)
    if shape.body:
        (requests_dir / "body").write_bytes(shape.body)
        env["BENCH_BODY"] = str(requests_dir / "body")
    headers = {**shape.credentials(dataset), **shape.headers}
    if headers:
        lines = "".join(f"{name}: {value}\n" for name, value in headers.items())
        (requests_dir / "headers").write_text(lines)
        env["BENCH_HEADERS"] = str(requests_dir / "headers")
    if shape.write:
        ids = list(shape.ids) or entry_ids(server, dataset)
        (requests_dir / "write").write_text("\n".join([*shape.write, *ids]) + "\n")
        env["BENCH_WRITE"] = str(requests_dir / "write")
        env["BENCH_CHECK"] = "1"
    # A request slower than wrk's own 2 s would count as a timeout, not as a latency.
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"]
    command += ["-s", str(LUA)]
    command.append(server.base_url + shape.path.split("{", 1)[0])
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("BENCH "))
    numbers = json.loads(line.removeprefix("BENCH "))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    errors = sum(numbers[k] for k in ("connect", "read", "write", "status", "timeout", "bad"))
    return Result(
        requests=numbers["requests"],
        rps=numbers["requests"] / (numbers["duration_us"] / 1e6),
        p50_ms=numbers["p50_us"] / 1000,
        p99_ms=numbers["p99_us"] / 1000,
        errors=errors,
        wrk_cpu=cpu / wall,
    )


def combined(slices: list[Result]) -> Result:
    """One result from interleaved slices: totals, mean percentiles, the busiest wrk."""
    seconds = sum(r.requests / r.rps for r in slices if r.rps)
    return Result(
        requests=sum(r.requests for r in slices),
        rps=sum(r.requests for r in slices) / seconds if seconds else 0.0,
        p50_ms=sum(r.p50_ms for r in slices) / len(slices),
        p99_ms=sum(r.p99_ms for r in slices) / len(slices),
        errors=sum(r.errors for r in slices),
        wrk_cpu=max(r.wrk_cpu for r in slices),
    )


def entry_ids(server: Server, dataset: str) -> list[str]:
    response = send(
        server, Shape("/graphql", body=graphql_body("{ atRiskEntries { id } }")), dataset
    )
    return [entry["id"] for entry in response.json()["data"]["atRiskEntries"]]


# --- the run -------------------------------------------------------------------------------


@dataclass
class Bench:
    backend: str
    results: dict[tuple[str, str, str, int], Result] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    locked: int = 0  # "database is locked" lines in the servers' logs
    profile: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def compare(
        self,
        contenders: list[tuple[str, str, Server, Shape]],
        scenario: str,
        connections: tuple[int, ...] = CONNECTIONS,
        slice_seconds: int | None = None,
    ) -> None:
        """Measure (target, dataset, server, shape) side by side, in interleaved slices (of
        SECONDS ÷ ROUNDS each unless `slice_seconds` says)."""
        for _, dataset, server, shape in contenders:
            if not shape.write:
                load(server, shape, dataset, max(connections), WARMUP_SECONDS)
        slice_seconds = slice_seconds or max(1, round(SECONDS / ROUNDS))
        for count in connections:
            slices: list[list[Result]] = [[] for _ in contenders]
            for _ in range(ROUNDS):
                for taken, (_, dataset, server, shape) in zip(slices, contenders, strict=True):
                    taken.append(load(server, shape, dataset, count, slice_seconds))
            for taken, (target, dataset, *_) in zip(slices, contenders, strict=True):
                result = combined(taken)
                self.results[(dataset, scenario, target, count)] = result
                print(
                    f"  {self.backend:8} {dataset:6} {scenario:7} {target:16} c={count:<3}"
                    f" {result.rps:9.0f} req/s  p50 {result.p50_ms:7.2f} ms"
                    f"  p99 {result.p99_ms:7.2f} ms  errors {result.errors}"
                    f"  wrk cpu {result.wrk_cpu:.0%}",
                    flush=True,
                )

    def server_done(self, server: Server, label: str) -> None:
        self.rss_mb[label] = server.rss_mb()
        self.locked += server.output().count("database is locked")


def database_urls(backend: str) -> dict[str, str]:
    names = ("one", "large", "many", "write")
    if backend == "sqlite":
        return {name: f"sqlite:///{WORK / f'{name}.db'}" for name in names}
    base = make_url(os.environ["ATRISK_BENCH_POSTGRES_URL"])
    return {
        name: base.set(database=f"atrisk_bench_{name}").render_as_string(hide_password=False)
        for name in names
    }


async def drop_postgres(url: str) -> None:
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await connection.close()


async def recreate_postgres(url: str) -> None:
    await drop_postgres(url)
    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(admin.render_as_string(hide_password=False))
    try:
        await connection.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await connection.close()


def prepare(backend: str) -> dict[str, str]:
    urls = database_urls(backend)
    for name, url in urls.items():
        started = time.monotonic()
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{WORK / name}.db{suffix}").unlink(missing_ok=True)
        else:
            import asyncio

            asyncio.run(recreate_postgres(url))
        seed(url, DATASETS["one" if name == "write" else name])
        create_credentials(name, url)
        print(f"  seeded {backend} {name} in {time.monotonic() - started:.1f} s", flush=True)
    return urls


def check_same_answers(baselines: Server, dataset: str, scenario: str) -> None:
    """The baselines do the same work: the same bytes (REST, trivial) or data (Ariadne)."""
    expected = (WORK / "responses" / dataset / f"{scenario}.json").read_bytes()
    rest = send(baselines, read_shape("rest", scenario), dataset).content
    ariadne = send(baselines, read_shape("ariadne", scenario), dataset).json()
    trivial = send(baselines, read_shape("trivial", scenario), dataset).content
    assert rest == expected, f"{scenario}: the REST baseline answers other bytes"
    assert trivial == expected, f"{scenario}: the trivial baseline answers other bytes"
    assert ariadne == orjson.loads(expected), f"{scenario}: Ariadne answers other data"


def page_contenders(cached: Server) -> list[tuple[str, str, Server, Shape]]:
    """The page's load query as a signed-in admin (cache warm, and revalidated with its ETag),
    beside the mobile picker's cached read, in the same server."""
    page = Shape("/graphql", body=graphql_body(PAGE), headers=sign_in(cached), signed_in=True)
    etag = send(cached, page, "one").headers["etag"]
    revalidate = Shape(
        page.path, body=page.body, headers={**page.headers, "If-None-Match": etag}, signed_in=True
    )
    assert send(cached, revalidate, "one").status_code == 304
    return [
        ("graphql", "one", cached, page),
        ("graphql-304", "one", cached, revalidate),
        ("mobile", "one", cached, read_shape("graphql", "mobile")),
    ]


def run_backend(backend: str) -> Bench:
    print(f"{backend}: seeding", flush=True)
    urls = prepare(backend)
    bench = Bench(backend)
    for dataset, scenarios in (("one", ("mobile", "admin")), ("large", ("large",))):
        url = urls[dataset]
        responses = WORK / "responses" / dataset
        responses.mkdir(parents=True, exist_ok=True)
        with serving("graphql", url, dataset) as cached:
            for scenario in scenarios:
                answer = send(cached, read_shape("graphql", scenario), dataset)
                (responses / f"{scenario}.json").write_bytes(answer.content)
            with (
                serving("graphql-nocache", url, dataset) as uncached,
                serving("baselines", url, dataset) as baselines,
            ):
                for scenario in scenarios:
                    check_same_answers(baselines, dataset, scenario)
                    contenders = [("graphql", dataset, cached, read_shape("graphql", scenario))]
                    if scenario == "mobile":
                        etag = send(cached, read_shape("graphql", scenario), dataset).headers[
                            "etag"
                        ]
                        shape = read_shape("graphql", scenario)
                        polling = Shape(
                            shape.path, body=shape.body, headers={"If-None-Match": etag}
                        )
                        assert send(cached, polling, dataset).status_code == 304
                        contenders.append(("graphql-304", dataset, cached, polling))
                    contenders.append(
                        ("graphql-nocache", dataset, uncached, read_shape("graphql", scenario))
                    )
                    contenders += [
                        (target, dataset, baselines, read_shape(target, scenario))
                        for target in ("trivial", "rest", "ariadne")
                    ]
                    bench.compare(contenders, scenario)
                if dataset == "one":
                    bench.compare(page_contenders(cached), "page")
                bench.server_done(uncached, f"{dataset}, read cache off")
                bench.server_done(baselines, f"{dataset}, baselines")
            bench.server_done(cached, f"{dataset}, read cache on")

    # One company against 10,000: the same kind of server over each, side by side.
    for kind, target in (
        ("graphql", "graphql"),
        ("graphql-nocache", "graphql-nocache"),
        ("baselines", "rest"),
    ):
        with (
            serving(kind, urls["one"], "one-pair") as one,
            serving(kind, urls["many"], "many") as many,
        ):
            for scenario in ("mobile", "admin"):
                shape = read_shape(target, scenario)
                pair = [(target, "one-pair", one, shape), (target, "many", many, shape)]
                bench.compare(pair, scenario, (16,))
            bench.server_done(many, f"many, {kind}")

    with (
        serving("graphql", urls["write"], "write") as graphql,
        serving("baselines", urls["write"], "write") as baselines,
    ):
        contenders = [("graphql", "write", graphql, write_shape("graphql", sign_in(graphql)))]
        admin = sign_in(baselines)
        contenders += [(t, "write", baselines, write_shape(t, admin)) for t in ("rest", "ariadne")]
        bench.compare(contenders, "write")
        bench.server_done(graphql, "write, read cache on")
        bench.server_done(baselines, "write, baselines")

    print(f"{backend}: profiling", flush=True)
    output = WORK / f"profile-{backend}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.profile", urls["one"], str(output), ADMIN],
        check=True,
        cwd=ROOT,
    )
    bench.profile = json.loads(output.read_text())
    if backend == "postgresql":
        import asyncio

        for url in urls.values():
            asyncio.run(drop_postgres(url))
    return bench


# --- the report ----------------------------------------------------------------------------

TARGET_NAMES = {
    "graphql": "GraphQL, read cache warm",
    "graphql-304": "GraphQL, If-None-Match → 304",
    "graphql-nocache": "GraphQL, read cache off",
    "trivial": "trivial route (same bytes)",
    "rest": "bare Starlette route",
    "ariadne": "Ariadne",
    "mobile": "mobile picker, GraphQL, read cache warm (beside it)",
}
SCENARIO_NAMES = {
    ("one", "mobile"): "mobile picker (15 rows)",
    ("one", "admin"): "admin page (60 rows)",
    ("one", "page"): "page load (me + 60 rows, signed in)",
    ("large", "large"): "large category (1,000 rows)",
    ("write", "write"): "write (toggle active)",
}


def machine() -> list[str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1]
        except OSError:
            pass
        return "?"

    packages = ", ".join(
        f"{name} {version(name)}"
        for name in (
            "strawberry-graphql",
            "graphql-core",
            "starlette",
            "uvicorn",
            "uvloop",
            "httptools",
            "sqlalchemy",
            "aiosqlite",
            "asyncpg",
            "orjson",
            "ariadne",
        )
    )
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    load1, load5, _ = os.getloadavg()
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}",
        f"- CPU: {first('/proc/cpuinfo', 'model name')}, {os.cpu_count()} logical cores",
        f"- memory: {first('/proc/meminfo', 'MemTotal')}",
        f"- system: {first('/etc/os-release', 'PRETTY_NAME').strip(chr(34))},"
        f" Linux {platform.release()}",
        f"- load average when the run started: {load1:.2f} (1 min), {load5:.2f} (5 min)",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- {packages}",
        f"- load generator: {wrk.split(' Copyright')[0]}, one thread, {SECONDS} s per run"
        f" after a {WARMUP_SECONDS} s warm-up",
        "- server: one uvicorn worker (uvloop, httptools), production settings with"
        " ATRISK_LOG_LEVEL=WARNING (so no access log lines),"
        " loopback; load generator and server share the machine",
    ]


def spread(result: Result) -> float:
    return result.p99_ms / result.p50_ms if result.p50_ms else float("nan")


def ratio(a: Result | None, b: Result | None) -> str:
    return f"{a.rps / b.rps:.2f}×" if a and b and b.rps else "–"


def read_table(bench: Bench) -> list[str]:
    lines = [
        "| scenario | server | conns | req/s | p50 ms | p99 ms | p99/p50 | errors "
        "| × trivial | × bare route | × Ariadne |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for dataset, scenario in (
        ("one", "mobile"),
        ("one", "admin"),
        ("one", "page"),
        ("large", "large"),
    ):
        for target in TARGET_NAMES:
            for count in CONNECTIONS:
                result = bench.results.get((dataset, scenario, target, count))
                if result is None:
                    continue
                base = {t: bench.results.get((dataset, scenario, t, count)) for t in TARGET_NAMES}
                lines.append(
                    f"| {SCENARIO_NAMES[(dataset, scenario)]} | {TARGET_NAMES[target]} | {count} "
                    f"| {result.rps:,.0f} | {result.p50_ms:.2f} | {result.p99_ms:.2f} "
                    f"| {spread(result):.1f} | {result.errors} "
                    f"| {ratio(result, base['trivial'])} | {ratio(result, base['rest'])} "
                    f"| {ratio(result, base['ariadne'])} |"
                )
    return lines


def write_table(bench: Bench) -> list[str]:
    lines = [
        "| server | conns | req/s | p50 ms | p99 ms | errors | × bare route | × Ariadne |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for target in ("graphql", "rest", "ariadne"):
        for count in CONNECTIONS:
            result = bench.results.get(("write", "write", target, count))
            if result is None:
                continue
            rest = bench.results.get(("write", "write", "rest", count))
            ariadne = bench.results.get(("write", "write", "ariadne", count))
            name = "GraphQL" if target == "graphql" else TARGET_NAMES[target]
            lines.append(
                f"| {name} | {count} | {result.rps:,.0f} | {result.p50_ms:.2f} "
                f"| {result.p99_ms:.2f} | {result.errors} | {ratio(result, rest)} "
                f"| {ratio(result, ariadne)} |"
            )
    return lines


def many_table(bench: Bench) -> list[str]:
    lines = [
        "| scenario | server | 1 company req/s | 10,000 companies req/s | one ÷ many |",
        "|---|---|--:|--:|--:|",
    ]
    for scenario in ("mobile", "admin"):
        for target in ("graphql", "graphql-nocache", "rest"):
            one = bench.results.get(("one-pair", scenario, target, 16))
            many = bench.results.get(("many", scenario, target, 16))
            if one and many:
                lines.append(
                    f"| {SCENARIO_NAMES[('one', scenario)]} | {TARGET_NAMES[target]} "
                    f"| {one.rps:,.0f} | {many.rps:,.0f} | {one.rps / many.rps:.2f} |"
                )
    return lines


VERDICT = {True: "yes", False: "**no**", None: "—"}


def targets(bench: Bench) -> list[str]:
    r = bench.results

    def rps(dataset: str, scenario: str, target: str, count: int = 16) -> float:
        result = r.get((dataset, scenario, target, count))
        return result.rps if result else float("nan")

    rows: list[tuple[str, str, float, bool | None]] = []
    value = rps("one", "page", "graphql") / rps("one", "page", "mobile")
    rows.append(
        (
            "page load (cache warm) ÷ mobile picker (cache warm), side by side",
            "≥ 0.9",
            value,
            value >= 0.9,
        )
    )
    value = rps("one", "mobile", "graphql") / rps("one", "mobile", "trivial")
    wanted = 0.4 if bench.backend == "sqlite" else 0.15
    rows.append(
        ("mobile: GraphQL (cache warm) ÷ trivial route", f"≥ {wanted}", value, value >= wanted)
    )
    for scenario in ("mobile", "admin"):
        cached = rps("one", scenario, "graphql")
        value = cached / rps("one", scenario, "rest")
        rows.append(
            (f"{scenario}: GraphQL (cache warm) ÷ bare route", "≥ 1.0", value, value >= 1.0)
        )
        value = cached / rps("one", scenario, "ariadne")
        rows.append((f"{scenario}: GraphQL (cache warm) ÷ Ariadne", "≥ 2.0", value, value >= 2.0))
    for dataset, scenario in (("one", "mobile"), ("one", "admin"), ("large", "large")):
        value = rps(dataset, scenario, "graphql-nocache") / rps(dataset, scenario, "rest")
        rows.append((f"{scenario}: GraphQL (cache off) ÷ bare route", "≥ 0.5", value, value >= 0.5))
    worst = max(
        (spread(res), key)
        for key, res in r.items()
        if key[3] == 16 and key[2].startswith("graphql") and res.p50_ms
    )
    rows.append(
        (
            f"p99 ÷ p50, worst GraphQL run at 16 conns ({worst[1][1]}, {worst[1][2]})",
            "≤ 3.0",
            worst[0],
            worst[0] <= 3.0,
        )
    )
    for key, res in sorted(r.items()):
        if key[3] == 16 and key[2].startswith("graphql") and key[0] in ("one", "large"):
            rows.append(
                (
                    f"p99 ÷ p50, {key[1]}, {TARGET_NAMES[key[2]]}",
                    "≤ 3.0",
                    spread(res),
                    spread(res) <= 3.0,
                )
            )
    floor = max(spread(res) for key, res in r.items() if key[2] == "trivial" and key[3] == 16)
    rows.append(
        ("p99 ÷ p50 of the trivial route at 16 conns (the machine's own jitter)", "—", floor, None)
    )
    for scenario in ("mobile", "admin"):
        for target in ("graphql", "graphql-nocache"):
            value = rps("one-pair", scenario, target) / rps("many", scenario, target)
            rows.append(
                (
                    f"{scenario}, {TARGET_NAMES[target]}: 1 company ÷ 10,000 companies",
                    "≤ 1.2",
                    value,
                    value <= 1.2,
                )
            )
    rss = max(v for k, v in bench.rss_mb.items() if "baselines" not in k)
    rows.append(
        ("largest worker RSS after its runs (MB, product servers)", "< 120", rss, rss < 120)
    )
    write_errors = sum(res.errors for key, res in r.items() if key[0] == "write" and key[3] == 16)
    rows.append(
        (
            f'{bench.backend} writes at 16 conns: errors, "database is locked" in logs',
            "0",
            write_errors + bench.locked,
            write_errors + bench.locked == 0,
        )
    )
    wrk_cpu = max(res.wrk_cpu for res in r.values())
    lines = ["| target | wanted | reached | met |", "|---|--:|--:|:-:|"]
    lines += [
        f"| {name} | {wanted} | {value:.2f} | {VERDICT[met]} |" for name, wanted, value, met in rows
    ]
    lines.append(f"| wrk's CPU, most of one core in any run | — | {wrk_cpu:.0%} | — |")
    return lines


def report(benches: list[Bench]) -> list[str]:
    out = ["## Part one: the lists, accounts and the read cache", ""]
    out += ["### Machine", "", *machine(), ""]
    for bench in benches:
        out += [f"### {bench.backend}", "", "#### Targets", "", *targets(bench), ""]
        out += ["#### Reads", "", *read_table(bench), ""]
        out += ["#### Writes", "", *write_table(bench), ""]
        out += ["#### 10,000 companies × 60 entries against one company (16 connections)", ""]
        out += [*many_table(bench), ""]
        out += ["#### Memory: resident set size of each server after its runs", ""]
        out += ["| server | RSS MB |", "|---|--:|"]
        out += [f"| {name} | {mb:.0f} |" for name, mb in bench.rss_mb.items()]
        profile = bench.profile
        out += [
            "",
            "#### Python function calls per admin-page request (cProfile, event loop thread)",
            "",
        ]
        timings = profile.pop("lookups", {})
        out += ["| server | calls per request |", "|---|--:|"]
        out += [f"| {name} | {data['calls']:,} |" for name, data in profile.items()]
        if timings:
            out += [
                "",
                "#### The credential lookup of every request: `Database.lookup` against the driver",
                "",
                "| way | µs per lookup |",
                "|---|--:|",
                *(f"| {way} | {micros:.1f} |" for way, micros in timings.items()),
            ]
            if timings.get("driver"):
                out.append(
                    f"| gain (driver ÷ lookup) | {timings['driver'] / timings['lookup']:.2f}× |"
                )
        for name, data in profile.items():
            if data["top"]:
                out += ["", f"<details><summary>{name}: where the time goes</summary>", "", "```"]
                out += [data["top"].strip(), "```", "", "</details>"]
        out.append("")
    return out


def chosen_backends() -> list[str] | None:
    """The databases to measure (SQLite; PostgreSQL when ATRISK_BENCH_POSTGRES_URL is set;
    BENCH_BACKENDS narrows them); None, said why, when wrk is missing."""
    if shutil.which("wrk") is None:
        print("make bench needs wrk (Debian: apt-get install wrk)", file=sys.stderr)
        return None
    WORK.mkdir(parents=True, exist_ok=True)
    backends = ["sqlite"]
    if os.environ.get("ATRISK_BENCH_POSTGRES_URL"):
        backends.append("postgresql")
    return [b for b in backends if b in os.environ.get("BENCH_BACKENDS", "sqlite postgresql")]


def main() -> int:
    started = time.monotonic()
    backends = chosen_backends()
    if backends is None:
        return 2
    benches = [run_backend(backend) for backend in backends]
    write_section("part-one", report(benches), RESULTS)
    print(f"wrote {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
