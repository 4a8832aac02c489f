"""`make bench`, part "cases": the work queue, customers, history and the retention report
at a large dealer's size, each against bare Starlette routes doing the same authentication
and SQL (bench/cases_baselines.py), side by side in interleaved slices as bench/run.py does.

    python -m bench.cases

GraphQL is served with the read cache off (ATRISK_READ_CACHE_MB=0), so that each request
runs its SQL, as the bare routes do. Environment: as bench/run.py, and ATRISK_BENCH_SCALE
(bench/cases_seed.py) for quick tries.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from sqlalchemy import event
from sqlalchemy.engine import make_url

from atrisk.services import tokens
from atrisk.services.pages import encode_cursor
from atrisk.services.reports import Grouping
from atrisk.settings import Settings
from atrisk.web.caller import SESSION_COOKIE
from bench import cases_seed
from bench.profile import HEADERS, call
from bench.run import (
    BENCH_ADMIN,
    BENCH_PASSWORD,
    RESULTS,
    ROOT,
    SECONDS,
    VERDICT,
    WORK,
    Bench,
    Result,
    Shape,
    chosen_backends,
    create_credentials,
    drop_postgres,
    graphql_body,
    machine,
    recreate_postgres,
    send,
    server_environment,
    serving,
    sign_in,
    spread,
)
from bench.sections import write_section
from bench.server import build_app
from tests.utils.accounts import session_id
from tests.utils.server import ATRISK

C16 = (16,)
C2 = (2,)  # the dealer with 100,000 cases: a report takes long enough for 2 to queue
GROUPINGS = [grouping.name for grouping in Grouping]
NAME_PREFIX = "Customer 01"  # 10,000 of the 50,000 customers
ACCOUNT_PREFIX = "A0123"  # 100 of them
IMPORT_ROWS = 50_000
SMALL_ADMIN = "small-admin@bench.example"
NAMES = ("queue", "big", "history", "import", "import-bare")

QUEUE = (
    "query Queue($first: Int!, $after: String) {"
    " atRiskCases(filter: {open: true}, first: $first, after: $after) {"
    " totalCount pageInfo { hasNextPage endCursor }"
    " nodes { id status riskLevel followUpAt rmrAtRisk"
    " customer { id name accountNumber } reason { id name } assignedTo { id name } } } }"
)
CUSTOMERS = (
    "query Customers($search: String!, $first: Int!) {"
    " customers(search: $search, first: $first) { totalCount pageInfo { hasNextPage endCursor }"
    " nodes { id accountNumber name email rmr status } } }"
)
HISTORY = (
    "query History($after: String) { auditEvents(first: 50, after: $after) {"
    " pageInfo { hasNextPage endCursor }"
    " nodes { id at actor action entityType entityId entityLabel changes { field from to } } } }"
)
ROW = (
    "key label opened saved lost withdrawn rmrAtRisk rmrSaved rmrLost credited saveRate"
    " averageDaysToClose"
)
REPORT = (
    "query Report($groupBy: ReportGrouping!) {"
    ' retentionReport(from: "2025-12-01", to: "2026-11-30", groupBy: $groupBy) {'
    f" totals {{ {ROW} }} rows {{ {ROW} }} openNow {{ cases rmrAtRisk overdueFollowUps }} }} }}"
)
WRITE = (
    "mutation Note($input: UpdateAtRiskCaseInput!) { updateAtRiskCase(input: $input) {"
    " __typename ... on AtRiskCase { id notes version } } }"
)


@dataclass
class CasesBench:
    bench: Bench
    seeding: dict[str, float] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)
    imports: dict[str, float] = field(default_factory=dict)


def database_urls(backend: str) -> dict[str, str]:
    if backend == "sqlite":
        return {name: f"sqlite:///{WORK / f'cases-{name}.db'}" for name in NAMES}
    base = make_url(os.environ["ATRISK_BENCH_POSTGRES_URL"])
    return {
        name: base.set(database=f"atrisk_bench_cases_{name.replace('-', '_')}").render_as_string(
            hide_password=False
        )
        for name in NAMES
    }


def fresh(backend: str, url: str) -> None:
    if backend == "sqlite":
        path = Path(make_url(url).database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        asyncio.run(recreate_postgres(url))


def add_small_admin(url: str) -> None:
    """An admin of the small history company, made by the real CLI."""
    command = ["create-user", "--company", cases_seed.SMALL_COMPANY, "--email", SMALL_ADMIN]
    command += ["--role", "admin", "--password", BENCH_PASSWORD]
    subprocess.run(
        [str(ATRISK), *command],
        env=server_environment(url, "graphql"),
        capture_output=True,
        check=True,
    )


def prepare(backend: str, run: CasesBench) -> tuple[dict[str, str], dict[str, str]]:
    """The seeded databases and the ids the bench needs from them."""
    urls = database_urls(backend)
    ids: dict[str, str] = {}
    for name, url in urls.items():
        started = time.monotonic()
        fresh(backend, url)
        if name == "queue":
            ids["queue"] = cases_seed.seed_queue(url)
        elif name == "big":
            ids["big"] = cases_seed.seed_big(url)
        elif name == "history":
            ids.update((f"history-{k}", v) for k, v in cases_seed.seed_history(url).items())
            add_small_admin(url)
        else:
            ids[name] = cases_seed.seed_import(url)
        create_credentials(name, url)
        run.seeding[name] = time.monotonic() - started
        print(f"  seeded {backend} {name} in {run.seeding[name]:.1f} s", flush=True)
    return urls, ids


def gql(query: str, **variables: Any) -> Shape:
    return Shape("/graphql", body=graphql_body(query, variables))


def bare(path: str) -> Shape:
    return Shape(path, method="GET")


def reads(dataset: str) -> dict[str, tuple[Shape, Shape]]:
    """scenario -> (GraphQL, bare route) of the reads of `dataset`."""
    found: dict[str, tuple[Shape, Shape]] = {}
    if dataset == "queue":
        found["queue"] = (gql(QUEUE, first=50), bare("/bench/cases/queue"))
        for scenario, prefix in (("search-name", NAME_PREFIX), ("search-account", ACCOUNT_PREFIX)):
            found[scenario] = (
                gql(CUSTOMERS, search=prefix, first=50),
                bare(f"/bench/cases/customers?search={quote(prefix)}"),
            )
    for grouping in GROUPINGS:
        found[f"report-{grouping}"] = (
            gql(REPORT, groupBy=grouping),
            bare(f"/bench/cases/report?group_by={grouping}"),
        )
    return found


def same_data(graphql: httpx.Response, route: httpx.Response) -> None:
    """The bare route answers the same rows (ids, keys and counts) as GraphQL."""
    a, b = graphql.json(), route.json()
    assert "errors" not in a, a
    (name,) = a["data"]
    left, right = a["data"][name], b["data"][name]
    if "nodes" in left:
        assert [n["id"] for n in left["nodes"]] == [n["id"] for n in right["nodes"]], name
        assert left.get("totalCount") == right.get("totalCount"), name
    else:
        assert left["totals"] == right["totals"], (left["totals"], right["totals"])
        assert [r["key"] for r in left["rows"]] == [r["key"] for r in right["rows"]], name


def measure_reads(bench: Bench, dataset: str, url: str) -> None:
    with (
        serving("graphql-nocache", url, f"cases-{dataset}") as server,
        serving("baselines", url, f"cases-{dataset}") as baselines,
    ):
        for scenario, (graphql, route) in reads(dataset).items():
            # Long enough for the requests a slow scenario left queued to drain first.
            same_data(
                send(server, graphql, dataset, timeout=300),
                send(baselines, route, dataset, timeout=300),
            )
            contenders = [
                ("graphql", dataset, server, graphql),
                ("bare", dataset, baselines, route),
            ]
            if dataset == "queue":
                bench.compare(contenders, scenario, C16)
            else:  # a report a second or so: slices long enough for a few dozen each
                bench.compare(contenders, scenario, C2, slice_seconds=SECONDS)
        bench.server_done(server, f"{dataset}, GraphQL (read cache off)")
        bench.server_done(baselines, f"{dataset}, bare routes")


def open_case_ids(url: str, company_id: str) -> tuple[str, ...]:
    rows = cases_seed.Writer(url).query(
        "SELECT id FROM at_risk_cases WHERE status IN ('OPEN', 'MITIGATED') "
        f"AND company_id = '{company_id}' ORDER BY id"
    )
    return tuple(row[0] for row in rows)


def measure_writes(bench: Bench, url: str, company_id: str) -> None:
    """A note on an open case as a signed-in admin: the same server (bench/server.py, the
    app as `atrisk serve` builds it) with its audit events written and left out
    (--no-history), so that history is the only difference."""
    ids = open_case_ids(url, company_id)
    body = graphql_body(WRITE, {"input": {"id": "ID", "notes": "NOTES"}}).decode()
    body = body.replace('"ID"', '"{id}"').replace('"NOTES"', '"{active}"')
    with (
        serving("baselines", url, "cases-write") as product,
        serving("baselines", url, "cases-write", ("--no-history",)) as bare_server,
    ):
        contenders = []
        for target, server in (("history", product), ("no-history", bare_server)):
            shape = Shape("/graphql", headers=sign_in(server), write=("/graphql", body), ids=ids)
            contenders.append((target, "queue", server, shape))
        bench.compare(contenders, "write", C16)
        bench.server_done(product, "writes, with history")
        bench.server_done(bare_server, "writes, no history")


def measure_history(bench: Bench, url: str) -> None:
    """A page from the middle of a company's log: 1,000,000 events against 1,000."""
    with serving("graphql-nocache", url, "cases-history") as server:
        contenders = []
        for target, email, count in (
            ("1,000,000 events", BENCH_ADMIN, cases_seed.HISTORY_BIG),
            ("1,000 events", SMALL_ADMIN, cases_seed.HISTORY_SMALL),
        ):
            headers = {
                "Cookie": f"{SESSION_COOKIE}={session_id(server, email, BENCH_PASSWORD)}",
                "Origin": server.base_url,
            }
            middle = cases_seed.event_at(count // 2)
            cursor = encode_cursor([middle, "f" * 32])
            shape = Shape(
                "/graphql",
                body=graphql_body(HISTORY, {"after": cursor}),
                headers=headers,
                signed_in=True,
            )
            answer = send(server, shape, "history").json()
            assert len(answer["data"]["auditEvents"]["nodes"]) == 50, answer
            contenders.append((target, "history", server, shape))
        bench.compare(contenders, "history", C16)
        bench.server_done(server, "history, GraphQL (read cache off)")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure_import(run: CasesBench, urls: dict[str, str], ids: dict[str, str]) -> None:
    """50,000 new customers through POST /customers/import (one transaction, one event
    each), against the same rows inserted bare into an empty company like it."""
    data = cases_seed.import_csv(IMPORT_ROWS)
    with serving("graphql", urls["import"], "cases-import") as server:
        headers = {**sign_in(server), "content-type": "text/csv"}
        # What the phases before wrote goes to disk first, so that neither side of the
        # comparison pays for their writeback (runs of one code measured 2.3 s to 4.0 s).
        os.sync()
        started = time.monotonic()
        response = httpx.post(
            server.base_url + "/customers/import", content=data, headers=headers, timeout=600
        )
        run.imports["import"] = time.monotonic() - started
        assert response.status_code == 200, response.text[:500]
        assert response.json()["created"] == IMPORT_ROWS, response.text[:500]
        run.imports["rss"] = peak_rss_mb(server.process.pid)
    os.sync()
    started = time.monotonic()
    cases_seed.bare_import(urls["import-bare"], ids["import-bare"], IMPORT_ROWS)
    run.imports["bare"] = time.monotonic() - started
    run.imports["mb"] = len(data) / 1e6


# The statement that checks an API token (and reads its company's versions).
CREDENTIAL_LOOKUP = "SELECT api_tokens.id,"


async def _before_an_assigned_case(app: Any) -> str | None:
    """The cursor after which the queue's next row is an assigned case."""
    first = orjson.loads(await call(app, "POST", "/graphql", graphql_body(QUEUE, {"first": 200})))
    nodes = first["data"]["atRiskCases"]["nodes"]
    at = next((index for index, node in enumerate(nodes) if node["assignedTo"]), None)
    if at is None:
        raise RuntimeError("the queue's first 200 open cases have no assignee to count with")
    if at == 0:
        return None
    before = orjson.loads(await call(app, "POST", "/graphql", graphql_body(QUEUE, {"first": at})))
    cursor: str = before["data"]["atRiskCases"]["pageInfo"]["endCursor"]
    return cursor


async def count_statements(url: str, company_id: str, *, lists: bool) -> dict[str, int]:
    """SQL statements per request (the app's engine; the credential lookup aside, which on
    SQLite does not go through the engine at all), counted in process with a
    before_cursor_execute listener. The queue's page of one row is of a row with every
    reference the query selects (an unassigned case needs no lookup of people)."""
    environment = {
        "ATRISK_ENV": "production",
        "DATABASE_URL": url,
        "ATRISK_SECRET_KEY": secrets.token_urlsafe(32),
        "ATRISK_ALLOWED_HOSTS": "127.0.0.1",
        "ATRISK_SEED_DEMO": "false",
    }
    settings = Settings.from_env(environment).model_copy(update={"read_cache_mb": 0})
    app = build_app(settings, {})
    counted = [0]

    def listener(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(CREDENTIAL_LOOKUP):
            counted[0] += 1

    runs: dict[str, tuple[str, str, bytes, bytes]] = {}
    if lists:
        for rows in (1, 50):
            runs[f"queue, {rows} rows"] = ("POST", "/graphql", b"", b"")  # made below
            runs[f"customers, {rows} rows"] = (
                "POST",
                "/graphql",
                graphql_body(CUSTOMERS, {"search": NAME_PREFIX, "first": rows}),
                b"",
            )
    for grouping in GROUPINGS:
        runs[f"report {grouping}"] = (
            "POST",
            "/graphql",
            graphql_body(REPORT, {"groupBy": grouping}),
            b"",
        )
    found: dict[str, int] = {}
    async with app.router.lifespan_context(app):
        _, token = await tokens.create_token(
            app.state.db, settings.signing_key, company_id, f"count-{secrets.token_hex(4)}"
        )
        HEADERS[:] = [(b"authorization", f"Bearer {token}".encode())]
        if lists:
            for rows in (1, 50):
                after = await _before_an_assigned_case(app) if rows == 1 else None
                body = graphql_body(QUEUE, {"first": rows, "after": after})
                runs[f"queue, {rows} rows"] = ("POST", "/graphql", body, b"")
        # The live-updates feed reads the history in the background on SQLite: not a
        # statement of any request.
        await app.state.feed.stop()
        engine = app.state.db.engine.sync_engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            for name, (method, path, body, query) in runs.items():
                await call(app, method, path, body, query)  # warm
                counted[0] = 0
                answer = orjson.loads(await call(app, method, path, body, query))
                assert "errors" not in answer, answer
                found[name] = counted[0]
        finally:
            event.remove(engine, "before_cursor_execute", listener)
    return found


def run_backend(backend: str) -> CasesBench:
    print(f"{backend}: seeding", flush=True)
    run = CasesBench(Bench(backend))
    urls, ids = prepare(backend, run)
    print(f"{backend}: counting statements", flush=True)
    for dataset in ("queue", "big"):
        counts = asyncio.run(
            count_statements(urls[dataset], ids[dataset], lists=dataset == "queue")
        )
        run.statements.update((f"{dataset}: {name}", n) for name, n in counts.items())
    print(f"{backend}: loading", flush=True)
    measure_reads(run.bench, "queue", urls["queue"])
    measure_reads(run.bench, "big", urls["big"])
    measure_history(run.bench, urls["history"])
    measure_writes(run.bench, urls["queue"], ids["queue"])
    print(f"{backend}: importing", flush=True)
    measure_import(run, urls, ids)
    if backend == "postgresql":
        for url in urls.values():
            asyncio.run(drop_postgres(url))
    return run


# --- the report ----------------------------------------------------------------------------

DATASET_NAMES = {
    "queue": "dealer with 5,000 cases",
    "big": "dealer with 100,000 cases",
    "history": "history log",
}


def targets(run: CasesBench) -> list[str]:
    r = run.bench.results

    def get(dataset: str, scenario: str, target: str) -> Result | None:
        """The result at whatever connections the scenario ran (16, or 2 for the 100,000)."""
        found = [res for (d, s, t, _), res in r.items() if (d, s, t) == (dataset, scenario, target)]
        return found[0] if found else None

    def share(dataset: str, scenario: str, a: str, b: str) -> float:
        x, y = get(dataset, scenario, a), get(dataset, scenario, b)
        return x.rps / y.rps if x and y and y.rps else float("nan")

    rows: list[tuple[str, str, str, bool | None]] = []

    def at_least(name: str, value: float, wanted: float) -> None:
        rows.append((name, f"≥ {wanted}", f"{value:.2f}", value >= wanted))

    def at_most(name: str, value: float, wanted: float) -> None:
        rows.append((name, f"≤ {wanted}", f"{value:.2f}", value <= wanted))

    def same(name: str, a: int | None, b: int | None) -> None:
        rows.append((name, "equal", f"{a} and {b}", a is not None and a == b))

    s = run.statements
    at_least(
        "work queue (50 open cases): GraphQL ÷ bare route",
        share("queue", "queue", "graphql", "bare"),
        0.7,
    )
    at_least(
        "customer search by name prefix: GraphQL ÷ bare route",
        share("queue", "search-name", "graphql", "bare"),
        0.7,
    )
    at_least(
        "customer search by account number: GraphQL ÷ bare route",
        share("queue", "search-account", "graphql", "bare"),
        0.7,
    )
    for scenario in ("queue", "search-name", "search-account"):
        result = get("queue", scenario, "graphql")
        at_most(f"p99 ÷ p50, {scenario}, GraphQL", spread(result) if result else float("nan"), 3.0)
    same(
        "statements per request, work queue: 1 row and 50",
        s.get("queue: queue, 1 rows"),
        s.get("queue: queue, 50 rows"),
    )
    same(
        "statements per request, customers: 1 row and 50",
        s.get("queue: customers, 1 rows"),
        s.get("queue: customers, 50 rows"),
    )
    imports = run.imports
    at_most(
        f"import of {IMPORT_ROWS:,} customers (CSV, one transaction) ÷ bare bulk insert, time",
        imports["import"] / imports["bare"],
        3.0,
    )
    at_most("import: peak RSS of the server process (MB)", imports["rss"], 200)
    at_least(
        "writes (a case's notes): with history ÷ without",
        share("queue", "write", "history", "no-history"),
        0.85,
    )
    big, small = (
        get("history", "history", "1,000,000 events"),
        get("history", "history", "1,000 events"),
    )
    at_most(
        "history page from the middle of the log, p50: 1,000,000 events ÷ 1,000",
        big.p50_ms / small.p50_ms if big and small else float("nan"),
        1.5,
    )
    for dataset in ("queue", "big"):
        for grouping in GROUPINGS:
            at_least(
                f"report by {grouping}, {DATASET_NAMES[dataset]}: GraphQL ÷ bare",
                share(dataset, f"report-{grouping}", "graphql", "bare"),
                0.8,
            )
    for grouping in GROUPINGS:
        same(
            f"statements per request, report by {grouping}: 5,000 cases and 100,000",
            s.get(f"queue: report {grouping}"),
            s.get(f"big: report {grouping}"),
        )
    for dataset in ("queue", "big"):
        worst = max(
            (spread(res), key[1])
            for key, res in r.items()
            if key[0] == dataset and key[1].startswith("report") and key[2] == "graphql"
        )
        at_most(f"p99 ÷ p50, worst report, {DATASET_NAMES[dataset]} ({worst[1]})", worst[0], 3.0)
    errors = sum(res.errors for res in r.values()) + run.bench.locked
    rows.append(('errors, "database is locked" in the logs', "0", str(errors), errors == 0))
    lines = ["| target | wanted | reached | met |", "|---|--:|--:|:-:|"]
    lines += [
        f"| {name} | {wanted} | {value} | {VERDICT[met]} |" for name, wanted, value, met in rows
    ]
    wrk_cpu = max(res.wrk_cpu for res in r.values())
    lines.append(f"| wrk's CPU, most of one core in any run | — | {wrk_cpu:.0%} | — |")
    return lines


def raw_table(run: CasesBench) -> list[str]:
    lines = [
        "| data | scenario | server | connections | req/s | p50 ms | p99 ms | p99/p50 | errors |",
        "|---|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for (dataset, scenario, target, connections), res in run.bench.results.items():
        lines.append(
            f"| {DATASET_NAMES[dataset]} | {scenario} | {target} | {connections} | {res.rps:,.0f} "
            f"| {res.p50_ms:.2f} | {res.p99_ms:.2f} | {spread(res):.1f} | {res.errors} |"
        )
    return lines


# What profiling found behind the targets these runs miss (read it against the figures).
CAUSES = [
    "Where misses come from, as profiled: plain fields no longer go through graphql-core's",
    "per-field steps (graphql/executor.py answers them from their attribute), but every",
    "object still does (a resolve info, Strawberry's Info, the completion of its",
    "selection), and the queue's 50 rows hold 200 objects: the rows, their customers,",
    "reasons and assignees. The bare routes build dicts for orjson; the SQL and the",
    "loaders' batches are the same on both sides. The import checks every row and writes",
    "a history event for each: 50,000 more rows than the bare insert, into a table with",
    "four indexes, which take most of the database's time (on PostgreSQL the bare insert",
    "is a single COPY of the customers alone). Writes with history add one INSERT to a",
    "write of a few statements; both sides are one server, with its events written or",
    "left out, and on two shared cores that ratio moved between 0.82 and 0.99 from run",
    "to run. Statement counts here are of one request each, taken in process; the",
    "suite's test_sql_counts proves 1 row and 200 equal on both databases.",
]


def report(runs: list[CasesBench], seconds: float) -> list[str]:
    out = ["## Part two: cases, customers, history and the retention report", ""]
    out += ["### Machine", "", *machine(), ""]
    out += [
        "GraphQL runs with the read cache off (each request runs its SQL); the bare routes",
        "(bench/cases_baselines.py) authenticate the same way and call the same service",
        "functions. Every comparison is interleaved in slices, at 16 connections but on the",
        "dealer with 100,000 cases, at 2 (a report there takes long enough that 2 queue).",
        f"Scale of the other companies: {cases_seed.SCALE:g}"
        + ("" if cases_seed.SCALE == 1 else " (**not the full size: a quick try**)")
        + f"; the whole run took {seconds / 60:.1f} min.",
        "",
        *CAUSES,
        "",
    ]
    for run in runs:
        backend = run.bench.backend
        out += [f"### {backend}", "", "#### Targets", "", *targets(run), ""]
        out += ["#### Requests", "", *raw_table(run), ""]
        out += ["#### Statements per request (in process, besides the credential lookup)", ""]
        out += ["| request | statements |", "|---|--:|"]
        out += [f"| {name} | {count} |" for name, count in run.statements.items()]
        i = run.imports
        out += [
            "",
            "#### Import",
            "",
            "| way | seconds | rows/s |",
            "|---|--:|--:|",
            f"| POST /customers/import ({i['mb']:.1f} MB CSV, one event a row) "
            f"| {i['import']:.1f} | {IMPORT_ROWS / i['import']:,.0f} |",
            f"| bare bulk insert of the same rows | {i['bare']:.1f} "
            f"| {IMPORT_ROWS / i['bare']:,.0f} |",
            f"| peak RSS of the importing server | {i['rss']:.0f} MB | |",
            "",
            "#### Seeding",
            "",
            "| database | seconds |",
            "|---|--:|",
            *(f"| {name} | {value:.1f} |" for name, value in run.seeding.items()),
            "",
            "#### Memory: resident set size of each server after its runs",
            "",
            "| server | RSS MB |",
            "|---|--:|",
            *(f"| {name} | {mb:.0f} |" for name, mb in run.bench.rss_mb.items()),
            "",
        ]
    return out


def main() -> int:
    started = time.monotonic()
    backends = chosen_backends()
    if backends is None:
        return 2
    runs: list[CasesBench] = []
    for backend in backends:
        runs.append(run_backend(backend))
        # Written after each backend, so that one that fails later keeps the others'.
        write_section("cases", report(runs, time.monotonic() - started), RESULTS)
    print(f"wrote {RESULTS.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
