"""`make bench` part "live": live updates under 1,000 subscribers, in one run.

    delivery   1,000 sockets subscribed to `companyChanges` (graphql-transport-ws) on one
               `atrisk serve`; WRITES writes (updateAtRiskEntry over HTTP as a signed-in
               admin), spaced; the time from sending each write to each socket receiving
               its change: p50, p99 and max over every delivery
    reads      wrk at 16 connections (GET /graphql?query=… with an API token) without and
               with the 1,000 idle subscribers connected, in ROUNDS interleaved slices
    memory     the server's RSS with the subscribers minus without them, per subscriber

On SQLite with one worker; on PostgreSQL (ATRISK_BENCH_POSTGRES_URL) with `--workers 2`,
the sockets spread over both workers and every write on a connection of its own (so it
lands on either). The subscribers are one asyncio process (this one), spread over
SUBSCRIBER_TOKENS API tokens: the server allows 20 open sockets per token and process.

Environment: ATRISK_BENCH_POSTGRES_URL, BENCH_SECONDS (per read measurement, default 6),
BENCH_BACKENDS (e.g. "sqlite"), BENCH_LIVE_SUBSCRIBERS (default 1000).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import resource
import shutil
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx
import orjson
import uvloop
from sqlalchemy.engine import make_url
from websockets.asyncio.client import ClientConnection, connect

from atrisk.db.database import Database
from atrisk.services import tokens
from atrisk.settings import Settings
from bench.run import (
    MOBILE,
    RESULTS,
    ROUNDS,
    SECONDS,
    TOGGLE,
    VERDICT,
    WARMUP_SECONDS,
    WORK,
    Result,
    Shape,
    combined,
    create_credentials,
    drop_postgres,
    graphql_body,
    load,
    machine,
    recreate_postgres,
    send,
    server_environment,
    serving,
    sign_in,
)
from bench.sections import write_section
from bench.seed import DATASETS, seed
from tests.utils.server import Server
from tests.utils.subscriptions import CHANGES, PROTOCOL, ws_url

SUBSCRIBERS = int(os.environ.get("BENCH_LIVE_SUBSCRIBERS", "1000"))
SUBSCRIBER_TOKENS = 60  # 1,000 sockets at most 17 per token: under the limit of 20
WRITES = 20
WRITE_GAP_SECONDS = (0.4, 0.8)  # between one write's last delivery and the next write
DELIVERY_TIMEOUT_SECONDS = 10.0
CONNECTING_AT_ONCE = 50
CONNECTIONS = 16
DATASET = "live"  # the name the run's credentials go under (bench.run.TOKENS)
ENTRIES = "{ atRiskEntries { id active } }"
READ = Shape(f"/graphql?query={quote(MOBILE, safe='')}", method="GET")

DELIVERY_P99_MS = 250.0
READ_RATIO = 0.9


# --- the subscribers -----------------------------------------------------------------------


@dataclass
class Write:
    """One write being delivered: which entry, when it was sent, when each socket heard."""

    entity_id: str
    expected: int
    sent: float = 0.0
    arrivals: list[float] = field(default_factory=list)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def heard(self, at: float) -> None:
        self.arrivals.append(at - self.sent)
        if len(self.arrivals) >= self.expected:
            self.done.set()


class Subscribers:
    """SUBSCRIBERS sockets in this process, each with its companyChanges subscription."""

    def __init__(self, server: Server, tokens: list[str]) -> None:
        self.url = ws_url(server)
        self.tokens = tokens
        self.sockets: list[ClientConnection] = []
        self.readers: list[asyncio.Task[None]] = []
        self.current: Write | None = None
        self.closed_early = 0
        self.other_messages = 0

    async def _open(self, token: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            socket = await connect(
                self.url,
                subprotocols=[PROTOCOL],  # type: ignore[list-item]
                open_timeout=60,
                ping_interval=None,  # the server pings; the library answers
                max_queue=None,
                proxy=None,
            )
            payload = {"authorization": f"Bearer {token}"}
            await socket.send(
                orjson.dumps({"type": "connection_init", "payload": payload}).decode()
            )
            ack = orjson.loads(await asyncio.wait_for(socket.recv(), 60))
            assert ack["type"] == "connection_ack", ack
            subscribe = {"id": "1", "type": "subscribe", "payload": {"query": CHANGES}}
            await socket.send(orjson.dumps(subscribe).decode())
            first = orjson.loads(await asyncio.wait_for(socket.recv(), 60))
            assert first["payload"]["data"]["companyChanges"]["resync"] is True, first
        self.sockets.append(socket)
        self.readers.append(asyncio.create_task(self._read(socket)))

    async def _read(self, socket: ClientConnection) -> None:
        try:
            async for frame in socket:
                at = time.perf_counter()
                write = self.current
                # Cheap on the hot path: the entry's id in the frame is the change awaited.
                if write is not None and write.entity_id in frame:
                    write.heard(at)
                else:
                    self.other_messages += 1
        except Exception:
            self.closed_early += 1

    async def connect(self) -> float:
        """Open every socket; the seconds it took."""
        started = time.perf_counter()
        gate = asyncio.Semaphore(CONNECTING_AT_ONCE)
        await asyncio.gather(
            *(self._open(self.tokens[n % len(self.tokens)], gate) for n in range(SUBSCRIBERS))
        )
        return time.perf_counter() - started

    async def disconnect(self) -> None:
        for reader in self.readers:
            reader.cancel()
        await asyncio.gather(*(socket.close() for socket in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.readers, return_exceptions=True)
        self.sockets.clear()
        self.readers.clear()


# --- the server's processes ----------------------------------------------------------------


def _children(pid: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def _sockets(pid: int) -> int:
    count = 0
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                count += os.readlink(fd).startswith("socket:")
    except OSError:
        return 0
    return count


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serving_processes(server: Server, workers: int) -> list[int]:
    """The processes that serve requests: the server itself, or its worker processes."""
    if workers == 1:
        return [server.process.pid]
    return _children(server.process.pid)


# --- one backend ---------------------------------------------------------------------------


@dataclass
class Live:
    backend: str
    workers: int
    connect_seconds: list[float] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    per_write_p99_ms: list[float] = field(default_factory=list)
    missed: int = 0
    without: list[Result] = field(default_factory=list)
    with_subscribers: list[Result] = field(default_factory=list)
    rss_kb: list[tuple[int, int]] = field(default_factory=list)  # (without, with), per round
    spread: list[int] = field(default_factory=list)  # sockets gained by each process
    closed_early: int = 0
    locked: int = 0
    server_cpu_s: float = 0.0  # CPU time of the serving processes during the writes
    client_cpu_s: float = 0.0  # and of this process (the subscribers and the writer)
    load: list[float] = field(default_factory=list)  # 1-minute load average, start and end

    def cpu_per_delivery_us(self, seconds: float) -> float:
        deliveries = len(self.latencies_ms)
        return seconds / deliveries * 1e6 if deliveries else float("nan")

    @property
    def read_ratio(self) -> float:
        a, b = combined(self.with_subscribers), combined(self.without)
        return a.rps / b.rps if b.rps else float("nan")

    def per_subscriber_kb(self) -> float:
        without, with_ = self.rss_kb[0]
        return (with_ - without) / SUBSCRIBERS


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def database_url(backend: str) -> str:
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{WORK / 'live.db'}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{WORK / 'live.db'}"
    base = make_url(os.environ["ATRISK_BENCH_POSTGRES_URL"])
    url = base.set(database="atrisk_bench_live_one").render_as_string(hide_password=False)
    asyncio.run(recreate_postgres(url))
    return url


async def subscriber_tokens(url: str, company_id: str) -> list[str]:
    """SUBSCRIBER_TOKENS read-only API tokens, made by the product's own service."""
    settings = Settings.from_env(server_environment(url, "graphql"))
    db = Database(settings)
    try:
        made = []
        for n in range(SUBSCRIBER_TOKENS):
            _, token = await tokens.create_token(
                db, settings.signing_key, company_id, f"live subscriber {n:03d}"
            )
            made.append(token)
        return made
    finally:
        await db.dispose()


async def deliver(live: Live, server: Server, subscribers: Subscribers) -> None:
    """WRITES writes, spaced, each on a connection of its own; every delivery timed."""
    admin = sign_in(server)
    listed = send(server, Shape("/graphql", body=graphql_body(ENTRIES)), DATASET)
    entries = [(e["id"], e["active"]) for e in listed.json()["data"]["atRiskEntries"]]
    random.shuffle(entries)
    for n in range(WRITES):
        entity_id, active = entries[n % len(entries)]
        entries[n % len(entries)] = (entity_id, not active)
        write = Write(entity_id, expected=len(subscribers.sockets))
        body = graphql_body(TOGGLE, {"input": {"id": entity_id, "active": not active}})
        subscribers.current = write
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as client:
            write.sent = time.perf_counter()
            response = await client.post(
                "/graphql", content=body, headers={**admin, "content-type": "application/json"}
            )
        answer = response.json()
        assert answer["data"]["updateAtRiskEntry"]["__typename"] == "AtRiskEntry", answer
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(write.done.wait(), DELIVERY_TIMEOUT_SECONDS)
        subscribers.current = None
        arrivals = [seconds * 1000 for seconds in write.arrivals]
        live.missed += write.expected - len(arrivals)
        live.latencies_ms += arrivals
        live.per_write_p99_ms.append(percentile(arrivals, 0.99))
        print(
            f"  {live.backend:10} write {n + 1:2}: {len(arrivals)}/{write.expected} heard,"
            f" p50 {percentile(arrivals, 0.5):6.1f} ms  p99 {percentile(arrivals, 0.99):6.1f} ms"
            f"  max {max(arrivals, default=float('nan')):6.1f} ms",
            flush=True,
        )
        await asyncio.sleep(random.uniform(*WRITE_GAP_SECONDS))


async def measure(live: Live, server: Server, subscriber_tokens: list[str]) -> None:
    processes = serving_processes(server, live.workers)
    slice_seconds = max(2, round(SECONDS / ROUNDS))
    await asyncio.to_thread(load, server, READ, DATASET, CONNECTIONS, WARMUP_SECONDS)
    for round_ in range(ROUNDS):
        rss_without = sum(_rss_kb(pid) for pid in processes)
        sockets_before = [_sockets(pid) for pid in processes]
        taken = await asyncio.to_thread(load, server, READ, DATASET, CONNECTIONS, slice_seconds)
        live.without.append(taken)
        subscribers = Subscribers(server, subscriber_tokens)
        live.connect_seconds.append(await subscribers.connect())
        await asyncio.sleep(1.0)  # the handshakes' work done: the subscribers are idle
        rss_with = sum(_rss_kb(pid) for pid in processes)
        live.rss_kb.append((rss_without, rss_with))
        if round_ == 0:
            live.spread = [
                _sockets(pid) - before
                for pid, before in zip(processes, sockets_before, strict=True)
            ]
        taken = await asyncio.to_thread(load, server, READ, DATASET, CONNECTIONS, slice_seconds)
        live.with_subscribers.append(taken)
        print(
            f"  {live.backend:10} round {round_ + 1}: {SUBSCRIBERS} connected in"
            f" {live.connect_seconds[-1]:.1f} s; reads without {live.without[-1].rps:,.0f},"
            f" with {taken.rps:,.0f} req/s; RSS {rss_without / 1024:.0f} →"
            f" {rss_with / 1024:.0f} MB",
            flush=True,
        )
        if round_ == ROUNDS - 1:
            server_cpu = sum(_cpu_seconds(pid) for pid in processes)
            client_cpu = time.process_time()
            await deliver(live, server, subscribers)
            live.server_cpu_s = sum(_cpu_seconds(pid) for pid in processes) - server_cpu
            live.client_cpu_s = time.process_time() - client_cpu
        live.closed_early += subscribers.closed_early
        await subscribers.disconnect()
        await asyncio.sleep(1.0)


def run_backend(backend: str, workers: int) -> Live:
    print(f"{backend}: seeding", flush=True)
    url = database_url(backend)
    company_id = seed(url, DATASETS["one"])
    create_credentials(DATASET, url)
    subscriber_keys = asyncio.run(subscriber_tokens(url, company_id))
    live = Live(backend, workers, load=[os.getloadavg()[0]])
    try:
        with serving("graphql", url, f"live-{backend}", workers=workers) as server:
            uvloop.run(measure(live, server, subscriber_keys))
            live.locked = server.output().count("database is locked")
        live.load.append(os.getloadavg()[0])
    finally:
        if backend == "postgresql":
            asyncio.run(drop_postgres(url))
    return live


# --- the report ----------------------------------------------------------------------------


def where(live: Live) -> str:
    if live.workers == 1:
        return f"{live.backend}, one worker"
    return f"{live.backend}, {live.workers} workers"


def targets(runs: list[Live]) -> list[str]:
    rows: list[tuple[str, str, str, bool | None]] = []
    for live in runs:
        p99 = percentile(live.latencies_ms, 0.99)
        rows.append(
            (
                f"{where(live)}: a write reaches {SUBSCRIBERS:,} subscribers, p99 ms",
                f"≤ {DELIVERY_P99_MS:.0f}",
                f"{p99:.1f}",
                p99 <= DELIVERY_P99_MS and live.missed == 0,
            )
        )
        rows.append(
            (
                f"{where(live)}: changes not delivered within {DELIVERY_TIMEOUT_SECONDS:.0f} s",
                "0",
                f"{live.missed}",
                live.missed == 0,
            )
        )
        rows.append(
            (
                f"{where(live)}: reads with {SUBSCRIBERS:,} idle subscribers ÷ without",
                f"≥ {READ_RATIO}",
                f"{live.read_ratio:.2f}",
                live.read_ratio >= READ_RATIO,
            )
        )
        if live.workers == 1:
            rows.append(
                (
                    f"{where(live)}: memory per idle subscriber, KB",
                    "—",
                    f"{live.per_subscriber_kb():.1f}",
                    None,
                )
            )
    lines = ["| target | wanted | reached | met |", "|---|--:|--:|:-:|"]
    lines += [
        f"| {name} | {wanted} | {value} | {VERDICT[met]} |" for name, wanted, value, met in rows
    ]
    return lines


def raw(live: Live) -> list[str]:
    values = live.latencies_ms
    lines = [f"#### {where(live)}", ""]
    lines += [
        "| deliveries | missed | p50 ms | p90 ms | p99 ms | max ms | mean ms "
        "| worst write's p99 ms |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|",
        f"| {len(values):,} | {live.missed} | {percentile(values, 0.5):.1f} "
        f"| {percentile(values, 0.9):.1f} | {percentile(values, 0.99):.1f} "
        f"| {max(values, default=float('nan')):.1f} "
        f"| {statistics.fmean(values) if values else float('nan'):.1f} "
        f"| {max(live.per_write_p99_ms, default=float('nan')):.1f} |",
        "",
        f"Reads, {CONNECTIONS} connections, slices in turn:",
        "",
        "| round | subscribers | req/s | p50 ms | p99 ms | errors |",
        "|--:|--:|--:|--:|--:|--:|",
    ]
    for n, (without, with_) in enumerate(zip(live.without, live.with_subscribers, strict=True)):
        for count, result in ((0, without), (SUBSCRIBERS, with_)):
            lines.append(
                f"| {n + 1} | {count:,} | {result.rps:,.0f} | {result.p50_ms:.2f} "
                f"| {result.p99_ms:.2f} | {result.errors} |"
            )
    for count, slices in ((0, live.without), (SUBSCRIBERS, live.with_subscribers)):
        result = combined(slices)
        lines.append(
            f"| all | {count:,} | {result.rps:,.0f} | {result.p50_ms:.2f} "
            f"| {result.p99_ms:.2f} | {result.errors} |"
        )
    lines += [
        "",
        "| round | connecting took s | RSS without MB | RSS with MB | KB per subscriber |",
    ]
    lines.append("|--:|--:|--:|--:|--:|")
    for n, ((rss_without, rss_with), seconds) in enumerate(
        zip(live.rss_kb, live.connect_seconds, strict=True)
    ):
        lines.append(
            f"| {n + 1} | {seconds:.1f} | {rss_without / 1024:.1f} | {rss_with / 1024:.1f} "
            f"| {(rss_with - rss_without) / SUBSCRIBERS:.1f} |"
        )
    lines += [
        "",
        f"- sockets each serving process gained: {', '.join(str(n) for n in live.spread)}",
        f"- CPU time per delivery during the writes: server"
        f" {live.cpu_per_delivery_us(live.server_cpu_s):.0f} µs, subscribers' process"
        f" {live.cpu_per_delivery_us(live.client_cpu_s):.0f} µs (the writes' own work included)",
        f"- load average (1 min) when this part started and ended: {live.load[0]:.2f},"
        f" {live.load[-1]:.2f} on {os.cpu_count()} cores",
        f"- sockets closed before the end: {live.closed_early};"
        f' "database is locked" in the server log: {live.locked}',
        "",
    ]
    return lines


def report(runs: list[Live]) -> list[str]:
    out = ["## Part three: live updates, 1,000 subscribers", ""]
    out += ["### Machine", "", *machine()]
    out += [
        f"- subscribers: {SUBSCRIBERS:,} sockets in one asyncio process (uvloop, websockets),"
        f" graphql-transport-ws, over {SUBSCRIBER_TOKENS} API tokens; {WRITES} writes"
        " (updateAtRiskEntry, a signed-in admin), each on a new HTTP connection; latency from"
        " sending a write to each socket receiving its change",
        f"- reads: wrk, {CONNECTIONS} connections, GET /graphql?query=… with an API token,"
        f" {ROUNDS} slices without and {ROUNDS} with the subscribers, in turn",
        "",
    ]
    out += ["### Targets", "", *targets(runs), ""]
    out += ["### Raw figures", ""]
    for live in runs:
        out += raw(live)
    return out


def raise_file_limit() -> None:
    """Room for the sockets: this process's and (inherited) the server's and wrk's."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 4 * SUBSCRIBERS + 1024
    if hard != resource.RLIM_INFINITY and hard < wanted:
        raise SystemExit(f"the open files limit ({hard}) is too low for {SUBSCRIBERS} sockets")
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def main() -> int:
    if shutil.which("wrk") is None:
        print("make bench needs wrk (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    WORK.mkdir(parents=True, exist_ok=True)
    raise_file_limit()
    started = time.monotonic()
    plan = [("sqlite", 1)]
    if os.environ.get("ATRISK_BENCH_POSTGRES_URL"):
        plan.append(("postgresql", 2))
    chosen = os.environ.get("BENCH_BACKENDS", "sqlite postgresql")
    runs = [run_backend(backend, workers) for backend, workers in plan if backend in chosen]
    write_section("live", report(runs), RESULTS)
    print(f"wrote {RESULTS.name} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
